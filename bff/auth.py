"""Sign-in, callback, current user and sign-out: the BFF side of Authorization Code + PKCE."""

import time
from typing import NamedTuple

import requests
from authlib.common.urls import add_params_to_uri
from authlib.integrations.base_client import OAuthError
from flask import Blueprint, current_app, jsonify, redirect, request, session

from . import logs, signals
from .current import bff
from .errors import answers_json, answers_page, error_page, json_error
from .logins import handle
from .oidc import STATE_KEY, idp, metadata
from .rate_limits import limited
from .redis_sessions import browser_session
from .security import csrf_protected, safe_return_to
from .tokens import IdpUnavailable, revoke_refresh_token

bp = answers_page(Blueprint("auth", __name__, url_prefix="/bff"))  # but /bff/user: JSON


class SignedIn(NamedTuple):
    """A browser session's login: its id and its record (tokens, claims, expiry)."""

    login_id: str
    record: dict


def current_login() -> SignedIn | None:
    """The signed-in login of this browser session, if any (read with the session itself)."""
    browser = browser_session()
    login_id = browser.get("login_id")
    record = bff().logins.decode(browser.companion) if login_id == browser.sid else None
    if login_id and record is not None:
        return SignedIn(login_id, record)
    if login_id:  # ended elsewhere (sessions list, back-channel logout, refresh refused):
        browser.pop("login_id")  # forget it, so this session is not kept alive for nothing
    return None


def prune_pending_logins(making_room: bool = False) -> None:
    """Drop expired pending logins, and the oldest beyond the cap, from this browser session."""
    keep = bff().config.max_pending_logins - (1 if making_room else 0)
    pending = sorted(
        (value.get("exp", 0), key) for key, value in session.items() if key.startswith(STATE_KEY)
    )
    for position, (expires, key) in enumerate(pending):
        if expires < time.time() or position < len(pending) - keep:
            session.pop(key)


def login_required_error():
    """401 for JavaScript callers, with the URL that starts a login (never a 302 to the IdP)."""
    return json_error(401, "login_required", "No signed-in session.", login_url="/bff/login")


def idp_unreachable_page():
    """The IdP did not answer: say so; nothing about the session changes."""
    return error_page(502, "Sign-in failed", "The identity provider could not be reached.")


@bp.get("/login")
@limited("login")
def login():
    """Start a login: remember this flow under its own `state`, then go to the IdP."""
    redirect_uri = bff().config.redirect_uri
    client = idp()
    try:
        flow = client.create_authorization_url(redirect_uri)  # discovery happens here
    except requests.RequestException:
        logs.event("idp_unreachable", "fault", during="login")
        return idp_unreachable_page()
    # Keyed by `state` inside the session, so logins started in several tabs do not collide;
    # a few minutes each and a handful per browser, so hammering this URL stores little.
    prune_pending_logins(making_room=True)
    client.save_authorize_data(
        redirect_uri=redirect_uri, return_to=safe_return_to(request.args.get("returnTo")), **flow
    )
    signals.send(signals.login_started, flow=flow)
    return redirect(flow["url"])


@bp.get("/callback")
@limited("callback")
def callback():
    """Finish a login: check state and issuer, redeem the code, start a fresh session."""
    client = idp()
    prune_pending_logins()
    flow = client.framework.get_state_data(session, request.args.get("state", ""))
    if flow is None:
        return error_page(400, "Sign-in failed", "This sign-in attempt is unknown or expired.")
    if request.args.get("error"):
        client.framework.clear_state_data(session, request.args["state"])
        reason = request.args["error"]
        if request.args.get("error_description"):
            reason = f"{request.args['error_description']} ({reason})"
        return error_page(400, "Sign-in cancelled", f"The identity provider said: {reason}")
    try:
        issuer = metadata()["issuer"]
    except requests.RequestException:
        return idp_unreachable_page()
    # RFC 9207 mix-up defence: the response must come from the issuer we sent the user to.
    if metadata().get("authorization_response_iss_parameter_supported") and (
        request.args.get("iss") != issuer
    ):
        return error_page(400, "Sign-in failed", "The response came from an unexpected issuer.")
    try:
        token = client.authorize_access_token(leeway=60)
    except OAuthError as exc:
        logs.event("code_exchange_refused", "error", error=exc.error)
        return error_page(400, "Sign-in failed", "The identity provider refused the sign-in.")
    except requests.RequestException:
        logs.event("idp_unreachable", "fault", during="code_exchange")
        return idp_unreachable_page()
    if session.pop("login_id", None):
        bff().logins.delete(session.sid)  # a login over a login replaces it
    # Session fixation defence: the signed-in session never reuses the pre-login session id.
    current_app.session_interface.regenerate(session)
    device = request.headers.get("User-Agent", "")
    bff().logins.create(session.sid, token, token["userinfo"], device)
    session["login_id"] = session.sid
    signals.send(signals.code_redeemed, login_id=session.sid, token=token)
    return redirect(flow.get("return_to") or "/")


@bp.get("/user")
@answers_json
@csrf_protected
def user():
    """Who is signed in: display claims, session expiry and the logout URL, or 401 JSON."""
    signed_in = current_login()
    if signed_in is None:
        return login_required_error()
    login_id, record = signed_in
    return jsonify(
        claims=record["claims"],
        session={"created_at": record["created_at"], "expires_at": record["expires_at"]},
        # A top-level navigation, so no token ever reaches page JavaScript; the session's
        # public handle in the URL is what a cross-site page cannot know (CSRF defence).
        logout_url="/bff/logout?sid=" + handle(login_id),
    )


@bp.get("/logout")
def logout():
    """Revoke, end the session here, then send the browser to end the IdP session too."""
    signed_in = current_login()
    if signed_in is None:
        session.clear()
        return redirect("/")
    login_id, record = signed_in
    if request.args.get("sid") != handle(login_id):
        return error_page(400, "Sign-out refused", "This sign-out link is not for this session.")
    try:
        end_session = metadata().get("end_session_endpoint")
        revoke_refresh_token(record)
    except (requests.RequestException, IdpUnavailable):
        # Keep the session: the user can retry once the IdP is back, and is not half signed out.
        return error_page(
            502, "Sign-out failed", "The identity provider could not be reached; try again."
        )
    signals.send(
        signals.logged_out,
        login_id=login_id,
        revoked=bool(record.get("refresh_token")),
        end_session=end_session,
    )
    session.clear()
    bff().logins.delete(login_id)
    if not end_session:
        return redirect("/")
    # No `state`: nothing is resumed after logout, so there is nothing for it to protect.
    params = {
        "id_token_hint": record.get("id_token"),
        "client_id": bff().config.client_id,
        "post_logout_redirect_uri": bff().config.bff_url + "/",
    }
    return redirect(add_params_to_uri(end_session, [(k, v) for k, v in params.items() if v]))
