"""``spa-desk triage`` and ``spa-desk rules check`` as SPEC 10 fixes them: output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_process import run_spa_desk
from tests.triage_rules.broken_files import write_broken
from triage_rules import default_ruleset


def test_triage_prints_the_decision(isolated_home: Path, tmp_path: Path) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"abuse_or_neglect": True, "isolation": True}))
    result = run_spa_desk("triage", "--facts", str(facts), home=isolated_home)
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert set(decision) == {
        "level1", "stream", "routes", "resolvable_at_first_contact", "trace", "ruleset",
    }  # fmt: skip
    assert decision["routes"] == [
        {"route": "safeguarding", "urgency": "soon"},
        {"route": "vcs", "urgency": "routine"},
    ]
    assert decision["resolvable_at_first_contact"] is False
    assert [t["rule"] for t in decision["trace"]][:3] == [
        "l1-stream", "stream-social-care", "row-2-safeguarding",
    ]  # fmt: skip
    ruleset = default_ruleset()
    assert decision["ruleset"] == {
        "id": ruleset.id, "version": ruleset.version, "sha256": ruleset.sha256,
    }  # fmt: skip


def test_triage_reads_standard_input(isolated_home: Path) -> None:
    result = run_spa_desk(
        "triage", "--facts", "-", stdin='{"call_kind": "test"}', home=isolated_home
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["level1"] == "non_data"


def test_triage_bad_input_exits_2_naming_the_problem(isolated_home: Path, tmp_path: Path) -> None:
    for stdin, phrase in (
        ('{"colour": "red"}', "'colour': unknown fact"),
        ('{"risk_to_life": "yes"}', "'risk_to_life': 'yes' is not true or false"),
        ('{"nursing_need": ["knees"]}', "'nursing_need': 'knees' is not one of"),
        ("[1, 2]", "must be one JSON object"),
        ("{not json", "not valid JSON"),
    ):
        result = run_spa_desk("triage", "--facts", "-", stdin=stdin, home=isolated_home)
        assert result.returncode == 2, stdin
        assert phrase in result.stderr and "Traceback" not in result.stderr
        assert result.stdout == ""
    missing = run_spa_desk("triage", "--facts", str(tmp_path / "no.json"), home=isolated_home)
    assert missing.returncode == 2 and "cannot read the facts file" in missing.stderr


def test_rules_check_passes_on_the_shipped_rules(isolated_home: Path) -> None:
    result = run_spa_desk("rules", "check", home=isolated_home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rule set spa-default version 1.2.0 is valid" in result.stdout
    assert " passed, 0 failed" in result.stdout


def test_rules_check_exits_2_on_an_invalid_file(isolated_home: Path, tmp_path: Path) -> None:
    path, _ = write_broken(tmp_path, "route: nhs_111,", "route: nhs_112,")
    result = run_spa_desk("rules", "check", str(path), home=isolated_home)
    assert result.returncode == 2
    assert f"{path}:" in result.stderr and "unknown route 'nhs_112'" in result.stderr


def test_rules_check_exits_1_when_a_case_fails(isolated_home: Path, tmp_path: Path) -> None:
    # A legal change of the rules that the default cases do not expect: own GP becomes soon.
    path, _ = write_broken(
        tmp_path,
        "routes: [{route: own_gp, urgency: routine}]",
        "routes: [{route: own_gp, urgency: soon}]",
        name="changed.yaml",
    )
    cases = Path(str(default_ruleset().source)).with_name("spa-default.cases.yaml")
    (tmp_path / "changed.cases.yaml").write_text(cases.read_text())
    result = run_spa_desk("rules", "check", str(path), home=isolated_home)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAILED" in result.stdout and "own_gp (soon)" in result.stdout
    assert " failed" in result.stdout.splitlines()[-1]
