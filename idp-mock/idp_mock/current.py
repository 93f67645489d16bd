"""The one way to reach this app's authorization server (config, registry, keys, Redis state)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, current_app

if TYPE_CHECKING:
    from .server import IdpServer

_KEY = "idp_mock"  # the only place this app.extensions key is spelled


def install(app: Flask, server: IdpServer) -> None:
    """Attach the server to its app (create_app does this once)."""
    app.extensions[_KEY] = server


def idp(app: Flask | None = None) -> IdpServer:
    """The authorization server of the current (or given) app: one per app, never a global."""
    return (app or current_app).extensions[_KEY]
