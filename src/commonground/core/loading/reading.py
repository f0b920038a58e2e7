"""Reading input bytes: size limits, text encoding, format choice, and YAML/JSON parsing with line marks.

YAML is parsed with a locked-down composer: anchors and aliases are refused (so an alias bomb cannot
blow up memory), duplicate keys are errors, only the plain YAML tags are accepted, and files over
:data:`MAX_BYTES` are refused before they are read. Where PyYAML has libyaml (its wheels do), a first
pass over libyaml's events refuses anchors, aliases and deep nesting, and libyaml then composes the
tree; a file libyaml finds broken is parsed again by the pure-Python composer, whose messages are
clearer. Both paths give the same data, lines and problems (a test reads every example both ways).
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import yaml

from commonground.core.loading.problems import Document, LoadError, Loc, Problem, format_path, show_value

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 32  # a profile is four levels deep, an agreement seven; anything far deeper is hostile
# A profile at every list's maximum holds about 5,000 values (field names, texts, numbers, lists); a
# profile file with more is refused while it is parsed, before a problem is named for each value (a
# megabyte of unknown fields cost seconds of CPU: security review F1). The API uses the same limit.
MAX_PROFILE_VALUES = 20_000
YAML_SUFFIXES = {".yaml", ".yml"}
JSON_SUFFIXES = {".json"}


_TOO_DEEP = f"nested too deeply (more than {MAX_DEPTH} levels) to be a Common Ground file"


def _read_bytes(path: Path, *, source: str | None = None) -> bytes:
    name = source or str(path)
    try:
        if not path.exists():
            raise LoadError([Problem(name, "", None, "file not found")])
        if path.is_dir():
            raise LoadError([Problem(name, "", None, "this is a folder, not a file")])
        if not path.is_file():
            # FIFOs and devices could block or never end.
            raise LoadError([Problem(name, "", None, "not a regular file")])
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise LoadError([_too_big(name, size)])
        with path.open("rb") as handle:
            # Read one byte past the limit: the size on disk can change between stat and read.
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise LoadError([Problem(name, "", None, f"cannot read the file: {exc.strerror or exc}")]) from exc
    if len(data) > MAX_BYTES:
        raise LoadError([_too_big(name, len(data))])
    return data


def _too_big(name: str, size: int) -> Problem:
    return Problem(
        name,
        "",
        None,
        f"the file is {size / 1024 / 1024:.1f} MB; profiles, partnership and agreement files may be "
        f"at most {MAX_BYTES // 1024 // 1024} MB",
    )


def _decode(raw: str | bytes, source: str) -> str:
    if isinstance(raw, str):
        text = raw
        if len(text) > MAX_BYTES:
            raise LoadError([_too_big(source, len(text.encode("utf-8", "surrogatepass")))])
    else:
        if len(raw) > MAX_BYTES:
            raise LoadError([_too_big(source, len(raw))])
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            try:
                text = raw.decode("utf-16")
            except UnicodeDecodeError as exc:
                raise LoadError([Problem(source, "", None, "the file is not valid UTF-16 text")]) from exc
        else:
            if b"\x00" in raw:
                raise LoadError([_binary(source)])
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                line = raw[: exc.start].count(b"\n") + 1
                raise LoadError(
                    [
                        Problem(
                            source,
                            "",
                            line,
                            f"the file is not UTF-8 text (byte {exc.start}); save it as UTF-8",
                        )
                    ]
                ) from exc
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise LoadError([_binary(source)])
    if not _has_content(text):
        raise LoadError([Problem(source, "", None, "the file is empty")])
    return text


def _binary(source: str) -> Problem:
    return Problem(source, "", None, "this looks like a binary file, not YAML or JSON text")


def _has_content(text: str) -> bool:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and stripped not in {"---", "..."}:
            return True
    return False


def _choose_format(source: str, fmt: str | None, text: str) -> str:
    if fmt is not None:
        fmt = fmt.lower().lstrip(".")
        if fmt in {"yaml", "yml"}:
            return "yaml"
        if fmt == "json":
            return "json"
        raise LoadError([Problem(source, "", None, f"unknown format {fmt!r}; use 'yaml' or 'json'")])
    suffix = Path(source).suffix.lower()
    if suffix in YAML_SUFFIXES:
        return "yaml"
    if suffix in JSON_SUFFIXES:
        return "json"
    # No telling extension: JSON starts with a brace or bracket, YAML practically never does.
    return "json" if text.lstrip()[:1] in {"{", "["} else "yaml"


# --------------------------------------------------------------------------- parsing YAML


class _AliasRefused(yaml.MarkedYAMLError):
    pass


class _TooManyValues(yaml.MarkedYAMLError):
    pass


def _too_many_values(limit: int) -> str:
    return f"the file holds more than {limit:,} values, far more than a profile has; nothing was read further"


class _TooDeep(yaml.MarkedYAMLError):
    pass


_ALIASES_REFUSED = "anchors and aliases (&name, *name) are not allowed in these files; write the values out"


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader whose composer refuses anchors and aliases, and more than ``max_values`` nodes."""

    max_values: int | None = None
    _nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event: Any = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _AliasRefused(None, None, _ALIASES_REFUSED, event.start_mark)
        if self.max_values is not None:
            # Field names are nodes too, so twice the limit, as in _screen_events.
            self._nodes += 1
            if self._nodes > 2 * self.max_values:
                raise _TooManyValues(None, None, _too_many_values(self.max_values), event.start_mark)
        return super().compose_node(parent, index)


