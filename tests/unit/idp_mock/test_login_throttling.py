"""Failed-login throttling per username and per client address, switched in the config file."""

import pytest
from idp_mock import create_app
from idp_mock.registry import Registry, expand_env
from idp_mock.throttle import Throttling

from .conftest import Flow, demo_config_text

ENABLED = "enabled: ${IDP_LOGIN_THROTTLING:-on}"


def flow_with(config, tmp_path, *edits: tuple[str, str]) -> Flow:
    text = demo_config_text()
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "idp.yaml"
    path.write_text(text)
    return Flow(create_app(config.model_copy(update={"config_file": path})).test_client())


def test_the_demo_config_throttles_by_default(flow):
    page = flow.authorize()
    for _ in range(5):
        assert flow.login(page, password="wrong").status_code == 401
    assert flow.login(page).status_code == 429


def test_after_the_free_failures_even_the_right_password_must_wait(flow):
    page = flow.authorize()
    answers = [flow.login(page, password=f"guess-{n}") for n in range(8)]
    assert [a.status_code for a in answers] == [401] * 5 + [429] * 3
    assert "wait 2 seconds" in answers[4].text  # the failure that starts the wait says so
    right = flow.login(page)
    assert right.status_code == 429 and int(right.headers["Retry-After"]) >= 2
    assert "Too many failed sign-in attempts" in right.text
    assert 'value="alice"' in right.text  # the username stays filled in
    assert not any("idp_session=" in c for c in right.headers.getlist("Set-Cookie"))


def test_throttling_switched_off_lets_the_right_password_through(config, tmp_path):
    flow = flow_with(config, tmp_path, (ENABLED, "enabled: off"))
    page = flow.authorize()
    for n in range(20):
        assert flow.login(page, password=f"guess-{n}").status_code == 401
    assert ">Allow<" in flow.login(page).text


def test_one_persons_mistakes_do_not_lock_out_another_user(flow):
    page = flow.authorize()
    for n in range(6):
        flow.login(page, "bob", f"guess-{n}")
    assert ">Allow<" in flow.login(page).text  # alice, from the same address


def test_a_correct_password_forgets_the_usernames_failures(flow):
    page = flow.authorize(prompt="login")
    for _ in range(4):
        flow.login(page, password="wrong")
    flow.login(page)
    again = flow.authorize(prompt="login")
    for _ in range(4):
        assert flow.login(again, password="wrong").status_code == 401


@pytest.mark.parametrize("usernames", [["alice", "bob", "carol", "dave"]])
def test_many_failures_from_one_address_throttle_that_address_only(config, tmp_path, usernames):
    flow = flow_with(
        config, tmp_path, ("free_failures_per_address: 50", "free_failures_per_address: 3")
    )
    page = flow.authorize()
    answers = [flow.login(page, name, "wrong").status_code for name in usernames]
    assert answers == [401, 401, 401, 429]
    # Someone at another address is not affected.
    elsewhere = Flow(flow.client.application.test_client())
    elsewhere.client.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert ">Allow<" in elsewhere.login(elsewhere.authorize()).text


@pytest.mark.parametrize("value, enabled", [("off", False), ("0", False), ("on", True)])
def test_the_demo_config_reads_idp_login_throttling_from_the_environment(tmp_path, value, enabled):
    path = tmp_path / "idp.yaml"
    path.write_text(expand_env(demo_config_text(), {"IDP_LOGIN_THROTTLING": value}))
    assert Registry.load(path).login_throttling.enabled is enabled


def test_a_throttling_switch_that_is_not_a_boolean_stops_start_up():
    with pytest.raises(ValueError, match="login_throttling.enabled"):
        Throttling.from_config({"enabled": "sometimes"})
