"""The token endpoint checks who the client is before it spends a code; introspection is scoped."""

import pytest
from idp_mock import create_app

from .conftest import BFF_AUTH, Flow, demo_config_text

API_AUTH = ("calendar-api", "calendar-api-secret")
OTHER_AUTH = ("other-app", "other-app-secret")

# A second client that may use the code grant, so only the code's owner tells them apart.
OTHER_CLIENT = """
  - client_id: other-app
    client_secret: other-app-secret
    token_endpoint_auth_methods: [client_secret_basic, client_secret_post]
    grant_types: [authorization_code]
    scopes: [openid]
    redirect_uris: [http://localhost:8000/bff/callback]
"""


@pytest.fixture
def flow(config, tmp_path) -> Flow:
    path = tmp_path / "two-clients.yaml"
    path.write_text(demo_config_text() + OTHER_CLIENT)
    return Flow(create_app(config.model_copy(update={"config_file": path})).test_client())


def test_rfc6749_a_code_presented_by_another_client_is_not_used_up(flow):
    code = flow.code()
    stolen = flow.redeem(code, auth=OTHER_AUTH)
    assert stolen.status_code == 400 and stolen.get_json()["error"] == "invalid_grant"
    # The legitimate client's callback still works.
    assert flow.redeem(code).status_code == 200


def test_rfc6749_another_client_replaying_a_used_code_does_not_revoke_the_owners_tokens(flow):
    code = flow.code()
    tokens = flow.redeem(code).get_json()
    flow.redeem(code, auth=OTHER_AUTH)
    answer = flow.client.post(
        "/introspect", data={"token": tokens["refresh_token"]}, auth=BFF_AUTH
    ).get_json()
    assert answer["active"] is True


def test_rfc6749_the_owner_replaying_a_code_still_revokes_what_it_produced(flow):
    code = flow.code()
    tokens = flow.redeem(code).get_json()
    assert flow.redeem(code).get_json()["error"] == "invalid_grant"
    answer = flow.client.post(
        "/introspect", data={"token": tokens["refresh_token"]}, auth=BFF_AUTH
    ).get_json()
    assert answer == {"active": False}


@pytest.mark.parametrize(
    "form",
    [
        {"client_id": "other-app", "client_secret": "other-app-secret"},  # two clients
        {"client_id": "calendar-bff", "client_secret": "calendar-bff-secret"},  # same client
        {"client_id": "other-app"},  # Basic says one client, the body names another
    ],
)
def test_rfc6749_2_3_one_client_authentication_method_per_request(flow, form):
    code = flow.code()
    response = flow.redeem(code, **form)  # Basic auth for calendar-bff, plus the form fields
    assert response.status_code == 400 and response.get_json()["error"] == "invalid_request"
    assert flow.redeem(code).status_code == 200  # and the refused request burnt nothing


def test_rfc6749_2_3_two_methods_are_refused_at_introspection_too(flow):
    token = flow.tokens()["access_token"]
    response = flow.client.post(
        "/introspect",
        data={"token": token, "client_id": "calendar-bff", "client_secret": "calendar-bff-secret"},
        auth=API_AUTH,
    )
    assert response.status_code == 400 and response.get_json()["error"] == "invalid_request"


def test_rfc7662_an_api_cannot_see_refresh_tokens_even_for_its_own_audience(flow):
    refresh_token = flow.tokens()["refresh_token"]
    answer = flow.client.post("/introspect", data={"token": refresh_token}, auth=API_AUTH)
    assert answer.get_json() == {"active": False}


def test_rfc7662_a_client_cannot_see_another_clients_access_token_for_another_audience(flow):
    access_token = flow.tokens()["access_token"]  # issued to calendar-bff for calendar-api
    answer = flow.client.post("/introspect", data={"token": access_token}, auth=OTHER_AUTH)
    assert answer.get_json() == {"active": False}
