"""OIDC Core §3.1.2.1: prompt, max_age, and consent remembered per user and client."""

import time

import pytest

from .conftest import ISSUER, query


@pytest.fixture
def signed_in(flow):
    """alice signed in and consented once; the flow keeps the IdP session cookie."""
    flow.code()
    return flow


def test_remembered_consent_skips_the_consent_page(signed_in):
    response = signed_in.authorize(state="again")
    params = query(response)
    assert response.status_code == 302
    assert params["code"] and params["state"] == "again" and params["iss"] == ISSUER


def test_consent_is_asked_again_for_a_scope_not_yet_allowed(flow):
    flow.code(scope="openid calendar:read")
    page = flow.authorize(scope="openid calendar:read calendar:write")
    assert "Add and delete events" in page.get_data(as_text=True)


def test_oidc_prompt_consent_asks_again(signed_in):
    assert ">Allow<" in signed_in.authorize(prompt="consent").get_data(as_text=True)


def test_oidc_prompt_login_forces_a_new_sign_in(signed_in):
    page = signed_in.authorize(prompt="login")
    assert "Sign in</button>" in page.get_data(as_text=True)
    after = signed_in.login(page)
    assert after.status_code == 302 and "code" in query(after)


def test_oidc_prompt_none_without_a_session_is_login_required(flow):
    params = query(flow.authorize(prompt="none"))
    assert params["error"] == "login_required"
    assert params["state"] == "st-1" and params["iss"] == ISSUER


def test_oidc_prompt_none_without_consent_is_consent_required(flow):
    flow.login(flow.authorize())
    params = query(flow.authorize(prompt="none"))
    assert params["error"] == "consent_required" and params["iss"] == ISSUER


def test_oidc_prompt_none_with_session_and_consent_issues_a_code(signed_in):
    assert "code" in query(signed_in.authorize(prompt="none"))


def test_oidc_prompt_none_combined_with_another_value_is_invalid_request(signed_in):
    assert query(signed_in.authorize(prompt="none login"))["error"] == "invalid_request"


def test_oidc_max_age_exceeded_forces_a_new_sign_in(signed_in, monkeypatch):
    later = time.time() + 120
    monkeypatch.setattr("idp_mock.authorize.time.time", lambda: later)
    page = signed_in.authorize(max_age="60")
    assert "Sign in</button>" in page.get_data(as_text=True)


def test_oidc_max_age_not_exceeded_keeps_the_session(signed_in):
    assert "code" in query(signed_in.authorize(max_age="3600"))


def test_oidc_max_age_exceeded_with_prompt_none_is_login_required(signed_in, monkeypatch):
    later = time.time() + 120
    monkeypatch.setattr("idp_mock.authorize.time.time", lambda: later)
    assert query(signed_in.authorize(max_age="60", prompt="none"))["error"] == "login_required"


def test_oidc_malformed_max_age_is_invalid_request(signed_in):
    assert query(signed_in.authorize(max_age="soon"))["error"] == "invalid_request"
