"""The production path names its steps as signals a plug-in may hear, and costs nothing unheard."""

from bff import signals

from .conftest import CSRF, sign_in, sign_out


def test_login_api_call_and_logout_are_sent_as_signals_from_their_app(app, client):
    heard = []

    def listen(name):
        return lambda sender, **data: heard.append((name, sender, data))

    receivers = {
        signals.login_started: listen("login_started"),
        signals.api_called: listen("api_called"),
        signals.logged_out: listen("logged_out"),
    }
    for signal, receiver in receivers.items():
        signal.connect(receiver, sender=app)
    try:
        assert client.get("/bff/login").status_code == 302
        sign_in(client)
        assert client.get("/api/events", headers=CSRF).status_code == 200
        sign_out(client)
    finally:
        for signal, receiver in receivers.items():
            signal.disconnect(receiver, sender=app)
    assert [name for name, _, _ in heard] == ["login_started", "api_called", "logged_out"]
    assert all(sender is app for _, sender, _ in heard)
    login, call, logout = (data for _, _, data in heard)
    assert login["flow"]["url"].startswith(app.extensions["bff"].config.oidc_issuer)
    assert (call["method"], call["path"], call["upstream"].status) == ("GET", "/events", 200)
    assert logout["revoked"] is True


def test_without_a_plugin_no_signal_has_a_receiver(app):
    for signal in (signals.login_started, signals.code_redeemed, signals.api_called):
        assert not signal.has_receivers_for(app)
