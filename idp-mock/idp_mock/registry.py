"""Users, clients, scopes and lifetimes, loaded from the YAML configuration file."""

from __future__ import annotations

import hmac
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from authlib.oauth2.rfc6749 import ClientMixin

from .config import ConfigError
from .throttle import Throttling

ENV_REFERENCE = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}")


def expand_env(text: str, env: Mapping[str, str] = os.environ) -> str:
    """Replace ${NAME} and ${NAME:-default}, so one file serves the demo and docker compose."""

    def value(match: re.Match) -> str:
        name, default = match.groups()
        if name in env:
            return env[name]
        if default is None:
            raise ConfigError(f"IDP_CONFIG refers to ${{{name}}}, which is not set")
        return default

    return ENV_REFERENCE.sub(value, text)


SCOPE_CLAIMS = {
    "profile": ("name", "given_name", "family_name", "preferred_username", "picture", "locale"),
    "email": ("email", "email_verified"),
}


@dataclass(frozen=True)
class Lifetimes:
    """Lifetimes in seconds."""

    access_token: int = 300
    id_token: int = 300
    refresh_token: int = 28800
    authorization_code: int = 60
    idp_session: int = 28800
    # How long a rotated refresh token may still be redeemed once (0: never), for a client
    # whose refresh answer was lost (Okta's grace period, Auth0's reuse interval).
    refresh_token_reuse_grace: int = 0


@dataclass(frozen=True)
class Scope:
    name: str
    description: str
    audience: str | None = None


@dataclass(frozen=True)
class User:
    username: str
    password: str
    sub: str
    claims: dict = field(default_factory=dict)

    def check_password(self, password: str) -> bool:
        """Compare in constant time, so timing does not reveal the password."""
        return hmac.compare_digest(self.password.encode(), password.encode())

    def claims_for(self, scope: str) -> dict:
        """The identity claims the granted scopes release (OIDC Core §5.4)."""
        granted = scope.split()
        names = [n for s, group in SCOPE_CLAIMS.items() if s in granted for n in group]
        return {n: self.claims[n] for n in names if n in self.claims}


@dataclass(frozen=True)
class Client(ClientMixin):
    """A registered client, in the shape Authlib's grants expect."""

    client_id: str
    client_secret: str = ""  # empty for a public client
    client_name: str = ""
    token_endpoint_auth_methods: tuple[str, ...] = ("client_secret_basic",)
    grant_types: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    redirect_uris: tuple[str, ...] = ()
    post_logout_redirect_uris: tuple[str, ...] = ()
    backchannel_logout_uri: str | None = None

    @property
    def client_metadata(self) -> dict:
        # Authlib reads optional settings here (signed userinfo, post-logout redirects).
        return {"post_logout_redirect_uris": list(self.post_logout_redirect_uris)}

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        # OpenID Connect requires redirect_uri on every request: no default.
        return None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """All requested scopes must be allowed (None makes Authlib answer invalid_scope)."""
        if not scope:
            return " ".join(self.scopes)
        requested = scope.split()
        if not set(requested) <= set(self.scopes):
            return None
        return " ".join(dict.fromkeys(requested))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        if not self.client_secret:
            return False  # a public client has no secret to match
        return hmac.compare_digest(self.client_secret.encode(), client_secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in self.token_endpoint_auth_methods

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code" and "authorization_code" in self.grant_types

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.grant_types


@dataclass(frozen=True)
class Registry:
    """The whole configuration file, indexed for lookups."""

    lifetimes: Lifetimes
    scopes: dict[str, Scope]
    users: dict[str, User]
    clients: dict[str, Client]
    login_throttling: Throttling = field(default_factory=Throttling)

    @classmethod
    def load(cls, path: Path) -> Registry:
        """Read and check the YAML file; a broken file stops start-up with a clear message."""
        if not Path(path).is_file():
            raise ConfigError(f"IDP_CONFIG: no such file {path}")
        data = yaml.safe_load(expand_env(Path(path).read_text(encoding="utf-8"))) or {}
        scopes = {
            name: Scope(name, (spec or {}).get("description", name), (spec or {}).get("audience"))
            for name, spec in (data.get("scopes") or {}).items()
        }
        users = {u["username"]: User(**u) for u in data.get("users") or []}
        clients = {c["client_id"]: _client(c) for c in data.get("clients") or []}
        for client in clients.values():
            unknown = set(client.scopes) - set(scopes)
            if unknown:
                raise ValueError(f"{path}: client {client.client_id} uses unknown scopes {unknown}")
            if not client.client_secret and set(client.token_endpoint_auth_methods) - {"none"}:
                raise ValueError(f"{path}: client {client.client_id} needs a client_secret")
        throttling = Throttling.from_config(data.get("login_throttling"))
        return cls(Lifetimes(**(data.get("lifetimes") or {})), scopes, users, clients, throttling)

    def user_by_sub(self, sub: str) -> User | None:
        """Find a user by subject identifier."""
        return next((u for u in self.users.values() if u.sub == sub), None)

    def audiences(self, scope: str) -> list[str]:
        """The APIs named by the API scopes in a space-separated scope string."""
        found = (self.scopes[s].audience for s in scope.split() if s in self.scopes)
        return list(dict.fromkeys(a for a in found if a))


def _client(spec: dict) -> Client:
    lists = (
        "token_endpoint_auth_methods",
        "grant_types",
        "scopes",
        "redirect_uris",
        "post_logout_redirect_uris",
    )
    fields: dict[str, Any] = {k: tuple(v or ()) if k in lists else v for k, v in spec.items()}
    return Client(**fields)
