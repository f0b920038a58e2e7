"""Running the same work in several threads released at one moment (races on the database)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def run_at_once(work: Callable[[], object], *, times: int = 2) -> list[str]:
    """Run ``work`` in ``times`` threads released together, each on its own connection; returns the
    repr of every exception raised (an empty list when all of them finished cleanly)."""
    barrier = threading.Barrier(times)
    errors: list[str] = []

    def run() -> None:
        try:
            barrier.wait()
            work()
        except Exception as exc:  # reported to the test, which says what it expected
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors
