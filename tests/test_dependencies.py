"""The runtime dependencies: every one is used by our code, and the SBOM lists each at its pin."""

from __future__ import annotations

import ast
import importlib.metadata
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "commonground"
SBOM = ROOT / "build" / "sbom.cdx.json"

# Dependencies that our code never imports but another library does, because our settings
# ask for it (the test below checks that they still do).
USED_THROUGH_ANOTHER_LIBRARY = {
    # Django's Argon2PasswordHasher (first in PASSWORD_HASHERS) imports argon2.
    "argon2-cffi",
    # openpyxl parses XLSX with defusedxml when it is installed (refuses entity-expansion bombs).
    "defusedxml",
}


def _runtime_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(line) for line in project["dependencies"]]


def _top_level_names_used_in_src() -> set[str]:
    """Modules imported under src/, plus dotted names written as strings (INSTALLED_APPS, MIDDLEWARE)."""
    names: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                if text.isascii() and text.replace(".", "").replace("_", "").isalnum() and text[:1].isalpha():
                    names.add(text.split(".")[0])
    return names


def test_every_runtime_dependency_is_pinned_exactly() -> None:
    loose = [str(r) for r in _runtime_requirements() if not str(r.specifier).startswith("==")]
    assert loose == []


def test_every_runtime_dependency_is_used_by_our_code() -> None:
    distributions_of = importlib.metadata.packages_distributions()
    used = {
        canonicalize_name(dist)
        for module in _top_level_names_used_in_src()
        for dist in distributions_of.get(module, [])
    }
    unused = [
        r.name
        for r in _runtime_requirements()
        if canonicalize_name(r.name) not in used and r.name not in USED_THROUGH_ANOTHER_LIBRARY
    ]
    assert unused == [], f"runtime dependencies nothing under src/ imports: {unused}"


def test_the_dependencies_used_through_another_library_are_still_asked_for() -> None:
    from django.conf import settings
    from openpyxl.xml import DEFUSEDXML

    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert DEFUSEDXML is True
    declared = {r.name for r in _runtime_requirements()}
    assert declared >= USED_THROUGH_ANOTHER_LIBRARY


@pytest.fixture(scope="module")
def sbom(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The SBOM scripts/test.sh wrote, or a fresh one when it is missing or older than pyproject.toml."""
    path = SBOM
    if not path.exists() or path.stat().st_mtime < (ROOT / "pyproject.toml").stat().st_mtime:
        path = tmp_path_factory.mktemp("sbom") / "sbom.cdx.json"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "cyclonedx_py",
                "environment",
                "--pyproject",
                str(ROOT / "pyproject.toml"),
                "--output-reproducible",
                "-o",
                str(path),
                sys.prefix,
            ],
            check=True,
            capture_output=True,
        )
    document: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return document


def test_the_sbom_lists_every_runtime_dependency_at_its_pin(sbom: dict[str, object]) -> None:
    assert sbom["bomFormat"] == "CycloneDX"
    components = sbom["components"]
    assert isinstance(components, list)
    listed = {canonicalize_name(c["name"]): c["version"] for c in components}
    wrong = {}
    for requirement in _runtime_requirements():
        pin = str(requirement.specifier).removeprefix("==")
        if listed.get(canonicalize_name(requirement.name)) != pin:
            wrong[requirement.name] = (pin, listed.get(canonicalize_name(requirement.name)))
    assert wrong == {}, "pinned version vs. version in the SBOM"
