"""The OpenAPI document at /openapi.json stays true to the routes Flask actually serves."""

import re

import pytest

from .fake_issuer import bearer


def flask_operations(app):
    operations = set()
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        operations |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return operations


def documented_operations(document):
    return {(path, method) for path, item in document["paths"].items() for method in item}


def test_openapi_documents_every_route_and_nothing_else(client, app):
    document = client.get("/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert documented_operations(document) == flask_operations(app)


def test_openapi_scopes_are_the_scopes_each_route_enforces(client, issuer):
    document = client.get("/openapi.json").get_json()
    secured = [
        (path, method, operation["security"][0]["bearer"][0])
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if "security" in operation
    ]
    assert len(secured) == 4
    for path, method, scope in secured:
        kind = issuer.service_token if scope == "calendar:reminders" else issuer.user_token
        url = path.replace("{event_id}", "x")
        response = client.open(url, method=method.upper(), headers=bearer(kind(scope="none")))
        assert response.status_code == 403, (path, method)
        assert f'scope="{scope}"' in response.headers["WWW-Authenticate"]


@pytest.mark.parametrize("path", ["/healthz", "/openapi.json"])
def test_openapi_unprotected_routes_need_no_token(client, path):
    assert client.get(path).status_code == 200


def test_openapi_new_event_is_what_post_events_accepts(client, issuer):
    schema = client.get("/openapi.json").get_json()["components"]["schemas"]["NewEvent"]
    example = {name: field["example"] for name, field in schema["properties"].items()}
    assert "location" in example and "location" not in schema["required"]
    alice = bearer(issuer.user_token())
    created = client.post("/events", json=example, headers=alice)
    assert created.status_code == 201
    assert {name: created.get_json()[name] for name in example} == example
    for name in schema["required"]:
        body = {key: value for key, value in example.items() if key != name}
        assert client.post("/events", json=body, headers=alice).status_code == 400, name
