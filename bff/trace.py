"""Hooks for trainer mode: record a protocol step, or pause before one. No-ops when it is off.

The trainer package (bff/trainer/) installs a recorder as app.extensions["bff.trainer"] only
when TRAINER_MODE is on; with it off these functions do nothing and no token leaves the server.
"""

from flask import Response, current_app, has_request_context, session


def _trainer():
    return current_app.extensions.get("bff.trainer")


def trace_id() -> str | None:
    """The trainer timeline of this browser session, if trainer mode is on."""
    trainer = _trainer()
    return trainer.trace_id() if trainer and has_request_context() else None


def trace(kind: str, trace_id: str | None = None, **data) -> None:
    """Record one protocol step (`kind`) with its details on a trainer timeline."""
    trainer = _trainer()
    if trainer:
        trainer.record(kind, data, trace_id or session.get("trace_id"))


def pause(step: str, next_url: str, **details) -> Response | None:
    """In step-by-step mode, a page explaining `step` whose Next goes to `next_url`; else None."""
    trainer = _trainer()
    return trainer.pause(step, next_url, details) if trainer else None
