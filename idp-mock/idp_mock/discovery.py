"""What the IdP publishes about itself: discovery metadata, signing keys, health."""

from __future__ import annotations

from flask import Blueprint, jsonify

from . import profiles
from .current import idp
from .grants import CLIENT_AUTH_METHODS, WITH_PUBLIC_CLIENTS

bp = Blueprint("discovery", __name__)

CLAIMS = [
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "sid",
    "at_hash",
    "name",
    "given_name",
    "family_name",
    "email",
    "email_verified",
]


@bp.get("/.well-known/openid-configuration")
def openid_configuration():
    """OpenID Connect Discovery 1.0 / RFC 8414 metadata: only what actually works."""
    server = idp()
    issuer = server.config.issuer
    document = profiles.discovery(
        server.config,
        {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/authorize",
            "token_endpoint": f"{issuer}/token",
            "jwks_uri": f"{issuer}/jwks",
            "userinfo_endpoint": f"{issuer}/userinfo",
            "revocation_endpoint": f"{issuer}/revoke",
            "revocation_endpoint_auth_methods_supported": WITH_PUBLIC_CLIENTS,
            "introspection_endpoint": f"{issuer}/introspect",
            "introspection_endpoint_auth_methods_supported": CLIENT_AUTH_METHODS,
            "end_session_endpoint": f"{issuer}/logout",
            "backchannel_logout_supported": True,
            "backchannel_logout_session_supported": True,
            "scopes_supported": list(server.registry.scopes),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": server.grant_types_supported(),
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": WITH_PUBLIC_CLIENTS,
            "id_token_signing_alg_values_supported": ["RS256"],
            "subject_types_supported": ["public"],
            "claims_supported": CLAIMS,
            "authorization_response_iss_parameter_supported": True,
        },
    )
    return jsonify(document)


@bp.get("/jwks")
def jwks():
    """The public keys that verify this IdP's tokens (RFC 7517)."""
    return jsonify(idp().keys.public_jwks())


@bp.get("/healthz")
def healthz():
    """Liveness for launchers and load balancers: Redis answers, a key exists."""
    server = idp()
    server.store.ping()
    server.keys.public_jwks()
    return jsonify({"status": "ok"})