_STR_TAG = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {
    _STR_TAG,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"


def _place(line: int, column: int) -> str:
    """Where in a file, as a person reads it: "line 4, column 1"."""
    return f"line {line}, column {column}"


def _yaml_problem(source: str, exc: yaml.YAMLError) -> Problem:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if isinstance(exc, _AliasRefused | _TooDeep | _TooManyValues):
            message = problem
        elif "expected a single document" in str(exc):
            message = (
                "the file holds more than one YAML document (separated by ---); put one document per file"
            )
        else:
            message = f"YAML syntax error: {problem}"
            if exc.context and exc.problem:
                context, start = exc.context, exc.context_mark
                if start is not None and mark is not None and start.line != mark.line:
                    # "while scanning a quoted scalar" found at the end of the file: say where it began.
                    context += f" that starts at {_place(start.line + 1, start.column + 1)}"
                message += f" ({context})"
            if "'\\t'" in problem:
                message += "; indent with spaces, not tabs"
        if mark is not None:
            # The line in the message too: not every page shows a problem's line beside it (the API).
            return Problem(
                source, "", mark.line + 1, f"{message} (at {_place(mark.line + 1, mark.column + 1)})"
            )
        return Problem(source, "", None, message)
    return Problem(source, "", None, f"YAML error: {exc}")


class _Builder:
    """Turns a composed YAML node tree into plain data, recording lines and structural problems."""

    def __init__(self, source: str):
        self.source = source
        self.lines: dict[Loc, int] = {}
        self.problems: list[Problem] = []
        self._constructor = yaml.SafeLoader("")

    def _add(self, loc: Loc, line: int, message: str) -> None:
        self.problems.append(Problem(self.source, format_path(loc), line, message))

    def build(self, node: yaml.Node, loc: Loc, depth: int = 0) -> Any:
        line = node.start_mark.line + 1
        self.lines.setdefault(loc, line)
        if depth > MAX_DEPTH:
            self._add(loc, line, _TOO_DEEP)
            return None
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, loc, line)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self._add(loc, line, f"unsupported YAML tag {node.tag!r}")
                return None
            return [self.build(item, (*loc, index), depth + 1) for index, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP_TAG:
                self._add(loc, line, f"unsupported YAML tag {node.tag!r}")
                return None
            out: dict[str, Any] = {}
            first_line: dict[str, int] = {}
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode):
                    self._add(loc, key_line, "field names must be plain words, not lists or mappings")
                    continue
                # Keys are taken as written, so "yes:" or "1:" stay text instead of becoming True or 1.
                key = str(key_node.value)
                if key in out:
                    self._add(
                        (*loc, key),
                        key_line,
                        f"duplicate key {key!r} (already given on line {first_line[key]}); "
                        "give each field once",
                    )
                    continue
                first_line[key] = key_line
                self.lines[(*loc, key)] = key_line
                out[key] = self.build(value_node, (*loc, key), depth + 1)
            return out
        self._add(loc, line, "unsupported YAML node")
        return None

    def _scalar(self, node: yaml.ScalarNode, loc: Loc, line: int) -> Any:
        if node.tag == _STR_TAG:
            return str(node.value)
        if node.tag not in _SCALAR_TAGS:
            self._add(loc, line, f"unsupported YAML tag {node.tag!r}")
            return None
        try:
            value = self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError, TypeError) as exc:
            self._add(loc, line, f"cannot read the value {show_value(str(node.value))}: {str(exc)[:120]}")
            return None
        if isinstance(value, datetime.date | datetime.datetime):
            # Keep what the person wrote as text: no profile field holds a date, and the agreement's
            # date fields parse text themselves (so a date-time is named as a problem, not cut short).
            return str(node.value)
        return value


# libyaml (PyYAML's C parser, in its wheels) composes about seven times faster than the pure-Python
# composer; a large agreement file loads in a third of a second instead of one and a half.
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", None)


def _mark(event: yaml.Event) -> yaml.Mark | None:
    # libyaml's marks are of its own type; the error messages need PyYAML's.
    start = event.start_mark
    return None if start is None else yaml.Mark("<input>", start.index, start.line, start.column, None, 0)


