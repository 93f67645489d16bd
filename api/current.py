"""The API's state, one typed object per app, reached from views through ``current.api()``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:
    from .bearer import BearerProtector
    from .config import Config
    from .db import Database
    from .introspection import IntrospectionValidator
    from .issuer import JwksCache
    from .jwt_tokens import JWTAccessTokenValidator


@dataclass(frozen=True)
class ApiState:
    """Everything one API app holds: its settings, its token checks and its database."""

    config: Config
    protector: BearerProtector
    # A JWTAccessTokenValidator (or its provider-profile subclass) or an IntrospectionValidator.
    validator: JWTAccessTokenValidator | IntrospectionValidator
    jwks: JwksCache | None  # None in introspection mode: the IdP checks the tokens
    database: Database


def api() -> ApiState:
    """The state of the current app (one per app, never a global)."""
    return current_app.extensions["api"]
