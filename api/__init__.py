"""Calendar resource API: a textbook OAuth 2.0 resource server (RFC 6750, RFC 9068).

Routes: events (the caller's calendar), reminders (service tokens), openapi, health; errors, logs.
Tokens: bearer (RFC 6750 route guard) asks jwt_tokens, provider_tokens or introspection, which
use issuer (discovery, JWKS), token_profiles, token_cache and record each check (verification).
Data: event_schema (the one event definition), event_input (validation), db (SQLite, migrations).
App: config (settings), current (the app's typed state), signals; trainer is an optional plug-in.
"""

from __future__ import annotations

import importlib

from flask import Flask

from . import db, errors, events, health, logs, openapi, reminders
from .bearer import BearerProtector
from .config import Config, ConfigError
from .current import ApiState
from .db import Database
from .introspection import IntrospectionValidator
from .issuer import IssuerMetadata, JwksCache
from .jwt_tokens import JWTAccessTokenValidator
from .provider_tokens import ProviderTokenValidator
from .token_cache import VerifiedTokenCache
from .token_profiles import PROFILES

TRAINER_PLUGIN = "api.trainer"  # docs/trainer.md; deleting the module removes trainer mode


def create_app(config: Config | None = None) -> Flask:
    """Build the API; without a config, read it from the environment (and fail fast)."""
    config = config or Config.from_env()
    app = Flask(__name__, static_folder=None)
    logs.init_app(app)  # first: every request gets its id and its JSON line
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.extensions["api"] = state = _state(config)
    state.database.boot()
    errors.init_app(app)
    db.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(events.bp)
    app.register_blueprint(reminders.bp)
    app.register_blueprint(openapi.bp)
    if config.trainer_mode:  # an optional plug-in: it subscribes to api.signals
        load_trainer().init_app(app)
    return app


def load_trainer():
    """The trainer plug-in (docs/trainer.md), or a start-up error naming what is missing."""
    try:
        return importlib.import_module(TRAINER_PLUGIN)
    except ModuleNotFoundError as exc:
        if exc.name != TRAINER_PLUGIN:
            raise
        raise ConfigError(
            "API_TRAINER_MODE=1 but the trainer plug-in (api/trainer.py) is not installed; "
            "unset API_TRAINER_MODE or restore it"
        ) from None


def _state(config: Config) -> ApiState:
    """One state per app, so two apps in one process never share keys, caches or files."""
    metadata = IssuerMetadata(config.issuer)
    cache = VerifiedTokenCache(config.verified_token_cache_size)
    jwks: JwksCache | None = None
    validator: JWTAccessTokenValidator | IntrospectionValidator
    if config.token_mode == "introspection":  # noqa: S105 (a mode, not a secret)
        validator = IntrospectionValidator(
            metadata,
            config.audience,
            (config.client_id or "", config.client_secret or ""),
            cache,
            config.introspection_cache_seconds,
            config.leeway_seconds,
        )
    else:
        jwks = JwksCache(metadata, config.jwks_cache_seconds, config.jwks_min_refetch_seconds)
        if config.token_profile in PROFILES:
            validator = ProviderTokenValidator(
                PROFILES[config.token_profile],
                config.issuer,
                config.audience,
                jwks,
                cache,
                config.leeway_seconds,
            )
        else:
            validator = JWTAccessTokenValidator(
                config.issuer, config.audience, jwks, cache, config.leeway_seconds
            )
    protector = BearerProtector()
    protector.register_token_validator(validator)
    return ApiState(config, protector, validator, jwks, Database(config.db_path))
