"""Provider dialects (IDP_PROFILE): idp-mock speaking like Keycloak, Entra ID, Auth0 or Okta.

The default, ``standard``, is idp-mock's own strict RFC 9068 shape and changes nothing. A
dialect is data: the issuer URL, where each endpoint lives, what the discovery document leaves
out, and how an access token's header and claims look. Each shape comes from the provider's
own documentation, cited beside it; what could not be found there is said so.

Hooks into the rest of idp-mock: ``apply`` (issuer and endpoint paths, from create_app),
``discovery`` (from the discovery view), ``token_generator``, ``refresh_grant``,
``client_credentials_grant`` and ``backchannel`` (from the server); the grants and the token
generator they choose are in dialect_grants.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask

from .backchannel import BackChannel
from .config import Config
from .dialect_grants import (
    DefaultScopeClientCredentialsGrant,
    DialectAccessTokenGenerator,
    KeepOldRefreshTokenGrant,
)
from .grants import ClientCredentialsGrant
from .jwt_tokens import AccessTokenGenerator
from .keys import KeyRing
from .refresh import RefreshTokenGrant
from .registry import Registry

# idp-mock's own endpoints, by the discovery key that names them.
INTERNAL = {
    "discovery": "/.well-known/openid-configuration",
    "authorization_endpoint": "/authorize",
    "token_endpoint": "/token",
    "jwks_uri": "/jwks",
    "userinfo_endpoint": "/userinfo",
    "revocation_endpoint": "/revoke",
    "introspection_endpoint": "/introspect",
    "end_session_endpoint": "/logout",
}
# Scopes of OpenID Connect itself, not of an API (providers that list only API scopes drop them).
OIDC_SCOPES = {"openid", "profile", "email", "offline_access"}
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"  # any GUID: an Entra tenant id


@dataclass(frozen=True)
class Dialect:
    """How one provider lays out its endpoints and shapes its access tokens."""

    name: str
    issuer_path: str  # appended to IDP_ISSUER, the provider's host
    paths: dict[str, str]  # discovery key -> path under IDP_ISSUER; absent = left out
    access_typ: str | None  # header typ of access tokens; None = no typ
    shape: Callable[[dict, bool], dict] | None  # (RFC 9068 claims, is_service) -> claims
    # Discovery keys the provider does not publish, beyond left-out endpoints.
    unpublished: tuple[str, ...] = ()
    discovery_overrides: dict = field(default_factory=dict)

    def issuer(self, base: str) -> str:
        return base + self.issuer_path


def _keycloak(claims: dict, service: bool) -> dict:
    # azp names the client (not documented by Keycloak; see api/profiles.py); a service account
    # has no user session (documented), so no sid.
    return _rename(claims, client_id="azp")


def _entra(claims: dict, service: bool) -> dict:
    shaped = _rename(claims, client_id="azp", jti="uti")
    api_scopes = [s for s in shaped.pop("scope", "").split() if s not in OIDC_SCOPES]
    # scp: space-separated, "only included for user tokens"; roles for app-only tokens.
    shaped["roles" if service else "scp"] = api_scopes if service else " ".join(api_scopes)
    return shaped | {"ver": "2.0", "tid": TENANT, "oid": shaped["sub"]}


def _auth0(claims: dict, service: bool) -> dict:
    shaped = _rename(claims, client_id="azp")
    api_scopes = [s for s in shaped["scope"].split() if s not in OIDC_SCOPES]
    shaped["permissions"] = api_scopes  # RBAC with "Add Permissions in the Access Token"
    if service:
        # Not found in Auth0's documentation: the client credentials shape (gty, sub).
        shaped |= {"sub": f"{shaped['azp']}@clients", "gty": "client-credentials"}
    elif "openid" in shaped["scope"].split():
        audiences = shaped["aud"] if isinstance(shaped["aud"], list) else [shaped["aud"]]
        shaped["aud"] = [*audiences, shaped["iss"] + "userinfo"]
    return shaped


def _okta(claims: dict, service: bool) -> dict:
    shaped = _rename(claims, client_id="cid")
    shaped["scp"] = shaped.pop("scope", "").split()
    if not service:
        shaped["uid"] = shaped["sub"]  # "isn't included ... if there is no user bound to it"
    return shaped | {"ver": 1}


def _rename(claims: dict, **names: str) -> dict:
    shaped = dict(claims)
    for old, new in names.items():
        if old in shaped:
            shaped[new] = shaped.pop(old)
    return shaped


# Keycloak: every endpoint under /realms/{realm}/protocol/openid-connect:
#   https://www.keycloak.org/docs/latest/securing_apps/#_oidc-available-endpoints
# Header typ "JWT" is not documented by Keycloak (issue report).
_KC = "/realms/demo/protocol/openid-connect"
KEYCLOAK = Dialect(
    name="keycloak",
    issuer_path="/realms/demo",
    paths={
        "discovery": "/realms/demo/.well-known/openid-configuration",
        "authorization_endpoint": f"{_KC}/auth",
        "token_endpoint": f"{_KC}/token",
        "jwks_uri": f"{_KC}/certs",
        "userinfo_endpoint": f"{_KC}/userinfo",
        "revocation_endpoint": f"{_KC}/revoke",
        "introspection_endpoint": f"{_KC}/token/introspect",
        "end_session_endpoint": f"{_KC}/logout",
    },
    access_typ="JWT",
    shape=_keycloak,
)

# Entra ID v2.0: authority https://login.microsoftonline.com/{tenant}/v2.0, endpoints and the
# sample discovery document (token_endpoint_auth_methods_supported: client_secret_post and
# private_key_jwt; subject_types_supported: pairwise; userinfo on Microsoft Graph):
#   https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc
# Single sign-out is a front-channel GET to each app's LogoutUrl (same page): no back-channel.
# No revocation endpoint: the issue report; the documented sample document is truncated.
# Access tokens, typ "always JWT":
#   https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference
ENTRA = Dialect(
    name="entra",
    issuer_path=f"/{TENANT}/v2.0",
    paths={
        "discovery": f"/{TENANT}/v2.0/.well-known/openid-configuration",
        "authorization_endpoint": f"/{TENANT}/oauth2/v2.0/authorize",
        "token_endpoint": f"/{TENANT}/oauth2/v2.0/token",
        "jwks_uri": f"/{TENANT}/discovery/v2.0/keys",
        "userinfo_endpoint": "/oidc/userinfo",
        "end_session_endpoint": f"/{TENANT}/oauth2/v2.0/logout",
    },
    access_typ="JWT",
    shape=_entra,
    unpublished=(
        "backchannel_logout_supported",
        "backchannel_logout_session_supported",
        "revocation_endpoint_auth_methods_supported",
        "introspection_endpoint_auth_methods_supported",
    ),
    discovery_overrides={
        # idp-mock accepts client_secret_basic too; only what Entra publishes is listed.
        "token_endpoint_auth_methods_supported": ["client_secret_post"],
        "subject_types_supported": ["pairwise"],
    },
)

# Auth0: issuer https://{domain}/ with the trailing slash, and access token claims:
#   https://auth0.com/docs/secure/tokens/access-tokens/access-token-profiles
# Revocation at /oauth/revoke:
#   https://auth0.com/docs/secure/tokens/refresh-tokens/revoke-refresh-tokens
# RP-initiated logout at GET /oidc/logout, published in discovery only when "RP-Initiated
# Logout End Session Endpoint Discovery" is on (assumed on here):
#   https://auth0.com/docs/authenticate/login/logout/log-users-out-of-auth0
#   https://auth0.com/docs/api/authentication/logout/oidc-logout
# Token endpoint POST /oauth/token (client credentials with `audience`):
#   https://auth0.com/docs/tokens/get-access-tokens
# Not found in Auth0's documentation here: the /.well-known/jwks.json path (clients find it by
# discovery either way) and the default profile's header typ ("JWT", issue report).
AUTH0 = Dialect(
    name="auth0",
    issuer_path="/",
    paths={
        "discovery": "/.well-known/openid-configuration",
        "authorization_endpoint": "/authorize",
        "token_endpoint": "/oauth/token",
        "jwks_uri": "/.well-known/jwks.json",
        "userinfo_endpoint": "/userinfo",
        "revocation_endpoint": "/oauth/revoke",
        "introspection_endpoint": "/introspect",
        "end_session_endpoint": "/oidc/logout",
    },
    access_typ="JWT",
    shape=_auth0,
)

# Okta custom authorization server: ${baseUrl} = https://{domain}/oauth2/{authServerId}, with
# /v1/authorize, /v1/token, /v1/introspect, /v1/revoke, /v1/logout, /v1/keys, /v1/userinfo and
# the access token header {alg, kid} (no typ), cid, uid, scp array, ver 1:
#   https://developer.okta.com/docs/reference/api/oidc/
# The page lists no back-channel logout.
_OKTA = "/oauth2/default"
OKTA = Dialect(
    name="okta",
    issuer_path=_OKTA,
    paths={
        "discovery": f"{_OKTA}/.well-known/openid-configuration",
        "authorization_endpoint": f"{_OKTA}/v1/authorize",
        "token_endpoint": f"{_OKTA}/v1/token",
        "jwks_uri": f"{_OKTA}/v1/keys",
        "userinfo_endpoint": f"{_OKTA}/v1/userinfo",
        "revocation_endpoint": f"{_OKTA}/v1/revoke",
        "introspection_endpoint": f"{_OKTA}/v1/introspect",
        "end_session_endpoint": f"{_OKTA}/v1/logout",
    },
    access_typ=None,
    shape=_okta,
    unpublished=("backchannel_logout_supported", "backchannel_logout_session_supported"),
)

STANDARD = Dialect("standard", "", dict(INTERNAL), "at+jwt", None)
DIALECTS = {d.name: d for d in (STANDARD, KEYCLOAK, ENTRA, AUTH0, OKTA)}


def apply(app: Flask, config: Config) -> Config:
    """Serve the dialect's endpoint paths and return the config with its issuer."""
    dialect = DIALECTS[config.profile]
    if dialect is STANDARD:
        return config
    app.wsgi_app = _Paths(app.wsgi_app, dialect)  # type: ignore[method-assign]
    # Not validated again: IDP_ISSUER was checked when read, and Auth0's ends with "/" by design.
    return config.model_copy(update={"issuer": dialect.issuer(config.issuer)})


