"""Access to the current app's authorization server from views."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:
    from .server import IdpServer


def idp() -> IdpServer:
    """The authorization server of the current app (one per app, never a global)."""
    return current_app.extensions["idp_mock"]
