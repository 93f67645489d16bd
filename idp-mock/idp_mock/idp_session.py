"""Who is signed in at the IdP: an opaque id in the `idp_session` cookie, the data in Redis."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from flask import request
from werkzeug.wrappers import Response

from .redis_store import Store, digest, new_id

COOKIE = "idp_session"


@dataclass(frozen=True)
class Principal:
    """A signed-in user as tokens see them: subject, when they signed in, which session."""

    sub: str
    auth_time: int
    sid: str

    def get_user_id(self) -> str:
        return self.sub


def current(store: Store) -> tuple[str, Principal] | None:
    """The session id and principal of this browser, if it is signed in."""
    session_id = request.cookies.get(COOKIE)
    if not session_id:
        return None
    record = store.get("session", session_id)
    if record is None:
        return None
    return session_id, Principal(**record)


def start(store: Store, sub: str, lifetime: int) -> tuple[str, Principal]:
    """Sign a user in with a brand-new session id (no session fixation)."""
    old = request.cookies.get(COOKIE)
    if old:
        store.delete("session", old)
    # sid goes into tokens; it is a separate value so an RP never learns the cookie.
    principal = Principal(sub=sub, auth_time=int(time.time()), sid=new_id(16))
    session_id = new_id()
    store.put("session", session_id, asdict(principal), lifetime)
    return session_id, principal


def set_cookie(response: Response, session_id: str, lifetime: int, secure: bool) -> None:
    """Attach the session cookie: HttpOnly, SameSite=Lax, whole site."""
    response.set_cookie(
        COOKIE, session_id, max_age=lifetime, path="/", httponly=True, samesite="Lax", secure=secure
    )


def end(store: Store, session_id: str) -> None:
    """Forget a session at the IdP."""
    store.delete("session", session_id)


def csrf_token(session_id: str, purpose: str) -> str:
    """A form token bound to the session: unguessable without the cookie, no storage needed."""
    return digest(f"{purpose}-csrf|{session_id}")
