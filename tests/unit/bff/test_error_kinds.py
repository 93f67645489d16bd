"""JSON or a page: each route declares which its errors are; an unknown path asks the caller."""

import sys

import pytest
from flask import Blueprint, abort

from bff import create_app
from bff.config import ConfigError
from bff.errors import answers_json

from .conftest import make_config


def test_a_new_json_blueprint_gets_json_errors_without_touching_errors_py(redis_url, api_server):
    app = create_app(make_config(redis_url, api_server.url))
    extra = answers_json(Blueprint("extra", __name__))

    @extra.get("/bff/extra")
    def refuse():
        abort(400, "No.")

    app.register_blueprint(extra)
    answer = app.test_client().get("/bff/extra", headers={"Accept": "text/html"})
    assert answer.status_code == 400 and answer.is_json
    assert answer.json == {"error": "invalid_request", "error_description": "No."}


def test_one_view_of_a_page_blueprint_can_declare_json(client):
    assert client.get("/bff/user", headers={"Accept": "text/html"}).status_code == 403
    assert client.get("/bff/user", headers={"Accept": "text/html"}).is_json


def test_page_routes_answer_errors_with_a_page(client):
    answer = client.get("/bff/callback", query_string={"state": "unknown"})
    assert answer.status_code == 400 and answer.mimetype == "text/html"


@pytest.mark.parametrize(
    ("headers", "json"),
    [
        ({"Accept": "application/json"}, True),
        ({"X-CSRF": "1"}, True),
        ({"Accept": "text/html"}, False),
    ],
)
def test_a_path_no_route_matches_answers_as_the_caller_asks(client, headers, json):
    answer = client.get("/bff/no-such-endpoint", headers=headers)
    assert answer.status_code == 404 and answer.is_json is json


def test_trainer_mode_without_its_plugin_stops_the_start_naming_it(redis_url, monkeypatch):
    monkeypatch.setitem(sys.modules, "bff.trainer", None)  # as if bff/trainer/ were deleted
    with pytest.raises(ConfigError, match=r"TRAINER_MODE=1 .*bff/trainer/"):
        create_app(make_config(redis_url, "http://127.0.0.1:9", trainer_mode=True))
