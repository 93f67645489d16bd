"""Trainer mode, a plug-in: records and explains every protocol step of the demo (docs/trainer.md).

Modules: hooks (the BFF's signals and this plug-in's own request hooks), recorder (a browser
session's timeline), timeline_store (Redis), steps + signin_steps + session_steps (what each step
shows), explain (parameters, tokens, the API's verdict), pause (step-by-step pages), views
(/bff/trainer/*), attacks + attack_kit + tampering (the attack buttons), m2m (the job's lane),
wire (raw HTTP). bff.create_app loads this package only when TRAINER_MODE=1; delete it to remove.
"""

from flask import Flask

from ..current import bff
from .hooks import connect
from .recorder import Recorder, recorder_secrets
from .timeline_store import TimelineStore

EXTENSION = "bff.trainer"


def install(app: Flask) -> None:
    """Subscribe the recorder to the BFF's signals and add the trainer endpoints and pages."""
    from . import attacks, views

    with app.app_context():
        state = bff()
    config = state.config
    app.extensions[EXTENSION] = Recorder(
        TimelineStore(state.redis), recorder_secrets(config), config.client_id
    )
    app.register_blueprint(views.bp)
    app.register_blueprint(attacks.bp)
    connect(app)
