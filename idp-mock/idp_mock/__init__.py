"""idp-mock: a strict, standards-conformant mock OpenID provider for development and teaching."""

from __future__ import annotations

import os

from flask import Flask, jsonify

from .config import Config
from .keys import KeyRing
from .registry import Registry
from .server import IdpServer
from .store import Store


def create_app(config: Config | None = None) -> Flask:
    """Build the IdP; without a config, read it from the environment (fails fast)."""
    config = config or Config.from_env(os.environ)
    app = Flask(__name__)
    registry = Registry.load(config.config_file)
    keys = KeyRing(config.keys_dir)
    keys.ensure_key()
    app.extensions["idp_mock"] = IdpServer(app, config, registry, keys, Store(config.redis_url))

    from . import apps, authorize, discovery, endpoints, logout, token

    for module in (discovery, authorize, token, endpoints, logout, apps):
        app.register_blueprint(module.bp)
    app.register_error_handler(404, _json_error("not_found", 404))
    app.register_error_handler(405, _json_error("invalid_request", 405))
    return app


def _json_error(error: str, status: int):
    def handler(exc):
        return jsonify({"error": error, "error_description": exc.description}), status

    return handler
