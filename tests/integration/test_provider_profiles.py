"""End to end per provider: the whole stack with idp-mock speaking Keycloak, Entra ID, Auth0, Okta.

Each provider's settings are the README's provider table: idp-mock gets IDP_PROFILE, the API
API_TOKEN_PROFILE and an OIDC_ISSUER of the provider's shape, the BFF that issuer (and Auth0's
audience in OIDC_AUTH_PARAMS), the reminder job the same issuer. Each runs sign-in, an API
call through the BFF, a refresh, an M2M call and logout; and the API refuses that provider's
ID token, a token for another audience and a token from another tenant or realm. The token
shapes are the providers' documented ones, cited in idp_mock/profiles.py and api/token_profiles.py.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import subprocess
import sys
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from joserfc import jws

from devstack.ports import free_port
from devstack.services import REPO_ROOT
from devstack.stack import Ports, build_services
from tests.support.bff_state import expire_access_tokens, login_records
from tests.support.forms import submit_form
from tests.support.stack import CSRF, running_stack

EVENT = {"title": "Provider tea", "start": "2026-12-01T15:00:00Z", "end": "2026-12-01T16:00:00Z"}
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
BFF_CLIENT = ("calendar-bff", "calendar-bff-secret")
REMINDER_CLIENT = ("reminder-job", "reminder-job-secret")


@dataclass(frozen=True)
class Provider:
    """One provider's settings, as the README's provider table gives them."""

    name: str
    issuer_path: str  # appended to the IdP's URL, which plays the provider's host
    header_typ: str | None  # typ of its access tokens
    bff_extra: dict
    job_extra: dict = field(default_factory=dict)

    def issuer(self, ports: Ports) -> str:
        return ports.idp_url + self.issuer_path

    def extra(self, ports: Ports) -> dict:
        """Per-service settings for devstack, given where the services run."""
        return {
            "idp": {"IDP_PROFILE": self.name},
            "api": {"API_TOKEN_PROFILE": self.name, "OIDC_ISSUER": self.issuer(ports)},
            "bff": {"OIDC_ISSUER": self.issuer(ports)} | self.bff_extra,
        }


AUTH0_AUDIENCE = {"OIDC_AUTH_PARAMS": "audience=calendar-api"}
PROVIDERS = [
    # https://www.keycloak.org/docs/latest/securing_apps/#_oidc-available-endpoints
    # (typ JWT: not in Keycloak's documentation; the issue report)
    Provider("keycloak", "/realms/demo", "JWT", {}),
    # https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference
    # and, for the job, https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow
    Provider(
        "entra", f"/{TENANT}/v2.0", "JWT", {}, {"REMINDER_SCOPE": "api://calendar-api/.default"}
    ),
    # https://auth0.com/docs/secure/tokens/access-tokens/access-token-profiles (issuer ends in
    # "/"); audience: https://support.auth0.com/center/s/article/value-of-the-audience-attribute-in-access-token-requests-and-its-significance
    Provider(
        "auth0", "/", "JWT", AUTH0_AUDIENCE, {"REMINDER_TOKEN_PARAMS": "audience=calendar-api"}
    ),
    # https://developer.okta.com/docs/reference/api/oidc/#access-token (header {alg, kid})
    Provider("okta", "/oauth2/default", None, {}),
]


@pytest.fixture(scope="module", params=PROVIDERS, ids=[p.name for p in PROVIDERS])
def provider(request):
    return request.param


@pytest.fixture(scope="module")
def stack(provider, redis_server, tmp_path_factory):
    """The whole system configured for one provider, for this module's tests of it."""
    state_dir = tmp_path_factory.mktemp(f"stack-{provider.name}")
    with running_stack(redis_server.url, state_dir, extra=provider.extra) as running:
        yield running


@pytest.fixture(scope="module")
def discovery(provider, stack) -> dict:
    url = provider.issuer(stack.ports).rstrip("/") + "/.well-known/openid-configuration"
    return requests.get(url, timeout=5).json()


def sign_in(stack, redis_url: str) -> tuple[requests.Session, str]:
    """alice signed in at the BFF, and the key of the login record the BFF made for it."""
    before = set(login_records(redis_url))
    http = stack.signed_in("alice")
    assert http.get(stack.bff + "/bff/user", headers=CSRF).status_code == 200
    (key,) = set(login_records(redis_url)) - before
    return http, key


def header_typ(token: str) -> str | None:
    return dict(jws.extract_compact(token.encode()).headers()).get("typ")


def test_provider_discovery_names_the_providers_issuer(provider, stack, discovery):
    assert discovery["issuer"] == provider.issuer(stack.ports)


def test_provider_authorization_request_carries_the_configured_parameters(provider, stack):
    start = requests.get(stack.bff + "/bff/login", allow_redirects=False, timeout=5)
    params = parse_qs(urlsplit(start.headers["Location"]).query)
    expected = parse_qs(provider.bff_extra.get("OIDC_AUTH_PARAMS", ""))
    assert {name: params.get(name) for name in expected} == expected
    assert params["code_challenge_method"] == ["S256"]


