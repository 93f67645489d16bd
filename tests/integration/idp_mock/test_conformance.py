"""A standard relying party (Authlib's requests client) uses idp-mock by discovery only."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet

CLIENT_ID, CLIENT_SECRET = "calendar-bff", "calendar-bff-secret"
SCOPE = "openid profile email offline_access calendar:read calendar:write"


class _Form(HTMLParser):
    """The first form of a page: its action and its named inputs."""

    def __init__(self, html: str):
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = attrs.get("action", "")
        elif tag == "input" and attrs.get("name") and not self.fields.get(attrs["name"]):
            self.fields[attrs["name"]] = attrs.get("value", "")


def submit(browser: requests.Session, page: requests.Response, **values) -> requests.Response:
    """Submit a page's first form as a browser would, without following the redirect."""
    form = _Form(page.text)
    assert form.action is not None, page.text[:300]
    return browser.post(
        urljoin(page.url, form.action),
        data={**form.fields, **values},
        allow_redirects=False,
        timeout=10,
    )


def sign_in(browser: requests.Session, authorization_url: str) -> str:
    """Alice signs in on the real login page and allows; return the redirect to the client."""
    page = browser.get(authorization_url, allow_redirects=False, timeout=10)
    if "password" in page.text:
        page = submit(browser, page, username="alice", password="wonderland")
    if "decision" in page.text:
        page = submit(browser, page, decision="allow")
    assert page.status_code == 302, page.text[:300]
    return page.headers["Location"]


def discover(issuer: str) -> dict:
    meta = requests.get(issuer + "/.well-known/openid-configuration", timeout=10).json()
    assert meta["issuer"] == issuer
    return meta


def relying_party(idp) -> OAuth2Session:
    return OAuth2Session(
        CLIENT_ID,
        CLIENT_SECRET,
        scope=SCOPE,
        redirect_uri=idp.redirect_uri,
        code_challenge_method="S256",
    )


def start_login(rp: OAuth2Session, meta: dict) -> tuple[str, str, str]:
    verifier, nonce = generate_token(64), generate_token(20)
    url, _state = rp.create_authorization_url(
        meta["authorization_endpoint"], code_verifier=verifier, nonce=nonce
    )
    return url, verifier, nonce


def id_token_claims(meta: dict, id_token: str, nonce: str) -> dict:
    """Validate the ID token as OIDC Core §3.1.3.7 asks, with keys from the JWKS."""
    keys = KeySet.import_key_set(requests.get(meta["jwks_uri"], timeout=10).json())
    token = jwt.decode(id_token, keys, algorithms=meta["id_token_signing_alg_values_supported"])
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": meta["issuer"]},
        aud={"essential": True, "value": CLIENT_ID},
        nonce={"essential": True, "value": nonce},
    ).validate(token.claims)
    return token.claims


def test_whole_flow_by_discovery_with_authlib_client(idp):
    meta = discover(idp.issuer)
    rp = relying_party(idp)
    url, verifier, nonce = start_login(rp, meta)
    location = sign_in(requests.Session(), url)
    assert parse_qs(urlsplit(location).query)["iss"] == [meta["issuer"]]  # RFC 9207

    token = rp.fetch_token(
        meta["token_endpoint"], authorization_response=location, code_verifier=verifier
    )
    claims = id_token_claims(meta, token["id_token"], nonce)
    assert claims["name"] == "Alice Liddell"
    userinfo = rp.get(meta["userinfo_endpoint"], timeout=10).json()
    assert userinfo["sub"] == claims["sub"] and userinfo["email"] == "alice@example.com"

    refreshed = rp.refresh_token(meta["token_endpoint"], refresh_token=token["refresh_token"])
    assert refreshed["refresh_token"] != token["refresh_token"]
    api = OAuth2Session("calendar-api", "calendar-api-secret")
    introspected = api.introspect_token(
        meta["introspection_endpoint"], token=refreshed["access_token"]
    ).json()
    assert introspected["active"] is True and introspected["aud"] == "calendar-api"

    rp.revoke_token(
        meta["revocation_endpoint"], refreshed["refresh_token"], token_type_hint="refresh_token"
    )
    assert api.introspect_token(
        meta["introspection_endpoint"], token=refreshed["access_token"]
    ).json() == {"active": False}


