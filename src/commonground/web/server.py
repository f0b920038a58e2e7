"""``commonground serve``: prepare the database, optionally load the demo, and serve the workspace.

The server is waitress, a pure-Python multi-threaded WSGI server made for production use (it sets
TCP_NODELAY, so small htmx answers are not held back by delayed acknowledgements, which Django's
development server suffers from). It speaks plain HTTP: beyond one machine put it, or gunicorn,
behind a TLS proxy (see docs/deployment.md).
"""

from __future__ import annotations

import os


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
    print(f"Serving at {url} (waitress; stop with Ctrl+C). Behind TLS for production: docs/deployment.md")
    serve_wsgi(host=host, port=port)


def serve_wsgi(*, host: str, port: int, threads: int = 8) -> None:
    """Serve the configured Django project with waitress until interrupted."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.web.settings")
    from django.core.wsgi import get_wsgi_application
    from waitress import serve

    serve(get_wsgi_application(), host=host, port=port, threads=threads, ident="commonground")
