"""The benchmark's floor: a WSGI proxy that does only the BFF's I/O for a proxied call.

Per call it reads the same three keys the BFF reads (session, login record, slide marker) in
one MGET, takes the access token from the login record, calls the backend over the same kind
of pooled keep-alive connection (geventhttpclient) and answers what the backend answered. It is
plain WSGI, as the BFF's own path for that call is (bff/fast_lane.py), and served by the BFF's
own gunicorn configuration. It checks nothing, logs nothing and keeps no state, so it is not a
BFF: what the BFF costs above it is the BFF's own work (session checks, CSRF, allow-list,
refresh check, log line, headers); what it costs above Apache is the price of the stack itself
(gunicorn, redis-py, gevent, geventhttpclient), which no change to the BFF's code can remove.
"""

import json
import os
from urllib.parse import urlsplit

import redis
from gevent import get_hub
from geventhttpclient import HTTPClient
from werkzeug.http import parse_cookie

COOKIE = "bff-session"
UNAUTHORIZED = b'{"error": "login_required"}'
KEYS = ("bff:session:", "bff:login:", "bff:slid:")  # + the session id, as the BFF stores them


def create_app():
    """GET /api/events as the BFF would answer it, with none of the BFF's checks."""
    store = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=2)
    backend = urlsplit(os.environ["API_URL"])
    pools: dict = {}  # one per gevent hub, as the BFF keeps them

    def app(environ, start_response):
        """One MGET, one upstream call, the upstream's answer."""
        sid = parse_cookie(environ).get(COOKIE, "")
        # As the BFF's fast lane reads them (RedisSessions.read_once): one attempt on a pooled
        # connection, not through the client's command path.
        connection = store.connection_pool.get_connection()
        try:
            connection.send_command("MGET", *(prefix + sid for prefix in KEYS))
            _, login, _ = connection.read_response()
        finally:
            store.connection_pool.release(connection)
        if login is None:
            start_response("401 Unauthorized", [("Content-Type", "application/json")])
            return [UNAUTHORIZED]
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
        start_response(
            f"{answer.status_code} OK",
            [("Content-Type", answer.get("content-type")), ("Content-Length", str(len(body)))],
        )
        return [body]

    return app
