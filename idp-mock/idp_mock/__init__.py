"""idp-mock: a strict, standards-conformant mock OpenID provider for development and teaching.

Wiring: config, current (idp(), the one accessor), server (Authlib's server), errors, logs, cli.
JSON endpoints: discovery, token_endpoint, endpoints (userinfo, revoke, introspect), testing.
Pages: authorize, interaction (login, consent), logout, backchannel, connected_apps, pages.
Tokens: grants, refresh, jwt_tokens (their claims), profiles + dialect_grants (provider shapes).
State: redis_store, token_records, token_lookup, idp_session, consents, throttle, keys, registry.
"""

from __future__ import annotations

from flask import Flask

from . import (
    authorize,
    cli,
    connected_apps,
    current,
    discovery,
    endpoints,
    errors,
    logout,
    logs,
    profiles,
    testing,
    token_endpoint,
)
from .config import Config
from .keys import KeyRing
from .pages import security_headers
from .redis_store import Store
from .registry import Registry
from .server import IdpServer


def create_app(config: Config | None = None) -> Flask:
    """Build the IdP; without a config, read it from the environment and `.env` (fails fast)."""
    config = config or Config.from_env()
    app = Flask(__name__)
    logs.init_app(app)  # first: every request gets its id and its JSON line
    config = profiles.apply(app, config)  # IDP_PROFILE: a provider's issuer and paths
    registry = Registry.load(config.config_file)
    keys = KeyRing(config.keys_dir)
    keys.ensure_key()
    server = IdpServer(app, config, registry, keys, Store(config.redis_url))
    current.install(app, server)
    app.context_processor(lambda: {"banner": server.config.page_banner})

    for module in (discovery, authorize, token_endpoint, endpoints, logout, connected_apps):
        app.register_blueprint(module.bp)
    if config.test_controls:
        app.register_blueprint(testing.bp)
    app.after_request(security_headers)
    app.cli.add_command(cli.rotate_keys)
    app.cli.add_command(cli.prune_keys)
    errors.register(app)
    return app
