"""RP-Initiated Logout 1.0 on Authlib's end-session endpoint, with back-channel logout."""

from __future__ import annotations

import hmac

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749.errors import InvalidRequestError
from authlib.oidc.rpinitiated import EndSessionEndpoint
from flask import make_response, render_template, request

from . import idp_session
from .current import idp
from .errors import PageBlueprint
from .pages import error_page, no_store

bp = PageBlueprint("logout", __name__)


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
    signed_in = idp_session.current(server.store)
    if signed_in is None:
        return
    session_id, principal = signed_in
    idp_session.end(server.store, session_id)
    clients = server.records.session_clients(principal.sid)
    server.backchannel.notify(clients, principal.sub, principal.sid)


bp.after_request(no_store)


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    """End the IdP session if the request proves it comes from it; otherwise ask the user first."""
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
    signed_in = idp_session.current(server.store)
    # RP-Initiated Logout §2, §6: a hint for another user or session, or none, could come from
    # any site, so it only ends the session after the user confirms on a page bound to it.
    if signed_in and not (_hint_matches(validated, signed_in[1]) or _confirmed(signed_in[0])):
        fields = [(k, v) for k, v in request.values.items(multi=True) if k != "csrf_token"]
        csrf = idp_session.csrf_token(signed_in[0], "logout")
        return render_template("logout.html", fields=fields, csrf=csrf, client=validated.client)
    response = make_response(
        server.create_endpoint_response("end_session", validated)
        or render_template("signed_out.html")
    )
    if signed_in:  # never half-done: the cookie goes only with the server session
        response.delete_cookie(idp_session.COOKIE, path="/")
    return response


def _hint_matches(validated, principal: idp_session.Principal) -> bool:
    """The id_token_hint was issued in this very session (same user, same sid)."""
    claims = validated.id_token_claims or {}
    return claims.get("sub") == principal.sub and claims.get("sid") == principal.sid


def _confirmed(session_id: str) -> bool:
    """The user pressed Sign out on the confirmation page of this session."""
    sent = request.form.get("csrf_token", "") if request.method == "POST" else ""
    return bool(sent) and hmac.compare_digest(sent, idp_session.csrf_token(session_id, "logout"))
