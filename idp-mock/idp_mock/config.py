"""Process configuration of idp-mock, read once from the environment (and an optional `.env`)."""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_CONFIG_FILE = PACKAGE_DIR.parent / "demo-config.yaml"
DEFAULT_KEYS_DIR = PACKAGE_DIR.parent.parent / "var" / "idp-keys"
# What the deprecated IDP_TRAINER_BANNER=1 shows: the demo's trainer mode (docs/trainer.md).
TRAINER_BANNER = (
    "Trainer mode · this is the identity provider's own page; "
    "the calendar's flow view records what happens."
)
# Set while from_env(mapping) builds a config: the mapping is then the only source.
_MAPPING_ONLY: ContextVar[bool] = ContextVar("idp_mock_mapping_only", default=False)


class ConfigError(RuntimeError):
    """A required setting is missing or malformed; the message names it."""


class Config(BaseSettings):
    """Everything idp-mock needs from its environment."""

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

    # Every URL in discovery is built from it; no trailing slash.
    issuer: str = Field(validation_alias="IDP_ISSUER", min_length=1)
    # All state lives there, so several workers and processes agree.
    redis_url: str = Field(validation_alias="REDIS_URL", min_length=1)
    # Users, clients, scopes and lifetimes (YAML); the demo's by default.
    config_file: Path = Field(default=DEFAULT_CONFIG_FILE, validation_alias="IDP_CONFIG")
    # Private signing keys, created once and kept across restarts.
    keys_dir: Path = Field(default=DEFAULT_KEYS_DIR, validation_alias="IDP_KEYS_DIR")
    # The /test/* controls (testing.py): off unless asked for.
    test_controls: bool = Field(default=False, validation_alias="IDP_TEST_CONTROLS")
    # Text shown at the top of every IdP page (autoescaped); empty: no banner.
    banner: str = Field(default="", validation_alias="IDP_BANNER")
    # Deprecated: IDP_TRAINER_BANNER=1 is IDP_BANNER with the trainer-mode text.
    trainer_banner: bool = Field(default=False, validation_alias="IDP_TRAINER_BANNER")
    # The provider dialect (idp_mock/profiles.py); "standard" is idp-mock's own.
    profile: Literal["standard", "keycloak", "entra", "auth0", "okta"] = Field(
        default="standard", validation_alias="IDP_PROFILE"
    )

    @field_validator("issuer")
    @classmethod
    def _issuer_is_a_base_url(cls, issuer: str) -> str:
        if issuer.endswith("/"):
            raise ValueError(f"must not end with '/': {issuer!r}")
        if not issuer.startswith(("http://", "https://")):
            raise ValueError(f"must be an http(s) URL: {issuer!r}")
        return issuer

    @property
    def page_banner(self) -> str:
        """The banner text for every page: IDP_BANNER, else the deprecated trainer text."""
        return self.banner or (TRAINER_BANNER if self.trainer_banner else "")

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
        """Build the config, failing fast with the name of each missing or malformed variable.

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
            lines.append(f"missing required environment variable {name}")
        else:
            message = error["msg"].removeprefix("Value error, ")
            lines.append(f"{name} {message}" if name else message)
    return "\n".join(lines)
