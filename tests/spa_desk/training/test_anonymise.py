"""The anonymiser (SPEC 7, 10) over demo data: one sample call per data contact of the period,
each in the library's format and agreeing with the rules in force, none holding an identifier
the database holds; trainers and SPA managers only, each run audited; the command's exit
statuses. The whole demo year is ``test_anonymise_year.py`` (marked slow)."""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select
from wordfreq import zipf_frequency

from db.models import AuditEvent, Caller, Contact, Person, User, UserRole
from spa_desk.database import Database, open_database
from spa_desk.demo.generator import generate_demo_data
from spa_desk.domain import CurrentUser
from spa_desk.local_time import local_days_to_utc
from spa_desk.permissions import PermissionDenied
from spa_desk.training.anonymise import anonymise
from spa_desk.training.sample_calls import (
    check_library,
    load_sample_call,
    sample_call_files,
)
from spa_desk.training.scrub import COMMON
from spa_desk.vocabulary import Role
from tests.cli_process import run_spa_desk
from triage_rules import default_ruleset

FIRST, LAST = date(2026, 2, 2), date(2026, 2, 4)


@dataclass(frozen=True)
class Leaks:
    """What a folder of sample calls holds of the database's identifiers."""

    words: set[str]
    numbers: set[str]
    checked: int


def identifiers_leaked(database: Database, folder: Path, first: date, last: date) -> Leaks:
    """Every identifier the database holds for the period's contacts (the person's and caller's
    names, NHS number, phones, postcode, address, date of birth) and every member of staff's
    name, looked for in every file of ``folder``."""
    start, end = local_days_to_utc(first, last)
    text = "\n".join(_what_it_says(p) for p in sample_call_files(folder))
    words_out = {w.lower() for w in re.findall(r"[^\W\d_]+", text)}
    # Each number written in the output as one run of digits (spaces, dashes and brackets
    # inside it taken out, +44 read as 0), one run a line: a number found is in one place,
    # never made of the end of one number and the start of the next.
    national = re.sub(r"\+44\s?(?:\(0\)\s?)?", "0", text)
    joined = re.sub(r"(?<=\d)[ \t\-().]+(?=\d)", "", national)
    runs = set(re.findall(r"\d+", joined))
    names: set[str] = set()
    numbers: set[str] = set()
    phrases: set[str] = set()
    with database.sessions() as session:
        period = (Contact.started_at >= start) & (Contact.started_at < end)
        for person in session.scalars(
            select(Person).join(Contact, Contact.person_id == Person.id).where(period)
        ):
            names.update(w.lower() for w in re.findall(r"[^\W\d_]+", person.given_name))
            names.update(w.lower() for w in re.findall(r"[^\W\d_]+", person.family_name))
            numbers.update(
                re.sub(r"\D", "", v)
                for v in (person.nhs_number, person.phone_primary, person.phone_secondary)
                if v
            )
            phrases.update(
                v for v in (person.postcode, person.address_line1, person.gp_practice) if v
            )
            if person.postcode:
                phrases.add(re.sub(r"\s", "", person.postcode))  # written without its space
            if person.date_of_birth is not None:
                phrases.add(person.date_of_birth.isoformat())
        for caller in session.scalars(
            select(Caller).join(Contact, Contact.caller_id == Caller.id).where(period)
        ):
            if caller.name:
                names.update(w.lower() for w in re.findall(r"[^\W\d_]+", caller.name))
            if caller.phone:
                numbers.add(re.sub(r"\D", "", caller.phone))
        for display, username in session.execute(select(User.display_name, User.username)):
            names.update(w.lower() for w in re.findall(r"[^\W\d_]+", display))
            if zipf_frequency(username, "en") < COMMON:  # "handler" is a word of the rules'
                names.add(username.lower())
    lengths = {len(n) for n in numbers if len(n) >= 6}
    pieces = {run[i : i + n] for run in runs for n in lengths for i in range(len(run) - n + 1)}
    leaked_numbers = {n for n in numbers if len(n) >= 6 and n in pieces}
    leaked_numbers |= _phrases_in(phrases, text)
    return Leaks(
        words=names & words_out,
        numbers=leaked_numbers,
        checked=len(names) + len(numbers) + len(phrases),
    )


def _phrases_in(phrases: set[str], text: str) -> set[str]:
    """The phrases (an address, a practice, a postcode, a date) written in ``text`` word for
    word, whatever the case and spacing between words: looked up by their first two words, so a
    year's output is read once rather than once for each phrase."""
    words = {phrase: tuple(re.findall(r"[a-z0-9]+", phrase.lower())) for phrase in phrases}
    single = {w[0]: p for p, w in words.items() if len(w) == 1}
    by_start: dict[tuple[str, str], list[tuple[str, tuple[str, ...]]]] = {}
    for phrase, wanted in words.items():
        if len(wanted) > 1:
            by_start.setdefault((wanted[0], wanted[1]), []).append((phrase, wanted))
    found: set[str] = set()
    for line in text.lower().splitlines():
        tokens = re.findall(r"[a-z0-9]+", line)
        for i, token in enumerate(tokens):
            if token in single:
                found.add(single[token])
            for phrase, wanted in by_start.get(
                (token, tokens[i + 1] if i + 1 < len(tokens) else ""), []
            ):
                if tuple(tokens[i : i + len(wanted)]) == wanted:
                    found.add(phrase)
    return found


