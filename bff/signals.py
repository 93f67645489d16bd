"""Named events of the production path, sent as blinker signals (the sender is the Flask app).

Nothing in the BFF listens to them; a plug-in (trainer mode, docs/trainer.md) may. With no
receiver connected a send costs one check, so the production path stays as fast without one.
"""

from typing import Any

from blinker import NamedSignal, Namespace
from flask import current_app

_events = Namespace()

# /bff/login built an authorization request: `flow` (url, state, nonce, code_verifier).
login_started = _events.signal("login-started")
# /bff/callback redeemed the code: `login_id` (the new session's id), `token` (the response).
code_redeemed = _events.signal("code-redeemed")
# A refresh succeeded: `login_id`, `refresh_token` (the one redeemed), `token` (the response).
tokens_refreshed = _events.signal("tokens-refreshed")
# The proxy got the API's answer: `method`, `path`, `upstream` (an upstream.Answer).
api_called = _events.signal("api-called")
# /bff/logout ended a login: `login_id`, `revoked` (a refresh token was), `end_session` (URL).
logged_out = _events.signal("logged-out")
# The IdP's back-channel logout ended a login: `login_id`, `claims` (of the logout token).
backchannel_logout = _events.signal("backchannel-logout")


def send(signal: NamedSignal, **data: Any) -> None:
    """Send `signal` from the current app; with no receiver connected, nothing else happens."""
    if signal.receivers:
        signal.send(current_app._get_current_object(), **data)  # type: ignore[attr-defined]
