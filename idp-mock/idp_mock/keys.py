"""Signing keys persisted as JWK files, so tokens survive a restart (new keys would void them)."""

from __future__ import annotations

import fcntl
import json
import os
import time
from contextlib import contextmanager
from pathlib import Path

from joserfc.jwk import KeySet, RSAKey

ALG = "RS256"


class KeyRing:
    """The RSA keys in a directory; the newest one signs, all published ones verify.

    Each key is a file `key-<created unix time>.json` holding a private JWK. Keys are
    re-read when the directory changes, so every worker sees a rotation.
    """

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self._seen: int | None = None
        self._keys: list[tuple[int, RSAKey]] = []

    def ensure_key(self) -> None:
        """Create the first key unless one exists (several workers may race here)."""
        with self._locked():
            if not self._files():
                self._write_new_key()

    def add_key(self) -> str:
        """Generate a new signing key and return its kid."""
        with self._locked():
            return self._write_new_key()

    def prune(self, max_token_lifetime: int, now: float | None = None) -> list[str]:
        """Drop keys superseded longer ago than any token they signed can live."""
        now = time.time() if now is None else now
        dropped = []
        with self._locked():
            files = self._files()
            for (path, _), (_, successor_created) in zip(files, files[1:], strict=False):
                if successor_created + max_token_lifetime < now:
                    dropped.append(_kid(_load(path)))
                    path.unlink()
        return dropped

    def signing_keys(self) -> KeySet:
        """The current signing key alone, so joserfc puts its kid in the JWT header."""
        return KeySet([self._current()[-1][1]])

    def public_jwks(self) -> dict:
        """The JWKS document: public parts of every key still published."""
        keys = [key.as_dict(private=False, use="sig", alg=ALG) for _, key in self._current()]
        return {"keys": keys}

    def public_keys(self) -> KeySet:
        """All published keys, for verifying tokens this IdP signed."""
        return KeySet([key for _, key in self._current()])

    def _current(self) -> list[tuple[int, RSAKey]]:
        stamp = self.directory.stat().st_mtime_ns if self.directory.exists() else None
        if stamp != self._seen or not self._keys:
            self._keys = [(created, _load(path)) for path, created in self._files()]
            self._seen = stamp
        if not self._keys:
            raise RuntimeError(f"no signing key in {self.directory}")
        return self._keys

    def _files(self) -> list[tuple[Path, int]]:
        files = []
        for path in self.directory.glob("key-*.json"):
            stem = path.stem.removeprefix("key-")
            if stem.isdigit():
                files.append((path, int(stem)))
        return sorted(files, key=lambda item: item[1])

    def _write_new_key(self) -> str:
        key = RSAKey.generate_key(2048, auto_kid=True)
        created = max([int(time.time())] + [c + 1 for _, c in self._files()])
        path = self.directory / f"key-{created}.json"
        tmp = path.with_suffix(".tmp")
        # The private key is a secret even in a demo: readable by the owner only.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(key.as_dict(private=True), handle)
        tmp.replace(path)
        return _kid(key)

    @contextmanager
    def _locked(self):
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.directory / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def _load(path: Path) -> RSAKey:
    return RSAKey.import_key(json.loads(path.read_text()))


def _kid(key: RSAKey) -> str:
    """Every key here is made with a kid (auto_kid): a key file without one is not ours."""
    if not key.kid:
        raise ValueError("signing key without a kid")
    return key.kid
