"""Loading rule-set files: YAML in, a validated RuleSet out, or every problem with its file, line
and field in words. A broken file is refused as a whole; the rule set in force stays in force
(see :class:`RulesInForce`).

A rule file (and the cases file beside it) is plain data: mappings keyed by names, lists, text,
numbers, true/false and null. Whatever else YAML can say is refused with its line, never with a
traceback (SPEC 8): tags such as ``!!python/object``, anchors and aliases (a "billion laughs"
file), merge keys (``<<``), keys that are lists or numbers, a second document, nesting deeper
than :data:`MAX_DEPTH`, more than :data:`MAX_VALUES` values, control characters, bytes that are
not UTF-8, and files larger than :data:`MAX_FILE_BYTES`, which are refused unread.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.reader import Reader
from yaml.resolver import Resolver

from triage_rules.ruleset import Problem, RuleSet, build_ruleset
from triage_rules.schema import NESTED_ERROR, RuleSetFile

try:  # libyaml's parser is some twenty times faster; the events are the same
    from yaml import CSafeLoader as EventSource
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as EventSource  # type: ignore[assignment]

DEFAULT_RULESET = "spa-default.yaml"
MAX_FILE_BYTES = 1024 * 1024
"""The largest rule or cases file read: the shipped ones are a few tens of kilobytes."""
MAX_DEPTH = 64
"""The deepest nesting of mappings and lists: the shipped rules need about a dozen levels."""
MAX_VALUES = 100_000
"""The most keys, items and values a file may hold: the shipped ones hold a few thousand."""
MAX_SHOWN = 50
"""The most problems a RuleSetError lists (it says how many more there are)."""

Lines = dict[tuple[str | int, ...], int]
Located = tuple[int | None, str, str]
"""One problem as RuleSetError holds it: line (None when no line applies), field, what."""


class RuleSetError(ValueError):
    """A rule file that cannot be used; each problem reads ``FILE:LINE: field: what``."""

    def __init__(self, source: str, problems: list[Located]) -> None:
        self.source = source
        self.problems = problems
        lines = [
            f"{source}:{line if line is not None else '?'}: {where}: {what}"
            for line, where, what in problems[:MAX_SHOWN]
        ]
        if len(problems) > MAX_SHOWN:
            lines.append(f"... and {len(problems) - MAX_SHOWN} more problems")
        super().__init__("\n".join(lines))


def default_ruleset_path() -> Path:
    """The shipped default rule set (SPEC section 4)."""
    return Path(str(resources.files("triage_rules") / "rulesets" / DEFAULT_RULESET))


@cache
def default_ruleset() -> RuleSet:
    """The shipped default rule set, loaded and validated once."""
    return load_ruleset(default_ruleset_path())


def load_ruleset(path: Path, allowed: Mapping[str, Collection[str]] | None = None) -> RuleSet:
    """Load and validate the rule file at ``path``; RuleSetError names every problem.

    ``allowed`` limits the vocabulary to what the caller knows (see ``build_ruleset``).
    """
    return load_ruleset_text(read_rule_file(path), str(path), allowed)


def load_ruleset_text(
    data: bytes, source: str, allowed: Mapping[str, Collection[str]] | None = None
) -> RuleSet:
    """Validate rule-file bytes; ``source`` names the file in messages."""
    raw, lines = parse_yaml(data, source)
    try:
        spec = RuleSetFile.model_validate(raw)
    except ValidationError as error:
        raise RuleSetError(source, validation_problems(error, lines)) from None
    ruleset, problems = build_ruleset(spec, hashlib.sha256(data).hexdigest(), source, allowed)
    if problems:
        raise RuleSetError(source, [_located(problem, lines) for problem in problems])
    return ruleset


def read_rule_file(path: Path) -> bytes:
    """The bytes of a rule or cases file; RuleSetError when it cannot be read or is too big.

    No more than :data:`MAX_FILE_BYTES` and one byte are read, so a huge file costs nothing.
    """
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        reason = error.strerror or str(error)
        raise RuleSetError(str(path), [(None, "(file)", f"cannot read it: {reason}")]) from None
    _refuse_if_too_big(data, str(path))
    return data


def parse_yaml(data: bytes, source: str) -> tuple[Any, Lines]:
    """The document as plain data, with the line of every key and item by its path.

    RuleSetError names the line of anything that is not plain data (see the module docstring).
    """
    _refuse_if_too_big(data, source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise RuleSetError(source, [(line, "(file)", f"not UTF-8 text ({error.reason})")]) from None
    control = Reader.NON_PRINTABLE.search(text)
    if control is not None:
        line = text.count("\n", 0, control.start()) + 1
        what = f"a control character (U+{ord(control.group()):04X}): this is not a text file"
        raise RuleSetError(source, [(line, "(file)", what)])
    try:
        return _PlainData().read(text)
    except _Refused as refused:
        raise RuleSetError(source, [(refused.line, refused.where, refused.message)]) from None
    except yaml.YAMLError as error:
        raise RuleSetError(source, [_not_valid_yaml(error)]) from None


def validation_problems(error: ValidationError, lines: Lines) -> list[Located]:
    """The schema's complaints about a file, each with its line and field in words."""
    problems = []
    for item in error.errors(include_url=False, include_input=False):
        path = tuple(part for part in item["loc"] if isinstance(part, (str, int)))
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = f"unknown key {path[-1]!r}"
        elif item["type"] == "missing":
            message = f"missing required key {path[-1]!r}"
        elif item["type"] == NESTED_ERROR:
            path = (*path, *item.get("ctx", {}).get("path", ()))
        problems.append((_line_of(path, lines), _dotted(path), message))
    return problems


