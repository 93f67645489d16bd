"""The compose tier: the README's `docker compose up --build --wait`, on a real Docker engine.

Where `docker compose` is missing, `.ci/run` first runs the shared compose-engine script (a
Debian engine and stand-in base images, no registry needed) and this tier finds its Compose
plugin through COMPOSE_ENGINE_DIR. With no engine at all, the tier is skipped and says why.
"""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from tests.e2e.conftest import QUIET_CHROMIUM, system_chromium

ROOT = Path(__file__).resolve().parents[2]
BFF_PORT, IDP_PORT = 8000, 8002


def compose_env() -> dict[str, str]:
    """The environment for docker: the compose-engine's plugin directory when it made one."""
    env = dict(os.environ)
    default = Path(tempfile.gettempdir()) / "compose-engine"  # the script's own default
    plugins = Path(os.environ.get("COMPOSE_ENGINE_DIR", default)) / "dockercfg"
    if "DOCKER_CONFIG" not in env and (plugins / "cli-plugins").is_dir():
        env["DOCKER_CONFIG"] = str(plugins)
    return env


def engine_problem(env: dict[str, str]) -> str | None:
    """Why no stack can be started here, or None when Docker and Compose v2 both answer."""
    if not shutil.which("docker"):
        return "no docker CLI (CI installs one with ../shared/tools/compose-engine.sh engine)"
    for command in (["docker", "compose", "version"], ["docker", "info"]):
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            return f"`{' '.join(command)}` failed: {(done.stderr or done.stdout).strip()[:200]}"
    return None


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


class ComposeStack:
    """One compose project under a unique name, driven through the docker CLI."""

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.env = env
        self.project = f"oauthbff-test-{uuid.uuid4().hex[:8]}"
        env_file = workdir / "compose.env"  # the documented secrets file, as a new user makes it
        shutil.copy(ROOT / ".env.example", env_file)
        self.base = ["docker", "compose", "-p", self.project, "--env-file", str(env_file)]
        self.base += ["--project-directory", str(ROOT), "-f", str(ROOT / "docker-compose.yml")]
        if not (port_is_free(BFF_PORT) and port_is_free(IDP_PORT)):
            # Someone's demo holds the ports: publish nothing; the browser goes to container IPs.
            override = workdir / "no-ports.yml"
            override.write_text("services:\n  bff: {ports: !reset []}\n  idp: {ports: !reset []}\n")
            self.base += ["-f", str(override)]

    def run(self, *args: str, timeout: float = 120) -> str:
        done = subprocess.run(
            [*self.base, *args], env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if done.returncode != 0:
            raise AssertionError(f"docker compose {' '.join(args)}:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def containers(self) -> list[dict]:
        """`docker compose ps -a` as a list of records, whatever the Compose v2 release."""
        out = self.run("ps", "-a", "--format", "json").strip()
        if out.startswith("["):
            return json.loads(out)
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    def ip(self, service: str) -> str:
        container = self.run("ps", "-q", service).strip()
        done = subprocess.run(
            [
                "docker",
                "inspect",
                "-f",
                "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
                container,
            ],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()


@pytest.fixture(scope="session")
def compose_stack(tmp_path_factory):
    """The whole demo up and healthy in containers; removed with its volumes afterwards."""
    env = compose_env()
    problem = engine_problem(env)
    if problem:
        pytest.skip(f"compose tier skipped, no container engine: {problem}")
    stack = ComposeStack(tmp_path_factory.mktemp("compose"), env)
    try:
        # The build runs pip inside the image: generous, to bound a hang on a loaded machine.
        stack.run("up", "--build", "--wait", timeout=900)
        yield stack
    finally:
        stack.run("down", "--volumes", "--timeout", "10", timeout=120)


@pytest.fixture
def compose_page(browser_type, browser_type_launch_args, compose_stack):
    """A page in a Chromium of its own, localhost and idp.localhost resolved to the containers.

    Its own browser, not pytest-playwright's shared one: that one is launched once per session
    with the e2e tier's flags.
    """
    rules = f"MAP localhost {compose_stack.ip('bff')}, MAP idp.localhost {compose_stack.ip('idp')}"
    args = dict(browser_type_launch_args)
    if system_chromium():
        args["executable_path"] = system_chromium()
    args["args"] = [*args.get("args", []), *QUIET_CHROMIUM, f"--host-resolver-rules={rules}"]
    browser = browser_type.launch(**args)
    try:
        yield browser.new_page()
    finally:
        browser.close()
