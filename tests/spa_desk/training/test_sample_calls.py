"""The sample-call format (SPEC 7) read strictly, and ``spa-desk training library check`` on the
shipped library and on libraries made for the test (exit 0, 1 and 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spa_desk.training.sample_calls import (
    LIBRARY,
    check_library,
    load_sample_call,
    read_sample_call,
)
from tests.cli_process import run_spa_desk
from triage_rules import RuleSetError, default_ruleset

GOOD = """\
id: hang-up-at-once
title: The line goes dead at once
transcript:
  - {speaker: Handler, at: 0, text: "Single Point of Access, can I help?"}
  - {speaker: Caller, at: 3, text: "(the line goes dead)"}
facts: {call_kind: hang_up}
expected:
  level1: non_data
  stream: null
  routes: []
  resolvable_at_first_contact: false
learning_points:
  - "Note the number; a hang-up is not a data call."
"""


def test_a_sample_call_is_read_with_its_transcript_in_time() -> None:
    call = read_sample_call(GOOD.encode(), "hang.yaml")
    assert call.id == "hang-up-at-once" and call.speakers == ("Handler", "Caller")
    assert call.duration == 3 and call.expected.level1 == "non_data"


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (("id: hang-up-at-once", "id: Hang Up"), 1, "id: Value error, use 3 to 64 lower-case"),
        (("at: 3,", "at: -1,"), 5, "transcript[1].at: Input should be greater than or equal to 0"),
        (("title: The line goes dead at once\n", ""), 1, "missing required key 'title'"),
        (("learning_points:", "notes: x\nlearning_points:"), 12, "notes: unknown key 'notes'"),
        (("  routes: []", "  routes: [{route: vcs}]"), 10, "expected.routes[0].urgency: missing"),
        (("at: 0,", "at: 9,"), 3, "a line at 3.0 s comes after one at 9.0 s"),
    ],
)
def test_a_bad_sample_call_is_refused_with_file_line_and_field(
    change: tuple[str, str], line: int, words: str
) -> None:
    text = GOOD.replace(*change)
    with pytest.raises(RuleSetError) as refused:
        read_sample_call(text.encode(), "bad.yaml")
    assert words in str(refused.value)
    assert f"bad.yaml:{line}:" in str(refused.value)


def test_the_shipped_library_agrees_with_the_default_rules() -> None:
    found = check_library(LIBRARY, default_ruleset())
    assert found.invalid == () and found.disagreements == ()
    assert len(found.calls) >= 1
    for call in found.calls:
        assert call.audio is None or (LIBRARY / call.audio).is_file()


def test_a_library_with_a_wrong_decision_or_a_twin_is_named(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD)
    wrong = GOOD.replace("id: hang-up-at-once", "id: wrongly-expected").replace(
        "level1: non_data", "level1: stream"
    )
    (tmp_path / "b.yaml").write_text(wrong)
    (tmp_path / "c.yaml").write_text(GOOD)  # the same id twice
    found = check_library(tmp_path, default_ruleset())
    assert [c.id for c in found.calls] == ["hang-up-at-once", "wrongly-expected"]
    assert found.disagreements == (
        "b.yaml (wrongly-expected): level1 was 'non_data', expected 'stream'",
    )
    assert found.invalid == (
        f"{tmp_path / 'c.yaml'}: id: 'hang-up-at-once' is the id of a.yaml too",
    )
    assert load_sample_call(tmp_path / "a.yaml").title == "The line goes dead at once"


def test_library_check_command(
    tmp_path: Path, isolated_home: Path, sqlite_database_url: str
) -> None:
    url = ("--database", sqlite_database_url)
    shipped = run_spa_desk(*url, "training", "library", "check", home=isolated_home)
    assert shipped.returncode == 0, shipped.stderr
    assert "agree with the rules in force (spa-default" in shipped.stdout
    (tmp_path / "a.yaml").write_text(GOOD.replace("level1: non_data", "level1: information"))
    disagrees = run_spa_desk(*url, "training", "library", "check", str(tmp_path),
                             home=isolated_home)  # fmt: skip
    assert disagrees.returncode == 1
    assert "level1 was 'non_data', expected 'information'" in disagrees.stderr
    (tmp_path / "b.yaml").write_text("id: [unclosed\n")
    invalid = run_spa_desk(*url, "training", "library", "check", str(tmp_path),
                           home=isolated_home)  # fmt: skip
    assert invalid.returncode == 2 and "b.yaml:2: (YAML): not valid YAML" in invalid.stderr
    assert "Traceback" not in invalid.stderr
