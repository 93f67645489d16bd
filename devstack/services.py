"""Run one service under gunicorn as a child process and wait until it answers."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

REPO_ROOT = Path(__file__).resolve().parent.parent
# The BFF faces browsers and carries its own gunicorn settings (gevent workers); the IdP and
# the API run gunicorn's threaded workers.
CONFIG_FILES = {"bff:create_app()": "bff/gunicorn.conf.py"}


class Service:
    """A gunicorn process serving one of the project's apps."""

    def __init__(self, name: str, app: str, port: int, env: dict[str, str], workers: int = 2):
        self.name, self.app, self.port, self.workers = name, app, port, workers
        self.env = {**os.environ, **env}
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None

    def start(self, log=None) -> "Service":
        """Start gunicorn (same command as the README and docker-compose use)."""
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--no-control-socket",
            "-b",
            f"127.0.0.1:{self.port}",
            *self.options(),
            self.app,
        ]
        self.process = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
            command, cwd=REPO_ROOT, env=self.env, stdout=log, stderr=log
        )
        return self

    def options(self) -> list[str]:
        """The service's own gunicorn configuration file, or threaded workers."""
        if self.app in CONFIG_FILES:
            return ["-c", CONFIG_FILES[self.app], "--workers", str(self.workers)]
        return ["--workers", str(self.workers), "--threads", "4", "--graceful-timeout", "5"]

    def wait_healthy(self, timeout: float = 30.0) -> None:
        """Poll /healthz with a bounded retry; fail with the reason if it never answers."""
        process = self.process
        assert process is not None, "start() first"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with code {process.returncode}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not answer on {self.url}/healthz in {timeout:.0f}s")

    def stop(self, quick: bool = False) -> None:
        """Stop gunicorn and its workers: gracefully (TERM), or at once (QUIT)."""
        if self.process and self.process.poll() is None:
            # A graceful stop waits out open keep-alive connections, up to graceful_timeout.
            self.process.send_signal(signal.SIGQUIT if quick else signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
