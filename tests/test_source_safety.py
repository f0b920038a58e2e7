"""Static checks of our own source for what must never be written: code or templates built from
data, unsafe deserialisation, shell commands, hand-written SQL, weak hashes or guessable random
numbers for secrets, and browser storage or history caching of signed-in pages."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "commonground"
WEB = SRC / "web"


def _calls() -> Iterator[tuple[Path, ast.Call, str]]:
    """Every call under src/ with its dotted callee name (``yaml.load``, ``eval``)."""
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                yield path, node, ast.unparse(node.func)


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_code_templates_or_objects_are_built_from_data() -> None:
    forbidden = {"eval", "exec", "compile", "Template", "from_string", "yaml.load", "yaml.unsafe_load",
                 "pickle.loads", "pickle.load", "marshal.loads", "os.system", "os.popen"}  # fmt: skip
    found = [f"{path.relative_to(SRC)}:{call.lineno} {name}" for path, call, name in _calls()
             if name in forbidden or name.endswith((".from_string", "engine.Template"))]  # fmt: skip
    assert found == []
    unsafe_imports = {"pickle", "marshal", "shelve", "dill"}
    assert [p.name for p in SRC.rglob("*.py") if _imports(p) & unsafe_imports] == []


def test_no_shell_and_no_sql_written_by_hand_outside_the_backup_tool() -> None:
    shell = [f"{path.relative_to(SRC)}:{call.lineno}" for path, call, _ in _calls()
             if any(k.arg == "shell" for k in call.keywords)]  # fmt: skip
    assert shell == []
    # The ORM writes every query; backups.py reads the database's own catalogue (operator's command).
    raw = [f"{path.relative_to(SRC)}:{call.lineno} {name}" for path, call, name in _calls()
           if name.endswith((".raw", ".extra", ".execute", "RawSQL", ".cursor"))
           and path != WEB / "backups.py"]  # fmt: skip
    assert raw == []


def test_no_regular_expression_is_built_from_data() -> None:
    built = [f"{path.relative_to(SRC)}:{call.lineno}" for path, call, name in _calls()
             if name.startswith("re.") and call.args
             and isinstance(call.args[0], ast.JoinedStr | ast.BinOp | ast.Call)]  # fmt: skip
    assert built == []


def test_secrets_come_from_a_csprng_and_hashes_are_not_md5_or_sha1_for_security() -> None:
    # Only the demo's invented check-in answers use `random`; tokens and codes use `secrets`.
    users_of_random = sorted(
        str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if "random" in _imports(p) and WEB in p.parents
    )
    assert users_of_random == ["web/checkins/demo.py"]
    weak = [f"{path.relative_to(SRC)}:{call.lineno}" for path, call, name in _calls()
            if name in {"hashlib.md5", "hashlib.sha1", "md5", "sha1"}
            and not any(k.arg == "usedforsecurity" for k in call.keywords)]  # fmt: skip
    assert weak == []


def test_pages_keep_nothing_in_browser_storage_or_history_caches() -> None:
    templates = "".join(p.read_text(encoding="utf-8") for p in WEB.rglob("*.html"))
    # htmx keeps page snapshots in sessionStorage only for pushed history (hx-boost, hx-push-url).
    assert not re.search(r"hx-(boost|push-url|replace-url)", templates)
    ours = [p for p in (WEB / "static").rglob("*.js") if "vendor" not in p.parts]
    assert ours
    for script in ours:
        text = script.read_text(encoding="utf-8")
        for risky in ("localStorage", "sessionStorage", "indexedDB", "innerHTML", "postMessage", "eval("):
            assert risky not in text, f"{script.name}: {risky}"
