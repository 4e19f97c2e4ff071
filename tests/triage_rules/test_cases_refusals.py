"""A cases file beside a rule file is read as strictly as the rule file: every malformed one is
refused with file, line and reason, and ``rules check`` says on stderr why it did not pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.triage_rules.broken_files import (
    DEEP,
    LAUGHS,
    assert_names,
    default_cases_text,
    default_text,
    line_of,
    write_broken,
    write_broken_cases,
)
from tests.triage_rules.in_process import run_command
from triage_rules import RuleSetError
from triage_rules.cases import load_cases
from triage_rules.loader import MAX_DEPTH


@pytest.mark.parametrize(
    ("old", "new", "needle", "phrase"),
    [
        pytest.param(
            "ruleset: spa-default",
            "ruleset: spa-default\nbase: &base {x: 1}\nother:\n  <<: *base",
            "<<: *base",
            "merge keys ('<<')",
            id="merge-key",
        ),
        pytest.param(
            "ruleset: spa-default",
            "ruleset: !!python/name:os.system",
            "ruleset:",
            "tag !!python/name:os.system",
            id="python-tag",
        ),
        pytest.param(
            "ruleset: spa-default",
            "? [a, b]\n: 1\nruleset: spa-default",
            "? [a, b]",
            "a key must be a name, not a list",
            id="list-as-key",
        ),
        pytest.param(
            "ruleset: spa-default",
            f"{LAUGHS}\nruleset: spa-default",
            "l1: &l1",
            "aliases (*l0) are not allowed",
            id="billion-laughs",
        ),
        pytest.param(
            "ruleset: spa-default",
            f"ruleset: {DEEP}",
            "ruleset: [[[",
            f"nested more than {MAX_DEPTH} levels deep",
            id="deep-nesting",
        ),
        pytest.param(
            "facts: {call_kind: silent}",
            "facts: {? [call_kind]: silent}",
            "facts: {? [call_kind]",
            "a key must be a name, not a list",
            id="list-as-fact-name",
        ),
        pytest.param(
            "resolvable_at_first_contact: false",
            "resolvable_at_first_contact: maybe",
            "resolvable_at_first_contact: maybe",
            "cases[0].expect.resolvable_at_first_contact",
            id="wrong-type",
        ),
    ],
)
def test_malformed_cases_are_refused_with_their_line(
    tmp_path: Path, old: str, new: str, needle: str, phrase: str
) -> None:
    path, text = write_broken_cases(tmp_path, old, new)
    with pytest.raises(RuleSetError) as caught:
        load_cases(path)
    assert_names(str(caught.value), path, line_of(text, needle), phrase)


def test_a_case_named_twice_is_refused_with_its_line(tmp_path: Path) -> None:
    text = default_cases_text()
    first = text.split("  - name: ", 2)[1].split("\n", 1)[0]
    second = text.split("  - name: ", 3)[2].split("\n", 1)[0]
    path, broken = write_broken_cases(tmp_path, f"- name: {second}\n", f"- name: {first}\n")
    with pytest.raises(RuleSetError) as caught:
        load_cases(path)
    line = broken.splitlines().index(f"  - name: {first}", line_of(broken, first)) + 1
    assert_names(str(caught.value), path, line, f"case {first!r} appears twice")


def test_cases_that_are_not_utf8_are_refused_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "binary.cases.yaml"
    path.write_bytes(b"ruleset: spa-default\ncases:\n  - name: \xff\xfe\n")
    with pytest.raises(RuleSetError) as caught:
        load_cases(path)
    assert_names(str(caught.value), path, 3, "not UTF-8 text")


def test_rules_check_exits_2_on_malformed_cases(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(default_text(), encoding="utf-8")
    cases = tmp_path / "rules.cases.yaml"
    cases.write_text(default_cases_text().replace("ruleset: spa-default", "ruleset: !!set {a}", 1))
    result = run_command("rules", "check", str(rules))
    assert result.returncode == 2
    assert f"{cases}:2:" in result.stderr and "tag !!set is not allowed" in result.stderr
    assert "cases" in result.stderr.splitlines()[-1], result.stderr


def test_rules_check_says_on_stderr_when_a_case_fails(tmp_path: Path) -> None:
    path, _ = write_broken(
        tmp_path,
        "routes: [{route: own_gp, urgency: routine}]",
        "routes: [{route: own_gp, urgency: soon}]",
        name="changed.yaml",
    )
    (tmp_path / "changed.cases.yaml").write_text(default_cases_text(), encoding="utf-8")
    result = run_command("rules", "check", str(path))
    assert result.returncode == 1
    assert "FAILED" in result.stdout
    assert "cases failed" in result.stderr and str(path) in result.stderr, result.stderr
