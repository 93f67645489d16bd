"""Configuration of the resource API, read once from the environment.

Environment variables:

- ``OIDC_ISSUER`` (required): the issuer URL. Every endpoint and key of the IdP is found by
  OpenID Connect discovery at ``OIDC_ISSUER + "/.well-known/openid-configuration"``.
- ``API_AUDIENCE`` (required): this API's identifier; access tokens must name it in ``aud``
  (demo: ``calendar-api``).
- ``API_DB_PATH``: the SQLite file (default ``var/api.sqlite3`` under the repository root).
- ``API_TOKEN_MODE``: ``jwt`` (default, RFC 9068 tokens checked locally against the JWKS) or
  ``introspection`` (RFC 7662, for opaque tokens).
- ``API_CLIENT_ID`` / ``API_CLIENT_SECRET``: the API's own credentials at the introspection
  endpoint; required only in introspection mode (demo: ``calendar-api`` / ``calendar-api-secret``).
- ``API_LEEWAY_SECONDS``: clock skew tolerated on ``exp``, ``nbf`` and ``iat`` (default 30).
- ``API_JWKS_CACHE_SECONDS``: how long a fetched JWKS is trusted before it is fetched again
  (default 300).
- ``API_JWKS_MIN_REFETCH_SECONDS``: at most one re-fetch per this interval is caused by tokens
  with an unknown ``kid``, so forged ``kid`` values cannot make the API hammer the IdP (default 10).
- ``API_INTROSPECTION_CACHE_SECONDS``: how long an introspection answer is reused (default 30).
- ``API_TOKEN_PROFILE``: the shape of JWT access tokens: ``rfc9068`` (default, strict RFC 9068),
  ``keycloak``, ``entra``, ``auth0`` or ``okta`` (api/profiles.py); ``OIDC_ISSUER`` must then
  have that provider's issuer shape. Only for ``API_TOKEN_MODE=jwt``.
- ``API_TRAINER_MODE``: ``1`` adds a ``Trainer-Verdict`` header per check for the trainer's
  flow view (api/trainer.py, docs/trainer.md); off by default, never changes a decision.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .profiles import NAMES as TOKEN_PROFILES
from .profiles import PROFILES

DEFAULT_DB_PATH = Path(__file__).resolve().parent.parent / "var" / "api.sqlite3"
TOKEN_MODES = ("jwt", "introspection")


class ConfigError(RuntimeError):
    """A required setting is missing or invalid; the message names the variable."""


@dataclass(frozen=True)
class Config:
    """Everything the API needs to know about its surroundings."""

    issuer: str
    audience: str
    db_path: Path = DEFAULT_DB_PATH
    token_mode: str = "jwt"  # noqa: S105 (a mode name, not a secret)
    client_id: str | None = None
    client_secret: str | None = None
    leeway_seconds: int = 30
    jwks_cache_seconds: int = 300
    jwks_min_refetch_seconds: int = 10
    introspection_cache_seconds: int = 30
    max_body_bytes: int = 4096
    verified_token_cache_size: int = 10_000
    trainer_mode: bool = False  # API_TRAINER_MODE=1: verdict headers for trainer mode
    token_profile: str = "rfc9068"  # noqa: S105 (API_TOKEN_PROFILE, a profile name)

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Config:
        """Build the configuration, failing fast with the name of what is missing."""
        mode = env.get("API_TOKEN_MODE", "jwt")
        if mode not in TOKEN_MODES:
            raise ConfigError(f"API_TOKEN_MODE must be one of {TOKEN_MODES}, not {mode!r}")
        if mode == "introspection":
            _required(env, "API_CLIENT_ID")
            _required(env, "API_CLIENT_SECRET")
        return cls(
            # Exactly as given: some issuers (Auth0) end with "/" and iss must match exactly.
            issuer=_required(env, "OIDC_ISSUER"),
            audience=_required(env, "API_AUDIENCE"),
            db_path=Path(env.get("API_DB_PATH") or DEFAULT_DB_PATH),
            token_mode=mode,
            client_id=env.get("API_CLIENT_ID"),
            client_secret=env.get("API_CLIENT_SECRET"),
            leeway_seconds=_seconds(env, "API_LEEWAY_SECONDS", 30),
            jwks_cache_seconds=_seconds(env, "API_JWKS_CACHE_SECONDS", 300),
            jwks_min_refetch_seconds=_seconds(env, "API_JWKS_MIN_REFETCH_SECONDS", 10),
            introspection_cache_seconds=_seconds(env, "API_INTROSPECTION_CACHE_SECONDS", 30),
            trainer_mode=env.get("API_TRAINER_MODE") == "1",
            token_profile=_token_profile(env, mode),
        )


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise ConfigError(f"environment variable {name} is required")
    return value


def _token_profile(env: Mapping[str, str], mode: str) -> str:
    name = env.get("API_TOKEN_PROFILE") or "rfc9068"
    if name not in TOKEN_PROFILES:
        raise ConfigError(f"API_TOKEN_PROFILE must be one of {TOKEN_PROFILES}, not {name!r}")
    if name != "rfc9068" and mode != "jwt":
        raise ConfigError("API_TOKEN_PROFILE applies to JWT access tokens (API_TOKEN_MODE=jwt)")
    if name in PROFILES:
        profile, issuer = PROFILES[name], env.get("OIDC_ISSUER", "").strip()
        # A token's iss must equal OIDC_ISSUER exactly: a wrong shape would refuse every token.
        if not profile.issuer_path.fullmatch(urlsplit(issuer).path):
            raise ConfigError(
                f"OIDC_ISSUER {issuer!r} is not a {name} issuer; expected {profile.issuer_hint}"
            )
    return name


def _seconds(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit():
        raise ConfigError(f"environment variable {name} must be a whole number of seconds")
    return int(raw)
