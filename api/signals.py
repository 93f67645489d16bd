"""Named events of the API that optional features may subscribe to (blinker, as Flask uses)."""

from blinker import Namespace

_signals = Namespace()

# Sent by the bearer protector once per protected request, with ``record=`` the Verification
# (api/verification.py) of the checks made and the decision; sender is the Flask app.
token_verified = _signals.signal("token-verified")
