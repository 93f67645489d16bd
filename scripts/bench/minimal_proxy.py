"""The benchmark's floor: a Flask proxy that does only the BFF's I/O for a proxied call.

Per call it reads the same three keys the BFF reads (session, login record, slide marker) in
one MGET, takes the access token from the login record, calls the backend over the same kind
of pooled keep-alive connection (geventhttpclient) and answers what the backend answered. It is
served by the BFF's own gunicorn configuration. It checks nothing, logs nothing and keeps no
state, so it is not a BFF: what the BFF costs above it is the BFF's own work (sessions, CSRF,
allow-list, refresh, logs); what it costs above Apache is the price of the stack itself
(gunicorn, Flask, redis-py, gevent), which no change to the BFF's code can remove.
"""

import json
import os
from urllib.parse import urlsplit

import redis
from flask import Flask, Response, request
from gevent import get_hub
from geventhttpclient import HTTPClient

COOKIE = "bff-session"


def create_app() -> Flask:
    """GET /api/events as the BFF would answer it, with none of the BFF's checks."""
    app = Flask(__name__)
    store = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=2)
    backend = urlsplit(os.environ["API_URL"])
    pools: dict = {}  # one per gevent hub, as the BFF keeps them

    @app.get("/api/events")
    def events():
        """One MGET, one upstream call, the upstream's answer."""
        sid = request.cookies.get(COOKIE, "")
        _, login, _ = store.mget("bff:session:" + sid, "bff:login:" + sid, "bff:slid:" + sid)
        if login is None:
            return Response(b'{"error": "login_required"}', 401, mimetype="application/json")
        hub = get_hub()
        pool = pools.get(hub) or pools.setdefault(
            hub, HTTPClient(backend.hostname, backend.port, concurrency=32)
        )
        token = json.loads(login)["access_token"]
        headers = {"Authorization": "Bearer " + token, "Accept": "application/json"}
        answer = pool.request("GET", "/events", headers=headers)
        try:
            body = answer.read()
        finally:
            answer.release()
        return Response(body, answer.status_code, content_type=answer.get("content-type"))

    return app
