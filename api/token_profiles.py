"""Token validation profiles: what a JWT access token looks like at each identity provider.

``rfc9068`` (the default) is the strict RFC 9068 profile of api/jwt_tokens.py and is not described
here. Every other profile says, as data, which header ``typ`` it accepts, which claims must be
present, where the calling client, the scopes and the roles are read, which issuer URLs are
valid and how a service (client credentials) token is told from a user's token. Each shape
comes from the provider's own documentation, cited beside it.

Where a profile accepts ``typ: JWT`` (or none), an ID token of the same provider is also a
signed JWT with the right ``iss``; it is kept out by other means, checked for every profile:
``aud`` must name this API, the ID-token-only claims (``nonce``, ``at_hash``, ``c_hash``) are
refused, a token whose ``aud`` names its own client is refused (an ID token's audience is the
client it was issued to), and each profile requires claims only its access tokens carry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

# OpenID Connect Core 1.0 §2 and §3.3.2.11: claims of ID tokens, never of access tokens.
ID_TOKEN_ONLY_CLAIMS = ("nonce", "at_hash", "c_hash")


@dataclass(frozen=True)
class TokenProfile:
    """How one identity provider shapes its JWT access tokens."""

    name: str
    # Accepted header typ values, lower-cased; "" stands for a token without typ.
    header_types: frozenset[str]
    # Besides iss, aud, exp and iat (always required): claims every access token carries.
    required_claims: tuple[str, ...]
    # Claims naming the calling client, first present wins.
    client_claims: tuple[str, ...]
    # Claims carrying granted scopes or permissions: a space-separated string or an array.
    scope_claims: tuple[str, ...]
    # At least one of these must be present: claims only this provider's access tokens carry.
    access_token_markers: tuple[str, ...]
    # The issuer URL's path must match this (hosts differ per tenant and in tests).
    issuer_path: re.Pattern[str]
    issuer_hint: str
    is_service: Callable[[dict, str], bool]
    # Claim -> required value, e.g. Entra's token version.
    fixed_claims: dict[str, object] = field(default_factory=dict)

    def client_id(self, claims: dict) -> str | None:
        """The calling client's id, from the first client claim present."""
        for name in self.client_claims:
            value = claims.get(name)
            if isinstance(value, str) and value:
                return value
        return None

    def granted(self, claims: dict) -> list[str] | None:
        """Every granted scope, permission or role, or None when a claim is malformed."""
        values: list[str] = []
        for name in self.scope_claims:
            value = claims.get(name)
            if value is None:
                continue
            if isinstance(value, str):
                values.extend(value.split())
            elif isinstance(value, list) and all(isinstance(item, str) for item in value):
                values.extend(value)
            else:
                return None
        return values


def _sub_is_client(claims: dict, client_id: str) -> bool:
    return claims.get("sub") == client_id


# Keycloak. Endpoints and issuer: {base}/realms/{realm}
#   https://www.keycloak.org/docs/latest/securing_apps/#_oidc-available-endpoints
# Audience: a hardcoded "Audience" mapper puts the API in aud; the frontend client itself is
# not added to the access token's aud, which is how access and ID tokens differ:
#   https://www.keycloak.org/docs/latest/server_admin/#audience-support
# Scopes: client scopes with "Include in token scope" ON appear in the `scope` claim (same page).
# Client credentials: "no user session is created" for a service account token:
#   https://www.keycloak.org/docs/latest/server_admin/#_service_accounts
# Not found in Keycloak's documentation (so not relied on beyond what is said here): the header
# typ ("JWT" per this project's issue report; both JWT and at+jwt accepted), the `azp` claim
# naming the client and the absence of `sid` in service account tokens, used as the kind test.
KEYCLOAK = TokenProfile(
    name="keycloak",
    header_types=frozenset({"jwt", "at+jwt", "application/at+jwt"}),
    required_claims=("sub", "azp", "scope"),
    client_claims=("azp", "client_id"),
    scope_claims=("scope",),
    access_token_markers=("scope",),
    # The optional /auth prefix (older Keycloak servers) is not from the pages cited here.
    issuer_path=re.compile(r"(/auth)?/realms/[^/]+"),
    issuer_hint="https://<host>/realms/<realm>",
    is_service=lambda claims, client: "sid" not in claims,
)

