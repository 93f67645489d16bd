"""Process configuration of idp-mock, read once from the environment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_CONFIG_FILE = PACKAGE_DIR.parent / "demo-config.yaml"
DEFAULT_KEYS_DIR = PACKAGE_DIR.parent.parent / "var" / "idp-keys"

_TRUE = {"1", "true", "yes", "on"}
# IDP_PROFILE: the provider dialect (idp_mock/profiles.py); "standard" is idp-mock's own.
PROFILES = ("standard", "keycloak", "entra", "auth0", "okta")


class ConfigError(RuntimeError):
    """A required setting is missing or malformed; the message names it."""


@dataclass(frozen=True)
class Config:
    """Everything idp-mock needs from its environment."""

    issuer: str
    redis_url: str
    config_file: Path = DEFAULT_CONFIG_FILE
    keys_dir: Path = DEFAULT_KEYS_DIR
    test_controls: bool = False
    # The demo's trainer mode (docs/trainer.md): only a banner here, the IdP behaves the same.
    trainer_banner: bool = False
    profile: str = "standard"

    def __post_init__(self) -> None:
        if self.issuer.endswith("/"):
            raise ConfigError(f"IDP_ISSUER must not end with '/': {self.issuer!r}")
        if not self.issuer.startswith(("http://", "https://")):
            raise ConfigError(f"IDP_ISSUER must be an http(s) URL: {self.issuer!r}")

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Config:
        """Build the config from environment variables, failing fast on a missing one."""
        return cls(
            issuer=_required(env, "IDP_ISSUER"),
            redis_url=_required(env, "REDIS_URL"),
            config_file=Path(env.get("IDP_CONFIG") or DEFAULT_CONFIG_FILE),
            keys_dir=Path(env.get("IDP_KEYS_DIR") or DEFAULT_KEYS_DIR),
            test_controls=env.get("IDP_TEST_CONTROLS", "").strip().lower() in _TRUE,
            trainer_banner=env.get("IDP_TRAINER_BANNER", "").strip().lower() in _TRUE,
            profile=_profile(env),
        )


def _profile(env: Mapping[str, str]) -> str:
    name = env.get("IDP_PROFILE", "").strip() or "standard"
    if name not in PROFILES:
        raise ConfigError(f"IDP_PROFILE must be one of {PROFILES}, not {name!r}")
    return name


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise ConfigError(f"missing required environment variable {name}")
    return value
