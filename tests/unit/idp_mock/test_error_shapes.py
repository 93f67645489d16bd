"""Errors take the shape of the route: RFC 6749 §5.2 JSON on protocol endpoints, a page on pages.

The shape follows the route's blueprint kind, so a new JSON endpoint gets JSON errors without
touching idp_mock/errors.py.
"""

import redis
from flask import Blueprint, abort
from idp_mock.current import idp
from idp_mock.errors import PageBlueprint


def redis_down(app, monkeypatch):
    def down(*args, **kwargs):
        raise redis.ConnectionError("down")

    # Every command and every pipeline asks the pool for a connection first.
    monkeypatch.setattr(idp(app).store.redis.connection_pool, "get_connection", down)


def test_a_new_protocol_endpoint_gets_json_errors(app):
    bp = Blueprint("newly_added", __name__)

    @bp.post("/newly-added")
    def newly_added():
        abort(404, "no such thing")

    app.register_blueprint(bp)
    client = app.test_client()
    missing = client.post("/newly-added")
    assert missing.status_code == 404
    assert missing.get_json() == {"error": "not_found", "error_description": "no such thing"}
    wrong_method = client.get("/newly-added")
    assert wrong_method.status_code == 405 and wrong_method.get_json()["error"] == "invalid_request"
    assert wrong_method.headers["Allow"]


def test_a_new_page_blueprint_gets_the_error_page(app):
    bp = PageBlueprint("newly_added_page", __name__)

    @bp.get("/newly-added-page")
    def newly_added_page():
        abort(404, "no such page")

    app.register_blueprint(bp)
    response = app.test_client().get("/newly-added-page")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "no such page" in response.get_data(as_text=True)


def test_wrong_method_on_an_interaction_page_is_a_page(client):
    response = client.put("/authorize")
    assert response.status_code == 405 and response.mimetype == "text/html"


def test_unknown_path_is_json(client):
    response = client.get("/no-such-endpoint")
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"


def test_redis_outage_on_the_token_endpoint_is_json_503(app, monkeypatch):
    redis_down(app, monkeypatch)
    response = app.test_client().post(
        "/token",
        data={"grant_type": "client_credentials"},
        auth=("reminder-job", "reminder-job-secret"),
    )
    assert response.status_code == 503 and response.headers["Retry-After"] == "1"
    assert response.get_json()["error"] == "temporarily_unavailable"


def test_redis_outage_on_a_page_is_an_error_page_503(app, flow, monkeypatch):
    page = flow.authorize()
    redis_down(app, monkeypatch)
    response = flow.client.get("/apps", headers={"Cookie": "idp_session=x"})
    assert response.status_code == 503 and response.mimetype == "text/html"
    assert (
        response.headers["Retry-After"] == "1" and response.headers["Cache-Control"] == "no-store"
    )
    assert "temporarily_unavailable" in response.get_data(as_text=True)
    assert page.status_code == 200
