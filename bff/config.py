"""BFF settings, read once at start-up from the environment and an optional `.env` file."""

import logging
from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from limits import parse as parse_limit
from pydantic import AliasChoices, Field, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from .config_parsing import ConfigError, parse_auth_params, parse_hosts, parse_routes

__all__ = ["REQUIRED", "Config", "ConfigError", "parse_auth_params", "parse_hosts", "parse_routes"]

REQUIRED = (
    "OIDC_ISSUER",
    "OIDC_CLIENT_ID",
    "OIDC_CLIENT_SECRET",
    "OIDC_SCOPE",
    "BFF_URL",
    "API_URL",
    "REDIS_URL",
    "SECRET_KEY",
)
DEFAULT_FRONTEND = Path(__file__).resolve().parent.parent / "frontend"
# Method and path prefix of every API route the SPA may reach through /api/.
DEFAULT_API_ROUTES = "GET /events, POST /events, DELETE /events/"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]"}


def env(name: str, *, default: Any = ..., **rules: Any) -> Any:
    """A field read from the environment variable `name` (or set by its field name in code)."""
    return Field(default, validation_alias=AliasChoices(name), **rules)


Required = Annotated[str, Field(min_length=1)]  # an empty value counts as missing
Pairs = Annotated[tuple[tuple[str, str], ...], NoDecode]  # parsed from text, not JSON
# Set while from_env reads a given mapping: then the mapping is the only source.
_MAPPING_ONLY: ContextVar[bool] = ContextVar("bff_config_mapping_only", default=False)
Hosts = Annotated[tuple[tuple[str, int], ...], NoDecode]


