"""Browser tests: one real `commonground serve` and one headless Chromium for the whole session.

The server runs in a subprocess on a free loopback port with a throwaway data directory (SQLite),
exactly as a user starts it, so the tests see real static files, threads and the real SDG model.
Chromium is Debian's (/usr/bin/chromium); Playwright never downloads a browser here.
Screenshots go to $COMMONGROUND_SCREENSHOTS (default /tmp/commonground-screens).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "a long browser-test passphrase"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def server_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server's data directory; its ``server.log`` holds the server's output, mails included."""
    return tmp_path_factory.mktemp("browser-data")


@contextmanager
def _serve(data_dir: Path, *options: str, env_extra: dict[str, str] | None = None) -> Iterator[str]:
    """Run `commonground serve [options]` on a free loopback port while the ``with`` block runs
    (``env_extra``: more environment for the server, e.g. ``COMMONGROUND_DIRECTORY``)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        COMMONGROUND_DATA_DIR=str(data_dir),
        COMMONGROUND_SECRET_KEY="browser-tests-not-secret",
        PYTHONUNBUFFERED="1",  # the banner (demo sign-ins) is in the log as soon as the server answers
    )
    env.update(env_extra or {})
    log = (data_dir / "server.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from commonground.cli import main; main()",
            "serve",
            "--port",
            str(port),
            *options,
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # --demo runs a first assessment before serving
    while True:
        try:
            with urllib.request.urlopen(f"{url}/accounts/sign-in/", timeout=2):  # noqa: S310 - our own http URL
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the server did not start: {(data_dir / 'server.log').read_text()[-2000:]}")
            time.sleep(0.2)
    try:
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def server_url(server_data_dir: Path) -> Iterator[str]:
    """Base URL of a `commonground serve` started for this session (stopped afterwards)."""
    with _serve(server_data_dir) as url:
        yield url


class DemoSite:
    """A `commonground serve --demo` with the demo's accounts (three organisations, a partnership between
    two of them and its first assessment)."""

    def __init__(self, url: str, passwords: dict[str, str]) -> None:
        self.url = url
        self.passwords = passwords


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    """A second server, loaded with the demo, for pages that need a partnership and an assessment."""
    data_dir = tmp_path_factory.mktemp("browser-demo")
    with _serve(data_dir, "--demo") as url:
        printed = (data_dir / "server.log").read_text(encoding="utf-8", errors="replace")
        # The start banner prints each demo sign-in once: "  demo / <password>  (description)".
        passwords = dict(re.findall(r"^\s+([\w-]+) / (\S+)\s+\(", printed, flags=re.MULTILINE))
        if "demo" not in passwords:
            pytest.fail(f"no demo sign-in in the server's banner: {printed[-2000:]}")
        yield DemoSite(url, passwords)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        message = f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            # `make test` installs Chromium, so in CI a missing browser is a broken set-up, not a skip.
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Folder for screenshots of the pages the tests visit."""
    folder = Path(os.environ.get("COMMONGROUND_SCREENSHOTS", "/tmp/commonground-screens"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Person:
    """A user with their own browser context (cookies), signed up through the sign-up form."""

    def __init__(self, browser: Any, base_url: str, username: str, server_log: Path) -> None:
        self.username = username
        self.server_log = server_log
        self.email = f"{username}@example.org"
        self.base_url = base_url
        self.context = browser.new_context(base_url=base_url, viewport={"width": 1200, "height": 900})
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))

    def sign_up(self) -> None:
        """Create the account through the form (and end up signed in)."""
        page = self.page
        page.goto("/accounts/sign-up/")
        page.get_by_label("Username").fill(self.username)
        page.get_by_label("Email").fill(self.email)
        page.locator("#id_password1").fill(PASSWORD)
        page.locator("#id_password2").fill(PASSWORD)
        page.get_by_role("button", name="Create account").click()
        page.wait_for_load_state()
        self.verify_email()

    def verify_email(self) -> None:
        """Follow the verification link the server mailed (the console backend prints mails to its log)."""
        self.page.goto(self.mailed_link("/accounts/email/verify/"))
        self.page.get_by_role("button", name="Confirm my email address").click()
        self.page.wait_for_load_state()

    def mailed_link(self, path: str) -> str:
        """The link under ``path`` in the newest mail to this person that has one (waits up to 10 s)."""
        pattern = re.compile(rf"{re.escape(self.base_url)}{re.escape(path)}[^/\s]+/")
        deadline = time.monotonic() + 10
        while True:
            # Mails are separated by a line of 79 dashes; take the newest one addressed to this person.
            mails = self.server_log.read_text(encoding="utf-8", errors="replace").split("-" * 79)
            links = [
                found.group(0)
                for m in mails
                if f"To: {self.email}" in m
                for found in [pattern.search(m)]
                if found
            ]
            if links:
                return links[-1]
            if time.monotonic() > deadline:
                pytest.fail(f"no mail to {self.email} with a link to {path} in the server log")
            time.sleep(0.1)

    def mails(self) -> list[str]:
        """Every mail sent to this person so far, as the server's log printed it."""
        mails = self.server_log.read_text(encoding="utf-8", errors="replace").split("-" * 79)
        return [m for m in mails if f"To: {self.email}" in m]

    def close(self) -> None:
        """Close the browser context."""
        self.context.close()


@contextmanager
def _people(browser: Any, url: str, data_dir: Path) -> Iterator[Any]:
    """A maker of people with unique names on the server at ``url``; their contexts close afterwards."""
    people: list[Person] = []
    stamp = f"{int(time.time() * 1000) % 10**8}"

    def make(name: str) -> Person:
        made = Person(browser, url, f"{name}-{stamp}", data_dir / "server.log")
        people.append(made)
        return made

    yield make
    for made in people:
        made.close()


@pytest.fixture
def person(browser: Any, server_url: str, server_data_dir: Path) -> Iterator[Any]:
    """Make people with unique names; their contexts are closed after the test."""
    with _people(browser, server_url, server_data_dir) as make:
        yield make


@pytest.fixture(scope="session")
def directory_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A third server whose administrators loaded a small directory of organisations (the JSON Lines
    and CSV fixtures of tests/data/directory) and indexed it: its URL and data directory."""
    data = Path(__file__).resolve().parents[1] / "data" / "directory"
    data_dir = tmp_path_factory.mktemp("browser-directory")
    built = data_dir / "orgs"
    subprocess.run(
        [
            sys.executable, "-c", "from commonground.cli import main; main()", "directory", "build",
            str(data / "organisations.jsonl"), str(data / "organisations.csv"),
            "--map", "name=Org,mission=Purpose,country=Country,kind=Type,goals=Goals,sdgs=SDGs",
            "--output", str(built),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    # With its approximate index, as `directory index` leaves it: the page ranks from it by default.
    cli = [sys.executable, "-c", "from commonground.cli import main; main()"]
    subprocess.run([*cli, "directory", "index", "-d", str(built)], check=True, capture_output=True)
    with _serve(data_dir, env_extra={"COMMONGROUND_DIRECTORY": str(built)}) as url:
        yield url, data_dir


@pytest.fixture
def directory_person(browser: Any, directory_site: tuple[str, Path]) -> Iterator[Any]:
    """Like ``person``, on the server with a directory loaded."""
    with _people(browser, *directory_site) as make:
        yield make
