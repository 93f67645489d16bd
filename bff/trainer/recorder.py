"""A browser session's timeline: each step explained, secrets redacted, raw HTTP attached."""

import secrets
from urllib.parse import parse_qsl, quote_plus, urlsplit

from flask import Response, current_app, g, has_request_context, request, session

from ..config import Config
from ..current import bff
from . import wire
from .explain import redact
from .steps import build
from .timeline_store import TimelineStore


def recorder_secrets(config: Config) -> tuple[str, ...]:
    """The client secrets never to show, also as they travel in a form body (percent-encoded)."""
    plain = (config.client_secret, config.trainer_m2m_client_secret)
    return tuple({*plain, *(quote_plus(secret) for secret in plain)})


class Recorder:
    """Installed as app.extensions["bff.trainer"] only in trainer mode."""

    def __init__(self, store: TimelineStore, secrets_to_hide: tuple[str, ...], client_id: str):
        self.store = store
        self.secrets = secrets_to_hide
        self.client_id = client_id

    def trace_id(self) -> str | None:
        """This browser session's timeline id, created on first use."""
        if not has_request_context():
            return None
        if "trace_id" not in session:
            session["trace_id"] = secrets.token_urlsafe(16)
        g.trainer_trace_id = session["trace_id"]
        return session["trace_id"]

    def add(self, trace_id: str, event: dict) -> dict:
        """Append one ready-made event, secrets redacted, with the raw HTTP that led to it."""
        stored = self.store.append(trace_id, redact(event, self.secrets))
        self.store.add_http(trace_id, stored["seq"], redact(wire.pending(), self.secrets))
        if has_request_context():
            g.setdefault("trainer_recorded", []).append((trace_id, stored["seq"]))
        return stored

    def request_done(self, response: Response) -> None:
        """Put the request that caused this request's first event (and what is left) on it."""
        recorded = g.get("trainer_recorded")
        if not recorded:
            return
        trace_id, seq = recorded[0]
        incoming = redact([wire.of_flask(request, response)], self.secrets)
        self.store.add_http(trace_id, seq, incoming, first=True)
        last_trace, last_seq = recorded[-1]
        self.store.add_http(last_trace, last_seq, redact(wire.pending(), self.secrets))

    def record(self, kind: str, data: dict, trace_id: str | None = None) -> None:
        """Explain and store one step (see steps.py for the kinds)."""
        trace_id = trace_id or self.trace_id()
        if not trace_id:
            return
        if has_request_context():
            g.trainer_trace_id = trace_id
        data = dict(data)
        if kind == "authorization_request":
            params = dict(parse_qsl(urlsplit(data["url"]).query))
            self.store.put(
                trace_id, "challenge:" + params.get("state", ""), params.get("code_challenge")
            )
        if kind == "callback":
            self._remember_code(trace_id, data)
        if kind == "token_response":
            pending = self.store.get(trace_id, "pending_code") or {}
            self.store.put(trace_id, "last_code", pending)
            for item in build("token_request", pending):
                self.add(trace_id, item)
        for item in build(kind, data):
            self.add(trace_id, item)

    def _remember_code(self, trace_id: str, data: dict) -> None:
        state = data["params"].get("state", "")
        self.store.put(
            trace_id,
            "pending_code",
            {
                "code": data["params"].get("code"),
                "code_verifier": data.get("code_verifier"),
                "code_challenge": self.store.get(trace_id, "challenge:" + state),
                "redirect_uri": bff().config.redirect_uri,
                "client_id": self.client_id,
            },
        )

    def step_mode(self) -> bool:
        """Is step-by-step mode on for this browser session?"""
        trace_id = session.get("trace_id") if has_request_context() else None
        return bool(trace_id and self.store.get(trace_id, "step_mode", False))


def recorder() -> Recorder:
    """The recorder of the current app."""
    return current_app.extensions["bff.trainer"]
