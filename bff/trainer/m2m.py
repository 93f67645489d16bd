"""The machine-to-machine lane: the reminder job's client-credentials flow, run once over HTTP.

It does what reminder_job does (discovery, token endpoint, service route) without importing it:
services talk to each other only over HTTP.
"""

from ..current import bff
from ..oidc import metadata
from .attack_kit import VERDICT_HEADER, answer_of
from .explain import REDACTED, param_rows, token_view, verdict_checks
from .recorder import recorder
from .signin_steps import event
from .wire import recording_session

SCOPE = "calendar:reminders"
ROUTE = "/reminders/upcoming?within_minutes=60"
# The job's own reasons: the general table explains the BFF's parameters, not a service's.
WHY = {
    "client_id": "Which registered application is asking: the reminder job, a service client "
    "of its own (not the BFF).",
    "client_secret": "The reminder job's password at the IdP (HTTP Basic); never shown.",
    "scope": "What the job asks for. No user and no consent page: the IdP grants only the "
    "scopes registered for this client.",
    "grant_type": "client_credentials: the job acts as itself, with no user (RFC 6749 §4.4).",
}


def run_reminder_job(trace_id: str) -> dict:
    """Discovery → client credentials token → GET /reminders/upcoming; record each step."""
    config = bff().config
    client_id, client_secret = config.trainer_m2m_client_id, config.trainer_m2m_client_secret
    discovery_url = metadata()["issuer"] + "/.well-known/openid-configuration"
    to_idp, to_api = recording_session("Job", "IdP"), recording_session("Job", "API")
    discovered = to_idp.get(discovery_url, timeout=config.idp_timeout_seconds).json()
    recorder().add(
        trace_id,
        event(
            "m2m_discovery",
            "Reminder job: discovery",
            "The job learns the token endpoint from the issuer, as every client here does.",
            [("Job", "IdP", "GET /.well-known/openid-configuration"), ("IdP", "Job", "metadata")],
            params=param_rows({"token_endpoint": discovered["token_endpoint"]}),
        ),
    )
    form = {"grant_type": "client_credentials", "scope": SCOPE}
    answer = to_idp.post(
        discovered["token_endpoint"],
        data=form,
        auth=(client_id, client_secret),
        timeout=config.idp_timeout_seconds,
    )
    token = answer.json() if answer.ok else {}
    recorder().add(
        trace_id,
        event(
            "m2m_token",
            f"Reminder job: client credentials token → {answer.status_code}",
            "No user and no refresh token (RFC 6749 §4.4): the job authenticates as itself; "
            "sub = client_id, aud = the API.",
            [("Job", "IdP", "POST /token client_credentials"), ("IdP", "Job", "access token")],
            params=param_rows(form | {"client_id": client_id, "client_secret": REDACTED}, WHY),
            tokens=[
                view
                for view in [
                    token_view(
                        "access_token",
                        token.get("access_token"),
                        "the API checks it: see the next step",
                    )
                ]
                if view
            ],
        ),
    )
    if not answer.ok:
        return {"token": answer_of(answer), "call": None}
    call = to_api.get(
        config.api_url + ROUTE,
        timeout=config.api_timeout_seconds,
        headers={"Authorization": "Bearer " + token["access_token"]},
    )
    reminders = call.json().get("reminders", []) if call.ok else []
    recorder().add(
        trace_id,
        event(
            "m2m_call",
            f"Reminder job: GET /reminders/upcoming → {call.status_code}",
            f"A service-only route: user tokens are refused here. {len(reminders)} reminder(s).",
            [
                ("Job", "API", "GET /reminders/upcoming + token"),
                ("API", "Job", str(call.status_code)),
            ],
            checks=verdict_checks(call.headers.get(VERDICT_HEADER)),
        ),
    )
    return {
        "token": {"status": answer.status_code, "scope": token.get("scope")},
        "call": answer_of(call) | {"reminders": len(reminders)},
    }
