"""The core library (and the reports built on it) must work without Django."""

from __future__ import annotations

import subprocess
import sys
import textwrap

PROBE = textwrap.dedent(
    """
    import importlib, pkgutil, sys
    import commonground.core, commonground.reports
    for package in (commonground.core, commonground.reports):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(info.name)
    forbidden = ("django.", "commonground.web", "commonground.cli")
    leaked = sorted(m for m in sys.modules if m == "django" or m.startswith(forbidden))
    print(",".join(leaked))
    """
)


def test_core_and_reports_import_no_django_web_or_cli() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core/reports pulled in: {out.stdout.strip()}"


def test_probe_would_notice_django() -> None:
    # Guard against a probe that can never fail: importing Django must show up.
    probe = PROBE.replace(
        "import commonground.core, commonground.reports",
        "import django, commonground.core, commonground.reports",
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "django" in out.stdout
