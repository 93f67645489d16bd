"""Helpers for the attack runners: signed-in context, HTTP answers, results on the timeline."""

import requests
from flask import session

from ..auth import current_login
from ..current import bff
from ..errors import json_error
from ..oidc import idp, metadata
from .explain import redact, verdict_checks
from .recorder import recorder
from .wire import recording_session

VERDICT_HEADER = "Trainer-Verdict"  # the API's verifier's record (api/trainer.py)


def signed_in() -> tuple[str, dict] | tuple[None, None]:
    """(trace id, login record) of this browser session, or (None, None) when signed out."""
    login = current_login()
    return (recorder().trace_id() or "", login.record) if login else (None, None)


def sign_in_first():
    """The answer to a trainer action that needs a signed-in session."""
    return json_error(401, "login_required", "Sign in first: trainer actions use your session.")


def answer_of(response: requests.Response) -> dict:
    """What a defence answered: status, OAuth error fields, challenge and API verdict."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    body = body if isinstance(body, dict) else {}
    return {
        "status": response.status_code,
        "error": body.get("error"),
        "error_description": body.get("error_description"),
        "www_authenticate": response.headers.get("WWW-Authenticate"),
        "verdict": response.headers.get(VERDICT_HEADER),
        "checks": verdict_checks(response.headers.get(VERDICT_HEADER)),  # as the page shows them
    }


def token_endpoint_post(data: dict) -> requests.Response:
    """POST to the IdP's token endpoint as the BFF (client_secret_basic), as Authlib would."""
    client = idp()
    return recording_session("BFF", "IdP").post(
        metadata()["token_endpoint"],
        data=data,
        auth=(client.client_id, client.client_secret),
        timeout=bff().config.idp_timeout_seconds,
    )


def api_get(path: str, token: str) -> requests.Response:
    """Present a token to the API, exactly as the BFF's proxy would."""
    return recording_session("BFF", "API").get(
        bff().config.api_url + path,
        headers={"Authorization": "Bearer " + token, "Accept": "application/json"},
        timeout=bff().config.api_timeout_seconds,
    )


def session_cookie() -> dict:
    """This browser's session cookie, to show that a valid cookie alone is not enough."""
    name = bff().config.cookie_name
    value = session.sid if hasattr(session, "sid") else None
    return {name: value} if value else {}


def result(
    trace_id: str,
    name: str,
    title: str,
    explanation: str,
    standard: str,
    answer: dict,
    stopped: bool,
    arrows: list,
    shown: dict | None = None,
    detail: dict | None = None,
) -> dict:
    """Record an attack's outcome on the timeline and return it for the page.

    `detail`: {"columns", "rows"} (what was changed, beside the original) and "stopped_by"
    ({"by", "check", "detail"}: the exact check that refused it).
    """
    outcome = {
        "attack": name,
        "title": title,
        "explanation": explanation,
        "standard": standard,
        "answer": answer,
        "stopped": stopped,
        "request": shown or {},
        "detail": detail or {},
    }
    checks = [
        {
            "name": "defence",
            "result": "ok" if stopped else "failed",
            "detail": f"{answer.get('status')} {answer.get('error') or ''}".strip(),
            "why": standard,
        }
    ] + verdict_checks(answer.get("verdict"))  # the API's reasons, check by check
    recorder().add(
        trace_id,
        {
            "kind": "attack",
            "title": "Attack: " + title,
            "explanation": explanation,
            "arrows": arrows,
            "lanes": sorted({lane for a in arrows for lane in a[:2]}),
            "checks": checks,
            "attack": redact(outcome, recorder().secrets),
        },
    )
    return redact(outcome, recorder().secrets)
