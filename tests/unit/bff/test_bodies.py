"""Request bodies: read whole under a deadline before the API is called, and sent again whole."""

import io

import gevent
import pytest

from bff import create_app

from .conftest import CSRF, body, make_config, sign_in


class TricklingBody(io.BytesIO):
    """A browser that sends its body a few bytes at a time.

    It stands in for a slow network, which the test cannot make: each read waits cooperatively,
    as a read on a gevent socket does, so the BFF's deadline can interrupt it.
    """

    def __init__(self, data: bytes, pause: float, piece: int = 10):
        super().__init__(data)
        self.pause, self.piece = pause, piece

    def read(self, size: int | None = -1) -> bytes:
        wanted = len(self.getbuffer()) if size is None or size < 0 else size
        sent = b""
        while len(sent) < wanted:
            gevent.sleep(self.pause)
            step = super().read(min(self.piece, wanted - len(sent)))
            if not step:
                break
            sent += step
        return sent

    def readline(self, size: int | None = -1) -> bytes:
        return self.read(size)


def calls_to(api_requests, path: str) -> list[dict]:
    return [call for call in api_requests if call["path"] == path]


@pytest.fixture
def deadline_app(redis_url, api_server):
    """A BFF that gives a body 0.3 s, plus a second per 10 KB, and takes bodies up to 10 KB."""
    config = make_config(
        redis_url,
        api_server.url,
        body_timeout_seconds=0.3,
        body_min_rate=10_000,
        max_body_bytes=10_000,
    )
    return create_app(config)


def test_a_body_that_misses_its_deadline_gets_408_json_and_never_reaches_the_api(
    deadline_app, api_requests
):
    client = deadline_app.test_client()
    sign_in(client)
    trickle = TricklingBody(b"x" * 1000, pause=0.05)  # 5 s for what has 0.4 s
    response = client.post("/api/events", input_stream=trickle, headers=CSRF)
    assert response.status_code == 408 and body(response)["error"] == "invalid_request"
    assert not calls_to(api_requests, "/events")


def test_a_body_that_keeps_its_pace_is_forwarded_whole(deadline_app, api_requests):
    client = deadline_app.test_client()
    sign_in(client)
    data = b"y" * 8000  # 0.3 s + 0.8 s for it; sent in about 0.1 s
    trickle = TricklingBody(data, pause=0.005, piece=500)
    response = client.post("/api/events", input_stream=trickle, headers=CSRF)
    assert response.status_code == 200
    assert calls_to(api_requests, "/events")[0]["body"] == data.decode()


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_a_back_channel_logout_that_trickles_in_gets_408(deadline_app, framing):
    form = b"logout_token=" + b"e" * 2000
    if framing == "chunked":  # no length announced: the largest body's 1.3 s
        chunked = {"HTTP_TRANSFER_ENCODING": "chunked", "CONTENT_LENGTH": ""}
        framed = {"environ_overrides": chunked | {"wsgi.input_terminated": True}}  # as gunicorn
    else:
        framed = {}
    response = deadline_app.test_client().post(
        "/bff/backchannel-logout",
        input_stream=TricklingBody(form, pause=0.05),
        content_type="application/x-www-form-urlencoded",
        **framed,
    )
    assert response.status_code == 408


@pytest.mark.parametrize("size", [1000, 100_000])  # kept in memory; spooled to a file
def test_a_body_shorter_than_its_content_length_gets_400_and_is_not_forwarded(
    client, auth, api_requests, size
):
    auth.sign_in()
    response = client.post(
        "/api/events",
        input_stream=io.BytesIO(b"z" * (size - 1)),
        headers=CSRF,
        # As gunicorn serves it: the announced length, and a stream that simply ends early.
        environ_overrides={"CONTENT_LENGTH": str(size), "wsgi.input_terminated": True},
    )
    assert response.status_code == 400 and body(response)["error"] == "invalid_request"
    assert not calls_to(api_requests, "/events")


def test_a_body_too_large_for_memory_is_sent_again_whole_after_a_refresh(
    client, auth, api_requests
):
    # Spooled to a file rather than streamed: after the API refused the token, the same bytes
    # go again with the fresh one, instead of a 503 asking the SPA to send the call again.
    auth.sign_in(access_token="refused")
    payload = "w" * (200 * 1024)
    response = client.post(
        "/api/events", data=payload, content_type="application/json", headers=CSRF
    )
    assert response.status_code == 200
    posts = calls_to(api_requests, "/events")
    assert [call["headers"]["Authorization"] for call in posts] == [
        "Bearer refused",
        "Bearer refreshed-1",
    ]
    assert all(call["body"] == payload for call in posts)


@pytest.mark.parametrize("length", ["\u00b2", "-1", "1e3", " 5"])  # "²" passes str.isdigit()
def test_a_content_length_that_is_not_a_number_never_makes_a_500(client, auth, length):
    auth.sign_in()
    response = client.post(
        "/api/events",
        data=b"{}",
        headers=CSRF,
        environ_overrides={"CONTENT_LENGTH": length},
    )
    assert response.status_code < 500
