"""Access tokens and ID tokens shaped like each provider's, for the API's profile tests.

Each shape is taken from the provider's own documentation (the same pages api/token_profiles.py
cites); where a detail is not documented the comment says so and the shape follows the issue
report. `user`/`service` return (header, claim overrides) for FakeIssuer.mint; None removes an
RFC 9068 claim the provider does not send.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from .fake_issuer import AUDIENCE

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
OTHER_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"
RFC9068_ONLY = {"client_id": None, "jti": None, "scope": None}


@dataclass(frozen=True)
class Shape:
    """One provider's token shapes on a fake issuer at base URL `url`."""

    name: str
    issuer_path: str
    other_issuer_path: str  # another realm / tenant / authorization server of the same provider
    header: dict

    def issuer(self, url: str) -> str:
        return url + self.issuer_path

    def user(self, scope: str = "calendar:read calendar:write") -> dict:
        return USER[self.name](scope)

    def service(self, scope: str = "calendar:reminders") -> dict:
        return SERVICE[self.name](scope)

    def id_token(self) -> dict:
        """An ID token of the same provider for alice at the BFF (OIDC Core §2)."""
        return self.user() | {
            "aud": "calendar-bff",
            "nonce": secrets.token_hex(8),
            "at_hash": "cpqKfdQA5eH891Ff5oJr_Q",
        }


# Keycloak: typ JWT is not documented by Keycloak (issue report); azp + scope string, sid for
# a user session. https://www.keycloak.org/docs/latest/server_admin/#audience-support
KEYCLOAK = Shape("keycloak", "/realms/demo", "/realms/other", {"typ": "JWT"})
# Entra v2.0: https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference
ENTRA = Shape("entra", f"/{TENANT}/v2.0", f"/{OTHER_TENANT}/v2.0", {"typ": "JWT"})
# Auth0 default profile: https://auth0.com/docs/secure/tokens/access-tokens/access-token-profiles
# (typ JWT of the default profile not documented there: issue report).
AUTH0 = Shape("auth0", "/", "/other/", {"typ": "JWT"})
# Okta custom authorization server, header {alg, kid}:
# https://developer.okta.com/docs/reference/api/oidc/#access-token
OKTA = Shape("okta", "/oauth2/default", "/oauth2/other", {"typ": None})

SHAPES = {shape.name: shape for shape in (KEYCLOAK, ENTRA, AUTH0, OKTA)}

USER = {
    "keycloak": lambda scope: (
        RFC9068_ONLY
        | {"sub": "f3c1-alice", "azp": "calendar-bff", "scope": f"openid {scope}", "sid": "s1"}
    ),
    "entra": lambda scope: (
        RFC9068_ONLY
        | {"sub": "alice", "azp": "calendar-bff", "scp": scope, "ver": "2.0", "tid": TENANT}
        | {"oid": "0a1b", "uti": "u1"}
    ),
    "auth0": lambda scope: (
        RFC9068_ONLY
        | {"sub": "auth0|alice", "azp": "calendar-bff", "scope": f"openid {scope}"}
        | {"aud": [AUDIENCE, "https://example.auth0.com/userinfo"]}
    ),
    "okta": lambda scope: (
        {"client_id": None, "scope": None, "ver": 1}
        | {"sub": "00u-alice", "cid": "calendar-bff", "uid": "00u-alice", "scp": scope.split()}
    ),
}

SERVICE = {
    # Keycloak: "no user session is created" for a service account, so no sid.
    "keycloak": lambda scope: (
        RFC9068_ONLY | {"sub": "9c2e-service-account", "azp": "reminder-job", "scope": scope}
    ),
    # Entra app-only: roles "in place of user scopes", no scp.
    "entra": lambda scope: (
        RFC9068_ONLY
        | {"sub": "sp-oid", "oid": "sp-oid", "azp": "reminder-job", "roles": scope.split()}
        | {"ver": "2.0", "tid": TENANT}
    ),
    # Auth0 client credentials shape (gty, sub "<client>@clients"): not found in Auth0's docs.
    "auth0": lambda scope: (
        RFC9068_ONLY
        | {"sub": "reminder-job@clients", "azp": "reminder-job", "scope": scope}
        | {"gty": "client-credentials"}
    ),
    # Okta: uid "isn't included in the access token if there is no user bound to it".
    "okta": lambda scope: (
        {"client_id": None, "scope": None, "ver": 1}
        | {"sub": "reminder-job", "cid": "reminder-job", "scp": scope.split()}
    ),
}
