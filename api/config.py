"""Configuration of the resource API, read once from the environment (and an optional ``.env``).

Environment variables (the process environment wins over ``.env``):

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
  ``keycloak``, ``entra``, ``auth0`` or ``okta`` (api/token_profiles.py); ``OIDC_ISSUER`` must then
  have that provider's issuer shape. Only for ``API_TOKEN_MODE=jwt``.
- ``API_TRAINER_MODE``: ``1`` adds a ``Trainer-Verdict`` header per check for the trainer's
  flow view (api/trainer.py, docs/trainer.md); off by default, never changes a decision.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from .token_profiles import NAMES as TOKEN_PROFILES
from .token_profiles import PROFILES

DEFAULT_DB_PATH = Path(__file__).resolve().parent.parent / "var" / "api.sqlite3"
TOKEN_MODES = ("jwt", "introspection")
# Set while from_env builds from a given mapping: no other source is read then.
_MAPPING_ONLY: ContextVar[bool] = ContextVar("api_config_mapping_only", default=False)
SECONDS = ("leeway_seconds", "jwks_cache_seconds", "jwks_min_refetch_seconds")


class ConfigError(RuntimeError):
    """A required setting is missing or invalid; the message names the variable."""


def _env(name: str) -> Any:
    return Field(validation_alias=AliasChoices(name))


class Config(BaseSettings):
    """Everything the API needs to know about its surroundings.

    ``Config.from_env(mapping)`` reads that mapping alone (tests); ``config.model_copy(update=...)``
    changes a field of a built one.
    """

    # Env names are exact (case_sensitive); fields without an env name are set in code only.
    model_config = SettingsConfigDict(
        frozen=True, extra="ignore", env_file=".env", case_sensitive=True, populate_by_name=True
    )

    issuer: str = _env("OIDC_ISSUER")
    audience: str = _env("API_AUDIENCE")
    db_path: Path = Field(DEFAULT_DB_PATH, validation_alias=AliasChoices("API_DB_PATH"))
    token_mode: Literal["jwt", "introspection"] = Field(
        "jwt", validation_alias=AliasChoices("API_TOKEN_MODE")
    )
    client_id: str | None = Field(None, validation_alias=AliasChoices("API_CLIENT_ID"))
    client_secret: str | None = Field(
        None, validation_alias=AliasChoices("API_CLIENT_SECRET"), repr=False
    )
    leeway_seconds: int = Field(30, validation_alias=AliasChoices("API_LEEWAY_SECONDS"))
    jwks_cache_seconds: int = Field(300, validation_alias=AliasChoices("API_JWKS_CACHE_SECONDS"))
    jwks_min_refetch_seconds: int = Field(
        10, validation_alias=AliasChoices("API_JWKS_MIN_REFETCH_SECONDS")
    )
    introspection_cache_seconds: int = Field(
        30, validation_alias=AliasChoices("API_INTROSPECTION_CACHE_SECONDS")
    )
    # Code only (no env name): a body larger than this is a 413, an event is far smaller.
    max_body_bytes: int = Field(4096, validation_alias=AliasChoices("max_body_bytes"))
    # Code only: tokens remembered per worker after verification.
    verified_token_cache_size: int = Field(
        10_000, validation_alias=AliasChoices("verified_token_cache_size")
    )
    # API_TRAINER_MODE=1: the Trainer-Verdict header of api/trainer.py.
    trainer_mode: bool = Field(False, validation_alias=AliasChoices("API_TRAINER_MODE"))
    token_profile: str = Field("rfc9068", validation_alias=AliasChoices("API_TOKEN_PROFILE"))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Config:
        """Build the configuration, failing fast with the name of each variable that is wrong.

        Without ``env``: the process environment and ``.env``; with it: that mapping alone.
        """
        try:
            if env is None:
                return cls.model_validate({})
            given = _MAPPING_ONLY.set(True)
            try:
                return cls.model_validate(dict(env))
            finally:
                _MAPPING_ONLY.reset(given)
        except ValidationError as exc:
            raise ConfigError("\n".join(_messages(exc))) from None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments, then the process environment, then ``.env``; a given mapping alone."""
        if _MAPPING_ONLY.get():
            return (init_settings,)
        return (init_settings, env_settings, dotenv_settings)

    @field_validator("issuer", "audience", mode="before")
    @classmethod
    def _required(cls, value: object) -> object:
        # Exactly as given otherwise: some issuers (Auth0) end with "/" and iss must match.
        return value.strip() if isinstance(value, str) else value

    @field_validator(
        "db_path", "token_profile", *SECONDS, "introspection_cache_seconds", mode="before"
    )
    @classmethod
    def _empty_is_default(cls, value: object, info: Any) -> object:
        if value == "":
            return cls.model_fields[info.field_name].default
        seconds = info.field_name in (*SECONDS, "introspection_cache_seconds")
        if seconds and isinstance(value, str) and not value.isdigit():
            raise ValueError("must be a whole number of seconds")
        return value

    @field_validator("trainer_mode", mode="before")
    @classmethod
    def _only_one_is_on(cls, value: object) -> object:
        # As before: only "1" switches trainer mode on; anything else leaves it off.
        return value == "1" if isinstance(value, str) else value

    @model_validator(mode="after")
    def _consistent(self) -> Config:
        if not self.issuer:
            raise ValueError("OIDC_ISSUER: required")
        if not self.audience:
            raise ValueError("API_AUDIENCE: required")
        if self.token_mode == "introspection":  # noqa: S105 (a mode, not a secret)
            for name, value in (
                ("API_CLIENT_ID", self.client_id),
                ("API_CLIENT_SECRET", self.client_secret),
            ):
                if not value:
                    raise ValueError(f"{name}: required in introspection mode")
        _check_profile(self.token_profile, self.token_mode, self.issuer)
        return self


def _check_profile(name: str, mode: str, issuer: str) -> None:
    if name not in TOKEN_PROFILES:
        raise ValueError(f"API_TOKEN_PROFILE: must be one of {TOKEN_PROFILES}, not {name!r}")
    if name != "rfc9068" and mode != "jwt":
        raise ValueError("API_TOKEN_PROFILE: applies to JWT access tokens (API_TOKEN_MODE=jwt)")
    if name in PROFILES:
        profile = PROFILES[name]
        # A token's iss must equal OIDC_ISSUER exactly: a wrong shape would refuse every token.
        if not profile.issuer_path.fullmatch(urlsplit(issuer).path):
            raise ValueError(
                f"OIDC_ISSUER: {issuer!r} is not a {name} issuer; expected {profile.issuer_hint}"
            )


def _messages(exc: ValidationError) -> list[str]:
    """One line per problem, naming the environment variable."""
    lines = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        env = _env_name(field)
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "missing":
            lines.append(f"environment variable {env} is required")
        elif env:
            lines.append(f"environment variable {env}: {message}")
        else:  # a rule across variables: the message names them
            lines.append(message)
    return lines


def _env_name(field: str) -> str:
    info = Config.model_fields.get(field)
    if info is None:
        return field  # errors are located by the alias given, already the env name
    alias = info.validation_alias
    return alias.choices[0] if isinstance(alias, AliasChoices) else field  # type: ignore[return-value]
