"""Connected apps: a signed-in user sees which clients hold a grant and revokes one."""

from __future__ import annotations

import hmac

from flask import redirect, render_template, request, url_for

from . import idp_session
from .current import idp
from .errors import PageBlueprint
from .interaction import Pending
from .pages import error_page, interaction_page, no_store

bp = PageBlueprint("apps", __name__)


bp.after_request(no_store)


@bp.get("/apps")
def connected_apps():
    """List the apps the signed-in user gave access to, with their scopes."""
    server = idp()
    signed_in = idp_session.current(server.store)
    if signed_in is None:
        pending = Pending(args=[], next=url_for("apps.connected_apps"))
        return interaction_page(pending, "login.html")
    session_id, principal = signed_in
    registry = server.registry
    apps = [
        (registry.clients[client_id], [registry.scopes[s] for s in scope.split()])
        for client_id, scope in server.consents.for_user(principal.sub).items()
        if client_id in registry.clients
    ]
    user = registry.user_by_sub(principal.sub)
    return render_template(
        "apps.html",
        apps=apps,
        user=user,
        csrf=_csrf(session_id),
        logout_csrf=idp_session.csrf_token(session_id, "logout"),
    )


@bp.post("/apps/revoke")
def revoke_app():
    """Revoke one app's grant: its tokens die and it is told to sign the user out."""
    server = idp()
    signed_in = idp_session.current(server.store)
    if signed_in is None or not hmac.compare_digest(
        request.form.get("csrf_token", ""), _csrf(signed_in[0])
    ):
        return error_page("invalid_request", "Your session has expired; sign in again.")
    principal = signed_in[1]
    client_id = request.form.get("client_id", "")
    server.consents.forget(principal.sub, client_id)
    for sid in server.records.revoke_grant(principal.sub, client_id):
        server.backchannel.notify({client_id}, principal.sub, sid)
    return redirect(url_for("apps.connected_apps"), 303)


def _csrf(session_id: str) -> str:
    return idp_session.csrf_token(session_id, "apps")
