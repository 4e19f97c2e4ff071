"""Signing a shift report (stored with SHA-256, locked, audited, given back as signed, later
changes listed) and ``spa-desk report shift|sign|trends|gaps`` as real processes."""

from __future__ import annotations

import hashlib
import os
import stat
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from db.models import AuditEvent, Contact, SignedReport
from spa_desk.database import Database, open_database
from spa_desk.domain import CurrentUser
from spa_desk.errors import KnownError
from spa_desk.permissions import PermissionDenied
from spa_desk.reports.csv_rows import read_csv
from spa_desk.reports.files import shift_files
from spa_desk.reports.shift_report import named_shift
from spa_desk.reports.signing import sign_shift_report, signed_shift_report
from spa_desk.settings import DEFAULT_SHIFTS, Settings
from spa_desk.vocabulary import CallerType, Role, Route
from tests.cli_process import run_spa_desk
from tests.factories import add_contact, add_user

DAY = date(2026, 11, 16)
SHIFT = named_shift(DAY, "early", DEFAULT_SHIFTS)
AFTER = datetime(2026, 11, 16, 16, 0, tzinfo=UTC)
PASSWORD = "manager pass phrase"


def _manager(database: Database) -> CurrentUser:
    user_id = add_user(database, "boss", PASSWORD, ("spa_manager",), "Morgan Manager")
    return CurrentUser(
        id=user_id, username="boss", display_name="Morgan Manager", roles=(Role.SPA_MANAGER,)
    )


def _contacts(database: Database, count: int = 3) -> list[uuid.UUID]:
    handler = add_user(database, "hal", "pw-hal-1234567")
    started = [datetime(2026, 11, 16, 8 + n, 0, tzinfo=UTC) for n in range(count)]
    return [  # saved when the call ended, long before the signing
        add_contact(database, handler, at, updated_at=at + timedelta(minutes=10)) for at in started
    ]


def test_a_signed_report_is_stored_locked_audited_and_given_back(database: Database) -> None:
    manager = _manager(database)
    ids = _contacts(database)
    signed = sign_shift_report(database, manager, SHIFT, Settings(), now=AFTER)
    assert signed.intact and signed.signature.name == "Morgan Manager"
    assert hashlib.sha256(signed.pdf).hexdigest() == signed.pdf_sha256
    value = {(s, k): v for s, k, v in read_csv(signed.csv.decode())}
    assert value[("signed", "by")] == "boss" and value[("summary", "contacts")] == "3"
    first_page = PdfReader(__import__("io").BytesIO(signed.pdf)).pages[0].extract_text()
    assert "Morgan Manager" in first_page

    with database.sessions() as session:
        [entry] = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "report_signed")
        ).all()
        assert entry.entity_id == str(signed.id) and entry.user_id == manager.id
        assert entry.details == {"shift": "early", "date": "2026-11-16"}
    for change in (
        update(SignedReport).values(csv=b"forged"),
        delete(SignedReport),
    ):
        with pytest.raises(DBAPIError, match="locked"), database.sessions.begin() as session:
            session.execute(change)

    # A contact changed after the signing is listed; the signed files stay as signed.
    with database.sessions.begin() as session:
        session.execute(
            update(Contact)
            .where(Contact.id == ids[0])
            .values(notes="Added later", updated_at=AFTER + timedelta(hours=1))
        )
    again = shift_files(database, manager, SHIFT, Settings(), now=AFTER + timedelta(hours=2))
    assert again.signed and again.pdf == signed.pdf and again.csv == signed.csv
    assert "signed by Morgan Manager" in again.words and "1 contact(s)" in again.words
    assert f"contact {ids[0]} (saved), changed 16 Nov 2026 17:00" in again.words
    later = signed_shift_report(database, manager, SHIFT)
    assert later is not None and [c.contact_id for c in later.changed_after] == [ids[0]]


def test_an_unsigned_shift_says_whether_it_has_started_or_ended(database: Database) -> None:
    manager = _manager(database)
    for now, words in (
        (SHIFT.start_utc - timedelta(hours=1), "has not started yet: it has no figures."),
        (SHIFT.start_utc + timedelta(hours=1), "has not ended: these are its figures so far."),
        (SHIFT.end_utc + timedelta(hours=1), "is not signed yet."),
    ):
        assert shift_files(database, manager, SHIFT, Settings(), now=now).words.endswith(words)


