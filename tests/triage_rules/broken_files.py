"""Building broken rule and cases files from the shipped ones, for the loader's error tests."""

from __future__ import annotations

from pathlib import Path

from triage_rules.cases import cases_path_for
from triage_rules.loader import default_ruleset_path

LAUGHS = "\n".join(
    [f"l0: &l0 [{', '.join(['lol'] * 9)}]"]
    + [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 10)]
)
"""A "billion laughs": ten anchors, each nine aliases of the one before (9**9 items expanded)."""
DEEP = "[" * 100_000 + "]" * 100_000
"""Lists nested far deeper than Python's stack would allow a recursive reader to go."""


def default_text() -> str:
    """The shipped default rule file."""
    return default_ruleset_path().read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    """The 1-based line on which ``needle`` first appears."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} is not in the rule file")


def default_cases_text() -> str:
    """The shipped default cases file."""
    return cases_path_for(default_ruleset_path()).read_text(encoding="utf-8")


def assert_names(message: str, path: Path, line: int, *phrases: str) -> None:
    """``message`` names ``path`` at ``line`` (as ``FILE:LINE:``) and says each of ``phrases``."""
    assert f"{path}:{line}:" in message, message
    for phrase in phrases:
        assert phrase in message, message


def write_broken(tmp_path: Path, old: str, new: str, name: str = "broken.yaml") -> tuple[Path, str]:
    """A copy of the default file with ``old`` replaced (once) by ``new``; its path and text."""
    text = default_text()
    assert text.count(old) >= 1, f"{old!r} not found"
    broken = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(broken, encoding="utf-8")
    return path, broken


def write_broken_cases(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    """A copy of the default cases file with ``old`` replaced (once) by ``new``; path and text."""
    text = default_cases_text()
    assert old in text, f"{old!r} not found"
    broken = text.replace(old, new, 1)
    path = tmp_path / "broken.cases.yaml"
    path.write_text(broken, encoding="utf-8")
    return path, broken
