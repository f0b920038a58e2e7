"""``commonground serve``: prepare the database, optionally load the demo, and serve the workspace.

The server is gunicorn with ``workers`` processes (two by default) of ``threads`` threads each. One
Python process runs Python on one core at a time (the GIL), so a single-process server (waitress,
until 2026-12) left the other cores idle while pages queued (bench/README.md, "web load"). The
processes share SQLite safely: in WAL mode readers never wait, and IMMEDIATE
transactions with a busy timeout make writers queue across processes. Each process has its own
fragment cache, which is keyed by content, so none can show another's outdated row. gunicorn sets
TCP_NODELAY, so small htmx answers are not held back by delayed acknowledgements. It speaks plain
HTTP: beyond one machine put it behind a TLS proxy (see docs/deployment.md).
"""

from __future__ import annotations

import os
from typing import Any

from gunicorn.app.base import BaseApplication

WORKERS = 2
THREADS = 4  # per worker: 8 requests at a time with the default workers, as waitress's 8 threads did


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def run(*, host: str, port: int, demo: bool, workers: int = WORKERS) -> None:
    """Migrate, load the demo into an empty database if asked, print how to sign in, and serve."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.web.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from commonground.web import demo as demo_data

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    url = f"http://{_address(host, port)}/"
    print(f"Common Ground workspace — data in {settings.DATA_DIR}")
    accounts: list[demo_data.DemoAccount] | None = None
    if demo:
        accounts = demo_data.demo_load()
        if accounts is None:
            print("Demo data skipped: the database already has accounts or organisations.")
        else:
            print("Demo data loaded. Sign in with (passwords are shown only now):")
            for account in accounts:
                print(f"  {account.username} / {account.password}  ({account.description})")
    if accounts is None:
        if demo_data.database_is_empty():
            print(f"Create the first account at {url}accounts/sign-up/")
        else:
            print(f"Sign in at {url}accounts/sign-in/")
    print("Operators: `python -m commonground.web.manage createsuperuser`, then use /admin/.")
    if host not in {"127.0.0.1", "localhost", "::1"}:
        print("Listening beyond this machine: set COMMONGROUND_ALLOWED_HOSTS to the names people will use.")
    print(
        f"Serving at {url} (gunicorn, {workers} processes; stop with Ctrl+C). "
        "Behind TLS for production: docs/deployment.md"
    )
    serve_wsgi(host=host, port=port, workers=workers)


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    """gunicorn configured here rather than by its command line or a config file."""

    def __init__(self, options: dict[str, object]) -> None:
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for name, value in self._options.items():
            self.cfg.set(name, value)

    def load(self) -> Any:
        from django.core.wsgi import get_wsgi_application

        return get_wsgi_application()


def serve_wsgi(*, host: str, port: int, workers: int = WORKERS, threads: int = THREADS) -> None:
    """Serve the configured Django project with gunicorn until interrupted."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.web.settings")
    import django
    from django.db import connections

    django.setup()
    # Worker processes are forked from this one: each must open its own database connection.
    connections.close_all()
    _Gunicorn(
        {
            "bind": _address(host, port),
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            # An assessment can take a while on a busy machine; gunicorn restarts a worker silent this long.
            "timeout": 120,
            "loglevel": "warning",
        }
    ).run()
