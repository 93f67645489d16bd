"""The authorization endpoint: strict client checks, a real login, consent, RFC 9207 `iss`."""

import pytest
from idp_mock import create_app
from idp_mock.config import Config

from .conftest import ISSUER, REDIRECT_URI, Flow, form_action, hidden_fields, query


def test_authorize_shows_a_login_form_with_labelled_fields(flow):
    page = flow.authorize()
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<label for="username">Username</label>' in html
    assert '<label for="password">Password</label>' in html
    assert 'type="password" name="password" id="password"' in html
    assert "Sign in</button>" in html
    assert page.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("username, password", [("alice", "wrong"), ("mallory", "wonderland")])
def test_wrong_password_or_unknown_user_shows_the_form_again_without_a_code(
    flow, username, password
):
    response = flow.login(flow.authorize(), username, password)
    assert response.status_code == 401
    assert "Invalid username or password" in response.get_data(as_text=True)
    assert "idp_session" not in response.headers.get("Set-Cookie", "")


def test_login_sets_an_httponly_lax_session_cookie(flow):
    response = flow.login(flow.authorize())
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("idp_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie


def test_consent_page_lists_each_scope_description(flow):
    page = flow.login(flow.authorize())
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    for text in [
        "See your name",
        "See the events in your calendar",
        "Add and delete events in your calendar",
        ">Allow<",
        ">Deny<",
    ]:
        assert text in html


def test_allow_redirects_with_code_state_and_iss(flow):
    response = flow.consent(flow.login(flow.authorize()))
    params = query(response)
    assert response.location.startswith(REDIRECT_URI + "?")
    assert params["code"] and params["state"] == "st-1" and params["iss"] == ISSUER


def test_deny_redirects_with_access_denied_state_and_iss(flow):
    response = flow.consent(flow.login(flow.authorize()), decision="deny")
    params = query(response)
    assert params["error"] == "access_denied"
    assert params["state"] == "st-1" and params["iss"] == ISSUER
    assert "code" not in params


def test_signed_in_user_is_not_asked_to_sign_in_again(flow):
    flow.login(flow.authorize())
    page = flow.authorize(state="st-2")
    assert ">Allow<" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "overrides",
    [
        {"client_id": "nobody"},
        {"client_id": None},
        {"redirect_uri": "http://evil.example/bff/callback"},
        {"redirect_uri": REDIRECT_URI + "/"},
        {"redirect_uri": None},
    ],
)
def test_rfc6749_unknown_client_or_unregistered_redirect_uri_gets_an_error_page_never_a_redirect(
    flow, overrides
):
    response = flow.authorize(**overrides)
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert response.content_type.startswith("text/html")


@pytest.mark.parametrize(
    "overrides",
    [
        {"code_challenge": None, "code_challenge_method": None},
        {"code_challenge_method": None},
        {"code_challenge_method": "plain"},
    ],
)
def test_rfc7636_missing_or_plain_code_challenge_is_refused(flow, overrides):
    response = flow.authorize(**overrides)
    params = query(response)
    assert response.status_code == 302
    assert params["error"] == "invalid_request"
    assert params["state"] == "st-1" and params["iss"] == ISSUER


@pytest.mark.parametrize(
    "overrides, error",
    [
        ({"scope": "openid admin"}, "invalid_scope"),
        ({"scope": "openid calendar:reminders"}, "invalid_scope"),
        ({"response_type": "token"}, "unsupported_response_type"),
    ],
)
def test_rfc6749_bad_request_is_redirected_as_an_error_with_iss(flow, overrides, error):
    params = query(flow.authorize(**overrides))
    assert params["error"] == error and params["iss"] == ISSUER


def test_forged_csrf_token_is_refused_without_signing_in(flow):
    page = flow.authorize()
    fields = {**hidden_fields(page), "csrf_token": "forged"}
    response = flow.client.post(
        form_action(page), data={**fields, "username": "alice", "password": "wonderland"}
    )
    assert response.status_code == 400
    assert "idp_session" not in response.headers.get("Set-Cookie", "")


def test_consent_from_a_browser_without_the_session_is_refused(flow, app):
    page = flow.login(flow.authorize())
    other = app.test_client()
    response = other.post(form_action(page), data={**hidden_fields(page), "decision": "allow"})
    assert response.status_code == 400
    assert "Location" not in response.headers


def login_page_with(config, **env) -> str:
    settings = {"IDP_ISSUER": config.issuer, "REDIS_URL": config.redis_url, **env}
    app = create_app(Config.from_env(settings | {"IDP_KEYS_DIR": str(config.keys_dir)}))
    return Flow(app.test_client()).authorize().get_data(as_text=True)


def test_no_banner_unless_configured(config):
    assert 'class="banner"' not in login_page_with(config)


def test_idp_banner_text_shows_on_every_page_autoescaped(config):
    page = login_page_with(config, IDP_BANNER="Staging <b>copy</b> & co")
    assert '<p class="banner" role="note">Staging &lt;b&gt;copy&lt;/b&gt; &amp; co</p>' in page


def test_deprecated_idp_trainer_banner_shows_the_trainer_text(config):
    assert "Trainer mode · this is the identity provider" in login_page_with(
        config, IDP_TRAINER_BANNER="1"
    )
    assert "Trainer mode" not in login_page_with(config, IDP_TRAINER_BANNER="0")


def test_idp_banner_wins_over_the_deprecated_trainer_banner(config):
    page = login_page_with(config, IDP_BANNER="Workshop", IDP_TRAINER_BANNER="1")
    assert "Workshop" in page and "Trainer mode" not in page
