"""`python -m devstack`: start the whole demo, print where to go, stop everything on Ctrl-C."""

import os
import signal
import sys
from pathlib import Path

from .demo_data import seed_events
from .ports import free_port
from .redis import RedisServer
from .services import REPO_ROOT
from .stack import DEMO_IDP_CONFIG, Ports, build_services, demo_users

# What the IdP's pages say on top in trainer mode (IDP_BANNER: idp-mock knows no trainer mode).
TRAINER_IDP_BANNER = (
    "Trainer mode · this is the identity provider's own page; "
    "the calendar's flow view records what happens."
)


def _interrupt(*_):
    """SIGTERM (kill, a process manager) ends the demo as cleanly as Ctrl-C does."""
    raise KeyboardInterrupt


def main() -> int:
    """Run the demo until interrupted."""
    state_dir = Path(os.environ.get("DEMO_STATE_DIR", REPO_ROOT / "var"))
    state_dir.mkdir(parents=True, exist_ok=True)
    redis_server = None
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        # Kept under var/ like the events and the IdP's keys: a restart keeps everyone signed in.
        redis_server = RedisServer(free_port(), state_dir / "redis").start()
        redis_url = redis_server.url
    ports = Ports()
    # Trainer mode (docs/trainer.md): TRAINER_MODE=1 turns on the BFF's recorder and the API's
    # verdict headers together; off by default.
    trainer = os.environ.get("TRAINER_MODE") == "1"
    extra = (
        {
            "bff": {"TRAINER_MODE": "1"},
            "api": {"API_TRAINER_MODE": "1"},
            "idp": {"IDP_BANNER": TRAINER_IDP_BANNER},
        }
        if trainer
        else None
    )
    services = build_services(ports, redis_url, state_dir, extra)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        for service in services:
            service.start()
            service.wait_healthy()
        if seed_events(state_dir / "api.sqlite3", DEMO_IDP_CONFIG):
            print("  Demo data: a few events for alice and bob, two starting within the hour")
        print(f"\n  Demo running: open {ports.bff_url}\n")
        print("  Demo users:  " + ",  ".join(f"{u} / {p}" for u, p in demo_users()))
        print(f"  IdP {ports.idp_url}   API {ports.api_url}   Redis {redis_url}")
        if trainer:
            print("  Trainer mode ON: the flow view is below the calendar (docs/trainer.md)")
        print("  Press Ctrl-C to stop.\n", flush=True)
        signal.pause()
    except KeyboardInterrupt:
        print("\nStopping…")
    except RuntimeError as exc:
        print(f"demo failed to start: {exc}", file=sys.stderr)
        return 1
    finally:
        for service in reversed(services):
            service.stop()
        if redis_server:
            redis_server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
