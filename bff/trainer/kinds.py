"""Which builder explains which traced kind (see bff/trace.py for the kinds the BFF traces)."""

from . import events, session_events

BUILDERS = {
    "authorization_request": events.authorization_request,
    "callback": events.callback,
    "token_request": events.token_request,
    "token_response": events.token_response,
    "refresh_request": session_events.refresh_request,
    "refresh_response": session_events.refresh_response,
    "api_call": session_events.api_call,
    "logout": session_events.logout,
    "backchannel_logout": session_events.backchannel_logout,
}


def build(kind: str, data: dict) -> list[dict]:
    """Timeline events for one traced step; unknown kinds are shown as they came."""
    builder = BUILDERS.get(kind)
    if builder:
        return builder(data)
    title, explanation = data.pop("title", kind), data.pop("explanation", "")
    return [events.event(kind, title, explanation, data.pop("arrows", []), **data)]
