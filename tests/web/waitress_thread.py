"""The app under waitress in a background thread, started and stopped without a shutdown race.

Imported as ``from waitress_thread import ...``: tests/web has no ``__init__.py`` and pytest puts
it on the path (rootdir-relative imports, as ``at_once`` and ``url_walk``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from commonground.web import server


@contextmanager
def waitress_in_a_thread(*, threads: int) -> Iterator[int]:
    """Serve on a free loopback port with ``threads`` worker threads; yields the port."""
    served = server.make_server(host="127.0.0.1", port=0, threads=threads)
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    try:
        yield int(served.effective_port)
    finally:
        # Closed from the loop's own thread, between two selects: closing the sockets from this
        # thread while the loop waits on them made select() fail with "Bad file descriptor".
        try:
            served.trigger.pull_trigger(served.close)
        except OSError:
            # The trigger's pipe was already gone (seen once in CI, at the end of the flood test,
            # after every assertion had passed): the loop cannot be woken, so it is closed from
            # here, and the join below still proves it stopped.
            with suppress(OSError):
                served.close()
        thread.join(timeout=10)
        served.task_dispatcher.shutdown()
        assert not thread.is_alive(), "waitress did not stop"
