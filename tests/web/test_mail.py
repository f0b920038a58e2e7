"""Outgoing email: the backend and SMTP server come from the environment; subjects stay on one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from commonground.web.mail import one_line

NAMES = (
    "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS",
    "DEFAULT_FROM_EMAIL",
)  # fmt: skip


def _email_settings(tmp_path: Path, **environment: str) -> dict[str, object]:
    """The email settings a fresh process reads from ``environment`` (nothing else set)."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("COMMONGROUND_", "EMAIL_", "DEFAULT_FROM"))
    }
    env |= {"COMMONGROUND_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "commonground.web.settings"}
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {NAMES!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env | environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_mail_goes_to_the_console_unless_the_environment_names_a_server(tmp_path: Path) -> None:
    assert _email_settings(tmp_path)["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    smtp = _email_settings(
        tmp_path,
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="2525",
        EMAIL_HOST_USER="cg",
        EMAIL_HOST_PASSWORD="secret",
        EMAIL_USE_TLS="0",
        DEFAULT_FROM_EMAIL="Common Ground <cg@example.org>",
    )
    assert smtp == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "cg",
        "EMAIL_HOST_PASSWORD": "secret",
        "EMAIL_USE_TLS": False,
        "DEFAULT_FROM_EMAIL": "Common Ground <cg@example.org>",
    }
    chosen = _email_settings(tmp_path, EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend")
    assert chosen["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"


def test_a_subject_is_one_line_whatever_names_it_holds() -> None:
    assert (
        one_line("Harbor\r\nBcc: victim@example.org\tinvites  you")
        == "Harbor Bcc: victim@example.org invites you"
    )
