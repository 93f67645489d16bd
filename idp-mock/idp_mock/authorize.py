"""The authorization endpoint and its interaction pages: login and consent."""

from __future__ import annotations

import time

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749.errors import InvalidRequestError
from authlib.oidc.core.errors import ConsentRequiredError
from flask import make_response, redirect, request

from . import idp_session
from .current import idp
from .errors import PageBlueprint
from .idp_session import Principal
from .interaction import Pending
from .pages import (
    error_page,
    error_response,
    expired_page,
    interaction_page,
    login_page,
    no_store,
    other_browser_page,
)

bp = PageBlueprint("authorize", __name__)


bp.after_request(no_store)


@bp.get("/authorize")
def authorize():
    """Check client and redirect URI, then ask the user to sign in or to consent."""
    pending = Pending(list(request.args.items(multi=True)))
    client = idp().registry.clients.get(pending.get("client_id") or "")
    if client is None:
        return error_page("unknown_client", "This application is not registered here.")
    if not client.check_redirect_uri(pending.get("redirect_uri") or ""):
        return error_page(
            "invalid_redirect_uri", "The redirect URI is not registered for this application."
        )
    signed_in = idp_session.current(idp().store)
    return proceed(pending, signed_in[1] if signed_in else None)


@bp.post("/interaction/<request_id>/login")
def login(request_id: str):
    """Check username and password, start an IdP session, then go on to consent."""
    server = idp()
    pending = _pending(request_id)
    if pending is None:
        return expired_page()
    if not pending.belongs_to_this_browser():
        return other_browser_page()
    username = request.form.get("username", "")
    wait = server.throttle.wait_time(username, request.remote_addr)
    if wait:
        return _login_again(pending, username, wait)
    user = server.registry.users.get(username)
    if user is None or not user.check_password(request.form.get("password", "")):
        wait = server.throttle.failed(username, request.remote_addr)
        return _login_again(pending, username, wait, status=401)
    server.throttle.succeeded(username)
    if not pending.consume(server.store):  # a second post of the same form
        return expired_page()
    lifetime = server.registry.lifetimes.idp_session
    session_id, principal = idp_session.start(server.store, user.sub, lifetime)
    if pending.next:  # signing in to the IdP's own pages, not for a client
        response = redirect(pending.next, 303)
    else:
        response = make_response(proceed(pending, principal, fresh=True))
    idp_session.set_cookie(
        response, session_id, lifetime, server.config.issuer.startswith("https:")
    )
    return response


def _login_again(pending: Pending, username: str, wait: int, status: int = 429):
    """The login form again: after a wrong password (401) or while a wait runs (429)."""
    message = "Invalid username or password." if status == 401 else ""
    if wait:
        message += f" Too many failed sign-in attempts: wait {wait} seconds, then try again."
    response = make_response(login_page(pending, message.strip(), status, username))
    if wait:
        response.headers["Retry-After"] = str(wait)
    return response


@bp.post("/interaction/<request_id>/consent")
def consent(request_id: str):
    """Send the user's decision (Allow or Deny) back to the client."""
    server = idp()
    pending = _pending(request_id)
    signed_in = idp_session.current(server.store)
    if pending is None or signed_in is None or signed_in[1].sub != pending.sub:
        return expired_page()
    if not pending.belongs_to_this_browser():
        return other_browser_page()
    oauth_request = pending.oauth_request(server.config.issuer + "/authorize")
    try:
        grant = server.get_consent_grant(oauth_request, end_user=signed_in[1])
    except OAuth2Error as error:
        return error_response(error)
    if not pending.consume(server.store):  # the same form posted twice
        return expired_page()
    allowed = request.form.get("decision") == "allow"
    if allowed:
        server.consents.remember(pending.sub, grant.client.client_id, grant.request.scope)
    return server.with_iss(
        server.create_authorization_response(
            oauth_request, grant_user=signed_in[1] if allowed else None, grant=grant
        )
    )


def proceed(pending: Pending, principal: Principal | None, fresh: bool = False):
    """Apply prompt and max_age, then show the login or consent page, or issue the code."""
    server = idp()
    oauth_request = pending.oauth_request(server.config.issuer + "/authorize")
    try:
        if principal and not fresh and _must_sign_in_again(principal, pending):
            principal = None
        # Authlib answers prompt=none without a signed-in user with login_required.
        grant = server.get_consent_grant(oauth_request, end_user=principal)
        if principal is None:
            return interaction_page(pending, "login.html")
        if _must_ask_consent(grant, principal, pending):
            pending.sub = principal.sub
            scopes = [server.registry.scopes[s] for s in grant.request.scope.split()]
            user = server.registry.user_by_sub(principal.sub)
            return interaction_page(
                pending, "consent.html", client=grant.client, scopes=scopes, user=user
            )
    except OAuth2Error as error:
        return error_response(error)
    return server.with_iss(
        server.create_authorization_response(oauth_request, grant_user=principal, grant=grant)
    )


def _must_sign_in_again(principal: Principal, pending: Pending) -> bool:
    """prompt=login, or a sign-in older than max_age (OIDC Core §3.1.2.1)."""
    if "login" in (pending.get("prompt") or "").split():
        return True
    max_age = pending.get("max_age")
    if max_age is None:
        return False
    if not max_age.isdigit():
        raise InvalidRequestError(
            "max_age must be a non-negative integer",
            redirect_uri=pending.get("redirect_uri"),
            state=pending.get("state"),
        )
    return time.time() - principal.auth_time > int(max_age)


def _must_ask_consent(grant, principal: Principal, pending: Pending) -> bool:
    """Ask unless consent is remembered; prompt=consent always asks, prompt=none never."""
    prompts = (pending.get("prompt") or "").split()
    remembered = idp().consents.covers(principal.sub, grant.client.client_id, grant.request.scope)
    if remembered and "consent" not in prompts:
        return False
    if "none" in prompts:
        raise ConsentRequiredError(redirect_uri=grant.redirect_uri, state=pending.get("state"))
    return True


def _pending(request_id: str) -> Pending | None:
    return Pending.load(idp().store, request_id, request.form.get("csrf_token", ""))
