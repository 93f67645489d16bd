"""Discovery metadata, the JWKS and health: truthful, and keys that survive a restart."""

from idp_mock import create_app

from .conftest import ISSUER


def test_discovery_endpoints_are_built_from_the_issuer(client):
    meta = client.get("/.well-known/openid-configuration").get_json()
    assert meta["issuer"] == ISSUER
    for name, path in [
        ("authorization_endpoint", "/authorize"),
        ("token_endpoint", "/token"),
        ("jwks_uri", "/jwks"),
        ("userinfo_endpoint", "/userinfo"),
        ("revocation_endpoint", "/revoke"),
        ("introspection_endpoint", "/introspect"),
        ("end_session_endpoint", "/logout"),
    ]:
        assert meta[name] == ISSUER + path


def test_discovery_is_truthful_every_advertised_endpoint_answers(client):
    meta = client.get("/.well-known/openid-configuration").get_json()
    for name, url in meta.items():
        if name.endswith(("_endpoint", "_uri")):
            path = url.removeprefix(ISSUER)
            assert client.get(path).status_code != 404, name
            assert client.post(path).status_code != 404, name
    assert set(meta["grant_types_supported"]) == {
        "authorization_code",
        "refresh_token",
        "client_credentials",
    }
    assert meta["backchannel_logout_supported"] is True
    assert meta["backchannel_logout_session_supported"] is True


def test_discovery_advertises_only_s256_and_the_iss_parameter(client):
    meta = client.get("/.well-known/openid-configuration").get_json()
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert meta["response_types_supported"] == ["code"]
    assert meta["authorization_response_iss_parameter_supported"] is True
    assert meta["id_token_signing_alg_values_supported"] == ["RS256"]
    assert "authorization_code" in meta["grant_types_supported"]


def test_jwks_publishes_public_rsa_keys_only(client):
    keys = client.get("/jwks").get_json()["keys"]
    assert len(keys) == 1
    assert keys[0]["kty"] == "RSA" and keys[0]["kid"] and keys[0]["alg"] == "RS256"
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(keys[0])


def test_signing_key_persists_across_restarts(config):
    first = create_app(config).test_client().get("/jwks").get_json()
    second = create_app(config).test_client().get("/jwks").get_json()
    assert first == second


def test_healthz_answers_ok_without_authentication(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
