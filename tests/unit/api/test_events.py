"""The events routes: each user sees and changes only their own events."""

import pytest

from api import create_app

from .fake_issuer import bearer

EVENT = {"title": "Dentist", "start": "2026-12-01T09:00:00Z", "end": "2026-12-01T10:00:00Z"}


@pytest.fixture
def alice(issuer):
    return bearer(issuer.user_token("alice"))


@pytest.fixture
def bob(issuer):
    return bearer(issuer.user_token("bob"))


def test_new_user_has_no_events(client, alice):
    response = client.get("/events", headers=alice)
    assert response.status_code == 200
    assert response.get_json() == {"events": []}


def test_created_event_is_returned_with_id_location_and_utc_times(client, alice):
    body = {**EVENT, "start": "2026-12-01T10:00:00+01:00", "end": "2026-12-01T11:30:00.000+01:00"}
    response = client.post("/events", json=body, headers=alice)
    assert response.status_code == 201
    event = response.get_json()
    assert event == {
        "id": event["id"],
        "title": "Dentist",
        "start": "2026-12-01T09:00:00Z",
        "end": "2026-12-01T10:30:00Z",
    }
    assert response.headers["Location"] == f"/events/{event['id']}"
    assert client.get("/events", headers=alice).get_json() == {"events": [event]}


def test_events_are_listed_by_start(client, alice):
    for day in ("03", "01", "02"):
        event = {**EVENT, "start": f"2026-12-{day}T09:00:00Z", "end": f"2026-12-{day}T10:00:00Z"}
        client.post("/events", json=event, headers=alice)
    starts = [e["start"][:10] for e in client.get("/events", headers=alice).get_json()["events"]]
    assert starts == ["2026-12-01", "2026-12-02", "2026-12-03"]


def test_delete_removes_the_event(client, alice):
    event_id = client.post("/events", json=EVENT, headers=alice).get_json()["id"]
    assert client.delete(f"/events/{event_id}", headers=alice).status_code == 204
    assert client.get("/events", headers=alice).get_json() == {"events": []}
    assert client.delete(f"/events/{event_id}", headers=alice).status_code == 404


def test_isolation_a_user_never_sees_another_users_events(client, alice, bob):
    client.post("/events", json=EVENT, headers=alice)
    assert client.get("/events", headers=bob).get_json() == {"events": []}


def test_isolation_another_users_event_cannot_be_deleted_and_looks_absent(client, alice, bob):
    event_id = client.post("/events", json=EVENT, headers=alice).get_json()["id"]
    theirs = client.delete(f"/events/{event_id}", headers=bob)
    missing = client.delete("/events/does-not-exist", headers=bob)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.get_json() == missing.get_json()
    assert len(client.get("/events", headers=alice).get_json()["events"]) == 1


def test_events_survive_a_new_app_on_the_same_database(config, alice):
    create_app(config).test_client().post("/events", json=EVENT, headers=alice)
    events = create_app(config).test_client().get("/events", headers=alice).get_json()["events"]
    assert [e["title"] for e in events] == ["Dentist"]


@pytest.mark.parametrize("path", ["/events", "/reminders/upcoming"])
def test_calendar_data_is_never_cached(client, issuer, path):
    token = issuer.service_token() if path.startswith("/reminders") else issuer.user_token()
    response = client.get(path, headers=bearer(token))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
