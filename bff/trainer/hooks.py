"""How trainer mode attaches to the BFF: receivers of its signals and the plug-in's own hooks.

The BFF sends signals (bff/signals.py) and knows nothing of the trainer. Pauses and the armed
wrong-verifier attack are request hooks on the BFF's own endpoints, added here.
"""

from collections.abc import Callable

import requests
from blinker import NamedSignal
from flask import Flask, Response, g, request, request_finished, session
from markupsafe import Markup

from .. import signals
from ..oidc import idp, metadata
from .attacks import wrong_verifier_at_callback
from .pause import pause_page
from .recorder import recorder
from .wire import RecordingClient, hook

VERDICT_HEADER = "Trainer-Verdict"  # the API's trainer plug-in: its verifier's record
CONTINUE = "trainer_continue"  # on the callback URL: the pause page's Next was clicked


def on_login_started(app: Flask, flow: dict, **_) -> None:
    recorder().record(
        "authorization_request", {"url": flow["url"], "code_verifier": flow.get("code_verifier")}
    )


def on_code_redeemed(app: Flask, login_id: str, token: dict, **_) -> None:
    trace_id = recorder().trace_id()
    if trace_id:  # so the IdP's back-channel logout finds this browser's timeline later
        recorder().store.link_login(login_id, trace_id)
    recorder().record("token_response", {"token": token}, trace_id)


def on_tokens_refreshed(app: Flask, refresh_token: str, token: dict, **_) -> None:
    recorder().record("refresh_request", {"refresh_token": refresh_token})
    recorder().record("refresh_response", {"token": token})


def on_api_called(app: Flask, method: str, path: str, upstream, **_) -> None:
    verdict = upstream.headers.get(VERDICT_HEADER)
    data = {"method": method, "path": path, "status": upstream.status, "verdict": verdict}
    recorder().record("api_call", data)


def on_logged_out(app: Flask, revoked: bool, end_session: str | None, **_) -> None:
    recorder().record("logout", {"revoked": revoked, "end_session": end_session})


def on_backchannel_logout(app: Flask, login_id: str, claims: dict, **_) -> None:
    trace_id = recorder().store.trace_of_login(login_id)
    if trace_id:  # the IdP's call carries no browser session: the login names the timeline
        recorder().record("backchannel_logout", {"claims": claims}, trace_id)


def before_callback() -> Response | None:
    """At the callback: record it; then the armed attack, or the pause page, or go on."""
    if request.endpoint != "auth.callback" or request.args.get(CONTINUE):
        return None
    state = request.args.get("state", "")
    flow = idp().framework.get_state_data(session, state) if state else None
    if flow is None or request.args.get("error"):
        return None  # the BFF answers these itself
    try:
        issuer = metadata()["issuer"]
    except requests.RequestException:
        return None
    trace_id = recorder().trace_id() or ""
    recorder().record(
        "callback",
        {
            "params": request.args.to_dict(),
            "expected_state": state,
            "expected_iss": issuer,
            "code_verifier": flow.get("code_verifier"),
        },
        trace_id,
    )
    if recorder().store.take(trace_id, "wrong_verifier"):  # armed by the attack button
        return wrong_verifier_at_callback(recorder(), trace_id, flow)
    if recorder().step_mode():
        return pause_page(
            recorder().store, trace_id, "token_exchange", f"{request.full_path}&{CONTINUE}=1"
        )
    return None


def after_login(response: Response) -> Response:
    """In step-by-step mode, the redirect to the IdP becomes a page whose Next follows it."""
    if request.endpoint == "auth.login" and response.status_code == 302 and recorder().step_mode():
        trace_id = session["trace_id"]
        return pause_page(
            recorder().store, trace_id, "redirect_to_idp", response.headers["Location"]
        )
    return response


def keep_timeline_after_logout(response: Response) -> Response:
    """Logout clears the session; the class still wants to see the logout on the timeline."""
    trace_id = g.get("trainer_trace_id")
    if request.endpoint == "auth.logout" and trace_id and "trace_id" not in session:
        session["trace_id"] = trace_id
    return response


RECEIVERS: dict[NamedSignal, Callable[..., None]] = {
    signals.login_started: on_login_started,
    signals.code_redeemed: on_code_redeemed,
    signals.tokens_refreshed: on_tokens_refreshed,
    signals.api_called: on_api_called,
    signals.logged_out: on_logged_out,
    signals.backchannel_logout: on_backchannel_logout,
}


def connect(app: Flask) -> None:
    """Subscribe to this app's signals, add the hooks, and record the raw HTTP."""
    for signal, receiver in RECEIVERS.items():
        signal.connect(receiver, sender=app, weak=False)
    app.before_request(before_callback)
    app.after_request(after_login)
    app.after_request(keep_timeline_after_logout)
    record_the_wire(app)
    show_banner(app)


def record_the_wire(app: Flask) -> None:
    """Raw HTTP per step: the BFF's calls to the IdP and the API, and the browser's to the BFF."""
    state = app.extensions["bff"]
    state.api = RecordingClient(state.api)
    client = app.extensions["authlib.integrations.flask_client"].idp
    tag = client.compliance_fix

    def tag_and_record(http_session) -> None:
        # Authlib calls this on each session it opens to the IdP: a response hook sees every call.
        if tag:
            tag(http_session)
        http_session.hooks["response"].append(hook("BFF", "IdP"))

    client.compliance_fix = tag_and_record

    def attach_the_request(sender: Flask, response, **extra) -> None:
        # After every after_request hook and the session's Set-Cookie: the answer as it left.
        recorder().request_done(response)

    request_finished.connect(attach_the_request, app, weak=False)


def show_banner(app: Flask) -> None:
    """The BFF's error pages carry the trainer banner too (error.html's page_head/page_banner)."""
    # Rendered once, without the app's context processors (this is one of them).
    banner = Markup(app.jinja_env.get_template("trainer_banner.html").render())  # noqa: S704 - our own template, autoescaped
    head = Markup('<link rel="stylesheet" href="/trainer.css">')
    app.context_processor(lambda: {"page_head": head, "page_banner": banner})