def test_the_leak_check_finds_phrases_and_numbers_however_they_are_written() -> None:
    phrases = {"14 Marram Way", "ZY1 1AA", "ZY11AA", "Dunes Medical Centre", "1941-03-12"}
    text = "She lives at 14  MARRAM way,\nzy11aa; her GP is dunes medical centre (b. 1941-03-12)"
    assert _phrases_in(phrases, text) == phrases - {"ZY1 1AA"}
    assert _phrases_in(phrases, "14 Marram Close; Dunes Medical; 1941-03-13") == set()


def _what_it_says(path: Path) -> str:
    """Every word a sample call's file holds (its speakers are the format's labels, not names,
    and its id is random hexadecimal), read with libyaml: a year's files in minutes, not the
    best part of an hour through the strict loader (``library check`` proves they load)."""
    call = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    facts = [str(v) for v in (call.get("facts") or {}).values()]
    lines = [str(line["text"]) for line in call.get("transcript") or []]
    points = [str(point) for point in call.get("learning_points") or []]
    return "\n".join([str(call.get("title", "")), *lines, *points, *facts])


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A month of demo data (February 2026) in an SQLite file, made once for the module."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    database = open_database(f"sqlite:///{path}")
    try:
        generate_demo_data(
            database,
            months=1,
            start=date(2026, 2, 1),
            seed=11,
            now=datetime(2026, 3, 5, tzinfo=UTC),
        )
    finally:
        database.close()
    return path


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    copy = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_file, copy)
    database = open_database(f"sqlite:///{copy}")
    yield database
    database.close()


def _user(role: Role) -> CurrentUser:
    return CurrentUser(id=uuid.uuid4(), username=role.value, display_name="T", roles=(role,))


def _demo_user(database: Database, role: Role) -> CurrentUser:
    with database.sessions() as session:
        user = session.scalars(
            select(User).join(UserRole).where(UserRole.role == role.value).limit(1)
        ).one()
        return CurrentUser(
            id=user.id, username=user.username, display_name=user.display_name, roles=(role,)
        )


def _data_contacts(database: Database, first: date, last: date) -> int:
    start, end = local_days_to_utc(first, last)
    with database.sessions() as session:
        return len(
            session.scalars(
                select(Contact.id).where(
                    Contact.started_at >= start,
                    Contact.started_at < end,
                    Contact.status == "complete",
                    Contact.call_kind == "data",
                )
            ).all()
        )


def test_each_data_contact_becomes_a_sample_call_with_no_identifier_left(
    demo: Database, tmp_path: Path
) -> None:
    out = tmp_path / "calls"
    done = anonymise(demo, _demo_user(demo, Role.TRAINER), FIRST, LAST, out, seed=1)
    expected = _data_contacts(demo, FIRST, LAST)
    assert expected > 500
    assert done.written == expected == len(sample_call_files(out))
    assert done.skipped == ()
    # Every file is in the library's format and agrees with the rules in force.
    checked = check_library(out, default_ruleset())
    assert checked.invalid == () and checked.disagreements == ()
    assert len(checked.calls) == expected
    leaks = identifiers_leaked(demo, out, FIRST, LAST)
    assert leaks.checked > 1000
    assert leaks.words == set() and leaks.numbers == set()
    # Notes survive as words, not as placeholders only.
    call = load_sample_call(sample_call_files(out)[0])
    assert call.transcript[0].speaker == "Handler" and len(call.transcript) >= 3


def test_only_trainers_and_managers_may_run_it_and_each_run_is_audited(
    demo: Database, tmp_path: Path
) -> None:
    for role in (Role.CALL_HANDLER, Role.PRACTITIONER, Role.ADMINISTRATOR):
        with pytest.raises(PermissionDenied):
            anonymise(demo, _user(role), FIRST, FIRST, tmp_path / role.value)
        assert not (tmp_path / role.value).exists()
    manager = _demo_user(demo, Role.SPA_MANAGER)
    done = anonymise(demo, manager, FIRST, FIRST, tmp_path / "manager", seed=2)
    with demo.sessions() as session:
        entry = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "calls_anonymised")
        ).one()
    assert entry.user_id == manager.id
    assert entry.details == {
        "from": FIRST.isoformat(),
        "to": FIRST.isoformat(),
        "calls": done.written,
        "by": "the desk",
    }


def test_the_command_writes_the_files_and_refuses_bad_input_with_words(
    demo_file: Path, tmp_path: Path
) -> None:
    database = ("--database", f"sqlite:///{demo_file}")
    out = tmp_path / "out"
    made = run_spa_desk(*database, "training", "anonymise", "--from", "2026-02-03", "--to",
                        "2026-02-03", "--out", str(out), home=tmp_path)  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert f"anonymised sample calls to {out}" in made.stdout
    assert len(sample_call_files(out)) > 100
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    for arguments, words in (
        (("--from", "2026-02-30", "--to", "2026-03-01", "--out", str(out)), "is not a date"),
        (("--from", "2026-02-05", "--to", "2026-02-01", "--out", str(out)), "is before --from"),
        (("--from", "2026-02-01", "--to", "2026-02-01", "--out", str(blocker / "x")),
         "Cannot write sample calls"),
    ):  # fmt: skip
        refused = run_spa_desk(*database, "training", "anonymise", *arguments, home=tmp_path)
        assert refused.returncode == 2, refused.stderr
        assert words in refused.stderr and "Traceback" not in refused.stderr
