"""The record a verifier keeps of each check it made on one token, in the order it made them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, NamedTuple

from authlib.oauth2.rfc9068.claims import JWTAccessTokenClaimsValidator
from joserfc.errors import ClaimError, ExpiredTokenError, MissingClaimError

Outcome = Literal["passed", "failed", "skipped"]
# Claims are checked in this order (then any other the profile requires), whatever the token's.
CLAIM_ORDER = ("iss", "aud", "exp", "nbf", "iat", "sub", "client_id", "jti")


class Check(NamedTuple):
    """One check: its name (typ, kid, iss, scope...), how it went and one short sentence."""

    name: str
    outcome: Outcome
    detail: str


class Verification:
    """What the verifier checked for one request and how it decided; kept on ``flask.g``.

    Recording costs a list append per check: a cached token adds a few appends, no decoding.
    """

    __slots__ = ("checks", "decision", "source")

    def __init__(self, source: str = "verified", checks: Iterable[Check] = ()) -> None:
        self.source = source  # "verified", "cache" or "introspection"
        self.checks: list[Check] = list(checks)
        self.decision = "refused"

    def passed(self, name: str, detail: str) -> None:
        self.checks.append(Check(name, "passed", detail[:120]))

    def failed(self, name: str, detail: str) -> None:
        self.checks.append(Check(name, "failed", detail[:120]))

    def skip_rest(self, plan: Iterable[str]) -> None:
        """After a failure, list each planned check not reached as skipped."""
        failed = next((c.name for c in self.checks if c.outcome == "failed"), None)
        if failed is None:
            return
        done = {check.name for check in self.checks}
        reason = f"not checked: {failed} failed first"
        self.checks.extend(Check(name, "skipped", reason) for name in plan if name not in done)


class RecordedClaims(JWTAccessTokenClaimsValidator):
    """joserfc's (and Authlib's RFC 9068) claim checks, one claim at a time, each recorded."""

    def __init__(self, record: Verification, now: int, leeway: int, **options: Any) -> None:
        super().__init__(now, leeway, **options)
        self.record = record

    def planned(self) -> list[str]:
        """The claims this registry checks, in order (absent optional ones are not checks)."""
        # nbf is optional everywhere but checked whenever a token carries it.
        known = [name for name in CLAIM_ORDER if name in self.options or name == "nbf"]
        return [*known, *(name for name in self.options if name not in CLAIM_ORDER)]

    def validate(self, claims: dict[str, Any]) -> None:
        """Check every planned claim in order; the first failure is recorded and raised."""
        planned = self.planned()
        # Then claims with a check of their own (auth_time, amr) when the token carries them.
        extra = [
            name for name in claims if name not in planned and hasattr(self, "validate_" + name)
        ]
        for name in (*planned, *extra):
            value = claims.get(name)
            check = getattr(self, "validate_" + name, None)
            if value is None:
                if self.options.get(name, {}).get("essential"):
                    self._fail(MissingClaimError(name), value)
                continue
            if check is None and name not in self.options:
                continue  # present, but nothing here requires anything of it
            try:
                check(value) if check else self.check_value(name, value)
            except ClaimError as exc:
                self._fail(exc, value)
            self.record.passed(name, self._detail(name, value))

    def _fail(self, exc: ClaimError, value: object) -> None:
        name = exc.claim
        if isinstance(exc, MissingClaimError):
            detail = "missing, but required"
        elif isinstance(exc, ExpiredTokenError):
            detail = f"expired {self.now - int(value)} s ago (leeway {self.leeway} s)"  # type: ignore[call-overload]
        elif name in ("iss", "aud") and isinstance(self.options.get(name, {}).get("value"), str):
            detail = f"{_short(value)}, not {self.options[name]['value']}"
        else:
            detail = exc.description or f"{name} is not valid"
        self.record.failed(name, detail)
        raise exc

    def _detail(self, name: str, value: object) -> str:
        if name == "exp":
            return f"expires in {int(value) - self.now} s"  # type: ignore[call-overload]
        if name in ("nbf", "iat"):
            return "not in the future (with the leeway)"
        if name == "iss":
            return f"{_short(value)}, the configured issuer"
        if name == "aud":
            return f"names {self.options.get(name, {}).get('value', 'this API')}"
        if name in ("sub", "client_id"):
            return _short(value)
        required = self.options.get(name, {}).get("value")
        return "present" if required is None else f"{_short(required)}, as required"


def _short(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
