"""Building broken rule files from the shipped one, for the loader's error tests."""

from __future__ import annotations

from pathlib import Path

from triage_rules.loader import default_ruleset_path


def default_text() -> str:
    """The shipped default rule file."""
    return default_ruleset_path().read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    """The 1-based line on which ``needle`` first appears."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} is not in the rule file")


def write_broken(tmp_path: Path, old: str, new: str, name: str = "broken.yaml") -> tuple[Path, str]:
    """A copy of the default file with ``old`` replaced (once) by ``new``; its path and text."""
    text = default_text()
    assert text.count(old) >= 1, f"{old!r} not found"
    broken = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(broken, encoding="utf-8")
    return path, broken