def test_signing_is_for_managers_once_the_shift_is_over(database: Database) -> None:
    manager = _manager(database)
    handler = CurrentUser(
        id=uuid.uuid4(), username="h", display_name="Hal", roles=(Role.CALL_HANDLER,)
    )
    with pytest.raises(PermissionDenied):
        sign_shift_report(database, handler, SHIFT, Settings(), now=AFTER)
    with pytest.raises(KnownError, match="has not ended yet"):
        sign_shift_report(database, manager, SHIFT, Settings(), now=SHIFT.end_utc - timedelta(1))
    sign_shift_report(database, manager, SHIFT, Settings(), now=AFTER)
    with pytest.raises(KnownError, match="signed already, by Morgan Manager"):
        sign_shift_report(database, manager, SHIFT, Settings(), now=AFTER)


def test_report_commands(sqlite_database_url: str, isolated_home: Path, tmp_path: Path) -> None:
    database = open_database(sqlite_database_url)
    try:
        _manager(database)
        _contacts(database)
    finally:
        database.close()
    url = ("--database", sqlite_database_url)
    shift = ("--date", "2026-11-16", "--shift", "early")
    pdf, csv = tmp_path / "early.pdf", tmp_path / "early.csv"
    made = run_spa_desk(*url, "report", "shift", *shift, "--pdf", str(pdf), "--csv", str(csv),
                        home=isolated_home)  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "is not signed yet" in made.stderr
    rows = read_csv(csv.read_text())
    assert ("summary", "contacts", "3") in rows
    assert PdfReader(pdf).pages[0].extract_text().count("NOT SIGNED") >= 1
    to_stdout = run_spa_desk(*url, "report", "shift", *shift, home=isolated_home)
    assert to_stdout.stdout.startswith("section,key,value\n")

    signed = run_spa_desk(*url, "report", "sign", *shift, "--as", "boss",
                          stdin=PASSWORD + "\n", home=isolated_home)  # fmt: skip
    assert signed.returncode == 0, signed.stderr
    assert "Signed Early shift, Mon 16 Nov 2026, 07:00-15:00 as Morgan Manager." in signed.stdout
    sha = signed.stdout.split("CSV SHA-256 ")[1].split()[0]
    again = run_spa_desk(*url, "report", "shift", *shift, "--csv", str(csv), home=isolated_home)
    assert "was signed by Morgan Manager (boss)" in again.stderr
    assert hashlib.sha256(csv.read_bytes()).hexdigest() == sha
    twice = run_spa_desk(*url, "report", "sign", *shift, "--as", "boss",
                         stdin=PASSWORD + "\n", home=isolated_home)  # fmt: skip
    assert twice.returncode == 1 and "signed already" in twice.stderr

    trends = run_spa_desk(*url, "report", "trends", "--from", "2026-11-01", "--to", "2026-11-30",
                          "--csv", "-", home=isolated_home)  # fmt: skip
    assert trends.returncode == 0, trends.stderr
    assert "heatmap,mon-08,0.2000\n" in trends.stdout  # 1 contact over 5 Mondays 08:00
    gaps = run_spa_desk(*url, "report", "gaps", "--from", "2026-11-01", "--to", "2026-11-30",
                        "--pdf", str(tmp_path / "gaps.pdf"), home=isolated_home)  # fmt: skip
    assert gaps.returncode == 0, gaps.stderr
    assert "No unmet needs" in gaps.stderr and (tmp_path / "gaps.pdf").stat().st_size > 1000


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (("shift", "--date", "2026-13-01", "--shift", "early"), "is not a date: use YYYY-MM-DD"),
        (("shift", "--date", "2026-11-16", "--shift", "twilight"), "there is no 'twilight' shift"),
        (
            ("shift", "--date", "2026-11-16", "--shift", "early", "--pdf", "/no/such/dir/r.pdf"),
            "the folder /no/such/dir does not exist",
        ),
        (("trends", "--from", "2026-11-30", "--to", "2026-11-01"), "is before --from"),
        (("gaps", "--from", "2026-11-01", "--to", "nonsense"), "is not a date"),
        (("shift", "--date", "20261116", "--shift", "early"), "is not a date: use YYYY-MM-DD"),
        (("shift", "--date", "2026-W47-1", "--shift", "early"), "is not a date: use YYYY-MM-DD"),
        (("shift", "--date", "9999-12-31", "--shift", "night"), "give a date from 1900 to 2999"),
        (("trends", "--from", "2001-01-01", "--to", "2026-11-30"), "is over 10 years"),
        (
            ("shift", "--date", "2026-11-16", "--shift", "early", "--csv", "/proc/r.csv"),
            "Cannot write /proc/r.csv in /proc:",
        ),
        (
            ("gaps", "--from", "2026-11-01", "--to", "2026-11-30", "--pdf", "/etc/hostname/g.pdf"),
            "/etc/hostname is a file, not a folder",
        ),
    ],
)
def test_bad_input_exits_2_with_words(
    sqlite_database_url: str, isolated_home: Path, arguments: tuple[str, ...], words: str
) -> None:
    done = run_spa_desk("--database", sqlite_database_url, "report", *arguments,
                        home=isolated_home)  # fmt: skip
    assert done.returncode == 2
    assert words in done.stderr
    assert "Traceback" not in done.stderr


