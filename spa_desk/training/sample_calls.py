"""Sample calls (SPEC 7): the format shared with other SPAs, read strictly, and the library checked
against the rule set in force.

One YAML file a call: ``id``, ``title``, ``transcript`` (a list of ``{speaker, text, at}``, ``at``
in seconds from the start, never going back), ``audio`` (an optional file name beside the YAML),
``facts`` (SPEC 9 names), ``expected`` (``level1``, ``stream``, ``routes`` as a list of ``{route,
urgency}``, ``resolvable_at_first_contact``: the shape of ``spa-desk triage``), and
``learning_points`` (a list of sentences). A file that is not in this format is refused with the
file, the line and the field, as rule files are (:mod:`triage_rules.loader`); a call whose
expected decision is not what the rules give is named with each difference.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from triage_rules import RuleSet, RuleSetError
from triage_rules.cases import Case, Expectation, run_case
from triage_rules.loader import parse_yaml, read_rule_file, validation_problems

ID = re.compile(r"^[a-z0-9][a-z0-9-]{2,63}$")
LIBRARY = Path(__file__).resolve().parents[2] / "resources" / "sample_calls"
"""The shipped library."""


class Line(BaseModel):
    """One line of the transcript: who speaks, what they say, and when (seconds from the start)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    speaker: str = Field(min_length=1, max_length=40)
    text: str = Field(min_length=1, max_length=2000)
    at: float = Field(ge=0, le=3600)


class SampleCall(BaseModel):
    """One sample call, as the format fixes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str = Field(min_length=3, max_length=120)
    transcript: tuple[Line, ...] = Field(min_length=1)
    audio: str | None = None
    facts: dict[str, Any]
    expected: Expectation
    learning_points: tuple[str, ...] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not ID.match(value):
            raise ValueError("use 3 to 64 lower-case letters, digits and hyphens")
        return value

    @field_validator("transcript")
    @classmethod
    def _in_time(cls, lines: tuple[Line, ...]) -> tuple[Line, ...]:
        for before, after in itertools.pairwise(lines):
            if after.at < before.at:
                raise ValueError(f"a line at {after.at} s comes after one at {before.at} s")
        return lines

    @field_validator("audio")
    @classmethod
    def _audio(cls, value: str | None) -> str | None:
        if value is not None and (not value.strip() or "/" in value or "\\" in value):
            raise ValueError("give the audio file's name only, beside the sample call")
        return value

    @property
    def duration(self) -> float:
        """When the last line starts, in seconds."""
        return self.transcript[-1].at

    @property
    def speakers(self) -> tuple[str, ...]:
        """Who speaks, in the order they first do."""
        return tuple(dict.fromkeys(line.speaker for line in self.transcript))


def read_sample_call(data: bytes, source: str) -> SampleCall:
    """A sample call from YAML bytes; RuleSetError (``FILE:LINE: field: what``) when unusable."""
    raw, lines = parse_yaml(data, source)
    try:
        return SampleCall.model_validate(raw)
    except ValidationError as error:
        raise RuleSetError(source, validation_problems(error, lines)) from None


def load_sample_call(path: Path) -> SampleCall:
    """The sample call in ``path``; RuleSetError in words when it cannot be used."""
    return read_sample_call(read_rule_file(path), str(path))


class LibraryCheck(BaseModel):
    """What checking a library found."""

    model_config = ConfigDict(frozen=True)

    calls: tuple[SampleCall, ...]
    invalid: tuple[str, ...]
    """Each unusable file, in words (file, line, field)."""
    disagreements: tuple[str, ...]
    """Each call whose expected decision is not the rules', with the differences."""


def sample_call_files(folder: Path) -> list[Path]:
    """The sample-call files of a library folder, by name."""
    return sorted(p for p in folder.glob("*.yaml") if p.is_file())


def disagreements_of(call: SampleCall, ruleset: RuleSet) -> tuple[str, ...]:
    """How the rules' decision on the call's facts differs from the one it expects."""
    return run_case(ruleset, Case(name=call.id, facts=call.facts, expect=call.expected)).differences


def read_library(folder: Path = LIBRARY) -> tuple[list[SampleCall], list[str]]:
    """Every usable sample call in ``folder`` (by file name) and each unusable file in words."""
    found, invalid = _read_files(folder)
    return [call for _path, call in found], invalid


def _read_files(folder: Path) -> tuple[list[tuple[Path, SampleCall]], list[str]]:
    calls: list[tuple[Path, SampleCall]] = []
    invalid: list[str] = []
    files = sample_call_files(folder)
    if not folder.is_dir():
        invalid.append(f"{folder}: no such folder")
    elif not files:
        invalid.append(f"{folder}: no sample calls (*.yaml) in it")
    seen: dict[str, Path] = {}
    for path in files:
        try:
            call = load_sample_call(path)
        except RuleSetError as error:
            invalid.append(str(error))
            continue
        if call.id in seen:
            invalid.append(f"{path}: id: {call.id!r} is the id of {seen[call.id].name} too")
            continue
        if call.audio is not None and not (path.parent / call.audio).is_file():
            invalid.append(f"{path}: audio: {call.audio!r} is not beside it")
            continue
        seen[call.id] = path
        calls.append((path, call))
    return calls, invalid


def check_library(folder: Path, ruleset: RuleSet) -> LibraryCheck:
    """Read every sample call in ``folder`` and check each against ``ruleset``."""
    found, invalid = _read_files(folder)
    calls = [call for _path, call in found]
    disagreements: list[str] = []
    for path, call in found:
        differences = disagreements_of(call, ruleset)
        if differences:
            disagreements.append(f"{path.name} ({call.id}): " + "; ".join(differences))
    return LibraryCheck(
        calls=tuple(calls), invalid=tuple(invalid), disagreements=tuple(disagreements)
    )
