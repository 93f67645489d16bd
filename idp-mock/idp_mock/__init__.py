"""idp-mock: a strict, standards-conformant mock OpenID provider for development and teaching."""

from __future__ import annotations

import os

import redis
from authlib.oauth2.rfc6749.errors import InsecureTransportError
from flask import Flask, jsonify

from . import apps, authorize, cli, discovery, endpoints, logout, logs, profiles, testing, token
from .config import Config
from .keys import KeyRing
from .pages import security_headers
from .registry import Registry
from .server import IdpServer
from .store import Store


def create_app(config: Config | None = None) -> Flask:
    """Build the IdP; without a config, read it from the environment (fails fast)."""
    config = config or Config.from_env(os.environ)
    app = Flask(__name__)
    logs.init_app(app)  # first: every request gets its id and its JSON line
    config = profiles.apply(app, config)  # IDP_PROFILE: a provider's issuer and paths
    registry = Registry.load(config.config_file)
    keys = KeyRing(config.keys_dir)
    keys.ensure_key()
    app.extensions["idp_mock"] = IdpServer(app, config, registry, keys, Store(config.redis_url))
    app.config["TRAINER_BANNER"] = config.trainer_banner

    for module in (discovery, authorize, token, endpoints, logout, apps):
        app.register_blueprint(module.bp)
    if config.test_controls:
        app.register_blueprint(testing.bp)
    app.after_request(security_headers)
    app.cli.add_command(cli.rotate_keys)
    app.cli.add_command(cli.prune_keys)
    app.register_error_handler(404, _json_error("not_found", 404))
    app.register_error_handler(405, _json_error("invalid_request", 405))
    app.register_error_handler(redis.RedisError, _redis_down)
    app.register_error_handler(InsecureTransportError, _insecure_transport)
    return app


def _redis_down(exc):
    # All state is in Redis: without it the IdP cannot answer, but it says so clearly.
    body = {"error": "temporarily_unavailable", "error_description": "state store unreachable"}
    return jsonify(body), 503, {"Retry-After": "1", "Cache-Control": "no-store"}


def _insecure_transport(exc):
    # Authlib refuses plain http except on loopback hosts.
    description = (
        "plain http is only allowed on localhost/127.0.0.1; use https, "
        "or set AUTHLIB_INSECURE_TRANSPORT=1 for a local demo network"
    )
    return jsonify({"error": "insecure_transport", "error_description": description}), 400


def _json_error(error: str, status: int):
    def handler(exc):
        return jsonify({"error": error, "error_description": exc.description}), status

    return handler
