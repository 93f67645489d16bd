"""Starting a login: Authorization Code with PKCE S256, state and nonce (RFC 7636, RFC 9700)."""

from urllib.parse import parse_qs, urlsplit

from bff import create_app
from devstack.ports import free_port

from .conftest import make_config, sign_out


def start_login(client, return_to="/"):
    response = client.get("/bff/login", query_string={"returnTo": return_to})
    assert response.status_code == 302
    return parse_qs(urlsplit(response.headers["Location"]).query)


def test_rfc7636_login_redirect_carries_s256_challenge_state_and_nonce(client, api_server):
    params = start_login(client)
    assert params["response_type"] == ["code"]
    assert params["client_id"] == ["calendar-bff"]
    assert params["redirect_uri"] == ["http://localhost:8000/bff/callback"]
    assert params["code_challenge_method"] == ["S256"]
    assert len(params["code_challenge"][0]) == 43
    assert params["state"][0] and params["nonce"][0]


def test_login_redirect_goes_to_the_discovered_authorization_endpoint(client, api_server):
    response = client.get("/bff/login")
    assert response.headers["Location"].startswith(api_server.url + "/authorize?")


def test_several_tabs_may_have_logins_pending_at_once(client):
    first, second = start_login(client)["state"][0], start_login(client)["state"][0]
    assert first != second
    with client.session_transaction() as session:
        pending = [key for key in session if key.startswith("_state_idp_")]
    assert sorted(pending) == sorted(f"_state_idp_{s}" for s in (first, second))


def test_callback_with_unknown_state_is_an_error_page_and_no_login(client):
    start_login(client)
    response = client.get("/bff/callback", query_string={"code": "c", "state": "forged"})
    assert response.status_code == 400 and b"unknown or expired" in response.data
    with client.session_transaction() as session:
        assert "login_id" not in session


def test_callback_without_state_is_an_error_page(client):
    response = client.get("/bff/callback", query_string={"code": "c"})
    assert response.status_code == 400 and b"Sign-in failed" in response.data


def test_callback_with_idp_error_is_an_error_page_and_ends_that_flow(client):
    state = start_login(client)["state"][0]
    response = client.get("/bff/callback", query_string={"error": "access_denied", "state": state})
    assert response.status_code == 400 and b"access_denied" in response.data
    with client.session_transaction() as session:
        assert f"_state_idp_{state}" not in session and "login_id" not in session


def test_rfc9207_callback_from_another_issuer_is_refused(client):
    state = start_login(client)["state"][0]
    query = {"code": "c", "state": state, "iss": "https://evil.example"}
    response = client.get("/bff/callback", query_string=query)
    assert response.status_code == 400 and b"unexpected issuer" in response.data


def test_logout_without_end_session_endpoint_is_local(client, auth):
    auth.sign_in()
    response = sign_out(client)
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_login_while_the_idp_is_unreachable_shows_a_502_page_not_a_500(redis_url, api_server):
    config = make_config(redis_url, api_server.url, oidc_issuer=f"http://127.0.0.1:{free_port()}")
    response = create_app(config).test_client().get("/bff/login")
    assert response.status_code == 502 and b"could not be reached" in response.data
