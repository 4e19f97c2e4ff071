"""Fuzzing ``spa-desk rules check`` with broken copies of the shipped rule file and its cases.

Whatever is done to a file (lines deleted or repeated, values swapped, tags, anchors, aliases and
merge keys put in, binary bytes, very deep nesting, a second document), ``rules check`` answers
in words with exit 1 (a case fails) or 2 (the file is invalid: file, line and reason on stderr),
in under 5 seconds, and never with a traceback. A change that happens to leave the rule set
sound (a comment deleted, two labels swapped) may pass: then it must say so, with every case
passing. The command runs in this process so that a few hundred examples stay quick; the one
50 MB file goes through the real command.
"""

from __future__ import annotations

import re
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.cli_process import run_spa_desk
from tests.triage_rules.broken_files import LAUGHS
from tests.triage_rules.in_process import CommandResult, run_command
from triage_rules.cases import cases_path_for
from triage_rules.loader import MAX_FILE_BYTES, default_ruleset_path

RULES = default_ruleset_path().read_bytes()
CASES = cases_path_for(default_ruleset_path()).read_bytes()
SECONDS = 5
FUZZ = settings(
    max_examples=150,
    deadline=timedelta(seconds=SECONDS),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TAGS = [
    b"!!python/object/apply:os.system ",
    b"!!python/name:os.system ",
    b"!!python/object:argparse.Namespace ",
    b"!!binary ",
    b"!!set ",
    b"!!omap ",
    b"!!timestamp ",
    b"!!int ",
    b"!!float ",
    b"!!bool ",
    b"!!null ",
    b"!!str ",
    b"!!map ",
    b"!!seq ",
    b"!!merge ",
    b"!include ",
    b"! ",
    b"!<tag:yaml.org,2002:python/none> ",
]
ODD_KEYS = [
    b"? [a, b]\n: 1",
    b"? {a: 1}\n: 1",
    b"[a]: x",
    b"{a: 1}: x",
    b"1.5: x",
    b"7: x",
    b"yes: x",
    b"~: x",
    b"null: x",
    b"<<: {id: merged}",
    b"<<: *anchor",
    b"'<<': x",
    b"=: x",
    b"? : x",
]
ODD_VALUES = [
    b"[1, [2]]",
    b"{a: {b: c}}",
    b"~",
    b"yes",
    b"0b_",
    b"9" * 5000,
    b"1e999",
    b".nan",
    b"-.inf",
    b"2001-13-45",
    b"2024-01-01 10:00:00",
    b"'unterminated",
    b'"\\q"',
    b"|",
    b"*undefined",
    b"&anchor",
    b"&anchor [1, 2]",
    b"[]",
    b"{}",
    b"- x",
    b"@reserved",
    b"`reserved",
    b"%directive",
]
LAUGHS_BYTES = (LAUGHS + "\n").encode()


class Mutated:
    """A broken copy of a file, shown in a failure report by what was done to it (not in full)."""

    def __init__(self, done: tuple[str, ...], data: bytes) -> None:
        self.done, self.data = done, data

    def __repr__(self) -> str:
        return f"Mutated({'; '.join(self.done)}; {len(self.data)} bytes)"


def _value_at(line: bytes) -> int:
    """Where the value of a ``key: value`` line starts (after the first ': '), or its end."""
    at = line.find(b": ")
    return at + 2 if at >= 0 else len(line)


def _indent(line: bytes) -> bytes:
    return line[: len(line) - len(line.lstrip(b" "))]


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> Mutated:
    """``original`` with one to three things done to it."""
    lines = original.splitlines(keepends=True)
    done = []
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            lines = [b"\n"]
        kind = draw(
            st.sampled_from(
                [
                    "delete", "swap", "tag", "alias", "odd key", "odd value", "bytes", "deep",
                    "laughs", "repeat", "indent", "truncate", "second document",
                ]
            )
        )  # fmt: skip
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i].rstrip(b"\n")
        value_at = _value_at(line)
        if kind == "delete":
            count = draw(st.integers(1, 5))
            del lines[i : i + count]
            done.append(f"deleted lines {i + 1}-{i + count}")
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            other = lines[j].rstrip(b"\n")
            other_at = _value_at(other)
            lines[i] = line[:value_at] + other[other_at:] + b"\n"
            lines[j] = other[:other_at] + line[value_at:] + b"\n"
            done.append(f"swapped the values of lines {i + 1} and {j + 1}")
        elif kind == "tag":
            tag = draw(st.sampled_from(TAGS))
            lines[i] = line[:value_at] + tag + line[value_at:] + b"\n"
            done.append(f"tag {tag.decode().strip()} on line {i + 1}")
        elif kind == "alias":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i] = line[:value_at] + b"&anchor " + line[value_at:] + b"\n"
            target = lines[j].rstrip(b"\n")
            lines[j] = target[: _value_at(target)] + b"*anchor\n"
            done.append(f"anchor on line {i + 1}, alias on line {j + 1}")
        elif kind == "odd key":
            key = draw(st.sampled_from(ODD_KEYS))
            indent = _indent(line)
            lines.insert(i, indent + key.replace(b"\n", b"\n" + indent) + b"\n")
            done.append(f"key {key!r} before line {i + 1}")
        elif kind == "odd value":
            value = draw(st.sampled_from(ODD_VALUES))
            lines[i] = line[:value_at] + value + b"\n"
            done.append(f"value {value[:20]!r} on line {i + 1}")
        elif kind == "bytes":
            junk = draw(st.binary(min_size=1, max_size=16))
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + junk + line[at:] + b"\n"
            done.append(f"bytes {junk!r} in line {i + 1}")
        elif kind == "deep":
            depth = draw(st.integers(1, 50_000))
            opening, closing = draw(st.sampled_from([(b"[", b"]"), (b"{a: ", b"}"), (b"- ", b"")]))
            balanced = draw(st.booleans())
            nested = opening * depth + (closing * depth if balanced else b"")
            lines[i] = line[:value_at] + nested + b"\n"
            done.append(f"{opening!r} nested {depth} deep on line {i + 1}")
        elif kind == "laughs":
            lines.insert(i, LAUGHS_BYTES)
            done.append(f"a billion laughs before line {i + 1}")
        elif kind == "repeat":
            lines.insert(i, lines[i])
            done.append(f"line {i + 1} repeated")
        elif kind == "indent":
            shift = draw(st.integers(-4, 4))
            stripped = line.lstrip(b" ")
            width = max(0, len(line) - len(stripped) + shift)
            lines[i] = b" " * width + stripped + b"\n"
            done.append(f"line {i + 1} indented by {shift}")
        elif kind == "truncate":
            at = draw(st.integers(0, len(line)))
            lines[i:] = [line[:at]]
            done.append(f"cut off in line {i + 1}")
        else:
            lines.append(b"---\n" + draw(st.sampled_from([b"", b"id: again\n", b"- 1\n"])))
            done.append("a second document")
    return Mutated(tuple(done), b"".join(lines))


