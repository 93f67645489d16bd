"""Before sign-in: a browser on the wrong host name is redirected, and the SPA's start-up call
answers 200 whether or not anyone is signed in (no red 401 in the console)."""

NAVIGATE = {"Sec-Fetch-Mode": "navigate"}
CSRF = {"X-CSRF": "1"}


def test_a_browser_opening_127_0_0_1_is_sent_to_the_bff_url_host_with_its_path(client):
    answer = client.get("/?tab=week", base_url="http://127.0.0.1:8000", headers=NAVIGATE)
    assert answer.status_code == 302
    assert answer.headers["Location"] == "http://localhost:8000/?tab=week"


def test_a_browser_on_the_bff_url_host_is_served(client):
    answer = client.get("/", base_url="http://localhost:8000", headers=NAVIGATE)
    assert answer.status_code == 200


def test_scripts_health_checks_and_posts_on_another_host_are_not_redirected(client):
    other = "http://127.0.0.1:8000"
    assert client.get("/healthz", base_url=other).status_code == 200
    assert client.get("/bff/state", base_url=other, headers=CSRF).status_code == 200
    posted = client.post("/bff/backchannel-logout", base_url=other, headers=NAVIGATE)
    assert posted.status_code != 302


def test_bff_state_answers_200_signed_out_and_says_so(client):
    answer = client.get("/bff/state", headers=CSRF)
    assert answer.status_code == 200
    assert answer.get_json() == {"signed_in": False, "trainer_mode": False}


def test_bff_state_says_signed_in_and_holds_no_claim_or_token(client, auth):
    auth.sign_in()
    answer = client.get("/bff/state", headers=CSRF)
    assert answer.get_json() == {"signed_in": True, "trainer_mode": False}


def test_bff_state_needs_the_csrf_header(client):
    assert client.get("/bff/state").status_code in (400, 403)


def test_every_answer_carries_the_request_id_it_was_given_or_a_new_one(client):
    given = client.get("/healthz", headers={"X-Request-Id": "abc-123-def"})
    made = client.get("/healthz", headers={"X-Request-Id": 'x" , "forged": "1'})
    assert given.headers["X-Request-Id"] == "abc-123-def"
    assert len(made.headers["X-Request-Id"]) == 32 and "forged" not in made.headers["X-Request-Id"]
