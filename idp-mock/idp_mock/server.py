"""Authlib's authorization server, wired to this app's registry, keys and Redis."""

from __future__ import annotations

from authlib.common.urls import add_params_to_uri
from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import OAuth2Request
from authlib.oauth2.rfc6749.errors import InvalidClientError, InvalidRequestError
from authlib.oauth2.rfc6749.util import extract_basic_authorization
from flask import Flask, Response

from . import endpoints, profiles
from .backchannel import BackChannel
from .config import Config
from .consents import Consents
from .grants import AuthorizationCodeGrant, S256CodeChallenge
from .jwt_tokens import IdToken
from .keys import KeyRing
from .redis_store import Store
from .registry import Registry
from .throttle import LoginThrottle
from .token_records import TokenRecords


class IdpServer(AuthorizationServer):
    """One server per app, never a module global: two apps in one process stay apart."""

    def __init__(self, app: Flask, config: Config, registry: Registry, keys: KeyRing, store: Store):
        self.config = config
        self.registry = registry
        self.keys = keys
        self.store = store
        self.records = TokenRecords(store, registry)
        self.consents = Consents(store)
        self.throttle = LoginThrottle(store, registry.login_throttling)
        self.backchannel = profiles.backchannel(
            config.profile, BackChannel(config.issuer, registry, keys)
        )
        super().__init__(app, query_client=registry.clients.get, save_token=self.records.save)
        self.scopes_supported = list(registry.scopes)
        self.register_token_generator(
            "default", profiles.token_generator(config.profile, config.issuer, registry, keys)
        )
        id_token = IdToken(config.issuer, registry, keys)
        self.register_grant(AuthorizationCodeGrant, [S256CodeChallenge(), id_token])
        self.register_grant(profiles.refresh_grant(config.profile))
        self.register_grant(profiles.client_credentials_grant(config.profile))
        endpoints.register(self)

    def grant_types_supported(self) -> list[str]:
        """The grant types registered on this server, for discovery."""
        return [grant.GRANT_TYPE for grant, _ in self._token_grants]

    def authenticate_client(self, request, methods, endpoint="token"):
        """One client authentication method per request (RFC 6749 §2.3)."""
        basic_id = _basic_client_id(request)
        form = request.form or {}
        if basic_id is not None and form.get("client_secret"):
            raise InvalidRequestError("use one client authentication method, not several")
        if basic_id and form.get("client_id") and form.get("client_id") != basic_id:
            raise InvalidRequestError("client_id does not match the authenticated client")
        return super().authenticate_client(request, methods, endpoint)

    def create_oauth2_request(self, request):
        # The consent step replays a stored authorization request, not the Flask request.
        if isinstance(request, OAuth2Request):
            return request
        return super().create_oauth2_request(request)

    def handle_error_response(self, request, error):
        # RFC 6749 §5.2: a failed client authentication is always 401 + WWW-Authenticate.
        if isinstance(error, InvalidClientError):
            error.status_code = 401
        return super().handle_error_response(request, error)

    def with_iss(self, response: Response) -> Response:
        """Add `iss` to an authorization response redirect (RFC 9207 mix-up defence)."""
        if response.status_code == 302 and response.location:
            response.location = add_params_to_uri(response.location, [("iss", self.config.issuer)])
        return response


def _basic_client_id(request) -> str | None:
    if not request.headers.get("Authorization", "").lower().startswith("basic "):
        return None
    client_id, _ = extract_basic_authorization(request.headers)
    return client_id or ""
