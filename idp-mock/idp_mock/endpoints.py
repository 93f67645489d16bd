"""UserInfo, revocation (RFC 7009) and introspection (RFC 7662), on Authlib's endpoints."""

from __future__ import annotations

import json

from authlib.integrations.flask_oauth2 import ResourceProtector
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7662 import IntrospectionEndpoint
from authlib.oidc.core import UserInfo, UserInfoEndpoint
from flask import Blueprint, Response

from .current import idp
from .grants import CLIENT_AUTH_METHODS, WITH_PUBLIC_CLIENTS
from .logout import EndSession
from .token_lookup import find_token

bp = Blueprint("endpoints", __name__)

REALM = "idp-mock"
NO_CREDENTIALS = ("missing_authorization", "unsupported_token_type")


class Revocation(RevocationEndpoint):
    CLIENT_AUTH_METHODS = WITH_PUBLIC_CLIENTS  # RFC 7009 §2.1: public clients may revoke

    def query_token(self, token_string, token_type_hint):
        return find_token(self.server, token_string, token_type_hint)

    def revoke_token(self, token, request):
        # RFC 7009 §2.1: revoking a refresh token also revokes the grant's access tokens.
        if token.is_refresh:
            self.server.records.revoke_family(token.record["family"])
        else:
            self.server.store.delete("at", token.key)


class Introspection(IntrospectionEndpoint):
    CLIENT_AUTH_METHODS = CLIENT_AUTH_METHODS

    def query_token(self, token_string, token_type_hint):
        return find_token(self.server, token_string, token_type_hint)

    def check_permission(self, token, client, request):
        # Who may see a token (anyone else gets {"active": false}, RFC 7662 §2.2): the client
        # it was issued to, and for an access token also the APIs named in its audience.
        # A refresh token is for its client only: an API never receives one.
        if token.check_client(client):
            return True
        return not token.is_refresh and client.client_id in token.audiences()

    def introspect_token(self, token):
        record = token.record
        payload = {
            "active": True,
            "scope": token.scope,
            "client_id": token.client_id,
            "sub": record["sub"],
            "exp": record["exp"],
            "iss": self.server.config.issuer,
            "token_type": "refresh_token" if token.is_refresh else "Bearer",
        }
        audiences = token.audiences()
        if audiences:
            payload["aud"] = audiences[0] if len(audiences) == 1 else audiences
        return payload


class TokenRecordValidator(BearerTokenValidator):
    """Userinfo accepts any live access token of this IdP that carries `openid`."""

    def __init__(self, server):
        super().__init__(realm=REALM)
        self.server = server

    def authenticate_token(self, token_string):
        token = find_token(self.server, token_string, "access_token")
        return token if token and not token.is_refresh else None


class UserInfoView(UserInfoEndpoint):
    def get_issuer(self):
        return self.server.config.issuer

    def generate_user_info(self, user, scope):
        found = self.server.registry.user_by_sub(user.sub) if user else None
        claims = found.claims_for(scope) if found else {}
        return UserInfo(sub=user.sub if user else None, **claims)


def register(server) -> None:
    """Attach the endpoints to one server instance."""
    protector = ResourceProtector()
    protector.register_token_validator(TokenRecordValidator(server))
    server.register_endpoint(UserInfoView(server, resource_protector=protector))
    server.register_endpoint(Revocation)
    server.register_endpoint(Introspection)
    server.register_endpoint(EndSession)


@bp.route("/userinfo", methods=["GET", "POST"])
def userinfo():
    """OIDC UserInfo: the signed-in user's claims for a bearer access token."""
    return _rfc6750_challenge(idp().create_endpoint_response("userinfo"))


def _rfc6750_challenge(response: Response) -> Response:
    # Authlib answers a missing token with `bearer error="missing_authorization"`;
    # RFC 6750 §3.1 wants a plain `Bearer realm=...` challenge without an error code.
    challenge = response.headers.get("WWW-Authenticate", "")
    if any(f'error="{code}"' in challenge for code in NO_CREDENTIALS):
        response.headers["WWW-Authenticate"] = f'Bearer realm="{REALM}"'
        response.set_data(json.dumps({"error_description": "a bearer access token is required"}))
    elif challenge.lower().startswith("bearer "):
        response.headers["WWW-Authenticate"] = "Bearer " + challenge[len("bearer ") :]
    return response


@bp.post("/revoke")
def revoke():
    """RFC 7009 token revocation, for the client the token was issued to."""
    return idp().create_endpoint_response("revocation")


@bp.post("/introspect")
def introspect():
    """RFC 7662 token introspection, for authenticated clients only."""
    return idp().create_endpoint_response("introspection")
