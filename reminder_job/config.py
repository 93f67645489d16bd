"""Configuration of the reminder job, read once from the environment (and an optional `.env`).

Environment variables:

- ``OIDC_ISSUER`` (required): the issuer; the token endpoint is found by OIDC discovery.
- ``REMINDER_CLIENT_ID`` / ``REMINDER_CLIENT_SECRET`` (required): the job's own client
  credentials, sent with client_secret_basic (demo: ``reminder-job`` / ``reminder-job-secret``).
- ``API_URL`` (required): the calendar API, e.g. ``http://127.0.0.1:8001``.
- ``REMINDER_SCOPE``: the scope requested (default ``calendar:reminders``).
- ``REMINDER_INTERVAL_SECONDS``: pause between two runs (default 60).
- ``REMINDER_WITHIN_MINUTES``: how far ahead to look for events (default 60).
- ``REMINDER_HEARTBEAT_FILE``: touched after every successful run, for a container health check.
- ``REMINDER_TOKEN_PARAMS``: extra token request parameters as a query string, e.g. Auth0's
  ``audience=calendar-api``; the grant's own (``grant_type``, ``scope``, client) cannot be set.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from typing import Annotated
from urllib.parse import parse_qsl

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict

# Parameters the client credentials grant sets itself: a provider quirk may not replace them.
OWN_PARAMS = {"grant_type", "scope", "client_id", "client_secret"}
# Set while from_env(mapping) builds a config: the mapping is then the only source.
_MAPPING_ONLY: ContextVar[bool] = ContextVar("reminder_job_mapping_only", default=False)


class ConfigError(RuntimeError):
    """A required setting is missing or invalid; the message names the variable."""


class Config(BaseSettings):
    """Everything the job needs to know."""

    # The process environment wins over `.env`; an empty variable counts as unset.
    model_config = SettingsConfigDict(
        frozen=True,
        extra="ignore",
        env_file=".env",
        case_sensitive=True,
        env_ignore_empty=True,
        populate_by_name=True,
        str_strip_whitespace=True,
    )

    # Field meanings: the module docstring above, one bullet per variable.
    issuer: str = Field(validation_alias="OIDC_ISSUER", min_length=1)
    client_id: str = Field(validation_alias="REMINDER_CLIENT_ID", min_length=1)
    client_secret: str = Field(validation_alias="REMINDER_CLIENT_SECRET", min_length=1)
    api_url: str = Field(validation_alias="API_URL", min_length=1)
    scope: str = Field(default="calendar:reminders", validation_alias="REMINDER_SCOPE")
    interval_seconds: int = Field(default=60, gt=0, validation_alias="REMINDER_INTERVAL_SECONDS")
    within_minutes: int = Field(default=60, gt=0, validation_alias="REMINDER_WITHIN_MINUTES")
    heartbeat_file: str | None = Field(default=None, validation_alias="REMINDER_HEARTBEAT_FILE")
    # A query string, not JSON: NoDecode keeps pydantic-settings from parsing it as JSON.
    token_params: Annotated[tuple[tuple[str, str], ...], NoDecode] = Field(
        default=(), validation_alias="REMINDER_TOKEN_PARAMS"
    )

    @field_validator("api_url")
    @classmethod
    def _no_trailing_slash(cls, url: str) -> str:
        return url.rstrip("/")

    @field_validator("token_params", mode="before")
    @classmethod
    def _query_string(cls, value: str | tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
        pairs = tuple(parse_qsl(value)) if isinstance(value, str) else tuple(value)
        taken = sorted({name for name, _ in pairs} & OWN_PARAMS)
        if taken:
            raise ValueError(f"may not set {', '.join(taken)}")
        return pairs

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        if _MAPPING_ONLY.get():
            return (init_settings,)
        return (init_settings, env_settings, dotenv_settings)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Config:
        """Build the configuration, failing fast with the name of what is missing or wrong.

        Without `env`, read the process environment and `.env`; a given mapping is the only
        source (tests).
        """
        mapping_only = _MAPPING_ONLY.set(env is not None)
        try:
            given = {} if env is None else {k: v for k, v in env.items() if v.strip()}
            return cls.model_validate(given)
        except ValidationError as exc:
            raise ConfigError(_describe(exc)) from None
        finally:
            _MAPPING_ONLY.reset(mapping_only)


def _describe(exc: ValidationError) -> str:
    """One line per offending variable: its name and what is wrong."""
    lines = []
    for error in exc.errors():
        name = ".".join(str(part) for part in error["loc"])
        if error["type"] == "missing":
            lines.append(f"environment variable {name} is required")
        else:
            message = error["msg"].removeprefix("Value error, ")
            lines.append(f"environment variable {name}: {message}")
    return "\n".join(lines)
