"""Public clients (no secret) are held to PKCE S256 like everyone else (RFC 9700 §2.1.1)."""

import pytest
from idp_mock import create_app

from .conftest import Flow, demo_config_text

SPA_REDIRECT = "http://localhost:8000/spa/callback"
PUBLIC_CLIENT = f"""
  - client_id: calendar-spa
    client_name: Calendar SPA
    token_endpoint_auth_methods: [none]
    grant_types: [authorization_code]
    scopes: [openid, "calendar:read"]
    redirect_uris: [{SPA_REDIRECT}]
"""

SPA = {"client_id": "calendar-spa", "redirect_uri": SPA_REDIRECT, "scope": "openid calendar:read"}


@pytest.fixture
def spa(config, tmp_path) -> Flow:
    path = tmp_path / "with-spa.yaml"
    path.write_text(demo_config_text() + PUBLIC_CLIENT)
    return Flow(create_app(config.model_copy(update={"config_file": path})).test_client())


def redeem(spa, code, **extra):
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": SPA_REDIRECT,
        "client_id": "calendar-spa",
        "code_verifier": spa.verifier,
        **extra,
    }
    return spa.client.post("/token", data={k: v for k, v in data.items() if v is not None})


def test_public_client_redeems_a_code_with_its_verifier_and_no_secret(spa):
    response = redeem(spa, spa.code(**SPA))
    assert response.status_code == 200 and "refresh_token" not in response.get_json()


@pytest.mark.parametrize("verifier", [None, "x" * 43])
def test_rfc7636_public_client_without_or_with_wrong_verifier_is_invalid_grant(spa, verifier):
    response = redeem(spa, spa.code(**SPA), code_verifier=verifier)
    assert response.status_code == 400 and response.get_json()["error"] == "invalid_grant"


def test_confidential_client_cannot_skip_its_secret(flow):
    response = flow.client.post(
        "/token",
        data={
            "grant_type": "authorization_code",
            "code": flow.code(),
            "client_id": "calendar-bff",
            "redirect_uri": "http://localhost:8000/bff/callback",
            "code_verifier": flow.verifier,
        },
    )
    assert response.status_code == 401 and response.get_json()["error"] == "invalid_client"


def test_public_client_cannot_introspect(spa):
    response = spa.client.post("/introspect", data={"token": "x", "client_id": "calendar-spa"})
    assert response.status_code == 401
