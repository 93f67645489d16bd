"""Refresh token rotation with family revocation, code replay, and client credentials."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from idp_mock.current import idp

from .conftest import BFF_AUTH, verify

SERVICE_AUTH = ("reminder-job", "reminder-job-secret")


@pytest.fixture
def config(config, request, tmp_path):
    """The demo configuration, or with `refresh_token_reuse_grace` set to the test's param."""
    grace = getattr(request, "param", None)
    if grace is None:
        return config
    setting = "refresh_token_reuse_grace: "
    path = tmp_path / "idp-config.yaml"
    path.write_text(config.config_file.read_text().replace(setting + "30", f"{setting}{grace}"))
    return config.model_copy(update={"config_file": path})


def refresh(client, refresh_token, auth=BFF_AUTH, **extra):
    return client.post(
        "/token",
        auth=auth,
        data={"grant_type": "refresh_token", "refresh_token": refresh_token, **extra},
    )


def test_rfc9700_refresh_rotates_the_refresh_token(flow, client):
    old = flow.tokens()["refresh_token"]
    response = refresh(client, old)
    body = response.get_json()
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert body["refresh_token"] != old
    assert verify(client, body["access_token"]).claims["aud"] == "calendar-api"


def test_rfc9700_rotated_refresh_token_is_inactive(flow, client):
    old = flow.tokens()["refresh_token"]
    refresh(client, old)
    response = client.post("/introspect", data={"token": old}, auth=BFF_AUTH)
    assert response.get_json() == {"active": False}


def past_the_grace_period(app) -> None:
    """Make every rotation look older than the reuse grace period."""
    store = idp(app).store
    for key, value in store.scan("rt-rotated").items():
        store.put("rt-rotated", key, json.loads(value) | {"rotated_at": 0}, 60)


def test_rfc9700_reused_refresh_token_revokes_the_whole_family(flow, client, app):
    first = flow.tokens()["refresh_token"]
    second = refresh(client, first).get_json()["refresh_token"]
    past_the_grace_period(app)
    reuse = refresh(client, first)
    assert reuse.status_code == 400 and reuse.get_json()["error"] == "invalid_grant"
    assert refresh(client, second).get_json()["error"] == "invalid_grant"


def test_a_refresh_retried_within_the_grace_period_succeeds_and_using_it_retires_the_lost_answer(
    flow, client
):
    first = flow.tokens()["refresh_token"]
    lost = refresh(client, first).get_json()["refresh_token"]  # the answer that never arrived
    retry = refresh(client, first)
    assert retry.status_code == 200
    newest = refresh(client, retry.get_json()["refresh_token"])
    assert newest.status_code == 200
    assert refresh(client, lost).get_json()["error"] == "invalid_grant"
    assert refresh(client, newest.get_json()["refresh_token"]).status_code == 200  # family lives


def test_a_retry_within_the_grace_period_may_be_retried_again(flow, client):
    first = flow.tokens()["refresh_token"]
    refresh(client, first)
    assert refresh(client, first).status_code == 200
    second_retry = refresh(client, first)
    assert second_retry.status_code == 200  # the retry's own answer may be lost too
    assert refresh(client, second_retry.get_json()["refresh_token"]).status_code == 200


def test_a_late_request_the_client_gave_up_on_does_not_retire_the_answer_it_kept(flow, client):
    # Requests that timed out at the client can reach a stalled IdP after the client's retry.
    first = flow.tokens()["refresh_token"]
    refresh(client, first)  # given up on
    kept = refresh(client, first).get_json()["refresh_token"]  # the client's retry
    assert refresh(client, first).status_code == 200  # another request given up on, late
    assert refresh(client, kept).status_code == 200


def test_concurrent_retries_of_one_lost_answer_all_succeed_and_the_one_used_wins(flow, app):
    first = flow.tokens()["refresh_token"]
    refresh(app.test_client(), first)  # the answer that never arrived
    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(lambda _: refresh(app.test_client(), first), range(6)))
    assert [r.status_code for r in responses] == [200] * 6
    kept, *others = [r.get_json()["refresh_token"] for r in responses]
    assert refresh(app.test_client(), kept).status_code == 200
    for other in others:
        assert refresh(app.test_client(), other).get_json()["error"] == "invalid_grant"


def test_a_rotated_token_has_its_record_or_its_reuse_marker_at_every_moment(
    flow, client, app, monkeypatch
):
    # A concurrent refresh that found neither would take the token for an unknown one and
    # answer invalid_grant, signing the user out: after an IdP stall, the queued requests the
    # client gave up on and the client's own retry all arrive at once.
    store = idp(app).store
    marked_when_deleted = []
    delete = store.delete

    def checked_delete(kind: str, key: str) -> None:
        if kind == "rt":
            marked_when_deleted.append(store.get("rt-rotated", key) is not None)
        delete(kind, key)

    monkeypatch.setattr(store, "delete", checked_delete)
    first = flow.tokens()["refresh_token"]
    assert refresh(client, first).status_code == 200
    assert refresh(client, first).status_code == 200  # a retry within the grace period
    assert marked_when_deleted and all(marked_when_deleted)


