"""The whole system over real HTTP: IdP, API and BFF under gunicorn, sharing a private Redis."""

import pytest
import requests

from devstack.ports import free_port
from devstack.stack import Ports, build_services
from tests.support.forms import sign_in

USERS = {"alice": "wonderland", "bob": "builder"}


class Stack:
    """The running services and their URLs."""

    def __init__(self, ports: Ports, services):
        self.ports, self.services = ports, {service.name: service for service in services}
        self.bff, self.api, self.idp = ports.bff_url, ports.api_url, ports.idp_url

    def signed_in(self, username: str = "alice") -> requests.Session:
        """A requests session signed in at the BFF as this demo user."""
        http = requests.Session()
        page = sign_in(http, self.bff, username, USERS[username])
        assert page.url.startswith(self.bff), page.url
        return http


@pytest.fixture(scope="session")
def stack(redis_server, tmp_path_factory):
    """Start the three services once for the integration tier (same commands as the demo)."""
    state = tmp_path_factory.mktemp("stack")
    ports = Ports(bff=free_port(), api=free_port(), idp=free_port())
    services = build_services(ports, redis_server.url, state)
    log = (state / "services.log").open("w")
    try:
        for service in services:
            service.start(log=log).wait_healthy()
        yield Stack(ports, services)
    finally:
        for service in reversed(services):
            service.stop()
        log.close()


CSRF = {"X-CSRF": "1"}
