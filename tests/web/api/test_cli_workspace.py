"""`commonground assess --workspace URL --token T SLUG SLUG`: the CLI reads stored profiles over the API."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from commonground.cli import cli
from commonground.core.loading import load_profile
from commonground.web.organisations import services as organisation_services
from commonground.web.organisations.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.fixture
def second_organisation(owner: Any) -> Organisation:
    """A second organisation of ``owner``: the two make a partnership to assess."""
    profile = load_profile(EXAMPLES / "brightstart-child-health.yaml")
    return organisation_services.organisation_create(user=owner, profile=profile)


def _assess(*args: str) -> Any:
    return CliRunner().invoke(cli, ["assess", *args], catch_exceptions=False)


def test_an_analyst_assesses_two_stored_organisations_over_the_api(
    live_server: Any,
    owner: Any,
    organisation: Organisation,
    second_organisation: Organisation,
    token_for: Callable[..., str],
) -> None:
    secret = token_for(owner, scope="read")
    result = _assess(
        "--workspace", live_server.url, "--token", secret, "--format", "json",
        organisation.slug, second_organisation.slug,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report["parties"]) == {organisation.name, second_organisation.name}
    assert report["verdict"] in {"aligned", "workable", "at_risk", "blocked"}


def test_an_organisation_the_token_cannot_read_is_named_and_nothing_is_assessed(
    live_server: Any,
    owner: Any,
    organisation: Organisation,
    other_organisation: Organisation,
    token_for: Callable[..., str],
) -> None:
    secret = token_for(owner, scope="read")
    result = CliRunner().invoke(
        cli,
        [
            "assess",
            "--workspace",
            live_server.url,
            "--token",
            secret,
            organisation.slug,
            other_organisation.slug,
        ],
    )
    assert result.exit_code == 2
    # The live server's own request log may land in the captured output too; the CLI's answer is
    # its error line naming the organisation.
    errors = [line for line in result.output.splitlines() if line.startswith("commonground: error:")]
    assert errors == [
        f"commonground: error: {other_organisation.slug}: Not found: nothing here that this token can reach."
    ]


def test_a_wrong_token_and_plain_http_to_another_host_are_refused(
    live_server: Any, organisation: Organisation
) -> None:
    wrong = CliRunner().invoke(
        cli, ["assess", "--workspace", live_server.url, "--token", "cg_wrong", organisation.slug, "x"]
    )
    assert wrong.exit_code == 2
    assert "not known" in wrong.output
    clear = CliRunner().invoke(
        cli, ["assess", "--workspace", "http://workspace.example.org", "--token", "cg_x", "a", "b"]
    )
    assert clear.exit_code == 2
    assert "use https" in clear.output
