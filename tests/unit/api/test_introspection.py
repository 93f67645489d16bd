"""RFC 7662 mode: opaque tokens checked by introspection give the caller the same answers."""

import time

import pytest

from api import create_app

from .fake_issuer import bearer

EVENT = {"title": "Dentist", "start": "2026-12-01T09:00:00Z", "end": "2026-12-01T10:00:00Z"}


@pytest.fixture
def introspecting(config):
    config = config.model_copy(
        update=dict(
            token_mode="introspection",
            client_id="calendar-api",
            client_secret="calendar-api-secret",
        )
    )
    return create_app(config).test_client()


def test_rfc7662_active_token_is_accepted_and_isolated_by_sub(introspecting, issuer):
    alice, bob = bearer(issuer.opaque_token(sub="alice")), bearer(issuer.opaque_token(sub="bob"))
    assert introspecting.post("/events", json=EVENT, headers=alice).status_code == 201
    assert len(introspecting.get("/events", headers=alice).get_json()["events"]) == 1
    assert introspecting.get("/events", headers=bob).get_json() == {"events": []}


def test_rfc7662_answers_are_cached_briefly(introspecting, issuer):
    token = bearer(issuer.opaque_token())
    for _ in range(10):
        assert introspecting.get("/events", headers=token).status_code == 200
    assert issuer.hits["/introspect"] == 1


def test_rfc7662_cached_answer_is_reused_only_for_a_short_time(introspecting, issuer):
    validator = introspecting.application.extensions["api"].validator
    now = [time.time()]
    validator.cache.clock = lambda: now[0]
    validator.clock = lambda: now[0]
    token = bearer(issuer.opaque_token(exp=int(now[0]) + 3600))
    introspecting.get("/events", headers=token)
    now[0] += 29
    introspecting.get("/events", headers=token)
    now[0] += 2
    introspecting.get("/events", headers=token)
    assert issuer.hits["/introspect"] == 2


def test_rfc7662_the_api_authenticates_with_its_own_credentials(config, issuer):
    config = config.model_copy(
        update=dict(token_mode="introspection", client_id="calendar-api", client_secret="wrong")
    )
    client = create_app(config).test_client()
    response = client.get("/events", headers=bearer(issuer.opaque_token()))
    assert response.status_code == 503
    assert response.get_json()["error"] == "temporarily_unavailable"


CASES = {
    "valid": ({}, "user", 200),
    "expired": ({"exp": 1_000_000_000}, "user", 401),
    "not-yet-valid": ({"nbf": 4_000_000_000}, "user", 401),
    "other-audience": ({"aud": "another-api"}, "user", 401),
    "other-issuer": ({"iss": "http://evil.example"}, "user", 401),
    "missing-sub": ({"sub": None}, "user", 401),
    "missing-client-id": ({"client_id": None}, "user", 401),
    "missing-scope": ({"scope": "openid"}, "user", 403),
    "service-token": ({"sub": "reminder-job", "client_id": "reminder-job"}, "user", 403),
    "inactive": ({}, "inactive", 401),
    "no-token": ({}, "none", 401),
}


@pytest.mark.parametrize("case", CASES)
def test_rfc7662_mode_gives_the_same_answers_as_jwt_mode(client, introspecting, issuer, case):
    claims, kind, status = CASES[case]
    jwt_token = issuer.mint(header={"kid": "retired"} if kind == "inactive" else {}, **claims)
    opaque = issuer.opaque_token(active=kind != "inactive", **claims)
    headers = (lambda token: {}) if kind == "none" else bearer
    answers = {
        mode: (
            response.status_code,
            (response.get_json() or {}).get("error"),
            response.headers.get("WWW-Authenticate", "").split(", error_description")[0],
        )
        for mode, response in (
            ("jwt", client.get("/events", headers=headers(jwt_token))),
            ("introspection", introspecting.get("/events", headers=headers(opaque))),
        )
    }
    assert answers["jwt"] == answers["introspection"]
    assert answers["jwt"][0] == status