def _not_valid_yaml(error: yaml.YAMLError) -> Located:
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark
        problem = error.problem or str(error)
        return mark.line + 1 if mark is not None else None, "(YAML)", f"not valid YAML: {problem}"
    return None, "(YAML)", f"not valid YAML: {error}"


def _refuse_if_too_big(data: bytes, source: str) -> None:
    if len(data) > MAX_FILE_BYTES:
        limit = f"{MAX_FILE_BYTES // (1024 * 1024)} MiB"
        what = (
            f"the file is larger than {limit}, far more than any rule file needs; it was not read"
        )
        raise RuleSetError(source, [(None, "(file)", what)])


class _Refused(Exception):
    """Something in the YAML that a rule file may not hold: its line, where, and what."""

    def __init__(self, line: int, where: str, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message
        self.where = where if len(where) <= 80 else where[:77] + "..."


_STR, _INT, _FLOAT, _BOOL, _NULL = (
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")
)
_MAP, _SEQ = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_PLAIN_RESOLVERS: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag in (_INT, _FLOAT, _BOOL, _NULL)]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}
"""How an unquoted scalar is read: as YAML 1.1 reads it, but dates, ``<<`` and ``=`` stay text."""
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


@dataclass
class _Open:
    """A mapping or list being read: its path, and (in a mapping) the key awaiting its value."""

    value: dict[str, Any] | list[Any]
    path: tuple[str | int, ...]
    key: str | None = None


