"""gunicorn entry point for the benchmark only: the real API plus its check-free twin route.

The twin is switched on here, in code, because ``Config.from_env`` can never switch it on.
"""

import dataclasses

from api import create_app
from api.config import Config


def create_bench_app():
    """The API as configured by the environment, with /bench/events-unchecked added."""
    config = dataclasses.replace(Config.from_env(), unchecked_twin_route=True)
    return create_app(config)
