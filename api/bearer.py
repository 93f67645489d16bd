"""Bearer token protection of routes, answering exactly as RFC 6750 §3 says."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from authlib.integrations.flask_oauth2 import ResourceProtector
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import MissingAuthorizationError
from authlib.oauth2.rfc6750 import InsufficientScopeError
from flask import abort, current_app, g, jsonify, request

from . import current
from .issuer import IssuerUnavailable
from .jwt_tokens import REALM
from .signals import token_verified
from .verification import Verification

# RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token
B64TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
FORM = "application/x-www-form-urlencoded"


class InvalidRequestError(OAuth2Error):
    """RFC 6750 §3.1 invalid_request: the request itself is malformed."""

    error = "invalid_request"
    status_code = 400


class BearerProtector(ResourceProtector):
    """Authlib's Flask ResourceProtector with RFC 6750's exact answers.

    Authlib answers a missing header with ``error="missing_authorization"`` (RFC 6750 says no
    error code), gives a 403 without ``WWW-Authenticate`` and ``scope``, and does not notice a
    token sent in the query string or the body; those parts are overridden here.
    """

    def parse_request_authorization(
        self, req: Any = None, record: Verification | None = None
    ) -> tuple[Any, str]:
        """The validator and token from the one Authorization header, or a precise error."""
        record = record or Verification()
        environ = request.environ
        # WSGI servers join repeated headers with commas, which the b64token check refuses.
        header = environ.get("HTTP_AUTHORIZATION")
        scheme, _, credentials = (header or "").partition(" ")
        outside = _token_outside_header(environ)
        if outside and scheme.lower() == "bearer":
            # RFC 6750 §3.1 invalid_request: "uses more than one method for including an
            # access token".
            record.failed("request", "a token in the query or body as well as in the header")
            raise InvalidRequestError("send the access token only in the Authorization header")
        if outside or scheme.lower() != "bearer":
            # RFC 6750 §3.1: a request that "attempted using an unsupported authentication
            # method" (the query string or form body of §2.2/§2.3, another scheme) lacks
            # authentication information: no error code, like a request without any.
            raise MissingAuthorizationError()
        if not B64TOKEN.fullmatch(credentials):
            record.failed("format", "the Authorization header is not 'Bearer <b64token>'")
            raise InvalidRequestError("the Authorization header must be 'Bearer <token>'")
        return self.get_token_validator("bearer"), credentials

    def raise_error_response(self, error: OAuth2Error, scope: str = "") -> None:
        """Abort with the OAuth-shaped JSON body and the RFC 6750 challenge."""
        if isinstance(error, MissingAuthorizationError):
            body = {"error_description": "send a Bearer access token in the Authorization header"}
            challenge = f'Bearer realm="{REALM}"'
        else:
            description = error.get_error_description() or error.description or ""
            body = {"error": error.error, "error_description": description}
            challenge = (
                f'Bearer realm="{REALM}", error="{error.error}", '
                f'error_description="{_quotable(description)}"'
            )
            if isinstance(error, InsufficientScopeError):
                challenge += f', scope="{scope}"'
        response = jsonify(body)
        response.status_code = error.status_code
        response.headers["WWW-Authenticate"] = challenge
        abort(response)

    def authorize(self, scope: str, kind: str) -> dict:
        """Validated claims of the caller's token for a route of this scope and caller kind.

        Every check made is recorded in a Verification, kept as ``g.verification`` and
        announced with the ``token_verified`` signal, whether the token passed or not.
        """
        record = g.verification = Verification()
        try:
            claims = self._authorize(scope, kind, record)
            record.decision = "accepted"
            return claims
        finally:
            if record.decision == "refused":
                validator = self.get_token_validator("bearer")
                record.skip_rest((*validator.plan, "caller", "scope"))
            # No token at all: nothing was verified. No subscriber: nothing to build.
            if record.checks and token_verified.receivers:
                app = current_app._get_current_object()  # type: ignore[attr-defined]
                token_verified.send(app, record=record)

    def _authorize(self, scope: str, kind: str, record: Verification) -> dict:
        try:
            # Not Authlib's acquire_token: its OAuth2Request computes the full request URL,
            # a third of the cost of a cached check, and nothing here needs it.
            validator, token_string = self.parse_request_authorization(record=record)
            token = validator.verify(token_string, record)
            # Kind before scope: a service token on a user route is refused for what it is.
            # A provider profile knows its service tokens; otherwise sub == client_id says it.
            _require_kind(getattr(validator, "is_service", is_service_token)(token), kind, record)
            try:
                validator.validate_token(token, [scope], request)
            except InsufficientScopeError:
                record.failed("scope", f"needs {scope}; has {token.get('scope') or '(none)'}")
                raise
            record.passed("scope", f"needs {scope}; has it")
        except OAuth2Error as error:
            self.raise_error_response(error, scope)
        except IssuerUnavailable:
            record.failed("issuer", "the issuer could not be reached: 503, try again")
            response = jsonify(
                error="temporarily_unavailable",
                error_description="the token issuer cannot be reached; try again shortly",
            )
            response.status_code = 503
            response.headers["Retry-After"] = "5"
            abort(response)
        return token


def _token_outside_header(environ: dict) -> bool:
    """RFC 6750 §2.2/§2.3 ways of sending a token, which this API does not support."""
    # Raw WSGI values first: this runs on every request and must cost next to nothing.
    if environ.get("QUERY_STRING") and "access_token" in request.args:
        return True
    # Only a form-encoded body can carry the token (§2.2); JSON bodies are never parsed here.
    content_type = environ.get("CONTENT_TYPE", "")
    return content_type.startswith(FORM) and "access_token" in request.form


def is_service_token(claims: dict) -> bool:
    """A client-credentials token has no end user: its subject is the client itself."""
    return claims.get("sub") == claims.get("client_id")


def _require_kind(service: bool, kind: str, record: Verification) -> None:
    caller = "a service (client credentials) token" if service else "a user's token"
    if kind == "user" and service:
        record.failed("caller", f"{caller} on a route for end users")
        _forbid("this route serves end users; a service (client credentials) token cannot call it")
    if kind == "service" and not service:
        record.failed("caller", f"{caller} on a route for back-end services")
        _forbid("this route serves back-end services; a user's token cannot call it")
    record.passed("caller", f"{caller}, as the route requires")


def _forbid(description: str) -> None:
    response = jsonify(error="access_denied", error_description=description)
    response.status_code = 403
    abort(response)


def require_token(scope: str, kind: str = "user") -> Callable:
    """Decorate a view: it runs only for a valid token of this kind carrying ``scope``."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            g.token = current.api().protector.authorize(scope, kind)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _quotable(text: str) -> str:
    # A quoted-string in a header cannot hold '"', '\\' or control characters.
    return "".join(c for c in text if c.isprintable() and c not in '"\\')
