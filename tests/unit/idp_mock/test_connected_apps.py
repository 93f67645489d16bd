"""The connected apps page: users see who holds a grant and can revoke it."""

import re

from .conftest import BFF, BFF_AUTH, query


def apps_page(flow):
    return flow.client.get("/apps")


def revoke(flow, client_id="calendar-bff"):
    first_form = apps_page(flow).text.split("</form>")[0]
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', first_form))
    return flow.client.post("/apps/revoke", data={**fields, "client_id": client_id})


def test_connected_apps_asks_for_sign_in_and_returns_to_the_page(flow):
    page = apps_page(flow)
    assert "Sign in</button>" in page.text
    response = flow.login(page)
    assert response.status_code == 303 and response.location.endswith("/apps")
    assert "No application has access" in apps_page(flow).text


def test_connected_apps_lists_the_app_with_its_scopes(flow):
    flow.tokens()
    page = apps_page(flow)
    assert page.headers["Cache-Control"] == "no-store"
    assert "Calendar" in page.text and "See the events in your calendar" in page.text
    assert "Revoke access" in page.text


def test_revoking_an_app_kills_its_refresh_tokens_and_logs_it_out(flow, backchannel):
    tokens = flow.tokens()
    response = revoke(flow)
    assert response.status_code == 303
    refresh = flow.client.post(
        "/token",
        auth=BFF_AUTH,
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
    )
    assert refresh.get_json()["error"] == "invalid_grant"
    [(url, data)] = backchannel
    assert url == f"{BFF}/bff/backchannel-logout" and data["logout_token"]
    assert "No application has access" in apps_page(flow).text


def test_revoked_app_must_ask_for_consent_again(flow, backchannel):
    flow.tokens()
    revoke(flow)
    assert ">Allow<" in flow.authorize().text


def test_revoking_without_the_page_csrf_token_is_refused(flow, backchannel):
    flow.tokens()
    response = flow.client.post("/apps/revoke", data={"client_id": "calendar-bff"})
    assert response.status_code == 400
    assert backchannel == []
    assert "code" in query(flow.authorize())  # consent still remembered