def test_an_output_is_written_through_a_link_and_never_over_a_device(
    sqlite_database_url: str, isolated_home: Path, tmp_path: Path
) -> None:
    url = ("--database", sqlite_database_url)
    shift = ("report", "shift", "--date", "2026-11-16", "--shift", "early")
    real, link = tmp_path / "real.csv", tmp_path / "link.csv"
    real.write_text("old\n")
    link.symlink_to(real)
    done = run_spa_desk(*url, *shift, "--csv", str(link), home=isolated_home)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink()  # still the link, and the file it names has the report
    assert real.read_text().startswith("section,key,value\n")

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)  # not a plain file: renaming over it would put a file in its place
    refused = run_spa_desk(*url, *shift, "--pdf", str(pipe), home=isolated_home)
    assert refused.returncode == 2
    assert f"Cannot write {pipe}: it is not a plain file." in refused.stderr
    assert stat.S_ISFIFO(pipe.stat().st_mode)


@pytest.mark.parametrize(
    ("outputs", "words"),
    [
        (("--pdf", "{dir}/r", "--csv", "{dir}/r"), "--pdf and --csv both name {dir}/r"),
        (("--pdf", "{dir}/r", "--csv", "{dir}/./r"), "--pdf and --csv both name {dir}/r"),
        (("--pdf", "-"), "give --csv FILE too"),
        (("--pdf", "-", "--csv", "-"), "--pdf and --csv both name -"),
    ],
)
def test_the_pdf_and_the_csv_never_go_to_one_place(
    sqlite_database_url: str,
    isolated_home: Path,
    tmp_path: Path,
    outputs: tuple[str, ...],
    words: str,
) -> None:
    given = [part.format(dir=tmp_path) for part in outputs]
    done = run_spa_desk("--database", sqlite_database_url, "report", "shift", "--date",
                        "2026-11-16", "--shift", "early", *given, home=isolated_home)  # fmt: skip
    assert done.returncode == 2
    assert words.format(dir=tmp_path) in done.stderr
    assert done.stdout == ""
    assert not (tmp_path / "r").exists()


def test_a_database_that_is_not_there_is_named_not_made(
    isolated_home: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "typo" / "desk.sqlite3"
    for command in (
        ("report", "shift", "--date", "2026-11-16", "--shift", "early"),
        ("report", "gaps", "--from", "2026-11-01", "--to", "2026-11-30"),
    ):
        done = run_spa_desk("--database", f"sqlite+pysqlite:///{missing}", *command,
                            home=isolated_home)  # fmt: skip
        assert done.returncode == 2
        assert f"There is no database at {missing}" in done.stderr
        assert done.stdout == ""
    assert not missing.parent.exists()


def test_a_quiet_shift_still_counts_every_route_and_caller_type(database: Database) -> None:
    """SPEC 10: routes,<route> and caller_type,<type> in every shift CSV, 0 when none."""
    files = shift_files(database, _manager(database), named_shift(date(2026, 8, 1), "late",
                        DEFAULT_SHIFTS), Settings())  # fmt: skip
    rows = read_csv(files.csv.decode())
    routes = {key: value for section, key, value in rows if section == "routes"}
    callers = {key: value for section, key, value in rows if section == "caller_type"}
    assert routes == {route.value: "0" for route in Route}
    assert callers == {caller.value: "0" for caller in CallerType}
