"""Flask CLI commands: `flask --app idp_mock rotate-keys` and `prune-keys`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from .backchannel import LIFETIME as LOGOUT_TOKEN_LIFETIME
from .current import idp


def _longest_token_lifetime(server) -> int:
    """How long a token signed now can still be presented for verification."""
    lifetimes = server.registry.lifetimes
    return max(lifetimes.access_token, lifetimes.id_token, LOGOUT_TOKEN_LIFETIME)


@click.command("rotate-keys")
@with_appcontext
def rotate_keys() -> None:
    """Add a new signing key; drop old keys once every token they signed has expired."""
    server = idp()
    kid = server.keys.add_key()
    click.echo(f"new signing key: {kid}")
    _prune(server)


@click.command("prune-keys")
@with_appcontext
def prune_keys() -> None:
    """Drop superseded keys whose tokens have all expired (safe to run from cron)."""
    _prune(idp())


def _prune(server) -> None:
    lifetime = _longest_token_lifetime(server)
    for kid in server.keys.prune(lifetime):
        click.echo(f"dropped key: {kid}")
    published = [key["kid"] for key in server.keys.public_jwks()["keys"]]
    click.echo(f"published keys (oldest first): {', '.join(published)}")