class _Paths:
    """WSGI middleware: the provider's paths reach idp-mock's views; left-out endpoints 404."""

    def __init__(self, wsgi_app, dialect: Dialect) -> None:
        self.wsgi_app = wsgi_app
        self.routes = {path: INTERNAL[key] for key, path in dialect.paths.items()}
        # An endpoint the provider does not have must not answer under idp-mock's own path.
        self.gone = {INTERNAL[key] for key in INTERNAL if key not in dialect.paths}

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path in self.routes:
            environ["PATH_INFO"] = self.routes[path]
        elif path in self.gone:
            environ["PATH_INFO"] = "/not-at-this-provider"
        return self.wsgi_app(environ, start_response)


def discovery(config: Config, document: dict) -> dict:
    """The discovery document as the provider publishes it."""
    dialect = DIALECTS[config.profile]
    if dialect is STANDARD:
        return document
    base = config.issuer.removesuffix(dialect.issuer_path)
    shaped = {k: v for k, v in document.items() if k not in dialect.unpublished}
    for key in INTERNAL:
        if key == "discovery":
            continue
        if key in dialect.paths:
            shaped[key] = base + dialect.paths[key]
        else:
            shaped.pop(key, None)
    return shaped | dialect.discovery_overrides


def token_generator(profile: str, issuer: str, registry: Registry, keys: KeyRing):
    """The access token generator of this dialect."""
    dialect = DIALECTS[profile]
    if dialect is STANDARD:
        return AccessTokenGenerator(issuer, registry, keys)
    return DialectAccessTokenGenerator(dialect, issuer, registry, keys)


