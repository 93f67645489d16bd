"""The grants idp-mock supports, as short subclasses of Authlib's."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import InvalidGrantError, InvalidRequestError
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import AuthorizationCodeMixin

from .idp_session import Principal
from .redis_store import digest, new_id

CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
# Public clients (token_endpoint_auth_methods: [none]) send only client_id; PKCE protects them.
WITH_PUBLIC_CLIENTS = [*CLIENT_AUTH_METHODS, "none"]


@dataclass(frozen=True)
class AuthorizationCode(AuthorizationCodeMixin):
    """What a code stands for, kept in Redis until redeemed or expired."""

    client_id: str
    redirect_uri: str
    scope: str
    sub: str
    auth_time: int
    sid: str
    nonce: str | None
    code_challenge: str
    code_challenge_method: str
    family: str
    expires_at: int

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return None

    def get_amr(self):
        return None


class S256CodeChallenge(CodeChallenge):
    """PKCE with S256 for every client (RFC 9700 §2.1.1); Authlib alone allows plain or none."""

    DEFAULT_CODE_CHALLENGE_METHOD = "S256"
    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant, redirect_uri):
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send code_challenge (S256)")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("code_challenge_method must be S256")
        super().validate_code_challenge(grant, redirect_uri)

    def validate_code_verifier(self, grant, result):
        # RFC 7636 §4.6: every verifier failure, missing or malformed too, is invalid_grant.
        try:
            super().validate_code_verifier(grant, result)
        except InvalidRequestError as error:
            raise InvalidGrantError(error.description) from error


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    """Codes are single-use across all workers; a replay revokes what the code produced."""

    TOKEN_ENDPOINT_AUTH_METHODS = WITH_PUBLIC_CLIENTS

    def save_authorization_code(self, code, request):
        data, user = request.payload.data, request.user
        lifetime = self.server.registry.lifetimes.authorization_code
        record = AuthorizationCode(
            client_id=request.client.client_id,
            redirect_uri=request.payload.redirect_uri,
            scope=request.scope,
            sub=user.sub,
            auth_time=user.auth_time,
            sid=user.sid,
            nonce=data.get("nonce"),
            code_challenge=data["code_challenge"],
            code_challenge_method=data["code_challenge_method"],
            family=new_id(16),
            expires_at=int(time.time()) + lifetime,
        )
        store, keep = self.server.store, self.server.registry.lifetimes.refresh_token
        key, family = digest(code), {"family": record.family, "client_id": record.client_id}
        with store.batch() as batch:
            batch.put("code", key, asdict(record), lifetime)
            # Outlives the code, so a replay is recognised (and no race can hide it).
            batch.put("code-family", key, family, keep)

    def query_authorization_code(self, code, client):
        # Authlib has authenticated the client already. Check the code was issued to it before
        # using the code up: another client presenting a stolen code must not burn it.
        store, key = self.server.store, digest(code)
        record = store.get("code", key)
        if record is None:
            issued = store.get("code-family", key)
            if issued and issued.get("client_id") == client.client_id:
                # RFC 6749 §4.1.2: revoke the tokens issued from a replayed code.
                self.server.records.revoke_family(issued["family"])
            return None
        if record["client_id"] != client.client_id:
            return None
        if store.take("code", key) is None:  # atomic: one redemption across all workers
            self.server.records.revoke_family(record["family"])  # lost a race: a replay
            return None
        if record["expires_at"] <= time.time():
            return None
        return AuthorizationCode(**record)

    def delete_authorization_code(self, authorization_code):
        pass  # already taken out of Redis atomically in query_authorization_code

    def authenticate_user(self, authorization_code):
        code = authorization_code
        return Principal(sub=code.sub, auth_time=code.auth_time, sid=code.sid)

    def generate_token(
        self, user=None, scope=None, grant_type=None, expires_in=None, include_refresh_token=True
    ):
        # A refresh token only when the user granted offline_access (OIDC Core §11).
        offline = "offline_access" in (scope or "").split()
        return super().generate_token(
            user, scope, grant_type, expires_in, include_refresh_token and offline
        )


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    """Service tokens (RFC 6749 §4.4): sub is the client, aud the API, no refresh token."""

    TOKEN_ENDPOINT_AUTH_METHODS = CLIENT_AUTH_METHODS
