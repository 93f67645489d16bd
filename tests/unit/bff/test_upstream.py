"""The proxy's client to the API, on its own: keep-alive pools that threads may share."""

import threading
import time

import pytest

from bff.upstream import ApiClient, UpstreamUnreachable
from devstack.ports import free_port
from tests.support.http_server import KeepAliveHandler, ThreadedServer


class KeepAliveApi(KeepAliveHandler):
    """A small API that keeps connections alive, as gunicorn's threaded workers do."""

    def do_GET(self):
        self.answer_json({"events": []})


@pytest.fixture
def keep_alive_api():
    with ThreadedServer(handler=KeepAliveApi) as server:
        yield server.url


def test_threads_sharing_one_client_each_get_their_answers(keep_alive_api):
    # Under `flask run` or gthread workers the client is shared by OS threads, each with its own
    # gevent hub; one pool shared across hubs deadlocked here before each hub got its own.
    client = ApiClient(keep_alive_api, timeout=5, connections=4)
    answers: list[int] = []

    def calls():
        answers.extend(client.send("GET", "/events").status for _ in range(25))

    threads = [threading.Thread(target=calls, daemon=True) for _ in range(8)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    for thread in threads:
        thread.join(timeout=max(0, deadline - time.monotonic()))
    assert not any(thread.is_alive() for thread in threads)
    assert answers == [200] * 200


def test_an_answer_is_whole_with_case_insensitive_headers(keep_alive_api):
    answer = ApiClient(keep_alive_api + "/base/", timeout=5).send("GET", "/events")
    assert (answer.status, answer.data) == (200, b'{"events": []}')
    assert answer.headers.get("content-type") == "application/json"


def test_a_base_path_loses_its_trailing_slash():
    assert ApiClient("http://127.0.0.1:1/calendar/", timeout=1).path == "/calendar"


def test_a_closed_port_is_unreachable_not_a_crash():
    client = ApiClient(f"http://127.0.0.1:{free_port()}", timeout=1)
    with pytest.raises(UpstreamUnreachable):
        client.send("GET", "/events")
