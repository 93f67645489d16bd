"""Raw HTTP for trainer mode: secrets never stored, tokens listed for masking in the page."""

import json

from bff.trainer.explain import verdict_checks
from bff.trainer.wire import exchange, safe_header, text, tokens_in


def test_basic_client_credentials_are_redacted_whole():
    shown = safe_header("Authorization", "Basic Y2FsZW5kYXItYmZmOnNlY3JldA==")
    assert shown.startswith("Basic [redacted]") and "Y2Fs" not in shown


def test_cookie_values_are_redacted_and_cookie_attributes_kept():
    assert safe_header("Cookie", "a=1; b=2") == "a=[redacted]; b=[redacted]"
    shown = safe_header("Set-Cookie", "bff_session=abc; HttpOnly; Path=/; SameSite=Lax")
    assert shown == "bff_session=[redacted]; HttpOnly; Path=/; SameSite=Lax"


def test_tokens_are_found_in_query_form_json_and_bearer_header():
    found = tokens_in(
        "https://bff.example/bff/callback?code=abcdefgh123&state=xyz",
        [["Authorization", "Bearer eyJhbGciOi.payload.sig"]],
        "grant_type=refresh_token&refresh_token=rt-12345678",
    )
    names = {token["name"]: token["value"] for token in found}
    assert names["code"] == "abcdefgh123"
    assert names["refresh_token"] == "rt-12345678"
    assert names["access_token"] == "eyJhbGciOi.payload.sig"
    assert "state" not in names
    json_body = tokens_in("", [], '{"access_token": "eyJ.a.bcdefg", "token_type": "Bearer"}')
    assert json_body == [{"name": "access_token", "value": "eyJ.a.bcdefg"}]


def test_an_exchange_keeps_method_status_and_cuts_long_bodies():
    made = exchange(
        "BFF",
        "API",
        {"method": "GET", "url": "http://api/events", "headers": [], "body": ""},
        {"status": 200, "headers": [["Content-Type", "text/html"]], "body": "x"},
    )
    assert made["request"]["method"] == "GET" and made["response"]["status"] == 200
    assert text(b"y" * 5000).endswith("(5000 bytes in all)")
    assert text(b"<html>", "text/html; charset=utf-8") == "(an HTML page, 6 bytes, not shown)"


def test_checks_the_api_did_not_run_read_as_skipped_never_failed():
    header = json.dumps(
        {
            "source": "verified",
            "decision": "refused",
            "checks": [
                {"name": "typ", "outcome": "passed", "detail": "at+jwt"},
                {"name": "signature", "outcome": "failed", "detail": "kid k1 did not verify"},
                {"name": "iss", "outcome": "skipped", "detail": "not checked: signature failed"},
                {"name": "dpop", "outcome": "skipped", "detail": "a check this BFF never heard of"},
            ],
        }
    )
    checks = verdict_checks(header)
    results = [(c["name"], c["result"], c["outcome"], c["detail"]) for c in checks]
    assert results == [
        ("typ", "ok", "passed", "at+jwt"),
        ("signature", "failed", "failed", "kid k1 did not verify"),
        ("iss", "skipped", "skipped", "not checked: signature stopped the token"),
        ("dpop", "skipped", "skipped", "a check this BFF never heard of"),
    ]


def test_a_missing_or_unreadable_verdict_header_gives_no_checks():
    assert verdict_checks(None) == verdict_checks("not json") == verdict_checks("[1]") == []
