"""Liveness and readiness, for launchers, load balancers and orchestrators."""

import time

import redis
import requests
from flask import Blueprint, jsonify

from . import logs
from .current import bff
from .errors import answers_json

bp = answers_json(Blueprint("health", __name__))
CHECK_TIMEOUT_SECONDS = 2
CACHE_SECONDS = 5  # probes every second or two must not become a load on Redis and the IdP


@bp.get("/healthz")
def healthz():
    """Liveness: the process answers. Touches nothing, so a Redis outage never restarts it."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    """Readiness: Redis and the IdP's discovery document answer; 503 naming what does not."""
    cached = bff().ready
    if cached and cached[0] > time.monotonic():
        checks = cached[1]
    else:
        checks = {"redis": check_redis(), "idp_discovery": check_discovery()}
        bff().ready = (time.monotonic() + CACHE_SECONDS, checks)
    ready = all(value == "ok" for value in checks.values())
    response = jsonify(status="ready" if ready else "not_ready", checks=checks)
    response.status_code = 200 if ready else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def check_redis() -> str:
    """Return "ok", or why the session store cannot be used."""
    try:
        bff().redis.ping()
    except redis.RedisError as exc:
        error = type(exc).__name__
        logs.event("session_store_unreachable", "fault", during="readiness", error=error)
        return "unreachable"
    return "ok"


def check_discovery() -> str:
    """Return "ok", or why the IdP's discovery document cannot be fetched."""
    config = bff().config
    try:
        answer = requests.get(
            config.discovery_url, timeout=min(CHECK_TIMEOUT_SECONDS, config.idp_timeout_seconds)
        )
    except requests.RequestException as exc:
        logs.event("idp_unreachable", "fault", during="readiness", error=type(exc).__name__)
        return "unreachable"
    return "ok" if answer.status_code == 200 else f"answered {answer.status_code}"
