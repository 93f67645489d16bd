"""OpenID Connect Back-Channel Logout 1.0 §2.6: validate the logout token, end matching sessions."""

import time

import pytest
from joserfc.jwk import OctKey, RSAKey

from .conftest import CSRF, body


def post_logout(client, token):
    return client.post("/bff/backchannel-logout", data={"logout_token": token})


def test_valid_logout_token_ends_every_session_of_that_idp_session(client, auth, logout_token):
    auth.sign_in()
    response = post_logout(client, logout_token())
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert client.get("/bff/user", headers=CSRF).status_code == 401


def test_logout_token_with_only_sub_ends_all_sessions_of_that_user(client, auth, logout_token):
    auth.sign_in()
    assert post_logout(client, logout_token(sid=None)).status_code == 200
    assert client.get("/bff/user", headers=CSRF).status_code == 401


def test_logout_token_for_another_idp_session_leaves_this_one(client, auth, logout_token):
    auth.sign_in()
    assert post_logout(client, logout_token(sid="other-session", sub="user-2")).status_code == 200
    assert client.get("/bff/user", headers=CSRF).status_code == 200


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"iss": "https://evil.example"}, "claim check failed"),
        ({"aud": "another-client"}, "claim check failed"),
        ({"iat": None}, "claim check failed"),
        ({"jti": None}, "claim check failed"),
        ({"exp": int(time.time()) - 600}, "claim check failed"),
        ({"iat": int(time.time()) - 3600}, "too old"),
        ({"events": None}, "no back-channel logout event"),
        ({"events": {"http://schemas.openid.net/event/backchannel-logout": "yes"}}, "event"),
        ({"nonce": "n-1"}, "nonce"),
        ({"sid": None, "sub": None}, "neither sid nor sub"),
    ],
)
def test_invalid_logout_token_is_refused_and_ends_nothing(
    client, auth, logout_token, changes, reason
):
    auth.sign_in()
    response = post_logout(client, logout_token(**changes))
    assert response.status_code == 400 and reason in body(response)["error_description"]
    assert client.get("/bff/user", headers=CSRF).status_code == 200


def test_logout_token_signed_by_an_unknown_key_is_refused(client, auth, logout_token):
    auth.sign_in()
    stranger = RSAKey.generate_key(2048, parameters={"kid": "idp-key-1"})
    response = post_logout(client, logout_token(key=stranger))
    assert response.status_code == 400 and "signature" in body(response)["error_description"]


def test_logout_token_with_hmac_or_none_alg_is_refused(client, auth, logout_token):
    auth.sign_in()
    hmac = logout_token(
        header={"alg": "HS256", "typ": "logout+jwt"}, key=OctKey.import_key("k" * 32)
    )
    assert post_logout(client, hmac).status_code == 400
    assert client.get("/bff/user", headers=CSRF).status_code == 200


def test_replayed_logout_token_is_refused(client, logout_token):
    token = logout_token()
    assert post_logout(client, token).status_code == 200
    response = post_logout(client, token)
    assert response.status_code == 400 and "replayed" in body(response)["error_description"]


def test_missing_logout_token_is_a_json_400(client):
    response = client.post("/bff/backchannel-logout")
    assert response.status_code == 400 and body(response)["error"] == "invalid_request"


def test_back_channel_logout_needs_no_csrf_header_it_is_server_to_server(client, logout_token):
    assert post_logout(client, logout_token()).status_code == 200
