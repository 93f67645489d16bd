"""Start the whole system for a test tier: IdP, API and BFF under gunicorn on free ports."""

import contextlib
from pathlib import Path

import requests

from devstack.ports import free_port
from devstack.stack import Ports, build_services
from tests.support.forms import sign_in

USERS = {"alice": "wonderland", "bob": "builder"}
CSRF = {"X-CSRF": "1"}


class Stack:
    """The running services and their URLs."""

    def __init__(self, ports: Ports, services, state_dir: Path):
        self.ports, self.state_dir = ports, state_dir
        self.services = {service.name: service for service in services}
        self.bff, self.api, self.idp = ports.bff_url, ports.api_url, ports.idp_url

    def signed_in(self, username: str = "alice") -> requests.Session:
        """A requests session signed in at the BFF as this demo user."""
        http = requests.Session()
        page = sign_in(http, self.bff, username, USERS[username])
        assert page.url.startswith(self.bff), page.url
        return http

    def sign_out(self, http: requests.Session) -> requests.Response:
        """Sign out as the SPA does: navigate to /bff/user's logout URL (not followed further)."""
        logout_url = http.get(self.bff + "/bff/user", headers=CSRF).json()["logout_url"]
        return http.get(self.bff + logout_url, allow_redirects=False)


@contextlib.contextmanager
def running_stack(redis_url: str, state_dir: Path, extra=None):
    """Run the three services (the demo's own commands) until the block ends.

    `extra` is per-service settings, or a function of the ports giving them (settings that
    name a service's URL, such as a provider-shaped OIDC_ISSUER).
    """
    ports = Ports(bff=free_port(), api=free_port(), idp=free_port())
    extra = extra(ports) if callable(extra) else extra
    services = build_services(ports, redis_url, state_dir, extra)
    with (state_dir / "services.log").open("w") as log:
        try:
            for service in services:
                service.start(log=log).wait_healthy()
            yield Stack(ports, services, state_dir)
        finally:
            for service in reversed(services):
                # The tests are done: a browser's idle keep-alive connection would otherwise
                # hold the BFF's graceful stop for its graceful_timeout (5 s) per stack.
                service.stop(quick=True)
