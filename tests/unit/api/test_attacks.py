"""RFC 8725 and RFC 9068 §4: every forged, misdirected or stale token is refused.

Each forged token is built here with joserfc, cryptography or by hand, because only a test that
holds the keys can produce the tokens an attacker would try.
"""

import base64
import hashlib
import hmac
import json
import time

import pytest
from cryptography.hazmat.primitives import serialization
from joserfc.jwk import RSAKey

from .fake_issuer import bearer, forge

ATTACKER_KEY = RSAKey.generate_key(2048, parameters={"kid": "attacker", "use": "sig"})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def alg_none(issuer):
    return forge({"alg": "none", "typ": "at+jwt", "kid": issuer.signing_kid}, issuer.claims())


def hs256_with_public_key(issuer):
    # The classic confusion: HMAC "signed" with the RSA public key every client can download.
    public_pem = issuer.keys[issuer.signing_kid].public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "typ": "at+jwt", "kid": issuer.signing_kid}
    unsigned = forge(header, issuer.claims()).rsplit(".", 1)[0]
    signature = hmac.new(public_pem, unsigned.encode(), hashlib.sha256).digest()
    return f"{unsigned}.{_b64(signature)}"


def tampered_payload(issuer):
    header, _, signature = issuer.mint().split(".")
    payload = _b64(json.dumps(issuer.claims(sub="bob")).encode())
    return f"{header}.{payload}.{signature}"


def alg_swapped(issuer):
    # A genuine RS256 signature presented as PS256: the header decides nothing by itself.
    _, payload, signature = issuer.mint().split(".")
    header = {"alg": "PS256", "typ": "at+jwt", "kid": issuer.signing_kid}
    return f"{_b64(json.dumps(header).encode())}.{payload}.{signature}"


def attacker_signed(**header):
    def make(issuer):
        urls = {
            name: issuer.url + value for name, value in header.items() if name in ("jku", "x5u")
        }
        return issuer.mint(header={"kid": "attacker", **header, **urls}, key=ATTACKER_KEY)

    return make


def attacker_signed_with_real_kid(issuer):
    return issuer.mint(header={"jwk": ATTACKER_KEY.as_dict(private=False)}, key=ATTACKER_KEY)


ATTACKS = {
    "alg-none": alg_none,
    "hs256-signed-with-public-key": hs256_with_public_key,
    "alg-swapped-to-ps256": alg_swapped,
    "typ-jwt": lambda issuer: issuer.mint(header={"typ": "JWT"}),
    "typ-missing": lambda issuer: issuer.mint(header={"typ": None}),
    "id-token-typ": lambda issuer: issuer.mint(header={"typ": "id_token+jwt"}),
    "wrong-iss": lambda issuer: issuer.mint(iss="http://evil.example"),
    "iss-with-trailing-slash": lambda issuer: issuer.mint(iss=issuer.url + "/"),
    "wrong-aud": lambda issuer: issuer.mint(aud="another-api"),
    "aud-list-without-us": lambda issuer: issuer.mint(aud=["a", "b"]),
    "expired": lambda issuer: issuer.mint(exp=int(time.time()) - 120),
    "nbf-in-future": lambda issuer: issuer.mint(nbf=int(time.time()) + 3600),
    "iat-in-future": lambda issuer: issuer.mint(iat=int(time.time()) + 3600),
    "missing-sub": lambda issuer: issuer.mint(sub=None),
    "missing-client-id": lambda issuer: issuer.mint(client_id=None),
    "missing-exp": lambda issuer: issuer.mint(exp=None),
    "missing-iss": lambda issuer: issuer.mint(iss=None),
    "missing-aud": lambda issuer: issuer.mint(aud=None),
    "missing-jti": lambda issuer: issuer.mint(jti=None),
    "unknown-kid": attacker_signed(),
    "missing-kid": lambda issuer: issuer.mint(header={"kid": None}),
    "jku-to-attacker-keys": attacker_signed(jku="/attacker-jwks"),
    "x5u-to-attacker-cert": attacker_signed(x5u="/attacker-cert"),
    "embedded-jwk-attacker-key": attacker_signed(jwk=ATTACKER_KEY.as_dict(private=False)),
    "embedded-jwk-with-real-kid": attacker_signed_with_real_kid,
    "tampered-payload": tampered_payload,
    "not-a-jwt": lambda issuer: "abc.def.ghi",
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_rfc8725_forged_or_misdirected_tokens_are_refused(client, issuer, attack):
    response = client.get("/events", headers=bearer(ATTACKS[attack](issuer)))
    assert (response.status_code, response.get_json()["error"]) == (401, "invalid_token")
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    # Keys come only from the issuer's JWKS: the attacker's URLs are never fetched.
    assert not any("attacker" in path for path in issuer.hits)


def test_rfc6750_token_in_query_string_is_never_used(client, issuer):
    # RFC 6750 §2.3 is not supported: the token is ignored, the call has no credentials.
    response = client.get("/events", query_string={"access_token": issuer.user_token()})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="calendar-api"'


@pytest.mark.parametrize(("kind", "alg"), [("RSA", "RS256"), ("RSA", "PS256"), ("EC", "ES256")])
def test_rfc8725_each_allowed_algorithm_is_accepted(client, issuer, kind, alg):
    issuer.signing_kid = issuer.add_key(kind)
    token = issuer.mint(header={"alg": alg})
    assert client.get("/events", headers=bearer(token)).status_code == 200


@pytest.mark.parametrize(
    "skewed",
    [
        pytest.param(lambda now: {"iat": now + 20, "nbf": now + 20}, id="issued-20s-ahead"),
        pytest.param(lambda now: {"exp": now - 20}, id="expired-20s-ago"),
    ],
)
def test_rfc9068_clock_skew_within_the_leeway_is_tolerated(client, issuer, skewed):
    token = issuer.mint(**skewed(int(time.time())))  # the default leeway is 30 s
    assert client.get("/events", headers=bearer(token)).status_code == 200


def test_rfc9068_aud_list_containing_the_api_is_accepted(client, issuer):
    token = issuer.mint(aud=["other-api", "calendar-api"])
    assert client.get("/events", headers=bearer(token)).status_code == 200
