"""Fallback HTTP load generator for scripts/bench_api.py when wrk is not installed."""

from __future__ import annotations

import multiprocessing
import threading
import time

import requests


def python_load(url: str, headers: dict, seconds: int, processes: int, connections: int) -> float:
    """Requests/second over ``seconds``, from ``processes`` processes sharing ``connections``."""
    per_process = max(1, connections // processes)
    with multiprocessing.Pool(processes) as pool:
        counts = pool.starmap(_worker, [(url, headers, seconds, per_process)] * processes)
    return sum(counts) / seconds


def _worker(url: str, headers: dict, seconds: int, threads: int) -> int:
    deadline = time.monotonic() + seconds
    counts = [0] * threads

    def loop(index: int) -> None:
        session = requests.Session()
        while time.monotonic() < deadline:
            response = session.get(url, headers=headers, timeout=5)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            counts[index] += 1

    workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(counts)
