"""Loading rule-set files: YAML in, a validated RuleSet out, or every problem with its file, line
and field in words. A broken file is refused as a whole; the rule set in force stays in force
(see :class:`RulesInForce`).
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from triage_rules.ruleset import Problem, RuleSet, build_ruleset
from triage_rules.schema import RuleSetFile

DEFAULT_RULESET = "spa-default.yaml"
Lines = dict[tuple[str | int, ...], int]


class RuleSetError(ValueError):
    """A rule file that cannot be used; each problem reads ``FILE:LINE: field: what``."""

    def __init__(self, source: str, problems: list[tuple[int | None, str, str]]) -> None:
        self.source = source
        self.problems = problems
        lines = [
            f"{source}:{line if line is not None else '?'}: {where}: {what}"
            for line, where, what in problems
        ]
        super().__init__("\n".join(lines))


def default_ruleset_path() -> Path:
    """The shipped default rule set (SPEC section 4)."""
    return Path(str(resources.files("triage_rules") / "rulesets" / DEFAULT_RULESET))


@cache
def default_ruleset() -> RuleSet:
    """The shipped default rule set, loaded and validated once."""
    return load_ruleset(default_ruleset_path())


def load_ruleset(path: Path) -> RuleSet:
    """Load and validate the rule file at ``path``; RuleSetError names every problem."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RuleSetError(
            str(path), [(None, "(file)", f"cannot read it: {error.strerror}")]
        ) from None
    return load_ruleset_text(data, str(path))


def load_ruleset_text(data: bytes, source: str) -> RuleSet:
    """Validate rule-file bytes; ``source`` names the file in messages."""
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RuleSetError(source, [(None, "(file)", f"not UTF-8 text ({error.reason})")]) from None
    raw, lines = _parse_yaml(text, source)
    try:
        spec = RuleSetFile.model_validate(raw)
    except ValidationError as error:
        raise RuleSetError(source, _validation_problems(error, lines)) from None
    ruleset, problems = build_ruleset(spec, sha256, source)
    if problems:
        raise RuleSetError(source, [_located(problem, lines) for problem in problems])
    return ruleset


def _parse_yaml(text: str, source: str) -> tuple[Any, Lines]:
    """The document as plain data, with the line of every key and item by its path."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or str(error)
        raise RuleSetError(source, [(line, "(YAML)", f"not valid YAML: {problem}")]) from None
    if node is None:
        raise RuleSetError(source, [(1, "(file)", "the file is empty")])
    lines: Lines = {}
    try:
        value = _to_data(node, (), lines)
    except _DuplicateKeyError as error:
        raise RuleSetError(source, [(error.line, error.where, error.message)]) from None
    return value, lines


class _DuplicateKeyError(Exception):
    def __init__(self, line: int, where: str, message: str) -> None:
        super().__init__(message)
        self.line, self.where, self.message = line, where, message


def _to_data(node: yaml.Node, path: tuple[str | int, ...], lines: Lines) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            if key in result:
                raise _DuplicateKeyError(
                    key_node.start_mark.line + 1,
                    _dotted((*path, key)),
                    f"key {key!r} appears twice",
                )
            lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = _to_data(value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1  # the key's line, not its value's
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_to_data(item, (*path, index), lines) for index, item in enumerate(node.value)]
    return _scalar(node)


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _scalar(node: yaml.Node) -> Any:
    return _CONSTRUCTOR.construct_object(node, deep=True)


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


def _located(problem: Problem, lines: Lines) -> tuple[int | None, str, str]:
    return _line_of(problem.path, lines), _dotted(problem.path), problem.message


def _validation_problems(error: ValidationError, lines: Lines) -> list[tuple[int | None, str, str]]:
    problems = []
    for item in error.errors():
        path = tuple(part for part in item["loc"] if isinstance(part, (str, int)))
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = f"unknown key {path[-1]!r}"
        elif item["type"] == "missing":
            message = f"missing required key {path[-1]!r}"
        problems.append((_line_of(path, lines), _dotted(path), message))
    return problems
