"""The workspace client keeps its token to the address it was given (no redirects, no plain http)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from commonground.cli import cli
from commonground.workspace_client import WorkspaceError, fetch_profile

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
seen: list[str] = []


class _Redirecting(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        seen.append(self.headers.get("Authorization", ""))
        self.send_response(302)
        self.send_header("Location", "http://127.0.0.1:9/elsewhere")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def redirecting_server() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Redirecting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_a_redirect_is_refused_and_the_token_goes_nowhere_else(redirecting_server: str) -> None:
    seen.clear()
    with pytest.raises(WorkspaceError, match=r"redirected to http://127\.0\.0\.1:9/elsewhere"):
        fetch_profile(url=redirecting_server, token="cg_secret", slug="harbor")
    assert seen == ["Bearer cg_secret"]  # asked once, at the address given, and not followed


def test_a_token_in_the_environment_does_not_stop_assessing_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMONGROUND_TOKEN", "cg_set_for_scripts")
    result = CliRunner().invoke(
        cli,
        [
            "assess",
            str(EXAMPLES / "brightstart-child-health.yaml"),
            str(EXAMPLES / "clear-horizon-climate.yaml"),
        ],
    )
    assert result.exit_code == 0, result.output
    refused = CliRunner().invoke(
        cli, ["assess", "--token", "cg_x", str(EXAMPLES / "brightstart-child-health.yaml")]
    )
    assert refused.exit_code == 2
    assert "--token is for --workspace URL" in refused.output
