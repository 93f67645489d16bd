"""`docker compose up --build --wait`: the demo works in containers and stops cleanly."""

import re
import time

import pytest
import requests
from playwright.sync_api import Page, expect

from scripts.bench.slow_clients import slow_body_clients, slow_header_clients, upload_head

pytestmark = pytest.mark.compose

BFF, IDP = "http://localhost:8000", "http://idp.localhost:8002"


def test_only_the_bff_and_the_idp_are_published_and_only_on_loopback(compose_stack):
    """A demo IdP with well-known passwords must not be reachable from the network."""
    published = {
        (c["Service"], p["URL"], p["PublishedPort"])
        for c in compose_stack.containers()
        for p in c.get("Publishers") or []
        if p.get("PublishedPort")
    }
    assert {service for service, _, _ in published} <= {"bff", "idp"}
    assert all(url == "127.0.0.1" for _, url, _ in published)


def test_one_image_serves_every_python_service(compose_stack):
    images = {c["Service"]: c["Image"] for c in compose_stack.containers()}
    assert len({images[s] for s in ("idp", "api", "bff", "reminder-job")}) == 1


def sign_in_alice(page: Page) -> None:
    """Alice signs in from the calendar's button through the IdP's login (and consent) page."""
    page.goto(BFF)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile("^" + re.escape(IDP)), timeout=30_000)
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("wonderland")
    page.get_by_role("button", name="Sign in").click()
    allow = page.get_by_role("button", name="Allow")
    expect(allow.or_(page.locator("#who", has_text="Signed in as"))).to_be_visible()
    if allow.is_visible():
        allow.click()
    expect(page.locator("#who")).to_contain_text("Alice")


def test_alice_signs_in_through_the_idp_and_her_event_survives_a_redis_restart(
    compose_stack, compose_page
):
    """Sign-in, an API call through the BFF, and a session that outlives Redis's restart."""
    page = compose_page
    sign_in_alice(page)
    form = page.locator("#add-event")
    form.get_by_label("Title").fill("Compose smoke test")
    form.get_by_label("Start").fill("2030-01-02T10:00")
    form.get_by_label("End").fill("2030-01-02T11:00")
    form.get_by_role("button", name="Add event").click()
    expect(page.locator("#events")).to_contain_text("Compose smoke test")

    compose_stack.run("restart", "redis")
    compose_stack.run("up", "--wait", timeout=300)  # back to healthy, whatever restarted
    page.reload()
    # Still signed in: the session and its tokens were in Redis's append-only file.
    expect(page.locator("#who")).to_contain_text("Alice", timeout=30_000)
    expect(page.locator("#events")).to_contain_text("Compose smoke test")


def alice_at_the_bff(compose_stack, compose_page) -> tuple[str, dict]:
    """Sign alice in through the browser: the BFF container's address and her call headers."""
    sign_in_alice(compose_page)
    cookie = next(c for c in compose_page.context.cookies() if c["name"] == "bff-session")
    bff = compose_stack.ip("bff")  # the container itself, published port or not
    session = f"bff-session={cookie['value']}"
    return bff, {"Host": "localhost:8000", "X-CSRF": "1", "Cookie": session}


def thirty_calls(bff: str, headers: dict) -> list[int]:
    http = requests.Session()
    return [
        http.get(f"http://{bff}:8000/api/events", headers=headers, timeout=5).status_code
        for _ in range(30)
    ]


def test_fifty_slow_header_clients_do_not_stall_a_signed_in_user(compose_stack, compose_page):
    """The compose BFF holds 50 sockets that never finish their headers and still answers."""
    bff, headers = alice_at_the_bff(compose_stack, compose_page)
    with slow_header_clients(8000, 50, host=bff, every=1):
        statuses = thirty_calls(bff, headers)
    assert statuses == [200] * 30


def test_twenty_slow_uploads_do_not_stall_a_signed_in_user(compose_stack, compose_page):
    """The compose BFF reads a body whole before calling the API: slow senders hold no API
    connection, so alice's calls go through while twenty uploads trickle in."""
    bff, headers = alice_at_the_bff(compose_stack, compose_page)
    head = upload_head(headers["Host"], headers["Cookie"], 100_000)
    with slow_body_clients(8000, 20, head, host=bff, every=0.5):
        time.sleep(1)  # every upload has reached the BFF
        statuses = thirty_calls(bff, headers)
    assert statuses == [200] * 30


def test_every_container_stops_on_its_stop_signal_not_by_sigkill(compose_stack):  # runs last
    """`docker compose stop` ends each process by its signal: exit 0, never 137 (SIGKILL)."""
    compose_stack.run("stop", "--timeout", "10")
    exits = {c["Service"]: c["ExitCode"] for c in compose_stack.containers()}
    assert exits == dict.fromkeys(["redis", "idp", "api", "bff", "reminder-job"], 0)
