"""The BFF's calls to the IdP share kept-alive connections, though Authlib opens a session each."""

import time

import pytest
import requests

from bff import create_app
from bff.oidc import idp, metadata
from tests.support.http_server import KeepAliveHandler, ThreadedServer

from .conftest import make_config


class CountingIdp(KeepAliveHandler):
    """Discovery and a token endpoint, kept alive; counts the connections it accepts."""

    connections = 0
    drop_second_call = False  # close a kept-alive connection as its second call arrives
    answer_after = 0.0  # seconds the token endpoint takes

    def setup(self):
        type(self).connections += 1
        self.calls = 0
        super().setup()

    def do_GET(self):
        issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.answer_json({"issuer": issuer, "token_endpoint": issuer + "/token"})

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.calls += 1
        time.sleep(self.answer_after)
        if self.drop_second_call and self.calls == 2:
            self.close_connection = True  # no answer: what a server closing idle ones does
            return
        try:
            self.answer_json({"access_token": "a", "token_type": "Bearer", "expires_in": 60})
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the BFF gave up before the answer


@pytest.fixture
def counting_idp():
    CountingIdp.drop_second_call, CountingIdp.answer_after = False, 0.0
    with ThreadedServer(handler=CountingIdp) as server:
        yield server.url


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


def test_a_call_to_the_idp_gives_up_after_the_configured_timeout(redis_url, counting_idp):
    app = create_app(make_config(redis_url, counting_idp, idp_timeout_seconds=0.2))
    CountingIdp.answer_after = 1.0  # well inside the default 10 s, past the configured 0.2 s
    with app.test_request_context():
        meta = metadata()
        with idp()._get_oauth_client(**meta) as client, pytest.raises(requests.Timeout):
            client.post(meta["token_endpoint"], data={"a": "b"}, withhold_token=True)
