"""Backend-for-frontend: OIDC sign-in, tokens kept server-side, the SPA's API calls proxied.

Modules: config + config_parsing (settings), current (the typed state: `bff()`), oidc +
idp_http (IdP), auth (login, callback, user, logout), tokens (refresh, revoke), logins (token
records in Redis), redis_sessions (Flask-Session interface), proxy + upstream (/api/*) and
fast_lane (its steady-state GET, below Flask), bodies (a deadline on request bodies),
session_list (/bff/sessions), backchannel (logout tokens), signals (events for plug-ins),
errors, security, rate_limits, logs.
"""

import importlib
from datetime import timedelta

import redis
from flask import Flask, send_from_directory
from redis.sentinel import Sentinel
from werkzeug.middleware.proxy_fix import ProxyFix

from . import (
    auth,
    backchannel,
    bodies,
    canonical_host,
    health,
    logs,
    proxy,
    session_list,
    spa_state,
)
from .config import Config, ConfigError
from .current import EXTENSION, BffState
from .errors import answers_page, register_error_handlers
from .fast_lane import FastLane
from .logins import LoginStore
from .oidc import init_oidc
from .rate_limits import RateLimits
from .redis_sessions import RedisSessions
from .security import SECURITY_HEADERS
from .upstream import ApiClient

TRAINER_PLUGIN = "bff.trainer"  # docs/trainer.md; deleting its folder removes trainer mode


def connect_redis(config: Config) -> redis.Redis:
    """One Redis for sessions, tokens and locks: a URL, or the master that Sentinel names."""
    # Short timeouts: a Redis outage must become a quick 503, not a hung worker.
    timeouts = {"socket_timeout": 2, "socket_connect_timeout": 2}
    if config.redis_sentinels:
        sentinel = Sentinel(config.redis_sentinels, sentinel_kwargs=timeouts, **timeouts)
        return sentinel.master_for(config.redis_sentinel_master)
    return redis.Redis.from_url(config.redis_url, **timeouts)


def load_trainer():
    """The trainer plug-in, or a start-up error naming what is missing."""
    try:
        return importlib.import_module(TRAINER_PLUGIN)
    except ModuleNotFoundError as exc:
        if exc.name != TRAINER_PLUGIN:
            raise
        raise ConfigError(
            "TRAINER_MODE=1 but the trainer plug-in (bff/trainer/) is not installed; "
            "unset TRAINER_MODE or restore it"
        ) from None


def create_app(config: Config | None = None) -> Flask:
    """Build the BFF from a Config (default: read from the environment)."""
    config = config or Config.from_env()
    trainer = load_trainer() if config.trainer_mode else None  # fail before anything starts
    app = Flask(__name__, static_folder=str(config.frontend_dir), static_url_path="")
    logs.init_app(app)  # first: every request gets its id and its JSON line
    canonical_host.init_app(app, config.bff_url)
    # Never answer a stray slash with a redirect: Werkzeug would build its Location from the
    # request's Host header. `/api//events` is simply not a route.
    app.url_map.merge_slashes = app.url_map.strict_slashes = False
    if config.trusted_proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=config.trusted_proxies)  # type: ignore[method-assign]
    bodies.init_app(app, config.body_timeout_seconds, config.body_min_rate, config.max_body_bytes)
    store = connect_redis(config)
    logins = LoginStore(
        store,
        config.session_absolute_seconds,
        config.session_idle_seconds,
        replicas=(config.redis_wait_replicas, config.redis_wait_ms),
    )
    # Only what Flask and Flask-Session read themselves; the BFF's own settings stay in Config.
    app.config.update(
        SECRET_KEY=config.secret_key,
        # Bodies above this get 413 before a byte is read; smaller ones are read under a
        # deadline (bodies.py), then sent on whole.
        MAX_CONTENT_LENGTH=config.max_body_bytes,
        # The idle timeout: each request pushes the browser session's expiry this far forward.
        PERMANENT_SESSION_LIFETIME=timedelta(seconds=config.session_idle_seconds),
        SESSION_COOKIE_NAME=config.cookie_name,
        SESSION_COOKIE_SECURE=config.secure_cookies,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",  # Strict would drop the cookie on the IdP's redirect back
        SESSION_COOKIE_PATH="/",
        SESSION_COOKIE_DOMAIN=None,
    )
    app.session_interface = sessions = RedisSessions(
        app,
        store,
        idle=timedelta(seconds=config.session_idle_seconds),
        absolute=timedelta(seconds=config.session_absolute_seconds),
        pending=timedelta(seconds=config.login_pending_seconds),
        companion_key=logins.key,  # the login is read in the same round trip as the session
        on_slide=logins.slide,
        replicated=logins.replicated,
    )
    init_oidc(app, config)
    app.extensions[EXTENSION] = state = BffState(
        config=config,
        redis=store,
        logins=logins,
        limits=RateLimits(store, config.rate_limits),
        api=ApiClient(config.api_url, config.api_timeout_seconds),
    )
    for blueprint in (auth, proxy, session_list, backchannel, health, spa_state):
        app.register_blueprint(blueprint.bp)
    register_error_handlers(app)
    # Outermost: the steady-state proxied GET skips Flask; everything else goes through it.
    app.wsgi_app = FastLane(app, app.wsgi_app, state, sessions)  # type: ignore[method-assign]
    if trainer:  # installed only when on, so off means absent (404)
        trainer.install(app)

    @app.get("/")
    @answers_page
    def index():
        """The single-page app."""
        return send_from_directory(app.static_folder, "index.html")

    @app.after_request
    def security_headers(response):
        # One pass over the answer's headers: Headers.setdefault would scan them per name.
        present = {name.lower() for name, _ in response.headers}
        for name, value in SECURITY_HEADERS.items():
            if name.lower() not in present:
                response.headers.add(name, value)
        return response

    return app
