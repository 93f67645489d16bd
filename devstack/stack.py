"""The whole system on one machine: IdP, API and BFF wired together, for the demo and the tests."""

import secrets
from dataclasses import dataclass
from pathlib import Path

import yaml

from .services import REPO_ROOT, Service

DEMO_IDP_CONFIG = REPO_ROOT / "idp-mock" / "demo-config.yaml"
DEMO_BFF_ORIGIN = "http://localhost:8000"


@dataclass(frozen=True)
class Ports:
    """Where each service listens. The BFF is reached as `localhost`, the others as 127.0.0.1,
    so the browser sees the IdP as another site, as it would in production."""

    bff: int = 8000
    api: int = 8001
    idp: int = 8002

    @property
    def bff_url(self) -> str:
        return f"http://localhost:{self.bff}"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api}"

    @property
    def idp_url(self) -> str:
        return f"http://127.0.0.1:{self.idp}"


def idp_config_for(ports: Ports, state_dir: Path) -> Path:
    """The demo IdP configuration, with the BFF's URLs moved to where this stack runs it."""
    if ports.bff_url == DEMO_BFF_ORIGIN:
        return DEMO_IDP_CONFIG
    text = DEMO_IDP_CONFIG.read_text().replace(DEMO_BFF_ORIGIN, ports.bff_url)
    path = state_dir / "idp-config.yaml"
    path.write_text(text)
    return path


def demo_users() -> list[tuple[str, str]]:
    """(username, password) of each demo user, read from the IdP's demo configuration."""
    users = yaml.safe_load(DEMO_IDP_CONFIG.read_text())["users"]
    return [(user["username"], user["password"]) for user in users]


def build_services(ports: Ports, redis_url: str, state_dir: Path, extra=None) -> list[Service]:
    """IdP, API and BFF configured exactly as the README documents, in start order."""
    extra = extra or {}
    idp_env = {
        "IDP_ISSUER": ports.idp_url,
        "IDP_CONFIG": str(idp_config_for(ports, state_dir)),
        "IDP_KEYS_DIR": str(state_dir / "idp-keys"),
        "REDIS_URL": redis_url,
    }
    api_env = {
        "OIDC_ISSUER": ports.idp_url,
        "API_AUDIENCE": "calendar-api",
        "API_DB_PATH": str(state_dir / "api.sqlite3"),
    }
    bff_env = {
        "OIDC_ISSUER": ports.idp_url,
        "OIDC_CLIENT_ID": "calendar-bff",
        "OIDC_CLIENT_SECRET": "calendar-bff-secret",
        "OIDC_SCOPE": "openid profile email offline_access calendar:read calendar:write",
        "BFF_URL": ports.bff_url,
        "API_URL": ports.api_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": secrets.token_urlsafe(32),
    }
    return [
        Service("idp", "idp_mock:create_app()", ports.idp, idp_env | extra.get("idp", {})),
        Service("api", "api:create_app()", ports.api, api_env | extra.get("api", {})),
        Service("bff", "bff:create_app()", ports.bff, bff_env | extra.get("bff", {})),
    ]
