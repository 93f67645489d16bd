"""The benchmark's check-free twin of GET /events lives with the benchmark, never in the API."""

from api import create_app
from scripts.bench.api_twin import BENCH_SUB, TWIN_PATH, bp

from .fake_issuer import bearer


def test_the_api_package_serves_no_unchecked_route(app):
    assert not [rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/bench")]


def test_benchmark_twin_does_the_work_of_get_events_without_the_token_check(config, issuer):
    app = create_app(config)
    app.register_blueprint(bp)
    client = app.test_client()
    token = bearer(issuer.user_token(sub=BENCH_SUB))
    event = {"title": "Stand-up", "start": "2026-12-01T09:00:00Z", "end": "2026-12-01T09:15:00Z"}
    assert client.post("/events", json=event, headers=token).status_code == 201
    checked = client.get("/events", headers=token)
    unchecked = client.get(TWIN_PATH)
    assert unchecked.get_json() == checked.get_json() and len(checked.get_json()["events"]) == 1
    assert unchecked.headers["Cache-Control"] == checked.headers["Cache-Control"] == "no-store"
