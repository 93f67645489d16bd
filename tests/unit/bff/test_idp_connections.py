"""The BFF's calls to the IdP share kept-alive connections, though Authlib opens a session each."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bff import create_app
from bff.oidc import idp, metadata

from .conftest import make_config


class CountingIdp(BaseHTTPRequestHandler):
    """Discovery and a token endpoint, kept alive; counts the connections it accepts."""

    protocol_version = "HTTP/1.1"
    connections = 0
    drop_second_call = False  # close a kept-alive connection as its second call arrives

    def setup(self):
        type(self).connections += 1
        self.calls = 0
        super().setup()

    def do_GET(self):
        issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.answer({"issuer": issuer, "token_endpoint": issuer + "/token"})

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.calls += 1
        if self.drop_second_call and self.calls == 2:
            self.close_connection = True  # no answer: what a server closing idle ones does
            return
        self.answer({"access_token": "a", "token_type": "Bearer", "expires_in": 60})

    def answer(self, document: dict) -> None:
        body = json.dumps(document).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass  # the test counts connections, not log lines


@pytest.fixture
def counting_idp():
    CountingIdp.drop_second_call = False
    server = ThreadingHTTPServer(("127.0.0.1", 0), CountingIdp)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def test_token_requests_of_two_logins_share_one_connection_to_the_idp(redis_url, counting_idp):
    app = create_app(make_config(redis_url, counting_idp))
    with app.test_request_context():
        meta = metadata()
        before = CountingIdp.connections
        for _ in range(2):  # as Authlib does for each code exchange: a session, used, closed
            with idp()._get_oauth_client(**meta) as client:
                answer = client.post(meta["token_endpoint"], data={"a": "b"}, withhold_token=True)
                assert answer.status_code == 200
    assert CountingIdp.connections - before == 1


def test_a_kept_alive_connection_closed_under_a_call_is_replaced_not_failed(
    redis_url, counting_idp
):
    app = create_app(make_config(redis_url, counting_idp))
    CountingIdp.drop_second_call = True
    with app.test_request_context():
        meta = metadata()
        before = CountingIdp.connections
        statuses = []
        for _ in range(2):
            with idp()._get_oauth_client(**meta) as client:
                answer = client.post(meta["token_endpoint"], data={"a": "b"}, withhold_token=True)
                statuses.append(answer.status_code)
    assert statuses == [200, 200] and CountingIdp.connections - before == 2
