"""JWKS caching (RFC 8725 §3.1 keys only from the issuer) and the cache of verified tokens."""

import hashlib

import pytest

from api import create_app, jwt_tokens
from api.issuer import IssuerMetadata, JwksCache
from api.token_cache import VerifiedTokenCache

from .fake_issuer import bearer
from .test_attacks import ATTACKER_KEY


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_jwks_is_fetched_once_for_many_requests(client, issuer):
    for _ in range(5):
        assert client.get("/events", headers=bearer(issuer.user_token())).status_code == 200
    assert issuer.hits["/jwks"] == 1
    assert issuer.hits["/.well-known/openid-configuration"] == 1


def test_jwks_flood_of_unknown_kids_causes_at_most_one_refetch(client, issuer):
    client.get("/events", headers=bearer(issuer.user_token()))
    for n in range(50):
        forged = issuer.mint(header={"kid": f"forged-{n}"}, key=ATTACKER_KEY)
        assert client.get("/events", headers=bearer(forged)).status_code == 401
    assert issuer.hits["/jwks"] == 2


def test_jwks_unknown_kid_refetch_is_rate_limited_per_interval(issuer):
    clock = FakeClock()
    jwks = JwksCache(IssuerMetadata(issuer.url), lifetime=300, min_refetch=10, clock=clock)
    for second in range(30):
        clock.now = 1_000 + second
        assert jwks.get_key("forged") is None
    assert jwks.fetch_count == 1 + 3  # the first fetch, then one per 10 s


def test_jwks_is_refetched_after_its_lifetime(issuer):
    clock = FakeClock()
    jwks = JwksCache(IssuerMetadata(issuer.url), lifetime=300, min_refetch=10, clock=clock)
    jwks.publishes(None)
    clock.now += 299
    jwks.publishes(None)
    clock.now += 1
    jwks.publishes(None)
    assert issuer.hits["/jwks"] == 2


def test_key_rotation_is_picked_up_without_a_failing_request(client, issuer):
    old_token = issuer.user_token()
    assert client.get("/events", headers=bearer(old_token)).status_code == 200
    issuer.rotate()
    assert client.get("/events", headers=bearer(issuer.user_token())).status_code == 200
    assert client.get("/events", headers=bearer(old_token)).status_code == 200
    assert issuer.hits["/jwks"] == 2


def test_jwks_entries_the_api_cannot_use_do_not_hide_the_signing_key(client, issuer):
    issuer.odd_jwks_entries = [
        {"kty": "unknown", "kid": "odd"},
        {**issuer.keys[issuer.signing_kid].as_dict(private=False), "kid": "enc", "use": "enc"},
    ]
    assert client.get("/events", headers=bearer(issuer.user_token())).status_code == 200
    forged = issuer.mint(header={"kid": "enc"})  # signed by a key published only for encryption
    assert client.get("/events", headers=bearer(forged)).status_code == 401


def test_jwks_outage_keeps_the_keys_already_known(client, issuer, monkeypatch):
    config = client.application.extensions["api"].config.model_copy(
        update=dict(jwks_cache_seconds=0)
    )
    client = create_app(config).test_client()
    first, second = issuer.user_token(), issuer.user_token()
    assert client.get("/events", headers=bearer(first)).status_code == 200
    monkeypatch.setattr(issuer, "keys", None)  # the JWKS endpoint now answers 500
    assert client.get("/events", headers=bearer(second)).status_code == 200


def test_jwks_unreachable_at_start_is_not_asked_again_on_every_request(client, issuer, monkeypatch):
    tokens = [issuer.user_token() for _ in range(20)]
    monkeypatch.setattr(issuer, "keys", None)  # the JWKS endpoint now answers 500
    statuses = {client.get("/events", headers=bearer(t)).status_code for t in tokens}
    assert statuses == {503}
    assert issuer.hits["/jwks"] == 1


def test_verified_token_is_not_verified_again(client, issuer, monkeypatch):
    decoded = []
    real_decode = jwt_tokens.jwt.decode
    monkeypatch.setattr(
        jwt_tokens.jwt, "decode", lambda *a, **k: decoded.append(1) or real_decode(*a, **k)
    )
    token = issuer.user_token()
    for _ in range(10):
        assert client.get("/events", headers=bearer(token)).status_code == 200
    assert len(decoded) == 1


def test_verified_token_is_dropped_when_its_key_leaves_the_jwks(config, issuer):
    client = create_app(config.model_copy(update=dict(jwks_cache_seconds=0))).test_client()
    token = issuer.user_token()
    assert client.get("/events", headers=bearer(token)).status_code == 200
    issuer.retire(issuer.signing_kid)
    response = client.get("/events", headers=bearer(token))
    assert response.status_code == 401


def test_verified_token_cache_never_serves_a_token_past_its_exp():
    clock = FakeClock()
    cache = VerifiedTokenCache(max_size=10, clock=clock)
    cache.put("token", {"sub": "alice"}, "kid-1", expires_at=1_060)
    clock.now = 1_059
    assert cache.get("token")[:2] == ({"sub": "alice"}, "kid-1")
    clock.now = 1_060
    assert cache.get("token") is None


def test_verified_token_cache_is_bounded_and_keeps_the_recently_used():
    cache = VerifiedTokenCache(max_size=2, clock=FakeClock())
    cache.put("a", {}, "k", 9_999)
    cache.put("b", {}, "k", 9_999)
    cache.get("a")
    cache.put("c", {}, "k", 9_999)
    assert [cache.get(t) is not None for t in ("a", "b", "c")] == [True, False, True]


def test_verified_token_cache_holds_hashes_not_tokens():
    cache = VerifiedTokenCache(max_size=2)
    cache.put("secret-token", {}, "k", 9_999_999_999)
    assert list(cache._entries) == [hashlib.sha256(b"secret-token").hexdigest()]


@pytest.mark.parametrize("size", [0])
def test_verified_token_cache_of_size_zero_still_validates(config, issuer, size):
    client = create_app(
        config.model_copy(update=dict(verified_token_cache_size=size))
    ).test_client()
    assert client.get("/events", headers=bearer(issuer.user_token())).status_code == 200
