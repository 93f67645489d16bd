"""Calendar resource API: a textbook OAuth 2.0 resource server (RFC 6750, RFC 9068)."""

from __future__ import annotations

from flask import Flask

from . import db, errors, events, health, logs, openapi, reminders
from .auth import BearerProtector
from .config import Config
from .introspection import IntrospectionValidator
from .issuer import IssuerMetadata, JwksCache
from .profiles import PROFILES
from .provider_tokens import ProviderTokenValidator
from .token_cache import VerifiedTokenCache
from .tokens import JWTAccessTokenValidator


def create_app(config: Config | None = None) -> Flask:
    """Build the API; without a config, read it from the environment (and fail fast)."""
    config = config or Config.from_env()
    app = Flask(__name__, static_folder=None)
    logs.init_app(app)  # first: every request gets its id and its JSON line
    app.config["API_CONFIG"] = config
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.extensions["bearer_protector"] = _protector(config)
    errors.init_app(app)
    db.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(events.bp)
    app.register_blueprint(reminders.bp)
    app.register_blueprint(openapi.bp)
    if config.unchecked_twin_route:
        from . import bench_twin

        app.register_blueprint(bench_twin.bp)
    if config.trainer_mode:  # trainer mode only: explain each token check in a header
        from . import trainer

        trainer.init_app(app)
    return app


def _protector(config: Config) -> BearerProtector:
    """One protector per app, so two apps in one process never share keys or caches."""
    metadata = IssuerMetadata(config.issuer)
    cache = VerifiedTokenCache(config.verified_token_cache_size)
    if config.token_mode == "introspection":  # noqa: S105 (a mode, not a secret)
        validator = IntrospectionValidator(
            metadata,
            config.audience,
            (config.client_id or "", config.client_secret or ""),
            cache,
            config.introspection_cache_seconds,
            config.leeway_seconds,
        )
    elif config.token_profile in PROFILES:
        jwks = JwksCache(metadata, config.jwks_cache_seconds, config.jwks_min_refetch_seconds)
        validator = ProviderTokenValidator(
            PROFILES[config.token_profile],
            config.issuer,
            config.audience,
            jwks,
            cache,
            config.leeway_seconds,
        )
    else:
        jwks = JwksCache(metadata, config.jwks_cache_seconds, config.jwks_min_refetch_seconds)
        validator = JWTAccessTokenValidator(
            config.issuer, config.audience, jwks, cache, config.leeway_seconds
        )
    protector = BearerProtector()
    protector.register_token_validator(validator)
    return protector