def _check(result: CommandResult, broken: Path) -> None:
    """The contract every mutated file is held to (see the module docstring)."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.seconds < SECONDS, f"took {result.seconds:.1f} s"
    if result.returncode == 0:
        event("a harmless change: the rule set stays sound")
        assert "is valid" in result.stdout and " 0 failed" in result.stdout, result.stdout
        assert result.stderr == "", result.stderr
        return
    assert result.returncode in (1, 2), (result.returncode, result.stdout, result.stderr)
    if result.returncode == 1:
        event("a case fails")
        assert "FAILED" in result.stdout, result.stdout
        assert re.search(r"^spa-desk: \d+ of \d+ cases failed", result.stderr), result.stderr
        return
    event("refused")
    problems = [line for line in result.stderr.splitlines() if line.startswith(f"{broken}:")]
    assert problems, result.stderr
    for problem in problems:
        # FILE:LINE: field: what, in words
        assert re.match(rf"{re.escape(str(broken))}:\d+: \S.*: .*[a-z]{{3}}", problem), problem
    assert result.stderr.splitlines()[-1].startswith("spa-desk: "), result.stderr


@FUZZ
@given(mutated(RULES))
def test_a_mutated_rule_file_is_answered_in_words(rules: Mutated) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mutated.yaml"
        path.write_bytes(rules.data)
        cases_path_for(path).write_bytes(CASES)
        result = run_command("rules", "check", str(path))
        _check(result, path)


@settings(FUZZ, max_examples=60)
@given(mutated(CASES))
def test_a_mutated_cases_file_is_answered_in_words(cases: Mutated) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rules.yaml"
        path.write_bytes(RULES)
        broken = cases_path_for(path)
        broken.write_bytes(cases.data)
        result = run_command("rules", "check", str(path))
        _check(result, broken)


def test_a_50_mb_rule_file_is_refused_unread(isolated_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as file:
        file.write(RULES)
        file.write(b"padding: [" + b"lol, " * (50 * 1024 * 1024 // 5) + b"lol]\n")
    assert path.stat().st_size > 50 * 1024 * 1024 > MAX_FILE_BYTES
    for command in (
        ("rules", "check", str(path)),
        ("triage", "--facts", "-", "--rules", str(path)),
    ):
        started = time.perf_counter()
        result = run_spa_desk(*command, stdin="{}", home=isolated_home)
        assert time.perf_counter() - started < SECONDS
        assert result.returncode == 2, result.stdout + result.stderr
        assert "Traceback" not in result.stderr and result.stdout == ""
        assert f"{path}:" in result.stderr and "larger than 1 MiB" in result.stderr, result.stderr