class _PlainData:
    """Folds the parser's events into plain data, refusing what a rule file may not hold.

    Working on events rather than on a composed node graph means an alias is refused before it
    is expanded, and nothing here recurses, however deep the nesting.
    """

    def __init__(self) -> None:
        self.lines: Lines = {}
        self.open: list[_Open] = []
        self.root: Any = None
        self.nodes = 0

    def read(self, text: str) -> tuple[Any, Lines]:
        documents = 0
        for event in yaml.parse(text, Loader=EventSource):
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _Refused(
                        line, "(YAML)", "a second YAML document starts here; a file holds one"
                    )
            elif isinstance(event, yaml.AliasEvent):
                raise _Refused(
                    line,
                    self._where(),
                    f"aliases (*{event.anchor}) are not allowed in a rule file: "
                    "write the value out in full",
                )
            elif isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
                self._node(event, line)
            elif isinstance(event, yaml.CollectionEndEvent):
                self.open.pop()
        if not self.nodes:
            raise _Refused(1, "(file)", "the file is empty")
        return self.root, self.lines

    def _where(self) -> str:
        if not self.open:
            return "(top level)"
        parent = self.open[-1]
        if isinstance(parent.value, list):
            return _dotted((*parent.path, len(parent.value)))
        return _dotted(parent.path if parent.key is None else (*parent.path, parent.key))

    def _node(self, event: yaml.ScalarEvent | yaml.CollectionStartEvent, line: int) -> None:
        self.nodes += 1
        if self.nodes > MAX_VALUES:
            raise _Refused(
                line, "(file)", f"more than {MAX_VALUES} values; a rule file needs far fewer"
            )
        parent = self.open[-1] if self.open else None
        if parent is not None and isinstance(parent.value, dict) and parent.key is None:
            self._key(parent, event, line)
            return
        if parent is None:
            path: tuple[str | int, ...] = ()
            self.lines[path] = line
        elif isinstance(parent.value, list):
            path = (*parent.path, len(parent.value))
            self.lines[path] = line
        else:
            assert parent.key is not None
            path = (*parent.path, parent.key)  # its line is the key's, recorded with the key
        where = _dotted(path)
        value: Any
        if isinstance(event, yaml.ScalarEvent):
            value = _scalar(event, line, where)
        else:
            value = self._collection(event, line, where, path)
        if parent is None:
            self.root = value
        elif isinstance(parent.value, list):
            parent.value.append(value)
        else:
            assert parent.key is not None
            parent.value[parent.key] = value
            parent.key = None

    def _key(
        self, parent: _Open, event: yaml.ScalarEvent | yaml.CollectionStartEvent, line: int
    ) -> None:
        where = _dotted(parent.path)
        if not isinstance(event, yaml.ScalarEvent):
            kind = "mapping" if isinstance(event, yaml.MappingStartEvent) else "list"
            raise _Refused(line, where, f"a key must be a name, not a {kind}")
        key = _scalar(event, line, where)
        if not isinstance(key, str):
            raise _Refused(
                line,
                where,
                f"the key {_shortened(event.value)!r} is not a name: "
                "put it in quotes if it is meant as one",
            )
        assert isinstance(parent.value, dict)
        if key == "<<" and event.tag is None and event.implicit[0]:
            raise _Refused(
                line,
                where,
                "merge keys ('<<') are not allowed in a rule file: write the keys out in full",
            )
        if key in parent.value:
            raise _Refused(line, _dotted((*parent.path, key)), f"key {key!r} appears twice")
        parent.key = key
        self.lines[(*parent.path, key)] = line

    def _collection(
        self, event: yaml.CollectionStartEvent, line: int, where: str, path: tuple[str | int, ...]
    ) -> dict[str, Any] | list[Any]:
        mapping = isinstance(event, yaml.MappingStartEvent)
        if event.tag not in (None, "!", _MAP if mapping else _SEQ):
            raise _Refused(line, where, _tag_not_allowed(event.tag))
        if len(self.open) >= MAX_DEPTH:
            raise _Refused(
                line,
                where,
                f"nested more than {MAX_DEPTH} levels deep; a rule file needs far fewer",
            )
        value: dict[str, Any] | list[Any] = {} if mapping else []
        self.open.append(_Open(value, path))
        return value


def _scalar(event: yaml.ScalarEvent, line: int, where: str) -> Any:
    """A scalar as plain data: text, or (unquoted, or tagged so) a number, true/false or null."""
    text = event.value
    tag = event.tag
    if tag is None:
        tag = _plain_tag(text) if event.implicit[0] else _STR
    elif tag == "!":
        tag = _STR
    elif tag not in (_STR, _INT, _FLOAT, _BOOL, _NULL):
        raise _Refused(line, where, _tag_not_allowed(tag))
    elif tag != _STR and _plain_tag(text) != tag:
        raise _Refused(line, where, f"{_shortened(text)!r} is not a valid {_short(tag)}")
    if tag == _STR:
        return text
    if tag == _NULL:
        return None
    node = yaml.ScalarNode(tag, text)
    if tag == _BOOL:
        return _CONSTRUCTOR.construct_yaml_bool(node)
    try:
        if tag == _INT:
            return _CONSTRUCTOR.construct_yaml_int(node)
        return _CONSTRUCTOR.construct_yaml_float(node)
    except ValueError:
        raise _Refused(line, where, f"cannot read {_shortened(text)!r} as a number") from None


def _plain_tag(text: str) -> str:
    for tag, pattern in _PLAIN_RESOLVERS.get(text[:1], []):
        if pattern.match(text):
            return tag
    return _STR


def _tag_not_allowed(tag: str | None) -> str:
    return f"the tag {_short(tag or '')} is not allowed in a rule file: it holds plain data only"


def _short(tag: str) -> str:
    shown = (
        "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,") else tag
    )
    return _shortened(shown)


def _shortened(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "..."


def _dotted(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _line_of(path: tuple[str | int, ...], lines: Lines) -> int | None:
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def _located(problem: Problem, lines: Lines) -> Located:
    return _line_of(problem.path, lines), _dotted(problem.path), problem.message
