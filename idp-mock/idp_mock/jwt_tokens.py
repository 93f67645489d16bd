"""What the IdP issues: RFC 9068 access tokens and OpenID Connect ID tokens."""

from __future__ import annotations

import time

from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator
from authlib.oidc.core import OpenIDCode, UserInfo

from .keys import ALG, KeyRing
from .redis_store import new_id
from .registry import Registry


class AccessTokenGenerator(JWTBearerTokenGenerator):
    """JWT access tokens (RFC 9068) whose `aud` is the API named by the requested scopes."""

    def __init__(self, issuer: str, registry: Registry, keys: KeyRing):
        super().__init__(
            issuer,
            alg=ALG,
            refresh_token_generator=lambda **_: new_id(),
            expires_generator=lambda client, grant_type: registry.lifetimes.access_token,
        )
        self.registry = registry
        self.keys = keys

    def get_jwks(self):
        return self.keys.signing_keys()

    def get_audiences(self, client, user, scope):
        # Without an API scope the only resource is the IdP's own userinfo endpoint.
        audiences = self.registry.audiences(scope or "")
        if not audiences:
            return self.issuer
        return audiences[0] if len(audiences) == 1 else audiences

    def get_auth_time(self, user):
        return user.auth_time if user else None

    def get_extra_claims(self, client, grant_type, user, scope):
        claims = {"nbf": int(time.time())}
        if user:
            claims["sid"] = user.sid
        return claims


class IdToken(OpenIDCode):
    """OpenID Connect ID tokens for the code flow, signed with the current key."""

    def __init__(self, issuer: str, registry: Registry, keys: KeyRing):
        super().__init__(require_nonce=False)
        self.issuer = issuer
        self.registry = registry
        self.keys = keys

    def exists_nonce(self, nonce, request):
        # Nonce replay is the relying party's check (it compares with its own session).
        return False

    def resolve_client_private_key(self, client):
        return self.keys.signing_keys()

    def get_client_claims(self, client):
        now = int(time.time())
        return {
            "iss": self.issuer,
            "aud": client.client_id,
            "iat": now,
            "exp": now + self.registry.lifetimes.id_token,
        }

    def generate_user_info(self, user, scope):
        found = self.registry.user_by_sub(user.sub)
        claims = found.claims_for(scope) if found else {}
        return UserInfo(sub=user.sub, sid=user.sid, **claims)
