"""BFF configuration, read once from the environment at start-up."""

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from limits import parse as parse_limit

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


class ConfigError(RuntimeError):
    """A required setting is missing or unusable."""


def parse_hosts(text: str) -> tuple[tuple[str, int], ...]:
    """Parse "10.0.0.1:26379,10.0.0.2:26379" into (host, port) pairs."""
    hosts = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        host, _, port = item.rpartition(":")
        if not host or not port.isdigit():
            raise ConfigError(f"REDIS_SENTINELS entry {item!r} must look like host:port")
        hosts.append((host, int(port)))
    return tuple(hosts)


def parse_routes(text: str) -> tuple[tuple[str, str], ...]:
    """Parse "GET /events, DELETE /events/" into (method, path prefix) pairs."""
    routes = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        method, _, prefix = item.partition(" ")
        if not prefix.startswith("/"):
            raise ConfigError(f"BFF_API_ROUTES entry {item!r} must look like 'GET /events'")
        routes.append((method.upper(), prefix.strip()))
    return tuple(routes)


@dataclass(frozen=True)
class Config:
    """Everything the BFF needs to know; see the README's configuration table."""

    oidc_issuer: str
    client_id: str
    client_secret: str
    scope: str
    bff_url: str
    api_url: str
    redis_url: str
    secret_key: str
    api_routes: tuple[tuple[str, str], ...] = parse_routes(DEFAULT_API_ROUTES)
    frontend_dir: Path = DEFAULT_FRONTEND
    session_idle_seconds: int = 8 * 3600
    session_absolute_seconds: int = 24 * 3600
    api_timeout_seconds: float = 10.0
    # Redis Sentinel instead of one REDIS_URL: "host:port,host:port" and the master's name.
    redis_sentinels: tuple[tuple[str, int], ...] = ()
    redis_sentinel_master: str = "mymaster"
    # Replicas that must acknowledge a login's and a refresh's writes before the BFF answers,
    # so a failover loses no completed login (0 without Sentinel; 1 with it, by default).
    redis_wait_replicas: int = 0
    redis_wait_ms: int = 500
    refresh_margin_seconds: int = 10
    # The edge: what one anonymous browser or client address may cost (README, "Production").
    login_pending_seconds: int = 600
    max_pending_logins: int = 5
    max_body_bytes: int = 1024 * 1024
    rate_limit_login: str = "60/minute"
    rate_limit_callback: str = "60/minute"
    rate_limit_backchannel: str = "120/minute"
    trusted_proxies: int = 0  # reverse proxies in front whose X-Forwarded-For is believed
    # Trainer mode (docs/trainer.md): records and explains every step; off unless TRAINER_MODE=1.
    trainer_mode: bool = False
    trainer_m2m_client_id: str = "reminder-job"
    trainer_m2m_client_secret: str = "reminder-job-secret"  # noqa: S105 - the demo's own value
    # OIDC_AUTH_PARAMS: extra authorization request parameters as a query string, e.g. Auth0's
    # "audience=https://api.example" (without it Auth0 issues no JWT for the API).
    auth_params: tuple[tuple[str, str], ...] = ()

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
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "Config":
        """Read the environment, failing fast with the names of what is missing."""
        required = [n for n in REQUIRED if not (n == "REDIS_URL" and env.get("REDIS_SENTINELS"))]
        missing = [name for name in required if not env.get(name)]
        if missing:
            raise ConfigError("missing required environment variable(s): " + ", ".join(missing))
        return cls(
            oidc_issuer=env["OIDC_ISSUER"].rstrip("/"),
            client_id=env["OIDC_CLIENT_ID"],
            client_secret=env["OIDC_CLIENT_SECRET"],
            scope=env["OIDC_SCOPE"],
            bff_url=env["BFF_URL"].rstrip("/"),
            api_url=env["API_URL"].rstrip("/"),
            redis_url=env.get("REDIS_URL", ""),
            redis_sentinels=parse_hosts(env.get("REDIS_SENTINELS", "")),
            redis_sentinel_master=env.get("REDIS_SENTINEL_MASTER", "mymaster"),
            redis_wait_replicas=int(
                env.get("BFF_REDIS_WAIT_REPLICAS", 1 if env.get("REDIS_SENTINELS") else 0)
            ),
            redis_wait_ms=int(env.get("BFF_REDIS_WAIT_MS", 500)),
            secret_key=env["SECRET_KEY"],
            api_routes=parse_routes(env.get("BFF_API_ROUTES", DEFAULT_API_ROUTES)),
            frontend_dir=Path(env.get("FRONTEND_DIR", DEFAULT_FRONTEND)),
            session_idle_seconds=int(env.get("SESSION_IDLE_SECONDS", 8 * 3600)),
            session_absolute_seconds=int(env.get("SESSION_ABSOLUTE_SECONDS", 24 * 3600)),
            api_timeout_seconds=float(env.get("API_TIMEOUT_SECONDS", 10)),
            refresh_margin_seconds=int(env.get("REFRESH_MARGIN_SECONDS", 10)),
            login_pending_seconds=int(env.get("BFF_LOGIN_PENDING_SECONDS", 600)),
            max_pending_logins=int(env.get("BFF_MAX_PENDING_LOGINS", 5)),
            max_body_bytes=int(env.get("BFF_MAX_BODY_BYTES", 1024 * 1024)),
            rate_limit_login=env.get("BFF_RATE_LIMIT_LOGIN", "60/minute"),
            rate_limit_callback=env.get("BFF_RATE_LIMIT_CALLBACK", "60/minute"),
            rate_limit_backchannel=env.get("BFF_RATE_LIMIT_BACKCHANNEL", "120/minute"),
            trusted_proxies=int(env.get("BFF_TRUSTED_PROXIES", 0)),
            trainer_mode=env.get("TRAINER_MODE", "0") == "1",
            trainer_m2m_client_id=env.get("TRAINER_M2M_CLIENT_ID", "reminder-job"),
            trainer_m2m_client_secret=env.get("TRAINER_M2M_CLIENT_SECRET", "reminder-job-secret"),
            auth_params=parse_auth_params(env.get("OIDC_AUTH_PARAMS", "")),
        ).checked()

    def checked(self) -> "Config":
        """Refuse plain http anywhere but on the developer's own machine, and unreadable limits."""
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


# Parameters the BFF sets itself: configuring them would break the flow or its protections.
OWN_AUTH_PARAMS = {"response_type", "client_id", "redirect_uri", "scope", "state", "nonce"}
OWN_AUTH_PARAMS |= {"code_challenge", "code_challenge_method"}


def parse_auth_params(text: str) -> tuple[tuple[str, str], ...]:
    """Parse "audience=https://api.example&prompt=login" into (name, value) pairs."""
    try:
        pairs = parse_qsl(text.strip(), strict_parsing=True) if text.strip() else []
    except ValueError as exc:
        raise ConfigError(f"OIDC_AUTH_PARAMS must look like name=value&name=value: {exc}") from exc
    taken = sorted({name for name, _ in pairs} & OWN_AUTH_PARAMS)
    if taken:
        raise ConfigError(f"OIDC_AUTH_PARAMS cannot set {', '.join(taken)}: the BFF sets it")
    return tuple(pairs)
