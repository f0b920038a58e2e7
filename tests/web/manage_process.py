"""`python -m commonground.web.manage` in a fresh process, configured only by the environment given.

Imported as ``from manage_process import manage``: tests/web has no ``__init__.py`` and pytest puts it
on the path (as ``waitress_thread``). Settings are read once per process, so tests of what the
environment configures run the command anew with the variables they set.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

_CONFIGURATION = ("COMMONGROUND_", "DATABASE_", "EMAIL_", "DEFAULT_FROM", "PG")


def manage(
    data_dir: Path, *args: str, extra_env: dict[str, str], timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    """Run a management command with the workspace's variables cleared, then ``extra_env`` set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_CONFIGURATION)}
    env |= {"COMMONGROUND_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "commonground.web.settings"}
    env |= extra_env
    return subprocess.run(
        [sys.executable, "-m", "commonground.web.manage", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
