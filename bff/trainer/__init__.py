"""Trainer mode: records and explains every protocol step of the demo (off by default).

Only bff.create_app installs it, and only when TRAINER_MODE=1; see docs/trainer.md.
"""

from urllib.parse import quote_plus

from flask import Flask, g, request, request_finished, session

from ..config import Config
from .recorder import Recorder
from .store import TrainerStore
from .wire import RecordingPool, hook


def install_trainer(app: Flask, config: Config) -> None:
    """Install the recorder behind bff/trace.py's hooks and the trainer endpoints."""
    from . import attacks, views

    store = TrainerStore(app.extensions["bff.logins"].redis)
    secrets = (config.client_secret, config.trainer_m2m_client_secret)
    # Also as they travel in a form body (client_secret_post), percent-encoded.
    hidden = tuple({*secrets, *(quote_plus(secret) for secret in secrets)})
    app.extensions["bff.trainer"] = Recorder(store, hidden, config.client_id)
    app.config["TRAINER_M2M_CREDENTIALS"] = (
        config.trainer_m2m_client_id,
        config.trainer_m2m_client_secret,
    )
    app.register_blueprint(views.bp)
    app.register_blueprint(attacks.bp)
    record_the_wire(app)

    @app.after_request
    def keep_timeline_after_logout(response):
        # Logout clears the session; the class still wants to see the logout on the timeline.
        trace_id = g.get("trainer_trace_id")
        if request.endpoint == "auth.logout" and trace_id and "trace_id" not in session:
            session["trace_id"] = trace_id
        return response


def record_the_wire(app: Flask) -> None:
    """Raw HTTP per step: the BFF's calls to the IdP and the API, and the browser's to the BFF."""
    app.extensions["bff.http"] = RecordingPool(app.extensions["bff.http"])
    client = app.extensions["authlib.integrations.flask_client"].idp
    tag = client.compliance_fix

    def tag_and_record(http_session) -> None:
        # Authlib calls this on each session it opens to the IdP: a response hook sees every call.
        if tag:
            tag(http_session)
        http_session.hooks["response"].append(hook("BFF", "IdP"))

    client.compliance_fix = tag_and_record

    def attach_the_request(sender: Flask, response, **extra) -> None:
        # After every after_request hook and the session's Set-Cookie: the answer as it left.
        sender.extensions["bff.trainer"].request_done(response)

    request_finished.connect(attach_the_request, app, weak=False)
