"""Trainer mode for the API: the verifier's own record of each check, in a response header.

Registered only when API_TRAINER_MODE=1. It subscribes to ``api.signals.token_verified`` and
serialises the record the verifier made while deciding (api/verification.py): it re-checks
nothing and never changes a decision, status, body or WWW-Authenticate header.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, Response, g

from .signals import token_verified
from .verification import Verification

HEADER = "Trainer-Verdict"


def init_app(app: Flask) -> None:
    """Keep each request's verification record and add it to the answer."""
    token_verified.connect(_keep, sender=app)
    app.after_request(add_verdict)


def _keep(_app: Flask, record: Verification, **_extra: Any) -> None:
    g.trainer_verdict = verdict(record)


def add_verdict(response: Response) -> Response:
    """After a route that verified a bearer token: the verdict header, as compact JSON."""
    text = g.pop("trainer_verdict", None)
    if text is not None:
        response.headers[HEADER] = text
    return response


def verdict(record: Verification) -> str:
    """The record as the Trainer-Verdict JSON of docs/trainer.md (never the token itself)."""
    return json.dumps(
        {
            "source": record.source,
            "decision": record.decision,
            "checks": [check._asdict() for check in record.checks],
        },
        separators=(",", ":"),
    )
