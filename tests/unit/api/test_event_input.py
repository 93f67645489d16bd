"""Bad event input is a clear 400 (or 413) JSON answer and stores nothing."""

import json

import pytest

from .fake_issuer import bearer

GOOD = {"title": "Dentist", "start": "2026-12-01T09:00:00Z", "end": "2026-12-01T10:00:00Z"}


@pytest.fixture
def alice(issuer):
    return bearer(issuer.user_token("alice"))


def stored(client, headers):
    return client.get("/events", headers=headers).get_json()["events"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({k: v for k, v in GOOD.items() if k != "title"}, "title"),
        ({**GOOD, "title": ""}, "title"),
        ({**GOOD, "title": "   "}, "title"),
        ({**GOOD, "title": "x" * 201}, "title"),
        ({**GOOD, "title": 42}, "title"),
        ({**GOOD, "title": "line\nbreak"}, "title"),
        ({**GOOD, "title": "tab\there"}, "title"),
        ({k: v for k, v in GOOD.items() if k != "start"}, "start"),
        ({**GOOD, "start": "tomorrow"}, "start"),
        ({**GOOD, "start": "2026-12-01"}, "start"),
        ({**GOOD, "start": "2026-12-01T09:00:00"}, "start"),
        ({**GOOD, "start": "2026-13-01T09:00:00Z"}, "start"),
        ({**GOOD, "start": 1764579600}, "start"),
        ({**GOOD, "end": "2026-12-01T08:00:00Z"}, "end"),
        ({**GOOD, "end": GOOD["start"]}, "end"),
        ({**GOOD, "end": "2026-12-01T09:00:00.500Z"}, "end"),
        ({**GOOD, "start": "0001-01-01T00:00:00+01:00"}, "start"),
        ({**GOOD, "owner": "bob"}, "owner"),
    ],
)
def test_invalid_event_is_400_naming_the_field_and_stores_nothing(client, alice, body, field):
    response = client.post("/events", json=body, headers=alice)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_request"
    assert field in response.get_json()["error_description"]
    assert stored(client, alice) == []


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ("not json", "application/json"),
        (json.dumps(GOOD), "text/plain"),
        ("[1, 2]", "application/json"),
        ("", "application/json"),
    ],
)
def test_body_that_is_not_a_json_object_is_400(client, alice, data, content_type):
    response = client.post("/events", data=data, content_type=content_type, headers=alice)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_request"
    assert stored(client, alice) == []


def test_oversize_body_is_413_json_and_stores_nothing(client, alice):
    response = client.post("/events", json={**GOOD, "title": "x" * 5000}, headers=alice)
    assert response.status_code == 413
    assert response.get_json()["error"] == "request_too_large"
    assert stored(client, alice) == []


def test_title_is_stored_stripped(client, alice):
    response = client.post("/events", json={**GOOD, "title": "  Dentist  "}, headers=alice)
    assert response.get_json()["title"] == "Dentist"


@pytest.mark.parametrize(
    ("body", "stored_as"),
    [
        ({**GOOD, "start": "2026-12-01t09:00:00z"}, {"start": "2026-12-01T09:00:00Z"}),
        ({**GOOD, "end": "2026-12-01T11:30:00+01:30"}, {"end": "2026-12-01T10:00:00Z"}),
        ({**GOOD, "title": "Family dinner \U0001f468\u200d\U0001f469\u200d\U0001f467"}, {}),
    ],
)
def test_valid_rfc3339_variants_and_unicode_titles_are_accepted(client, alice, body, stored_as):
    response = client.post("/events", json=body, headers=alice)
    assert response.status_code == 201, response.get_json()
    event = response.get_json()
    assert {k: event[k] for k in stored_as} == stored_as
    assert event["title"] == body["title"]


def test_location_is_optional_and_stored_stripped(client, alice):
    without = client.post("/events", json=GOOD, headers=alice).get_json()
    assert "location" not in without
    blank = client.post("/events", json={**GOOD, "location": "  "}, headers=alice).get_json()
    assert "location" not in blank
    answer = client.post("/events", json={**GOOD, "location": " Room 2 "}, headers=alice)
    assert answer.status_code == 201 and answer.get_json()["location"] == "Room 2"
    locations = sorted(event.get("location", "") for event in stored(client, alice))
    assert locations == ["", "", "Room 2"]


@pytest.mark.parametrize("location", [42, "x" * 201, "line\nbreak"])
def test_invalid_location_is_400_naming_it(client, alice, location):
    response = client.post("/events", json={**GOOD, "location": location}, headers=alice)
    assert response.status_code == 400
    assert "location" in response.get_json()["error_description"]
    assert stored(client, alice) == []
