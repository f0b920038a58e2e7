"""``commonground serve``: prepare the database, optionally load the demo, and serve the workspace.

The server is Django's development server (``runserver``), fine for one person or a small team on
a trusted network. For production run the WSGI app ``commonground.web.wsgi:application`` under
gunicorn or uWSGI behind a TLS proxy (see src/commonground/web/README.md).
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
    print("This is Django's development server; for production see the deployment notes.")
    call_command("runserver", _address(host, port), use_reloader=False, use_threading=True)
