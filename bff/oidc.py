"""The BFF's OpenID Connect client: Authlib does discovery, PKCE, state, nonce, ID-token checks."""

from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app

from .config import Config
from .idp_http import KeptAlive, connected_through

# Kept-alive connections to the IdP per worker; a burst of logins past this opens extra ones
# and closes them after (urllib3 then logs "Connection pool is full").
IDP_CONNECTIONS = 32
STATE_KEY = "_state_idp_"  # Authlib keeps each pending login in the session under this prefix


def init_oidc(app: Flask, config: Config) -> None:
    """Register the IdP as a confidential client, learning every endpoint from discovery."""
    oauth = OAuth(app)
    oauth.register(
        "idp",
        compliance_fix=connected_through(KeptAlive(pool_maxsize=IDP_CONNECTIONS)),
        client_id=config.client_id,
        client_secret=config.client_secret,
        server_metadata_url=config.discovery_url,
        # Provider quirks as data (OIDC_AUTH_PARAMS), e.g. Auth0's audience.
        authorize_params=dict(config.auth_params) or None,
        client_kwargs={
            "scope": config.scope,
            "code_challenge_method": "S256",
            "default_timeout": config.idp_timeout_seconds,
        },
    )
    # A pending login is good for minutes, not Authlib's default hour.
    oauth.idp.framework.expires_in = config.login_pending_seconds


def idp():
    """The registered IdP client of the current app."""
    return current_app.extensions["authlib.integrations.flask_client"].idp


def metadata() -> dict:
    """The IdP's discovery document (fetched once per process, then cached by Authlib)."""
    return idp().load_server_metadata()
