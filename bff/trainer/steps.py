"""Which builder explains which kind of step (hooks.py records them from the BFF's signals)."""

from . import session_steps, signin_steps

BUILDERS = {
    "authorization_request": signin_steps.authorization_request,
    "callback": signin_steps.callback,
    "token_request": signin_steps.token_request,
    "token_response": signin_steps.token_response,
    "refresh_request": session_steps.refresh_request,
    "refresh_response": session_steps.refresh_response,
    "api_call": session_steps.api_call,
    "logout": session_steps.logout,
    "backchannel_logout": session_steps.backchannel_logout,
}


def build(kind: str, data: dict) -> list[dict]:
    """Timeline events for one traced step; unknown kinds are shown as they came."""
    builder = BUILDERS.get(kind)
    if builder:
        return builder(data)
    title, explanation = data.pop("title", kind), data.pop("explanation", "")
    return [signin_steps.event(kind, title, explanation, data.pop("arrows", []), **data)]
