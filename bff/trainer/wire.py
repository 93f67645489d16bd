"""Raw HTTP for the trainer: each exchange of a traced step as it went over the wire.

Secrets (client secrets in HTTP Basic, cookies) are redacted here, before anything is stored;
tokens are listed beside the exchange so the page can hide them until the trainer reveals one.
"""

import json
from urllib.parse import parse_qsl, urlsplit

import requests
from flask import g, has_request_context

from .explain import REDACTED

BODY_LIMIT = 4000  # characters of a body kept; a JWKS or an event list is enough to show
TOKEN_NAMES = {
    "code",
    "code_verifier",
    "access_token",
    "id_token",
    "refresh_token",
    "token",
    "logout_token",
    "id_token_hint",
}


def keep(exchange: dict) -> None:
    """Hold an exchange until the next event of this request is recorded."""
    if has_request_context():
        g.setdefault("trainer_wire", []).append(exchange)


def pending() -> list[dict]:
    """The exchanges of this request not yet attached to an event (and forget them)."""
    if not has_request_context():
        return []
    held, g.trainer_wire = g.get("trainer_wire", []), []
    return held


def text(body, content_type: str = "") -> str:
    """A body as text, cut to BODY_LIMIT; HTML pages and binary data only by their size."""
    if body is None or body == b"" or body == "":
        return ""
    if not isinstance(body, bytes | str):
        return "(streamed body, not shown)"
    size = len(body)
    if "html" in content_type:
        return f"(an HTML page, {size} bytes, not shown)"
    try:
        body = body.decode() if isinstance(body, bytes) else body
    except UnicodeDecodeError:
        return f"({size} bytes of binary data)"
    return body if len(body) <= BODY_LIMIT else body[:BODY_LIMIT] + f"… ({size} bytes in all)"


def safe_header(name: str, value: str) -> str:
    """A header with its secret part redacted: Basic credentials and cookie values."""
    lower = name.lower()
    if lower in ("authorization", "proxy-authorization") and value.lower().startswith("basic "):
        return f"Basic {REDACTED} (base64 of client_id:client_secret)"
    if lower == "cookie":
        return "; ".join(
            part.split("=", 1)[0] + "=" + REDACTED for part in value.split("; ") if part
        )
    if lower == "set-cookie":
        first, _, attributes = value.partition(";")
        return first.split("=", 1)[0] + "=" + REDACTED + (";" + attributes if attributes else "")
    return value


def tokens_in(url: str, headers: list, body: str) -> list[dict]:
    """The tokens an exchange carries (query, form, JSON, Bearer), for masking in the page."""
    found = dict(parse_qsl(urlsplit(url).query))
    found |= dict(parse_qsl(body)) if "=" in body and "{" not in body[:1] else {}
    try:
        parsed = json.loads(body) if body[:1] == "{" else {}
        found |= parsed if isinstance(parsed, dict) else {}
    except ValueError:
        pass
    for name, value in headers:
        if name.lower() == "authorization" and value.lower().startswith("bearer "):
            found["access_token (Bearer)"] = value[7:]
        if name.lower() == "location":
            found |= dict(parse_qsl(urlsplit(value).query))
    return [
        {"name": name.split(" ")[0], "value": value}
        for name, value in found.items()
        if (name in TOKEN_NAMES or name.endswith("(Bearer)"))
        and isinstance(value, str)
        and len(value) >= 8
    ]


def exchange(source: str, target: str, request: dict, response: dict) -> dict:
    """One request and its response, secrets redacted, tokens listed."""
    for part in (request, response):
        part["headers"] = [[name, safe_header(name, str(value))] for name, value in part["headers"]]
    tokens = tokens_in(request["url"], request["headers"], request["body"])
    tokens += tokens_in("", response["headers"], response["body"])
    return {
        "from": source,
        "to": target,
        "request": request,
        "response": response,
        "tokens": tokens,
    }


def of_requests(response: requests.Response, source: str, target: str) -> dict:
    """An exchange made with requests (Authlib's sessions, the attacks, the reminder job)."""
    sent = response.request
    return exchange(
        source,
        target,
        {
            "method": sent.method,
            "url": sent.url,
            "headers": list(sent.headers.items()),
            "body": text(sent.body, sent.headers.get("Content-Type", "")),
        },
        {
            "status": response.status_code,
            "headers": list(response.headers.items()),
            "body": text(response.content, response.headers.get("Content-Type", "")),
        },
    )


def recording_session(source: str, target: str) -> requests.Session:
    """A requests session whose every exchange lands on the next recorded event."""
    session = requests.Session()
    session.hooks["response"].append(hook(source, target))
    return session


def hook(source: str, target: str):
    """A requests response hook that keeps each exchange for the trainer."""

    def record(response: requests.Response, *args, **kwargs) -> None:
        keep(of_requests(response, source, target))

    return record


class RecordingClient:
    """The BFF's client to the API, recording each call (installed in trainer mode only)."""

    def __init__(self, client):
        self.client = client

    def __getattr__(self, name):
        return getattr(self.client, name)

    def send(self, method, target, body=None, headers=None):
        """Send as the client would, then keep the exchange."""
        answer = self.client.send(method, target, body=body, headers=headers)
        kind = (headers or {}).get("Content-Type", "")
        keep(
            exchange(
                "BFF",
                "API",
                {
                    "method": method,
                    "url": self.client.origin + target,
                    "headers": list((headers or {}).items()),
                    "body": text(body, kind),
                },
                {
                    "status": answer.status,
                    "headers": list(answer.headers.items()),
                    "body": text(answer.data, answer.headers.get("Content-Type", "")),
                },
            )
        )
        return answer


def of_flask(request, response) -> dict:
    """The browser's (or the IdP's back-channel) request to the BFF and the BFF's answer."""
    source = "IdP" if request.path.endswith("/backchannel-logout") else "Browser"
    sent = request.get_data(cache=True) or "&".join(
        f"{name}={value}" for name, value in request.form.items(multi=True)
    )
    answered = "(streamed)" if response.is_streamed else response.get_data()
    return exchange(
        source,
        "BFF",
        {
            "method": request.method,
            "url": request.url,
            "headers": list(request.headers.items()),
            "body": text(sent, request.content_type or ""),
        },
        {
            "status": response.status_code,
            "headers": list(response.headers.items()),
            "body": text(answered, response.content_type or ""),
        },
    )
