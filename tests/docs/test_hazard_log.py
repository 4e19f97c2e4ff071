"""The clinical safety hazard log names, for each mitigation, the test that proves it: every test
it names must exist, and every hazard must name at least one."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOG = ROOT / "docs" / "safety" / "hazard-log.md"
TEST_ID = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    }


def test_every_test_the_hazard_log_names_exists() -> None:
    named = TEST_ID.findall(LOG.read_text(encoding="utf-8"))
    assert len(named) >= 30
    missing = []
    for file, test in named:
        path = ROOT / file
        if not path.is_file() or test not in _tests_in(path):
            missing.append(f"{file}::{test}")
    assert missing == [], "the hazard log names tests that do not exist"


def test_every_hazard_names_a_test_that_proves_its_mitigations() -> None:
    text = LOG.read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.MULTILINE)[1:]
    table = re.findall(r"^\| (H\d+) \|", text, flags=re.MULTILINE)
    assert [s.split()[0] for s in sections] == table  # each hazard in the table has a section
    for section in sections:
        assert TEST_ID.search(section), f"hazard {section.split()[0]} names no test"