def _screen_events(text: str, max_values: int | None) -> None:
    """Refuse anchors, aliases, deep nesting and (when given) more than ``max_values`` values before
    libyaml composes (it resolves aliases itself)."""
    depth = 0
    values = 0
    for event in yaml.parse(text, Loader=_FAST_LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _AliasRefused(None, None, _ALIASES_REFUSED, _mark(event))
        if max_values is not None and isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
            # Keys count too (an unknown field is a problem to name), so the limit is generous.
            values += 1
            if values > 2 * max_values:
                raise _TooManyValues(None, None, _too_many_values(max_values), _mark(event))
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH + 1:
                raise _TooDeep(None, None, _TOO_DEEP, _mark(event))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _compose(text: str, max_values: int | None = None) -> yaml.Node | None:
    """The YAML node tree, anchors and aliases refused; with libyaml when PyYAML has it."""
    if _FAST_LOADER is not None:
        try:
            _screen_events(text, max_values)
            node: yaml.Node | None = yaml.compose(text, Loader=_FAST_LOADER)
        except (_AliasRefused, _TooDeep, _TooManyValues):
            raise
        except yaml.YAMLError:
            pass  # a broken file: the pure-Python parser below says what is wrong in clearer words
        else:
            return node
    loader = _StrictLoader(text)
    loader.max_values = max_values
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _parse_yaml(text: str, source: str, max_values: int | None) -> Document:
    builder = _Builder(source)
    try:
        node = _compose(text, max_values)
    except yaml.YAMLError as exc:
        raise LoadError([_yaml_problem(source, exc)]) from exc
    except RecursionError as exc:
        raise LoadError([Problem(source, "", None, _TOO_DEEP)]) from exc
    if node is None:
        raise LoadError([Problem(source, "", None, "the file is empty")])
    data = builder.build(node, ())
    return Document(source, data, builder.lines, builder.problems)


def count_values(data: object, *, stop_after: int) -> int:
    """How many values (mappings, lists, scalars) ``data`` holds, counting at most ``stop_after + 1``."""
    count, pending = 0, [data]
    while pending and count <= stop_after:
        value = pending.pop()
        count += 1
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return count


def _parse_json(text: str, source: str, max_values: int | None) -> Document:
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                duplicates.append(key)
                continue
            out[key] = value
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise LoadError(
            [
                Problem(
                    source,
                    "",
                    exc.lineno,
                    f"JSON syntax error: {exc.msg} (at {_place(exc.lineno, exc.colno)})",
                )
            ]
        ) from exc
    except RecursionError as exc:
        raise LoadError([Problem(source, "", None, _TOO_DEEP)]) from exc
    except ValueError as exc:  # e.g. an integer with thousands of digits
        raise LoadError([Problem(source, "", None, f"cannot read the file as JSON: {exc}")]) from exc
    if max_values is not None and count_values(data, stop_after=max_values) > max_values:
        raise LoadError([Problem(source, "", None, _too_many_values(max_values))])
    # JSON is (nearly) YAML, so composing it again gives the line of every field.
    lines: dict[Loc, int] = {}
    problems: list[Problem] = []
    try:
        node = _compose(text)
    except (yaml.YAMLError, RecursionError):
        node = None
    if node is not None:
        builder = _Builder(source)
        builder.build(node, ())
        lines = builder.lines
        problems = [p for p in builder.problems if p.message.startswith("duplicate key")]
    if duplicates and not problems:
        problems = [
            Problem(source, "", None, f"duplicate key {key!r}; give each field once") for key in duplicates
        ]
    return Document(source, data, lines, problems)


# A NUL written as an escape ("\\u0000" in JSON, "\\0" in YAML) gets past the raw-byte check in
# ``_decode``; PostgreSQL cannot store it in text (the web answered 500), so it is named by its field.
_NUL_MESSAGE = "contains a NUL character (\\u0000), which cannot be stored; remove it"
_MAX_NUL_PROBLEMS = 20


def _nul_problems(doc: Document) -> list[Problem]:
    """A problem for each field (or field name) holding a NUL character, at most ``_MAX_NUL_PROBLEMS``."""
    found: list[Problem] = []
    pending: list[tuple[Loc, Any]] = [((), doc.data)]
    while pending and len(found) < _MAX_NUL_PROBLEMS:
        loc, value = pending.pop()
        if isinstance(value, str):
            if "\x00" in value:
                found.append(doc.problem(loc, _NUL_MESSAGE))
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                if "\x00" in str(key):
                    found.append(doc.problem((*loc, key), f"the field name {_NUL_MESSAGE}"))
                pending.append(((*loc, key), item))
        elif isinstance(value, list):
            pending.extend(((*loc, index), item) for index, item in reversed(list(enumerate(value))))
    return found


def parse_document(
    raw: str | bytes, source: str, fmt: str | None, *, max_values: int | None = None
) -> Document:
    """The document in ``raw`` (YAML or JSON), its lines and the problems found while reading it;
    refused while parsing once it holds more than ``max_values`` values, when that is given."""
    text = _decode(raw, source)
    if _choose_format(source, fmt, text) == "json":
        doc = _parse_json(text, source, max_values)
    else:
        doc = _parse_yaml(text, source, max_values)
    doc.problems.extend(_nul_problems(doc))
    return doc


def read_document(path: Path, *, max_values: int | None = None) -> Document:
    source = str(path)
    return parse_document(_read_bytes(path, source=source), source, None, max_values=max_values)
