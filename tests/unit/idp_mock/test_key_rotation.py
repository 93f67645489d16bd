"""Key rotation: a new key signs, old public keys stay published until their tokens expire."""

import time

from idp_mock import create_app
from idp_mock.keys import KeyRing

from .conftest import Flow, verify


def test_rotate_keys_command_adds_a_key_that_signs_new_tokens(config, tmp_path):
    app = create_app(config.model_copy(update={"keys_dir": tmp_path / "keys"}))
    flow = Flow(app.test_client())
    old_token = flow.tokens()["access_token"]
    result = app.test_cli_runner().invoke(args=["rotate-keys"])
    assert result.exit_code == 0 and "new signing key" in result.output
    jwks = flow.client.get("/jwks").get_json()["keys"]
    assert len(jwks) == 2
    new_token = flow.tokens(state="after")["access_token"]
    assert verify(flow.client, new_token).header["kid"] == jwks[1]["kid"]
    assert verify(flow.client, old_token).header["kid"] == jwks[0]["kid"]


def test_old_key_is_dropped_only_after_its_tokens_expired(tmp_path):
    ring = KeyRing(tmp_path)
    ring.ensure_key()
    ring.add_key()
    assert ring.prune(max_token_lifetime=300) == []
    assert len(ring.public_jwks()["keys"]) == 2
    dropped = ring.prune(max_token_lifetime=300, now=time.time() + 301)
    assert len(dropped) == 1
    assert [k["kid"] for k in ring.public_jwks()["keys"]] != dropped


def test_keys_are_written_owner_readable_only(tmp_path):
    KeyRing(tmp_path).ensure_key()
    [key_file] = tmp_path.glob("key-*.json")
    assert key_file.stat().st_mode & 0o077 == 0
