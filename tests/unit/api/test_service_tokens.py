"""User tokens and service (client-credentials) tokens are told apart, and each has its routes."""

from datetime import UTC, datetime, timedelta

import pytest

from .fake_issuer import bearer


def at(minutes: int) -> str:
    moment = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=minutes)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def add_event(client, issuer, sub, title, minutes):
    event = {"title": title, "start": at(minutes), "end": at(minutes + 30)}
    response = client.post("/events", json=event, headers=bearer(issuer.user_token(sub)))
    assert response.status_code == 201


@pytest.mark.parametrize(("method", "path"), [("get", "/events"), ("post", "/events")])
def test_user_routes_refuse_service_tokens_with_403(client, issuer, method, path):
    token = issuer.service_token(scope="calendar:reminders calendar:read calendar:write")
    response = getattr(client, method)(path, headers=bearer(token), json={})
    assert response.status_code == 403
    assert response.get_json()["error"] == "access_denied"
    assert "service" in response.get_json()["error_description"]


def test_service_route_refuses_user_tokens_with_403(client, issuer):
    token = issuer.user_token(scope="calendar:read calendar:reminders")
    response = client.get("/reminders/upcoming", headers=bearer(token))
    assert response.status_code == 403
    assert response.get_json()["error"] == "access_denied"


def test_service_route_needs_the_reminders_scope(client, issuer):
    response = client.get("/reminders/upcoming", headers=bearer(issuer.service_token(scope="x")))
    assert response.status_code == 403
    assert 'scope="calendar:reminders"' in response.headers["WWW-Authenticate"]


def test_service_route_needs_a_token(client):
    response = client.get("/reminders/upcoming")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="calendar-api"'


def test_service_route_lists_upcoming_events_of_all_users_with_their_sub(client, issuer):
    add_event(client, issuer, "alice", "soon", 10)
    add_event(client, issuer, "bob", "sooner", 5)
    add_event(client, issuer, "bob", "later", 200)
    add_event(client, issuer, "alice", "past", -90)
    response = client.get(
        "/reminders/upcoming?within_minutes=60", headers=bearer(issuer.service_token())
    )
    assert response.status_code == 200
    reminders = response.get_json()["reminders"]
    assert [(r["sub"], r["title"]) for r in reminders] == [("bob", "sooner"), ("alice", "soon")]
    assert set(reminders[0]) == {"id", "sub", "title", "start", "end"}


@pytest.mark.parametrize("within", ["0", "-5", "abc", "1.5", "100000", ""])
def test_service_route_invalid_window_is_400(client, issuer, within):
    response = client.get(
        f"/reminders/upcoming?within_minutes={within}", headers=bearer(issuer.service_token())
    )
    assert response.status_code == 400
    assert "within_minutes" in response.get_json()["error_description"]