def test_within_the_grace_period_a_token_two_rotations_old_is_still_a_reuse(flow, client):
    first = flow.tokens()["refresh_token"]
    second = refresh(client, first).get_json()["refresh_token"]
    third = refresh(client, second).get_json()["refresh_token"]
    assert refresh(client, first).get_json()["error"] == "invalid_grant"
    assert refresh(client, third).get_json()["error"] == "invalid_grant"  # family revoked


def test_refresh_keeps_subject_session_and_auth_time(flow, client):
    tokens = flow.tokens()
    before = verify(client, tokens["access_token"]).claims
    after = verify(client, refresh(client, tokens["refresh_token"]).get_json()["access_token"])
    for claim in ("sub", "sid", "auth_time", "client_id"):
        assert after.claims[claim] == before[claim]


def test_rfc6749_refresh_with_narrower_scope_is_allowed_and_wider_is_invalid_scope(flow, client):
    token = flow.tokens(scope="openid offline_access calendar:read")["refresh_token"]
    wider = refresh(client, token, scope="openid calendar:write")
    assert wider.get_json()["error"] == "invalid_scope"
    narrower = refresh(client, token, scope="openid calendar:read")
    assert narrower.get_json()["scope"] == "openid calendar:read"


def test_rfc6749_refresh_token_of_another_client_is_invalid_grant(flow, client):
    token = flow.tokens()["refresh_token"]
    response = refresh(client, token, auth=("calendar-api", "calendar-api-secret"))
    assert response.status_code == 400
    assert response.get_json()["error"] in {"invalid_grant", "unauthorized_client"}
    assert refresh(client, token).status_code == 200  # the owner can still use it


def test_rfc6749_replayed_code_revokes_the_tokens_issued_from_it(flow, client):
    code = flow.code()
    tokens = flow.redeem(code).get_json()
    assert flow.redeem(code).get_json()["error"] == "invalid_grant"
    assert refresh(client, tokens["refresh_token"]).get_json()["error"] == "invalid_grant"


@pytest.mark.parametrize("use_basic", [True, False])
def test_rfc6749_client_credentials_token_names_the_client_as_subject(client, use_basic):
    data = {"grant_type": "client_credentials", "scope": "calendar:reminders"}
    if use_basic:
        response = client.post("/token", data=data, auth=SERVICE_AUTH)
    else:
        response = client.post(
            "/token", data={**data, "client_id": SERVICE_AUTH[0], "client_secret": SERVICE_AUTH[1]}
        )
    body = response.get_json()
    assert response.status_code == 200 and "refresh_token" not in body
    claims = verify(client, body["access_token"]).claims
    assert claims["sub"] == claims["client_id"] == "reminder-job"
    assert claims["aud"] == "calendar-api" and claims["scope"] == "calendar:reminders"
    assert "auth_time" not in claims and "sid" not in claims


def test_rfc6749_client_credentials_without_scope_gets_the_clients_scopes(client):
    body = client.post(
        "/token", data={"grant_type": "client_credentials"}, auth=SERVICE_AUTH
    ).get_json()
    assert body["scope"] == "calendar:reminders"


@pytest.mark.parametrize(
    "auth, scope, status, error",
    [
        (SERVICE_AUTH, "calendar:read", 400, "invalid_scope"),
        (SERVICE_AUTH, "unknown", 400, "invalid_scope"),
        (BFF_AUTH, "calendar:read", 400, "unauthorized_client"),
        (("reminder-job", "wrong"), "calendar:reminders", 401, "invalid_client"),
    ],
)
def test_rfc6749_client_credentials_errors(client, auth, scope, status, error):
    response = client.post(
        "/token", data={"grant_type": "client_credentials", "scope": scope}, auth=auth
    )
    assert response.status_code == status and response.get_json()["error"] == error


@pytest.mark.parametrize("config", [0], indirect=True)  # strict rotation, no grace period
def test_rfc9700_parallel_use_of_one_refresh_token_counts_as_reuse(flow, app):
    token = flow.tokens()["refresh_token"]
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(lambda _: refresh(app.test_client(), token), range(8)))
    winners = [r.get_json() for r in responses if r.status_code == 200]
    assert len(winners) <= 1  # never two new tokens from one refresh token
    assert all(r.get_json()["error"] == "invalid_grant" for r in responses if r.status_code != 200)
    if winners:  # the reuse revoked the family, the winner's new token included
        assert refresh(app.test_client(), winners[0]["refresh_token"]).status_code == 400


def test_rfc6749_parallel_redemption_of_one_code_yields_at_most_one_live_grant(flow, app):
    code = flow.code()
    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(lambda _: flow.redeem(code), range(6)))
    winners = [r.get_json() for r in responses if r.status_code == 200]
    assert len(winners) <= 1
    if winners:  # the replays revoked what the code produced
        assert refresh(app.test_client(), winners[0]["refresh_token"]).status_code == 400