def refresh_grant(profile: str) -> type[RefreshTokenGrant]:
    """The refresh token grant of this dialect: rotation everywhere, reuse detection or not.

    Keycloak with "Revoke Refresh Token" enabled revokes the used token and issues another:
      https://www.keycloak.org/docs/latest/server_admin/#_revoke-refresh-token
    Auth0 with refresh token rotation revokes the family on reuse:
      https://auth0.com/docs/secure/tokens/refresh-tokens/refresh-token-rotation
    Okta's "rotate token after every use": the README's provider settings; its reuse rules
    (grace period) were not found in Okta's documentation here, so idp-mock's strict rule is kept.
    Entra ID: "Refresh tokens replace themselves with a fresh token upon every use. The Microsoft
    identity platform doesn't revoke old refresh tokens when used to fetch new access tokens":
      https://learn.microsoft.com/en-us/entra/identity-platform/refresh-tokens
    """
    return KeepOldRefreshTokenGrant if profile == "entra" else RefreshTokenGrant


def client_credentials_grant(profile: str) -> type[ClientCredentialsGrant]:
    """The client credentials grant of this dialect."""
    return DefaultScopeClientCredentialsGrant if profile == "entra" else ClientCredentialsGrant


def backchannel(profile: str, channel: BackChannel) -> BackChannel:
    """The back-channel logout of this dialect: none where the provider has none.

    Entra ID signs other apps out by a front-channel GET to their LogoutUrl
    (https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc); Okta's
    endpoint list has no back-channel logout (https://developer.okta.com/docs/reference/api/oidc/).
    """
    if "backchannel_logout_supported" in DIALECTS[profile].unpublished:
        channel.notify = lambda client_ids, sub, sid: None  # type: ignore[method-assign]
    return channel
