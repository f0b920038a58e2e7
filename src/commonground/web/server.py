"""``commonground serve``: prepare the database, optionally load the demo, and serve the workspace.

The server is waitress, a pure-Python multi-threaded WSGI server made for production use (it sets
TCP_NODELAY, so small htmx answers are not held back by delayed acknowledgements, which Django's
development server suffers from). It speaks plain HTTP: beyond one machine put it, or gunicorn,
behind a TLS proxy (see docs/deployment.md).
"""

from __future__ import annotations

import os
from typing import Any


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def run(*, host: str, port: int, demo: bool) -> None:
    """Migrate, load the demo into an empty database if asked, print how to sign in, and serve."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.web.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from commonground.web import demo as demo_data
    from commonground.web.assessments.services import snapshot_bodies_refresh

    problems = transport_problems()
    if problems:
        raise SystemExit("Not started:\n" + "\n".join(problems))
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    refreshed = snapshot_bodies_refresh()
    url = f"http://{_address(host, port)}/"
    print(f"Common Ground workspace — data in {settings.DATA_DIR}")
    if refreshed:
        print(f"Stored {refreshed} assessment page(s) afresh in this version's layout.")
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
    print(f"Serving at {url} (waitress; stop with Ctrl+C). Behind TLS for production: docs/deployment.md")
    serve_wsgi(host=host, port=port)


def transport_problems() -> list[str]:
    """The back-end connection checks' errors (web/transport_checks.py), each with what to set.

    The deployment checks `check --deploy` runs, run here too before the database is reached: a
    database or mail server elsewhere without a checked certificate stops the start (ASVS V12.3).
    """
    from django.core import checks

    from commonground.web.transport_checks import TAG

    found = checks.run_checks(tags=[TAG], include_deployment_checks=True)
    return [f"{message.msg} {message.hint}" for message in found if message.is_serious()]


def proxy_options() -> dict[str, Any]:
    """waitress's options for the proxy in ``settings.TRUSTED_PROXY``: its X-Forwarded-Proto and
    X-Forwarded-For are believed, and cleared when anyone else sends them (waitress clears them from
    everyone unless told which proxy to trust, so HTTPS behind a TLS proxy redirected in a loop:
    security review F4)."""
    from django.conf import settings

    if not settings.TRUSTED_PROXY:
        return {}
    return {
        "trusted_proxy": settings.TRUSTED_PROXY,
        "trusted_proxy_count": settings.TRUSTED_PROXY_COUNT,
        "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for"},
        "clear_untrusted_proxy_headers": True,
        # A proxy that connects from another address than the configured one (::1, a container's)
        # has its headers cleared, which brings the redirect loop back: log it so it can be found.
        "log_untrusted_proxy_headers": True,
    }


def make_server(*, host: str, port: int, threads: int = 8) -> Any:
    """A waitress server for the configured Django project (``.run()`` serves; port 0 picks a free one)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.web.settings")
    from django.core.wsgi import get_wsgi_application
    from waitress.server import create_server

    application = get_wsgi_application()
    options = proxy_options()
    return create_server(application, host=host, port=port, threads=threads, ident="commonground", **options)


def serve_wsgi(*, host: str, port: int, threads: int = 8) -> None:
    """Serve the configured Django project with waitress until interrupted."""
    make_server(host=host, port=port, threads=threads).run()
