"""RFC 6750 §3 and §3.1, clause by clause: one test per MUST or SHOULD of the challenge."""

import re

import pytest

from .fake_issuer import bearer

# RFC 7235 §2.1 auth-param: token "=" quoted-string (all the API ever sends).
AUTH_PARAM = re.compile(r'([a-z_]+)="((?:[^"\\]|\\.)*)"')
# §3: error_description and error_uri values: %x20-21 / %x23-5B / %x5D-7E.
DESCRIPTION_CHARS = re.compile(r"[\x20\x21\x23-\x5b\x5d-\x7e]*")
# §3: scope values %x21 / %x23-5B / %x5D-7E, delimited by %x20.
SCOPE_CHARS = re.compile(r"[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*")


def challenge_params(response) -> list[tuple[str, str]]:
    scheme, _, params = response.headers["WWW-Authenticate"].partition(" ")
    assert scheme == "Bearer"
    return AUTH_PARAM.findall(params)


FAILURES = {
    "no-credentials": lambda client, issuer: client.get("/events"),
    "malformed-request": lambda client, issuer: client.get(
        "/events", headers={"Authorization": "Bearer a b"}
    ),
    "invalid-token": lambda client, issuer: client.get(
        "/events", headers=bearer(issuer.mint(aud="another-api"))
    ),
    "insufficient-scope": lambda client, issuer: client.get(
        "/events", headers=bearer(issuer.user_token(scope="calendar:write"))
    ),
}


@pytest.mark.parametrize("failure", FAILURES)
def test_rfc6750_s3_every_refusal_carries_www_authenticate(client, issuer, failure):
    # "the resource server MUST include the HTTP WWW-Authenticate response header field"
    assert "WWW-Authenticate" in FAILURES[failure](client, issuer).headers


@pytest.mark.parametrize("failure", FAILURES)
def test_rfc6750_s3_challenge_is_bearer_with_at_least_one_auth_param(client, issuer, failure):
    # "MUST use the auth-scheme value Bearer ... followed by one or more auth-param values"
    assert challenge_params(FAILURES[failure](client, issuer))


@pytest.mark.parametrize("failure", FAILURES)
def test_rfc6750_s3_no_attribute_appears_more_than_once(client, issuer, failure):
    # realm, scope, error, error_description and error_uri "MUST NOT appear more than once"
    names = [name for name, _ in challenge_params(FAILURES[failure](client, issuer))]
    assert len(names) == len(set(names))
    assert names[0] == "realm"


@pytest.mark.parametrize("failure", ["malformed-request", "invalid-token", "insufficient-scope"])
def test_rfc6750_s3_error_description_uses_only_allowed_characters(client, issuer, failure):
    params = dict(challenge_params(FAILURES[failure](client, issuer)))
    assert DESCRIPTION_CHARS.fullmatch(params["error_description"])


def test_rfc6750_s3_error_description_drops_a_quote_from_a_claim_message(client, issuer):
    # A description built from a token's content must not break out of the quoted-string.
    token = issuer.mint(iss='https://evil.example/"x')
    params = dict(challenge_params(client.get("/events", headers=bearer(token))))
    assert params["error"] == "invalid_token"
    assert DESCRIPTION_CHARS.fullmatch(params["error_description"])


def test_rfc6750_s3_scope_attribute_is_space_delimited_scope_tokens(client, issuer):
    response = FAILURES["insufficient-scope"](client, issuer)
    params = dict(challenge_params(response))
    assert SCOPE_CHARS.fullmatch(params["scope"])
    assert params["scope"] == "calendar:read"


def test_rfc6750_s3_failed_authentication_includes_the_error_attribute(client, issuer):
    # "If the protected resource request included an access token and failed authentication,
    # the resource server SHOULD include the error attribute"
    params = dict(challenge_params(FAILURES["invalid-token"](client, issuer)))
    assert params["error"] == "invalid_token"


def test_rfc6750_s3_1_invalid_request_is_400(client, issuer):
    response = FAILURES["malformed-request"](client, issuer)
    assert response.status_code == 400
    assert dict(challenge_params(response))["error"] == "invalid_request"


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param([("Authorization", "Bearer a"), ("Authorization", "Bearer a")], id="repeated"),
        pytest.param([("Authorization", "Bearer")], id="missing-token"),
    ],
)
def test_rfc6750_s3_1_repeated_or_missing_parameter_is_invalid_request(client, headers):
    response = client.get("/events", headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_request"


def test_rfc6750_s3_1_more_than_one_method_is_invalid_request(client, issuer):
    token = issuer.user_token()
    response = client.get(f"/events?access_token={token}", headers=bearer(token))
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_request"


def test_rfc6750_s3_1_invalid_token_is_401(client, issuer):
    response = FAILURES["invalid-token"](client, issuer)
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_token"


def test_rfc6750_s3_1_insufficient_scope_is_403_and_may_name_the_scope(client, issuer):
    response = FAILURES["insufficient-scope"](client, issuer)
    assert response.status_code == 403
    params = dict(challenge_params(response))
    assert params["error"] == "insufficient_scope"
    assert "scope" in params


@pytest.mark.parametrize(
    "attempt",
    [
        pytest.param(lambda client, token: client.get("/events"), id="nothing"),
        pytest.param(
            lambda client, token: client.get("/events", headers={"Authorization": "Basic eDp5"}),
            id="basic-scheme",
        ),
        pytest.param(lambda client, token: client.get(f"/events?access_token={token}"), id="query"),
        pytest.param(
            lambda client, token: client.post("/events", data={"access_token": token}),
            id="form-body",
        ),
    ],
)
def test_rfc6750_s3_1_no_or_unsupported_authentication_has_no_error_information(
    client, issuer, attempt
):
    # "If the request lacks any authentication information (e.g., ... attempted using an
    # unsupported authentication method), the resource server SHOULD NOT include an error
    # code or other error information."
    response = attempt(client, issuer.user_token())
    assert response.status_code == 401
    assert challenge_params(response) == [("realm", "calendar-api")]
    assert "error" not in response.get_json()