def test_code_issued_by_one_process_is_redeemed_at_another(idp):
    meta = discover(idp.issuer)
    rp = relying_party(idp)
    url, verifier, nonce = start_login(rp, meta)
    location = sign_in(requests.Session(), url)
    token = rp.fetch_token(
        idp.other + "/token", authorization_response=location, code_verifier=verifier
    )
    assert id_token_claims(meta, token["id_token"], nonce)["sub"]


def test_many_flows_across_two_workers_all_succeed_and_codes_stay_single_use(idp):
    meta = discover(idp.issuer)
    browser = requests.Session()  # one IdP session: later flows skip login and consent
    for _ in range(6):
        rp = relying_party(idp)
        url, verifier, _nonce = start_login(rp, meta)
        location = sign_in(browser, url)
        assert rp.fetch_token(
            meta["token_endpoint"], authorization_response=location, code_verifier=verifier
        )["access_token"]
        code = parse_qs(urlsplit(location).query)["code"][0]
        replay = requests.post(
            meta["token_endpoint"],
            auth=(CLIENT_ID, CLIENT_SECRET),
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": idp.redirect_uri,
                "code_verifier": verifier,
            },
            timeout=10,
        )
        assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"


def test_rp_initiated_logout_redirects_to_the_registered_uri_with_state(idp):
    meta = discover(idp.issuer)
    rp = relying_party(idp)
    url, verifier, _nonce = start_login(rp, meta)
    browser = requests.Session()
    token = rp.fetch_token(
        meta["token_endpoint"], authorization_response=sign_in(browser, url), code_verifier=verifier
    )
    response = browser.get(
        meta["end_session_endpoint"],
        allow_redirects=False,
        timeout=10,
        params={
            "id_token_hint": token["id_token"],
            "state": "bye",
            "post_logout_redirect_uri": idp.post_logout_redirect_uri,
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == idp.post_logout_redirect_uri + "?state=bye"


def test_backchannel_logout_token_reaches_the_client_and_verifies(idp):
    meta = discover(idp.issuer)
    rp = relying_party(idp)
    url, verifier, nonce = start_login(rp, meta)
    browser = requests.Session()
    token = rp.fetch_token(
        meta["token_endpoint"], authorization_response=sign_in(browser, url), code_verifier=verifier
    )
    sid = id_token_claims(meta, token["id_token"], nonce)["sid"]
    idp.logout_tokens.clear()
    browser.get(
        meta["end_session_endpoint"],
        params={"id_token_hint": token["id_token"]},
        allow_redirects=False,
        timeout=10,
    )
    [logout_token] = idp.logout_tokens
    keys = KeySet.import_key_set(requests.get(meta["jwks_uri"], timeout=10).json())
    decoded = jwt.decode(logout_token, keys, algorithms=["RS256"])
    assert decoded.header["typ"] == "logout+jwt"
    assert decoded.claims["sid"] == sid and decoded.claims["aud"] == CLIENT_ID
    assert "http://schemas.openid.net/event/backchannel-logout" in decoded.claims["events"]


def test_test_controls_hold_across_workers_and_processes(idp):
    service = ("reminder-job", "reminder-job-secret")
    requests.post(idp.issuer + "/test/reset", timeout=10)
    requests.post(idp.other + "/test/fail-next", json={"error": "invalid_grant"}, timeout=10)
    failed = requests.post(
        idp.issuer + "/token", data={"grant_type": "client_credentials"}, auth=service, timeout=10
    )
    assert failed.status_code == 400 and failed.json()["error"] == "invalid_grant"
    for _ in range(3):
        assert (
            requests.post(
                idp.issuer + "/token",
                data={"grant_type": "client_credentials"},
                auth=service,
                timeout=10,
            ).status_code
            == 200
        )
    counters = requests.get(idp.other + "/test/counters", timeout=10).json()
    assert counters == {"client_credentials": 4}
