"""The BFF's keep-alive connections to the API, for the proxy.

geventhttpclient, not urllib3: its parser is C, and on a proxied call urllib3 and http.client
(whose header parsing goes through the email package) were the largest share of the BFF's
own CPU. The BFF's gevent workers are what it is built for. Like the urllib3 pool it replaced,
it keeps no cookie jar (a cookie set upstream for one user never rides on another user's
call) and follows no redirect.
"""

from dataclasses import dataclass
from functools import partial
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from gevent import get_hub
from gevent.hub import Hub
from geventhttpclient import HTTPClient
from geventhttpclient.header import Headers
from geventhttpclient.response import HTTPParseError

USER_AGENT = "calendar-bff"


class UpstreamTimeout(Exception):
    """The API accepted no connection, or sent no answer, within the timeout."""


class UpstreamUnreachable(Exception):
    """The API refused the connection, closed it, or answered something that is not HTTP."""


class SizedStream:
    """A body read as it is sent, of a length known beforehand (the browser's Content-Length),
    so that it goes upstream with that Content-Length rather than chunked."""

    def __init__(self, stream, length: int):
        self.stream, self.length = stream, length

    def __len__(self) -> int:
        return self.length

    def read(self, size: int = -1) -> bytes:
        return self.stream.read(size)


@dataclass(frozen=True)
class Answer:
    """The API's whole answer: status, headers (case-insensitive), body."""

    status: int
    headers: Headers
    data: bytes


class ApiClient:
    """A pool of keep-alive connections to the API's origin, shared by a worker's greenlets."""

    def __init__(self, url: str, timeout: float, connections: int = 32):
        parts = urlsplit(url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.path = parts.path.rstrip("/")  # the API's base path; calls add theirs after it
        self._new_pool = partial(
            HTTPClient,
            parts.hostname or "",
            parts.port,
            ssl=parts.scheme == "https",
            concurrency=connections,  # a call past this many waits for a free connection
            connection_timeout=timeout,
            network_timeout=timeout,  # each wait on the socket, as urllib3's read timeout
            headers={"User-Agent": USER_AGENT},
        )
        # One pool per gevent hub: a gevent worker has one hub, so all its greenlets share one
        # pool; under threads (flask run, gthread) each thread has its own hub, and a pool
        # shared across hubs would deadlock.
        self._pools: WeakKeyDictionary[Hub, HTTPClient] = WeakKeyDictionary()

    def _pool(self) -> HTTPClient:
        hub = get_hub()
        pool = self._pools.get(hub)
        if pool is None:
            pool = self._pools[hub] = self._new_pool()
        return pool

    def send(self, method: str, target: str, body=None, headers=None) -> Answer:
        """One call; `target` is the path and query; `body` bytes, a stream or None."""
        try:
            response = self._pool().request(method, target, body=body, headers=headers)
            try:
                return Answer(response.status_code, response.info(), response.read())
            finally:
                response.release()  # back to the pool if the API keeps it alive
        except TimeoutError:
            raise UpstreamTimeout(f"{method} {target}") from None
        except (OSError, HTTPParseError) as exc:
            raise UpstreamUnreachable(f"{method} {target}: {exc}") from None
