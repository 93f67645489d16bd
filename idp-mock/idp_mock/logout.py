"""RP-Initiated Logout 1.0 on Authlib's end-session endpoint, with back-channel logout."""

from __future__ import annotations

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749.errors import InvalidRequestError
from authlib.oidc.rpinitiated import EndSessionEndpoint
from flask import Blueprint, make_response, render_template, request

from . import sessions
from .current import idp
from .pages import error_page, no_store

bp = Blueprint("logout", __name__)


class EndSession(EndSessionEndpoint):
    def get_server_jwks(self):
        return self.server.keys.public_keys()

    def get_algorithms(self):
        return ["RS256"]

    def validate_request(self, request):
        # Authlib checks the hint's signature but not who issued it.
        validated = super().validate_request(request)
        claims = validated.id_token_claims
        if claims and claims.get("iss") != self.server.config.issuer:
            raise InvalidRequestError("id_token_hint was not issued by this provider")
        return validated

    def is_post_logout_redirect_uri_legitimate(self, request, uri, client, logout_hint):
        return True  # exact match with a registered URI was already checked

    def end_session(self, end_session_request):
        end_browser_session()


def end_browser_session() -> None:
    """End this browser's IdP session and tell every client that used it."""
    server = idp()
    signed_in = sessions.current(server.store)
    if signed_in is None:
        return
    session_id, principal = signed_in
    sessions.end(server.store, session_id)
    clients = server.records.session_clients(principal.sid)
    server.backchannel.notify(clients, principal.sub, principal.sid)


bp.after_request(no_store)


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    """End the IdP session; ask first unless a valid id_token_hint proves the caller."""
    server = idp()
    try:
        validated = server.validate_endpoint_request("end_session")
    except OAuth2Error as error:
        return error_page(error.error, error.description)
    if request.values.get("post_logout_redirect_uri") and not validated.redirect_uri:
        return error_page(
            "invalid_request",
            "post_logout_redirect_uri is not registered for this client, or the client is unknown.",
        )
    if validated.needs_confirmation and request.method == "GET":
        return render_template("logout.html", fields=request.args.items())
    response = make_response(
        server.create_endpoint_response("end_session", validated)
        or render_template("signed_out.html")
    )
    response.delete_cookie(sessions.COOKIE, path="/")
    return response
