"""The API against tokens the real IdP issued: RFC 6750 answers and RFC 9068 audience checks."""

import pytest
import requests

from tests.support.bff_state import login_records


@pytest.fixture
def alice_tokens(stack, redis_url):
    """Alice's real tokens, as the BFF holds them after a login."""
    stack.signed_in("alice")
    (record,) = login_records(redis_url).values()
    return record


def test_real_access_token_reads_the_calendar(stack, alice_tokens):
    answer = requests.get(
        stack.api + "/events", headers={"Authorization": "Bearer " + alice_tokens["access_token"]}
    )
    assert answer.status_code == 200 and "events" in answer.json()


def test_rfc6750_no_token_is_401_with_realm_and_no_error_code(stack):
    answer = requests.get(stack.api + "/events")
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer realm=")
    assert "error=" not in answer.headers["WWW-Authenticate"]


def test_rfc9068_id_token_is_not_an_access_token_for_the_api(stack, alice_tokens):
    # The ID token is signed by the same IdP but its audience is the BFF, and its typ is not at+jwt.
    answer = requests.get(
        stack.api + "/events", headers={"Authorization": "Bearer " + alice_tokens["id_token"]}
    )
    assert (
        answer.status_code == 401 and 'error="invalid_token"' in answer.headers["WWW-Authenticate"]
    )


def test_rfc6750_token_in_the_query_string_counts_as_no_credentials(stack, alice_tokens):
    # RFC 6750 §3.1: an unsupported authentication method gets no error code.
    answer = requests.get(
        stack.api + "/events", params={"access_token": alice_tokens["access_token"]}
    )
    assert answer.status_code == 401 and "error" not in answer.json()


def test_rfc6750_malformed_authorization_header_is_400_invalid_request(stack):
    answer = requests.get(stack.api + "/events", headers={"Authorization": "Bearer two words"})
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_request"
