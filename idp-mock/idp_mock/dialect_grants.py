"""The grants and the access token generator of a provider dialect (idp_mock/profiles.py)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from authlib.oauth2.rfc6749.requests import OAuth2Payload
from joserfc import jws

from .grants import ClientCredentialsGrant
from .jwt_tokens import AccessTokenGenerator
from .keys import ALG, KeyRing
from .redis_store import digest
from .refresh import RefreshToken, RefreshTokenGrant
from .registry import Registry

if TYPE_CHECKING:
    from .profiles import Dialect


class DialectAccessTokenGenerator(AccessTokenGenerator):
    """idp-mock's access token, re-shaped and re-signed as the provider would issue it."""

    def __init__(self, dialect: Dialect, issuer: str, registry: Registry, keys: KeyRing):
        super().__init__(issuer, registry, keys)
        self.dialect = dialect

    def access_token_generator(self, client, grant_type, user, scope):
        token = super().access_token_generator(client, grant_type, user, scope)
        # Our own token, just signed: its content is read back, not trusted from outside.
        signed = jws.extract_compact(token.encode())
        claims = self.dialect.shape(json.loads(signed.payload), user is None)
        key = self.keys.signing_keys().keys[0]
        header = {"alg": ALG, "kid": key.kid}
        if self.dialect.access_typ:
            header["typ"] = self.dialect.access_typ
        # jws, not jwt.encode: joserfc's jwt.encode would add typ "JWT" to a typ-less header.
        payload = json.dumps(claims, separators=(",", ":")).encode()
        return jws.serialize_compact(header, payload, key, algorithms=[ALG])


class KeepOldRefreshTokenGrant(RefreshTokenGrant):
    """A new refresh token on every use; the old one stays valid until it expires."""

    def authenticate_refresh_token(self, refresh_token):
        server = self.server
        record = server.store.get("rt", digest(refresh_token))
        if record is None or record["client_id"] != self.request.client.client_id:
            return None
        if server.records.is_revoked(record["family"]):
            return None
        return RefreshToken(key=digest(refresh_token), **record_fields(record))

    def revoke_old_credential(self, refresh_token):
        pass  # kept, as the provider keeps it


def record_fields(record: dict) -> dict:
    names = ("client_id", "scope", "sub", "auth_time", "sid", "family")
    return {name: record[name] for name in names}


class DefaultScopeClientCredentialsGrant(ClientCredentialsGrant):
    """Entra ID's client credentials: scope is "the resource identifier (application ID URI) of
    the resource you want, affixed with the .default suffix", meaning every application
    permission granted for it:
      https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow
    The application ID URI of an API here is api://<audience> (Entra's default form).
    """

    def validate_requested_scope(self):
        # Runs once the client is authenticated, before Authlib checks the scope.
        scope = self.request.payload.scope or ""
        if scope.startswith("api://") and scope.endswith("/.default"):
            audience = scope.removeprefix("api://").removesuffix("/.default")
            registry = self.server.registry
            granted = [s for s in self.request.client.scopes if registry.audiences(s) == [audience]]
            self.request.payload = _WithScope(self.request.payload, " ".join(granted) or scope)
        return super().validate_requested_scope()


class _WithScope(OAuth2Payload):
    """A request payload with its scope replaced."""

    def __init__(self, payload: OAuth2Payload, scope: str) -> None:
        self._payload, self._scope = payload, scope

    @property
    def data(self):
        return {**self._payload.data.to_dict(), "scope": self._scope}

    @property
    def datalist(self):
        return self._payload.datalist
