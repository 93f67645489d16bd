"""RP-Initiated Logout 1.0 and Back-Channel Logout 1.0."""

import pytest

from .conftest import BFF, ISSUER, Flow, form_action, hidden_fields, query, verify

EVENT = "http://schemas.openid.net/event/backchannel-logout"
POST_LOGOUT = f"{BFF}/"


def logout(flow, **params):
    return flow.client.get("/logout", query_string=params)


def test_rp_initiated_logout_with_hint_redirects_with_state(flow, backchannel):
    id_token = flow.tokens()["id_token"]
    response = logout(
        flow, id_token_hint=id_token, post_logout_redirect_uri=POST_LOGOUT, state="bye"
    )
    assert response.status_code == 302
    assert response.location.startswith(POST_LOGOUT) and query(response)["state"] == "bye"
    assert "idp_session=;" in response.headers["Set-Cookie"]


def test_rp_initiated_logout_ends_the_idp_session(flow, backchannel):
    id_token = flow.tokens()["id_token"]
    logout(flow, id_token_hint=id_token, post_logout_redirect_uri=POST_LOGOUT)
    page = flow.authorize(prompt="none")
    assert query(page)["error"] == "login_required"


def test_backchannel_logout_token_is_posted_when_the_session_ends(flow, backchannel, client):
    tokens = flow.tokens()
    sid = verify(client, tokens["id_token"]).claims["sid"]
    logout(flow, id_token_hint=tokens["id_token"], post_logout_redirect_uri=POST_LOGOUT)
    [(url, data)] = backchannel
    assert url == f"{BFF}/bff/backchannel-logout"
    token = verify(client, data["logout_token"])
    assert token.header["typ"] == "logout+jwt"
    claims = token.claims
    assert claims["iss"] == ISSUER and claims["aud"] == "calendar-bff"
    assert claims["sid"] == sid and claims["sub"] and claims["jti"] and claims["iat"]
    assert claims["events"] == {EVENT: {}} and "nonce" not in claims


@pytest.mark.parametrize(
    "params",
    [
        {"post_logout_redirect_uri": "http://evil.example/"},
        {"post_logout_redirect_uri": POST_LOGOUT + "x"},
        {"client_id": "nobody", "post_logout_redirect_uri": POST_LOGOUT},
    ],
)
def test_rp_initiated_logout_never_redirects_to_an_unregistered_uri(flow, params):
    id_token = flow.tokens()["id_token"]
    response = logout(flow, id_token_hint=id_token, **params)
    assert response.status_code == 400 and "Location" not in response.headers


def test_rp_initiated_logout_with_a_forged_hint_is_refused(flow):
    id_token = flow.tokens()["id_token"]
    head, payload, signature = id_token.split(".")
    forged = ".".join([head, payload, signature[::-1]])
    response = logout(flow, id_token_hint=forged, post_logout_redirect_uri=POST_LOGOUT)
    assert response.status_code == 400 and "Location" not in response.headers


def test_rp_initiated_logout_without_hint_asks_for_confirmation(flow, backchannel):
    flow.tokens()
    page = logout(flow)
    assert page.status_code == 200 and "Sign out</button>" in page.get_data(as_text=True)
    assert backchannel == []
    done = flow.client.post("/logout", data=hidden_fields(page))
    assert "You are signed out" in done.get_data(as_text=True)
    assert len(backchannel) == 1


def test_logout_without_a_session_still_answers(client):
    assert client.post("/logout").status_code == 200


def still_signed_in(flow) -> bool:
    return "code" in query(flow.authorize(prompt="none"))


def deletes_the_session_cookie(response) -> bool:
    return any(c.startswith("idp_session=;") for c in response.headers.getlist("Set-Cookie"))


@pytest.mark.parametrize("other_user", ["alice", "bob"])
def test_rp_initiated_logout_with_a_hint_from_another_session_asks_first(
    flow, app, backchannel, other_user
):
    flow.tokens()
    other = Flow(app.test_client())
    password = {"alice": "wonderland", "bob": "builder"}[other_user]
    other.login(other.authorize(), other_user, password)
    hint = other.tokens()["id_token"]  # valid, ours, but not of this browser's session
    page = logout(flow, id_token_hint=hint, post_logout_redirect_uri=POST_LOGOUT, state="s")
    assert page.status_code == 200 and "Sign out of idp-mock?" in page.text
    assert "Location" not in page.headers and not deletes_the_session_cookie(page)
    assert backchannel == [] and still_signed_in(flow)


def test_rp_initiated_logout_confirmed_on_the_page_ends_the_session_and_redirects(
    flow, app, backchannel
):
    flow.tokens()
    other = Flow(app.test_client())
    hint = other.tokens()["id_token"]
    page = logout(flow, id_token_hint=hint, post_logout_redirect_uri=POST_LOGOUT, state="s")
    done = flow.client.post(form_action(page), data=hidden_fields(page))
    assert done.status_code == 302 and query(done)["state"] == "s"
    assert deletes_the_session_cookie(done) and len(backchannel) == 1
    assert not still_signed_in(flow)


def test_logout_csrf_a_post_without_the_pages_token_changes_nothing(flow, backchannel):
    flow.tokens()
    response = flow.client.post("/logout")  # what a cross-site form can send
    assert response.status_code == 200 and "Sign out of idp-mock?" in response.text
    assert not deletes_the_session_cookie(response)  # never half-done
    assert backchannel == [] and still_signed_in(flow)


def test_logout_csrf_a_confirmation_token_of_another_session_is_refused(flow, app, backchannel):
    other = Flow(app.test_client())
    other.tokens()
    attackers_page = other.client.get("/logout")
    flow.tokens()
    response = flow.client.post("/logout", data=hidden_fields(attackers_page))
    assert "Sign out of idp-mock?" in response.text and still_signed_in(flow)
    assert backchannel == []