def test_provider_sign_in_api_call_refresh_and_logout_through_the_bff(
    provider, stack, redis_server, discovery
):
    http, key = sign_in(stack, redis_server.url)
    created = http.post(stack.bff + "/api/events", json=EVENT, headers=CSRF)
    assert created.status_code == 201, created.text
    first = login_records(redis_server.url)[key]["access_token"]
    assert header_typ(first) == provider.header_typ  # the provider's shape reached the API

    expire_access_tokens(redis_server.url)  # the next call must refresh first
    listed = http.get(stack.bff + "/api/events", headers=CSRF)
    assert listed.status_code == 200
    assert created.json()["id"] in {event["id"] for event in listed.json()["events"]}
    assert login_records(redis_server.url)[key]["access_token"] != first

    answer = stack.sign_out(http)
    assert answer.status_code == 302
    end_session = urlsplit(answer.headers["Location"])
    assert answer.headers["Location"].startswith(discovery["end_session_endpoint"])
    assert "id_token_hint" in parse_qs(end_session.query)
    assert http.get(stack.bff + "/bff/user", headers=CSRF).status_code == 401


def test_provider_m2m_call_with_the_reminder_jobs_client(provider, stack):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "OIDC_ISSUER": provider.issuer(stack.ports),
        "REMINDER_CLIENT_ID": REMINDER_CLIENT[0],
        "REMINDER_CLIENT_SECRET": REMINDER_CLIENT[1],
        "API_URL": stack.api,
    } | provider.job_extra
    job = subprocess.run(
        [sys.executable, "-m", "reminder_job", "--once"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert job.returncode == 0, job.stderr
    assert "upcoming event(s)" in job.stderr + job.stdout


def direct_tokens(stack, discovery: dict, scope: str) -> dict:
    """Tokens of the BFF's client obtained at the IdP directly (code flow, PKCE), by the test."""
    http = requests.Session()
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    params = {
        "response_type": "code",
        "client_id": BFF_CLIENT[0],
        "redirect_uri": stack.bff + "/bff/callback",
        "scope": scope,
        "state": secrets.token_urlsafe(8),
        "nonce": secrets.token_urlsafe(8),
        "code_challenge": challenge.rstrip(b"=").decode(),
        "code_challenge_method": "S256",
    }
    page = http.get(discovery["authorization_endpoint"], params=params)
    page = submit_form(http, page, {"username": "alice", "password": "wonderland"})
    if "decision" in page.text:
        page = submit_form(http, page, button="allow")
    # The IdP's redirect to the BFF carried the code; the BFF refused the unknown state.
    redirects = [r.headers["Location"] for r in page.history if "code=" in r.headers["Location"]]
    code = parse_qs(urlsplit(redirects[-1]).query)["code"][0]
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": params["redirect_uri"],
        "code_verifier": verifier,
    }
    response = requests.post(discovery["token_endpoint"], data=data, auth=BFF_CLIENT, timeout=5)
    assert response.status_code == 200, response.text
    return response.json()


def api_answer(stack, token: str, path: str = "/events") -> requests.Response:
    return requests.get(stack.api + path, headers={"Authorization": f"Bearer {token}"}, timeout=5)


def refused(answer: requests.Response) -> bool:
    return answer.status_code == 401 and answer.json()["error"] == "invalid_token"


def test_provider_api_refuses_an_id_token_of_the_same_provider(stack, discovery):
    tokens = direct_tokens(stack, discovery, "openid profile calendar:read")
    assert api_answer(stack, tokens["access_token"]).status_code == 200  # the control
    assert refused(api_answer(stack, tokens["id_token"]))


def test_provider_api_refuses_a_token_for_another_audience(stack, discovery):
    # Without an API scope the access token is for the IdP's own userinfo, not this API.
    tokens = direct_tokens(stack, discovery, "openid profile")
    assert refused(api_answer(stack, tokens["access_token"]))


def test_provider_api_refuses_a_token_from_another_tenant_or_realm(
    provider, stack, redis_server, tmp_path
):
    # Another tenant of the same provider, signing with the very same keys (Entra's tenants
    # share theirs): only the issuer differs, and that alone must get the token refused.
    other = Ports(bff=free_port(), api=free_port(), idp=free_port())
    keys = {"IDP_KEYS_DIR": str(stack.state_dir / "idp-keys"), "IDP_PROFILE": provider.name}
    idp = build_services(other, redis_server.url, tmp_path, {"idp": keys})[0]
    with (tmp_path / "other-idp.log").open("w") as log:
        idp.start(log=log).wait_healthy()
        try:
            document = requests.get(
                provider.issuer(other).rstrip("/") + "/.well-known/openid-configuration",
                timeout=5,
            ).json()
            response = requests.post(
                document["token_endpoint"],
                data={"grant_type": "client_credentials", "scope": "calendar:reminders"},
                auth=REMINDER_CLIENT,
                timeout=5,
            )
            token = response.json()["access_token"]
        finally:
            idp.stop()
    answer = api_answer(stack, token, "/reminders/upcoming")
    assert refused(answer)
    assert "iss" in answer.json()["error_description"]