class Config(BaseSettings):
    """Everything the BFF needs to know; see the README's configuration table."""

    model_config = SettingsConfigDict(
        frozen=True, extra="ignore", env_file=".env", populate_by_name=True
    )

    oidc_issuer: Required = env("OIDC_ISSUER")
    client_id: Required = env("OIDC_CLIENT_ID")
    client_secret: Required = env("OIDC_CLIENT_SECRET")
    scope: Required = env("OIDC_SCOPE")
    bff_url: Required = env("BFF_URL")
    api_url: Required = env("API_URL")
    redis_url: str = env("REDIS_URL", default="")  # required unless REDIS_SENTINELS is set
    secret_key: Required = env("SECRET_KEY")
    api_routes: Pairs = env("BFF_API_ROUTES", default=parse_routes(DEFAULT_API_ROUTES))
    frontend_dir: Path = env("FRONTEND_DIR", default=DEFAULT_FRONTEND)
    session_idle_seconds: int = env("SESSION_IDLE_SECONDS", default=8 * 3600)
    session_absolute_seconds: int = env("SESSION_ABSOLUTE_SECONDS", default=24 * 3600)
    api_timeout_seconds: float = env("API_TIMEOUT_SECONDS", default=10.0)
    # Each call to the IdP (discovery, code exchange, refresh, revocation) gives up after this.
    idp_timeout_seconds: float = env("BFF_IDP_TIMEOUT_SECONDS", default=10.0, gt=0)
    # Redis Sentinel instead of one REDIS_URL: "host:port,host:port" and the master's name.
    redis_sentinels: Hosts = env("REDIS_SENTINELS", default=())
    redis_sentinel_master: str = env("REDIS_SENTINEL_MASTER", default="mymaster")
    # Replicas that must acknowledge a login's and a refresh's writes before the BFF answers,
    # so a failover loses no completed login (0 without Sentinel; 1 with it, by default).
    redis_wait_replicas: int = env("BFF_REDIS_WAIT_REPLICAS", default=-1)  # -1: that default
    redis_wait_ms: int = env("BFF_REDIS_WAIT_MS", default=500)
    refresh_margin_seconds: int = env("REFRESH_MARGIN_SECONDS", default=10)
    # The edge: what one anonymous browser or client address may cost (README, "Production").
    login_pending_seconds: int = env("BFF_LOGIN_PENDING_SECONDS", default=600)
    max_pending_logins: int = env("BFF_MAX_PENDING_LOGINS", default=5)
    max_body_bytes: int = env("BFF_MAX_BODY_BYTES", default=1024 * 1024)
    # A body must arrive within this many seconds, plus one per BFF_BODY_MIN_RATE bytes of it.
    body_timeout_seconds: float = env("BFF_BODY_TIMEOUT_SECONDS", default=20.0, gt=0)
    body_min_rate: int = env("BFF_BODY_MIN_RATE", default=16 * 1024, gt=0)  # bytes per second
    rate_limit_login: str = env("BFF_RATE_LIMIT_LOGIN", default="60/minute")
    rate_limit_callback: str = env("BFF_RATE_LIMIT_CALLBACK", default="60/minute")
    rate_limit_backchannel: str = env("BFF_RATE_LIMIT_BACKCHANNEL", default="120/minute")
    # Reverse proxies in front whose X-Forwarded-For is believed.
    trusted_proxies: int = env("BFF_TRUSTED_PROXIES", default=0)
    # Trainer mode (docs/trainer.md): records and explains every step; on only with exactly "1".
    trainer_mode: bool = env("TRAINER_MODE", default=False)
    # The service client trainer mode's "Run the reminder job once" uses (the demo's own).
    trainer_m2m_client_id: str = env("TRAINER_M2M_CLIENT_ID", default="reminder-job")
    trainer_m2m_client_secret: str = env("TRAINER_M2M_CLIENT_SECRET", default="reminder-job-secret")
    # OIDC_AUTH_PARAMS: extra authorization request parameters as a query string, e.g. Auth0's
    # "audience=https://api.example" (without it Auth0 issues no JWT for the API).
    auth_params: Pairs = env("OIDC_AUTH_PARAMS", default=())

    @field_validator("oidc_issuer", "bff_url", "api_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("trainer_mode", mode="before")
    @classmethod
    def _exactly_one(cls, value: Any) -> Any:
        return value == "1" if isinstance(value, str) else value

    @field_validator("api_routes", mode="before")
    @classmethod
    def _routes(cls, value: Any) -> Any:
        return parse_routes(value) if isinstance(value, str) else value

    @field_validator("redis_sentinels", mode="before")
    @classmethod
    def _sentinels(cls, value: Any) -> Any:
        return parse_hosts(value) if isinstance(value, str) else value

    @field_validator("auth_params", mode="before")
    @classmethod
    def _auth_params(cls, value: Any) -> Any:
        return parse_auth_params(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _checked(self) -> "Config":
        """Refuse plain http anywhere but on the developer's own machine, and unreadable limits."""
        if not self.redis_url and not self.redis_sentinels:
            raise ConfigError("missing required environment variable(s): REDIS_URL")
        if self.redis_wait_replicas < 0:  # frozen: set once, here, before anyone reads it
            object.__setattr__(self, "redis_wait_replicas", 1 if self.redis_sentinels else 0)
        for name, value in self.rate_limits.items():
            try:
                parse_limit(value) if value else None
            except ValueError:
                variable = "BFF_RATE_LIMIT_" + name.upper()
                raise ConfigError(f"{variable} must look like '60/minute': {value!r}") from None
        url = urlsplit(self.bff_url)
        if url.scheme not in ("http", "https") or url.path not in ("", "/"):
            raise ConfigError(f"BFF_URL must be an origin (https://app.example): {self.bff_url}")
        if url.scheme == "http":
            if url.hostname not in {h.strip("[]") for h in LOCAL_HOSTS}:
                raise ConfigError("BFF_URL must be https unless the host is localhost")
            logging.getLogger("bff").warning(
                "BFF_URL is plain http: the session cookie is not Secure. Local development only."
            )
        return self

    @property
    def redirect_uri(self) -> str:
        """The one redirect URI registered at the IdP."""
        return self.bff_url + "/bff/callback"

    @property
    def discovery_url(self) -> str:
        """Where the IdP's metadata lives (OpenID Connect Discovery 1.0 §4)."""
        return self.oidc_issuer + "/.well-known/openid-configuration"

    @property
    def secure_cookies(self) -> bool:
        """Cookies are Secure (and __Host- prefixed) whenever the BFF is served over https."""
        return urlsplit(self.bff_url).scheme == "https"

    @property
    def cookie_name(self) -> str:
        """Session cookie name; distinct from other services on the same host."""
        return "__Host-bff-session" if self.secure_cookies else "bff-session"

    @property
    def rate_limits(self) -> dict[str, str]:
        """Per client address, for the endpoints anyone may call; "" switches one off."""
        return {
            "login": self.rate_limit_login,
            "callback": self.rate_limit_callback,
            "backchannel": self.rate_limit_backchannel,
        }

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Config":
        """Read the settings (a given mapping is the only source), failing fast naming each."""
        try:
            if env is None:
                return cls()
            given = _MAPPING_ONLY.set(True)
            try:
                return cls.model_validate(dict(env))
            finally:
                _MAPPING_ONLY.reset(given)
        except ValidationError as exc:
            raise ConfigError(describe(exc)) from None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments, then the process environment, then `.env`; a given mapping alone."""
        if _MAPPING_ONLY.get():
            return (init_settings,)
        return (init_settings, env_settings, dotenv_settings)


def describe(exc: ValidationError) -> str:
    """One line per offending variable: which one, and what is wrong with it."""
    aliases = {
        name: str(field.validation_alias.choices[0])  # type: ignore[union-attr]
        for name, field in Config.model_fields.items()
    }
    missing, lines = [], []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        variable = aliases.get(field, field)
        if error["type"] == "missing" or (
            error["type"] == "string_too_short" and variable in REQUIRED
        ):
            missing.append(variable)
        else:
            lines.append(f"{variable}: {error['msg']}")
    if missing:
        lines.insert(0, "missing required environment variable(s): " + ", ".join(missing))
    return "\n".join(lines)
