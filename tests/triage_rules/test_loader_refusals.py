"""Malformed YAML of every kind is refused in words with file and line, never with a traceback.

The YAML library can be made to fail in many ways a schema never sees: merge keys, tags that
name Python objects, anchors and aliases (a billion laughs), keys that are lists, nesting deep
enough to exhaust Python's stack, control characters, files too big to read. Each is a broken
rule file like any other (SPEC 8): ``rules check`` and ``triage --rules`` exit 2 naming it.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.cli_process import run_spa_desk
from tests.triage_rules.broken_files import (
    DEEP,
    LAUGHS,
    assert_names,
    default_text,
    line_of,
    write_broken,
)
from tests.triage_rules.in_process import run_command
from triage_rules import RuleSetError, load_ruleset
from triage_rules.loader import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_SHOWN,
    MAX_VALUES,
)

MERGE_KEY = ("title: Default", "base: &base {x: 1}\nother:\n  <<: *base\ntitle: Default")
PYTHON_TAG = ("title: Default SPA screening procedure", "title: !!python/name:os.system")
LIST_AS_KEY = ("title: Default", "? [caller_type, line]\n: both\ntitle: Default")


def _refused(path: Path) -> str:
    with pytest.raises(RuleSetError) as caught:
        load_ruleset(path)
    return str(caught.value)


# ---- the three crashes the issue names, through the real command ----


@pytest.mark.parametrize(
    ("change", "needle", "phrase"),
    [
        pytest.param(MERGE_KEY, "<<: *base", "merge keys ('<<') are not allowed", id="merge-key"),
        pytest.param(
            PYTHON_TAG, "!!python", "the tag !!python/name:os.system is not allowed", id="python"
        ),
        pytest.param(
            LIST_AS_KEY, "? [caller_type", "a key must be a name, not a list", id="list-as-key"
        ),
    ],
)
def test_rules_check_refuses_what_used_to_crash(
    isolated_home: Path, tmp_path: Path, change: tuple[str, str], needle: str, phrase: str
) -> None:
    path, text = write_broken(tmp_path, *change)
    result = run_spa_desk("rules", "check", str(path), home=isolated_home)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert_names(result.stderr, path, line_of(text, needle), phrase)
    assert result.stdout == ""


def test_triage_refuses_a_malformed_rule_file(isolated_home: Path, tmp_path: Path) -> None:
    path, text = write_broken(tmp_path, *MERGE_KEY)
    result = run_spa_desk(
        "triage", "--facts", "-", "--rules", str(path), stdin="{}", home=isolated_home
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert_names(result.stderr, path, line_of(text, "<<: *base"), "merge keys")


# ---- every kind of malformed YAML, through the loader ----


@pytest.mark.parametrize(
    ("old", "new", "needle", "phrase"),
    [
        pytest.param(*MERGE_KEY, "<<: *base", "merge keys ('<<')", id="merge-key-alias"),
        pytest.param(
            "title: Default",
            "extra:\n  <<: {title: Default}\ntitle: Default",
            "<<: {",
            "merge keys ('<<')",
            id="merge-key-inline",
        ),
        pytest.param(*PYTHON_TAG, "!!python", "tag !!python/name:os.system", id="python-name"),
        pytest.param(
            "title: Default SPA screening procedure",
            'title: !!python/object/apply:os.system ["true"]',
            "!!python",
            "the tag !!python/object/apply:os.system is not allowed",
            id="python-apply-on-a-list",
        ),
        pytest.param(
            "title: Default SPA screening procedure",
            "title: !!python/object:argparse.Namespace {x: 1}",
            "!!python",
            "the tag !!python/object:argparse.Namespace is not allowed",
            id="python-object-on-a-mapping",
        ),
        pytest.param(
            "title: Default SPA screening procedure",
            "title: !include other.yaml",
            "!include",
            "the tag !include is not allowed",
            id="local-tag",
        ),
        pytest.param(
            "title: Default SPA screening procedure",
            'title: !!binary "aGVsbG8="',
            "!!binary",
            "the tag !!binary is not allowed",
            id="binary",
        ),
        pytest.param(
            "title: Default SPA screening procedure",
            "title: !!set {a, b}",
            "!!set",
            "the tag !!set is not allowed",
            id="set",
        ),
        pytest.param(
            "title: Default SPA screening procedure",
            "title: !!timestamp nope",
            "!!timestamp",
            "the tag !!timestamp is not allowed",
            id="timestamp",
        ),
        pytest.param(
            "title: Default SPA screening procedure",
            "title: !!int nope",
            "!!int",
            "'nope' is not a valid !!int",
            id="int-tag-on-words",
        ),
        pytest.param(*LIST_AS_KEY, "? [caller_type", "a key must be a name, not a list", id="list"),
        pytest.param(
            "title: Default",
            "? {caller_type: self}\n: x\ntitle: Default",
            "? {caller_type",
            "a key must be a name, not a mapping",
            id="mapping-as-key",
        ),
        pytest.param(
            "title: Default",
            "yes: 1\ntitle: Default",
            "yes: 1",
            "the key 'yes' is not a name",
            id="yes-as-key",
        ),
        pytest.param(
            "title: Default", "~: 1\ntitle: Default", "~: 1", "the key '~' is not a name", id="null"
        ),
        pytest.param(
            "title: Default",
            "1.5: x\ntitle: Default",
            "1.5: x",
            "key '1.5' is not a name",
            id="1.5",
        ),
        pytest.param(
            "title: Default",
            "base: &base [1]\nother: *base\ntitle: Default",
            "other: *base",
            "aliases (*base) are not allowed",
            id="alias",
        ),
        pytest.param(
            "title: Default",
            f"{LAUGHS}\ntitle: Default",
            "l1: &l1",
            "aliases (*l0) are not allowed",
            id="billion-laughs",
        ),
        pytest.param(
            "title: Default SPA screening procedure",
            f"title: {DEEP}",
            "title: [[[",
            f"nested more than {MAX_DEPTH} levels deep",
            id="deep-flow-nesting",
        ),
        pytest.param(
            "title: Default SPA screening procedure",
            "title: " + "{a: " * 50_000 + "}" * 50_000,
            "title: {a: {a:",
            f"nested more than {MAX_DEPTH} levels deep",
            id="deep-mapping-nesting",
        ),
        pytest.param(
            "title: Default SPA screening procedure",
            "title: " + "9" * 5000,
            "title: 999",
            "cannot read '999999",
            id="huge-number",
        ),
        pytest.param(
            "title: Default SPA screening procedure",
            "title: 0b_",
            "title: 0b_",
            "cannot read '0b_' as a number",
            id="broken-binary-number",
        ),
        pytest.param(
            "title: Default SPA screening procedure",
            "title: Default\x00SPA",
            "title: Default",
            "a control character (U+0000)",
            id="nul-character",
        ),
        pytest.param(
            "title: Default SPA screening procedure",
            "title: Default\x1bSPA",
            "title: Default",
            "a control character (U+001B)",
            id="escape-character",
        ),
        pytest.param(
            "title: Default",
            "=: 1\ntitle: Default",
            "=: 1",
            "unknown key '='",
            id="value-key-is-plain-text",
        ),
        pytest.param(
            "{fact: line, is: health}",
            "{fact: line, is: [health]}",
            "is: [health]",
            "when.is: one value is needed here, not a list",
            id="list-in-a-condition",
        ),
        pytest.param(
            "{fact: line, is: health}",
            "{fact: line, is: {health: 1}}",
            "is: {health",
            "when.is: one value is needed here, not a mapping",
            id="mapping-in-a-condition",
        ),
        pytest.param(
            "{fact: line, in: [general, professional]}",
            "{fact: line, in: [[general], professional]}",
            "[[general]",
            "ask_when.in[0]: one value is needed here, not a list",
            id="list-inside-in",
        ),
        pytest.param(
            "{any_fact_in: mental_health}",
            "{any_fact_in: [mental_health]}",
            "{any_fact_in: [mental_health]}",
            "when.any_fact_in: one value is needed here, not a list",
            id="list-as-a-fact-group",
        ),
        pytest.param(
            "{name: age, type: integer,",
            "{name: age, type: integer, default: old,",
            "default: old",
            "default: 'old' is not a whole number",
            id="integer-fact-with-a-word-default",
        ),
    ],
)
def test_malformed_yaml_is_refused_with_its_line(
    tmp_path: Path, old: str, new: str, needle: str, phrase: str
) -> None:
    path, text = write_broken(tmp_path, old, new)
    started = time.perf_counter()
    message = _refused(path)
    assert time.perf_counter() - started < 5
    assert_names(message, path, line_of(text, needle), phrase)


def test_deep_block_nesting_is_refused(tmp_path: Path) -> None:
    nested = "".join(f"{'  ' * depth}a{depth}:\n" for depth in range(600))
    path = tmp_path / "deep.yaml"
    path.write_text(default_text() + nested + "  " * 600 + "x: 1\n", encoding="utf-8")
    message = _refused(path)
    too_deep = line_of(default_text() + nested, f"a{MAX_DEPTH}:")
    assert_names(message, path, too_deep, f"nested more than {MAX_DEPTH} levels deep")


def test_a_second_document_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    text = default_text() + "---\nid: another\n"
    path.write_text(text, encoding="utf-8")
    dashes = len(default_text().splitlines()) + 1
    assert_names(_refused(path), path, dashes, "a second YAML document starts here")


def test_bytes_that_are_not_utf8_are_refused_with_their_line(tmp_path: Path) -> None:
    text = default_text()
    line = line_of(text, "title: Default")
    path = tmp_path / "binary.yaml"
    data = text.encode()
    at = data.index(b"title: Default") + len(b"title: ")
    path.write_bytes(data[:at] + b"\xff\xfe\x00\x01" + data[at:])
    assert_names(_refused(path), path, line, "not UTF-8 text")


def test_a_file_too_big_for_a_rule_set_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    padding = "# " + "x" * 98 + "\n"
    path.write_text(default_text() + padding * (MAX_FILE_BYTES // len(padding)), encoding="utf-8")
    message = _refused(path)
    assert f"{path}:" in message and "larger than" in message, message


def test_a_file_of_too_many_values_is_refused_quickly(tmp_path: Path) -> None:
    path, text = write_broken(
        tmp_path, "facts:\n", "padding: [" + "x, " * MAX_VALUES + "x]\nfacts:\n"
    )
    started = time.perf_counter()
    message = _refused(path)
    assert time.perf_counter() - started < 5
    assert_names(message, path, line_of(text, "padding: ["), f"more than {MAX_VALUES} values")


def test_a_vocabulary_too_long_is_refused_quickly(tmp_path: Path) -> None:
    # Checking a vocabulary for repeats takes time that grows with the square of its length.
    routes = ", ".join(f"route_{n}" for n in range(50_000))
    path, text = write_broken(tmp_path, "  routes: [", f"  routes: [{routes}, ")
    started = time.perf_counter()
    message = _refused(path)
    assert time.perf_counter() - started < 5
    assert_names(message, path, line_of(text, "routes: [route_0"), "at most 500 items")


def test_thousands_of_problems_are_counted_not_all_listed(tmp_path: Path) -> None:
    path, _ = write_broken(tmp_path, "facts:\n", "facts: [" + "x, " * 9999 + "x]\nfacts_too:\n")
    with pytest.raises(RuleSetError) as caught:
        load_ruleset(path)
    assert len(caught.value.problems) > 10_000
    lines = str(caught.value).splitlines()
    assert len(lines) == MAX_SHOWN + 1
    assert lines[-1] == f"... and {len(caught.value.problems) - MAX_SHOWN} more problems"


def test_a_file_of_comments_only_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "comments.yaml"
    path.write_text("# nothing here\n\n# nor here\n", encoding="utf-8")
    assert_names(_refused(path), path, 1, "the file is empty")


def test_a_date_is_read_as_plain_text(tmp_path: Path) -> None:
    path, _ = write_broken(tmp_path, "title: Default SPA screening procedure", "title: 2001-13-45")
    assert load_ruleset(path).title == "2001-13-45"


def test_anchors_without_aliases_do_no_harm(tmp_path: Path) -> None:
    path, _ = write_broken(tmp_path, "title: Default SPA", "title: &title Default SPA")
    assert load_ruleset(path).title.startswith("Default SPA")


@pytest.mark.parametrize(
    ("facts", "phrase"),
    [
        pytest.param(DEEP, "nested too deeply", id="deep"),
        pytest.param('{"age": ' + "1" * 5000 + "}", "a number too long", id="long"),
    ],
)
def test_triage_refuses_facts_that_json_cannot_hold(facts: str, phrase: str) -> None:
    result = run_command("triage", "--facts", "-", stdin=facts)
    assert result.returncode == 2 and result.stdout == ""
    assert phrase in result.stderr, result.stderr