# Microsoft Entra ID, v2.0 access tokens:
#   https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference
# Header typ is "always JWT"; aud is the API's client id; iss ends in /v2.0 and carries the
# tenant id; azp is the client; scp is a space-separated string, "only included for user
# tokens"; roles is an array that the client credentials flow uses "in place of user scopes";
# ver is "2.0"; uti (not jti) is the token id; tid and oid need the profile scope, so are
# not required.
ENTRA = TokenProfile(
    name="entra",
    header_types=frozenset({"jwt"}),
    required_claims=("sub", "azp", "ver"),
    client_claims=("azp",),
    scope_claims=("scp", "roles"),
    access_token_markers=("scp", "roles"),
    issuer_path=re.compile(r"/[0-9a-fA-F-]{36}/v2\.0"),
    issuer_hint="https://login.microsoftonline.com/<tenant-id>/v2.0",
    # App-only tokens carry roles and never scp (same page).
    is_service=lambda claims, client: "scp" not in claims,
    fixed_claims={"ver": "2.0"},
)

# Auth0, both access token profiles ("Auth0" default and "RFC 9068"):
#   https://auth0.com/docs/secure/tokens/access-tokens/access-token-profiles
# iss is "https://<domain>/" (trailing slash); aud lists the API (and /userinfo); the client is
# azp (Auth0 profile) or client_id (RFC 9068 profile); scope is a string; with RBAC the
# `permissions` claim is added (dialects access_token_authz / rfc9068_profile_authz).
# Not found in Auth0's documentation: the header typ of the default profile (the issue reports
# "JWT"; at+jwt is sent by the RFC 9068 profile) and the client credentials token shape; the
# kind test uses `gty: client-credentials` or sub "<client>@clients", both undocumented here.
AUTH0 = TokenProfile(
    name="auth0",
    header_types=frozenset({"jwt", "at+jwt", "application/at+jwt"}),
    required_claims=("sub",),
    client_claims=("client_id", "azp"),
    scope_claims=("scope", "permissions"),
    access_token_markers=("scope", "permissions"),
    issuer_path=re.compile(r"/"),
    issuer_hint="https://<tenant>.auth0.com/ (with the trailing slash)",
    is_service=lambda claims, client: (
        claims.get("gty") == "client-credentials" or claims.get("sub") == f"{client}@clients"
    ),
)

# Okta, custom authorization servers (the org server's tokens are not for your APIs):
#   https://developer.okta.com/docs/reference/api/oidc/#access-token
#   https://developer.okta.com/docs/guides/validate-access-tokens/
# Header is {alg, kid} (no typ); payload has ver, jti, iss https://<domain>/oauth2/<id>, aud,
# sub, cid (the client), uid ("isn't included ... if there is no user"), scp as an array.
OKTA = TokenProfile(
    name="okta",
    header_types=frozenset({"", "jwt", "at+jwt", "application/at+jwt"}),
    required_claims=("sub", "cid", "scp", "jti", "ver"),
    client_claims=("cid",),
    scope_claims=("scp",),
    access_token_markers=("cid",),
    issuer_path=re.compile(r"/oauth2/(?!v1$)[^/]+"),
    issuer_hint="https://<domain>/oauth2/<authorization-server-id>",
    is_service=lambda claims, client: "uid" not in claims,
)

PROFILES = {profile.name: profile for profile in (KEYCLOAK, ENTRA, AUTH0, OKTA)}
NAMES = ("rfc9068", *PROFILES)
