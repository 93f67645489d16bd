"""The BFF's connections to the IdP, kept alive across the sessions Authlib opens and closes.

Authlib opens a requests session for each call (each code exchange, refresh, revocation) and
closes it after, so without a shared adapter every login paid a new connection: DNS, TCP and,
against a real IdP, a TLS handshake.
"""

from http.client import RemoteDisconnected

from requests.adapters import HTTPAdapter
from requests.exceptions import ConnectionError as RequestsConnectionError
from urllib3.exceptions import ProtocolError

from . import logs


class KeptAlive(HTTPAdapter):
    """One pool of connections to the IdP, shared by every session Authlib opens."""

    def send(self, request, *args, **kwargs):
        """Send; once more on a new connection if a kept-alive one was closed under the call."""
        try:
            return super().send(request, *args, **kwargs)
        except RequestsConnectionError as exc:
            if not closed_without_answer(exc):
                raise
            # The IdP (or a load balancer) closed an idle connection as this call went out,
            # and answered nothing. Sending again is safe even for the code exchange: had the
            # IdP taken the code, it refuses it the second time and the login fails as it would
            # have; a refresh token sent twice is the retry an IdP's reuse grace allows.
            return super().send(request, *args, **kwargs)

    def close(self) -> None:
        """Authlib closes its session after each call; the pooled connections stay open."""


def closed_without_answer(exc: RequestsConnectionError) -> bool:
    """Did the connection end before a byte of the answer came back?"""
    reason = exc.args[0] if exc.args else None
    if not isinstance(reason, ProtocolError) or len(reason.args) < 2:
        return False
    return isinstance(reason.args[1], RemoteDisconnected | ConnectionResetError | BrokenPipeError)


def connected_through(adapter: HTTPAdapter):
    """Authlib's hook for each session it opens: shared connections, and the request id."""

    def prepare(session) -> None:
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        logs.tag_session(session)  # the BFF's calls to the IdP carry the request id

    return prepare
