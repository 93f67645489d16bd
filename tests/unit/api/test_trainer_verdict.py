"""Trainer mode's Trainer-Verdict header is the verifier's own record, and changes no answer."""

import json
import time

import pytest

from api import create_app

from .fake_issuer import bearer
from .test_attacks import ATTACKER_KEY, alg_none, hs256_with_public_key, tampered_payload

SKIP = "not checked: {} failed first"


@pytest.fixture
def trainer_config(config):
    return config.model_copy(update=dict(trainer_mode=True))


def answer(client, token, path="/events"):
    response = client.get(path, headers=bearer(token))
    header = response.headers.get("Trainer-Verdict")
    return response, json.loads(header) if header else None


def outcomes(verdict):
    return {check["name"]: check["outcome"] for check in verdict["checks"]}


# name -> (how to make the token, the check that fails, the route)
REFUSALS = {
    "wrong typ": (lambda i: i.mint(header={"typ": "JWT"}), "typ", "/events"),
    "alg none": (alg_none, "alg", "/events"),
    "alg HS256": (hs256_with_public_key, "alg", "/events"),
    "unknown kid": (
        lambda i: i.mint(header={"kid": "attacker"}, key=ATTACKER_KEY),
        "kid",
        "/events",
    ),
    "bad signature": (tampered_payload, "signature", "/events"),
    "wrong iss": (lambda i: i.mint(iss="http://impostor.example"), "iss", "/events"),
    "wrong aud": (lambda i: i.mint(aud="another-api"), "aud", "/events"),
    "expired": (lambda i: i.mint(exp=int(time.time()) - 120), "exp", "/events"),
    "missing scope": (lambda i: i.user_token(scope="calendar:write"), "scope", "/events"),
    "service token on a user route": (lambda i: i.service_token(), "caller", "/events"),
    "user token on a service route": (lambda i: i.user_token(), "caller", "/reminders/upcoming"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_verdict_names_the_check_the_verifier_failed_and_skips_the_rest(
    config, trainer_config, issuer, case
):
    make, failed, path = REFUSALS[case]
    token = make(issuer)
    plain, none = answer(create_app(config).test_client(), token, path)
    trained, verdict = answer(create_app(trainer_config).test_client(), token, path)
    assert none is None
    assert verdict["decision"] == "refused" and verdict["source"] == "verified"
    checks = verdict["checks"]
    names = [check["name"] for check in checks]
    at = names.index(failed)
    assert [c["outcome"] for c in checks[:at]] == ["passed"] * at
    assert checks[at]["outcome"] == "failed" and checks[at]["detail"]
    assert failed == "scope" or checks[at + 1 :]  # scope is the last check
    assert all(
        c == {"name": c["name"], "outcome": "skipped", "detail": SKIP.format(failed)}
        for c in checks[at + 1 :]
    )
    assert len(names) == len(set(names))  # each check once
    # The production answer is the same with trainer mode on and off.
    assert trained.status_code == plain.status_code in (401, 403)
    assert trained.get_json() == plain.get_json()
    assert trained.headers.get("WWW-Authenticate") == plain.headers.get("WWW-Authenticate")


def test_verdict_of_an_accepted_token_lists_every_check_passed_in_order(trainer_config, issuer):
    response, verdict = answer(create_app(trainer_config).test_client(), issuer.user_token())
    assert response.status_code == 200 and verdict["decision"] == "accepted"
    names = [check["name"] for check in verdict["checks"]]
    assert names[:5] == ["format", "typ", "alg", "kid", "signature"]
    assert names[-2:] == ["caller", "scope"]
    assert {"iss", "aud", "exp", "sub", "client_id", "jti"} <= set(names)
    assert set(outcomes(verdict).values()) == {"passed"}


def test_verdict_of_a_cached_token_is_the_first_record_plus_the_key_still_published(
    trainer_config, issuer
):
    client = create_app(trainer_config).test_client()
    token = issuer.user_token()
    _, first = answer(client, token)
    _, again = answer(client, token)
    assert again["source"] == "cache" and again["decision"] == "accepted"
    assert again["checks"][0] == {
        "name": "kid",
        "outcome": "passed",
        "detail": f"key {issuer.signing_kid} still published",
    }
    assert again["checks"][1:] == first["checks"]


def test_verdict_after_a_rotation_drops_the_cached_token_and_fails_its_kid(
    config, trainer_config, issuer
):
    client = create_app(trainer_config.model_copy(update=dict(jwks_cache_seconds=0))).test_client()
    token = issuer.user_token()
    assert answer(client, token)[0].status_code == 200
    issuer.rotate()
    issuer.retire(next(kid for kid in issuer.keys if kid != issuer.signing_kid))
    response, verdict = answer(client, token)
    assert response.status_code == 401
    assert verdict["source"] == "verified" and outcomes(verdict)["kid"] == "failed"
    assert outcomes(verdict)["signature"] == "skipped"


def test_verdict_of_an_introspected_token_says_the_idp_decided(trainer_config, issuer):
    config = trainer_config.model_copy(
        update={
            "token_mode": "introspection",
            "client_id": "calendar-api",
            "client_secret": "calendar-api-secret",  # noqa: S106 (the fake issuer's test secret)
        }
    )
    client = create_app(config).test_client()
    response, verdict = answer(client, issuer.opaque_token(active=False))
    assert response.status_code == 401 and verdict["source"] == "introspection"
    assert verdict["checks"][0]["name"] == "introspection"
    assert verdict["checks"][0]["outcome"] == "failed"
    assert outcomes(verdict)["aud"] == "skipped"


def test_verdict_never_carries_the_token(trainer_config, issuer):
    token = issuer.user_token()
    response, _ = answer(create_app(trainer_config).test_client(), token)
    header = response.headers["Trainer-Verdict"]
    assert token not in header and token.split(".")[2] not in header


def test_no_verdict_without_a_bearer_token(trainer_config):
    client = create_app(trainer_config).test_client()
    assert "Trainer-Verdict" not in client.get("/events").headers
    assert "Trainer-Verdict" not in client.get("/healthz").headers
