"""Machine-to-machine job: reads upcoming events through the API with a client-credentials token.

- ``__main__``: ``python -m reminder_job [--once]``, the loop, SIGTERM and the heartbeat file.
- ``config``: the settings (environment and ``.env``), failing fast naming the variable.
- ``session``: Authlib's OAuth2Session with the client credentials grant; it renews the token.
- ``job``: one run: ``GET /reminders/upcoming`` with the token, one retry after a 401.
"""
