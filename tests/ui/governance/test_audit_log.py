"""The audit log dialog against a real database: searching by period, user and person, exporting
what matches as CSV, refusing roles that may not read it; and both dialogs' table models.
"""

from __future__ import annotations

import asyncio
import csv
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import LoginFailed
from spa_desk.governance.export import EXPORT_COLUMNS
from spa_desk.governance.search import search_as
from spa_desk.people.consent import ConsentGiven
from spa_desk.people.records import open_person
from spa_desk.vocabulary import ConsentBasis
from tests.factories import add_person, add_user
from tests.ui.governance.helpers import (
    NOW,
    PASSWORD,
    column_texts,
    log_in,
    open_user_admin,
    run,
)
from ui.governance.audit_controller import AuditController
from ui.governance.audit_view import AuditView
from ui.kit.backend import DeskBackend


@pytest.fixture
def manager(database: Database) -> CurrentUser:
    """An SPA manager, with log-ins of two handlers over the last fortnight in the audit log."""
    add_user(database, "morgan", PASSWORD, roles=("spa_manager",), display_name="Morgan Achebe")
    add_user(database, "sam", PASSWORD, display_name="Sam Okafor")
    add_user(database, "kim", PASSWORD, display_name="Kim Haddad")
    log_in(database, "sam", PASSWORD, NOW - timedelta(days=10))  # before the last 7 days
    log_in(database, "sam", PASSWORD, NOW - timedelta(days=2))
    with pytest.raises(LoginFailed):
        log_in(database, "kim", "wrong", NOW - timedelta(days=1))
    log_in(database, "kim", PASSWORD, NOW - timedelta(days=1, minutes=-1))
    return log_in(database, "morgan", PASSWORD, NOW)


def _open_audit(qtbot: QtBot, backend: DeskBackend, user: CurrentUser) -> AuditController:
    """The audit log dialog, open; its controller (``.view`` is the dialog)."""
    controller = AuditController(AuditView(), backend, user, clock=lambda: NOW)
    dialog = controller.view
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return controller


def _shown(dialog: AuditView) -> list[tuple[str, str]]:
    """The rows shown as (user, action)."""
    return list(zip(column_texts(dialog, 1), column_texts(dialog, 2), strict=True))


def _search(qtbot: QtBot, controller: AuditController) -> list[tuple[str, str]]:
    """Search with the filters as they stand; the rows shown as (user, action)."""
    run(qtbot, controller.search())
    return _shown(controller.view)


def test_manager_searches_the_audit_log_by_period_and_user(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    backend: DeskBackend,
    manager: CurrentUser,
) -> None:
    controller = _open_audit(qtbot, backend, manager)
    dialog = controller.view
    # The last 7 local days by default, today included.
    assert controller.filters().first == date(2026, 7, 4)
    assert controller.filters().last == date(2026, 7, 10)

    assert _search(qtbot, controller) == [
        ("morgan", "Logged in"),
        ("kim", "Logged in"),
        ("kim", "Log-in failed"),
        ("sam", "Logged in"),
    ]
    assert dialog.summary_label.text() == "4 entries, newest first."
    # Times in London: 09:30 UTC is 10:30 BST.
    assert dialog.model.data(dialog.model.index(0, 0)) == "Fri 10 Jul 2026 10:30:00"
    assert dialog.model.data(dialog.model.index(2, 4)) == "failures: 1 · reason: wrong password"

    qtbot.keyClicks(dialog.user_edit, "sam")
    qtbot.keyClick(dialog.user_edit, Qt.Key.Key_Return)  # Enter searches
    qtbot.waitUntil(lambda: _shown(dialog) == [("sam", "Logged in")], timeout=10_000)
    assert dialog.summary_label.text() == "1 entry, newest first."
    assert dialog.model.data(dialog.model.index(0, 0)) == "Wed 08 Jul 2026 10:30:00"
    dialog.from_edit.setDate(dialog.from_edit.date().addDays(-7))
    assert _search(qtbot, controller) == [("sam", "Logged in"), ("sam", "Logged in")]
    assert dialog.model.data(dialog.model.index(1, 0)) == "Tue 30 Jun 2026 10:30:00"

    # Yesterday only, everyone: kim's failure and log-in.
    dialog.user_edit.clear()
    dialog.from_edit.setDate(dialog.to_edit.date().addDays(-1))
    dialog.to_edit.setDate(dialog.to_edit.date().addDays(-1))
    assert _search(qtbot, controller) == [("kim", "Logged in"), ("kim", "Log-in failed")]


def test_a_search_that_cannot_run_says_why_and_keeps_the_filters(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    backend: DeskBackend,
    manager: CurrentUser,
) -> None:
    controller = _open_audit(qtbot, backend, manager)
    dialog = controller.view
    assert len(_search(qtbot, controller)) == 4
    qtbot.keyClicks(dialog.user_edit, "nobody")
    assert _search(qtbot, controller) == []  # never the last result, as if no filter were given
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text() == "User: there is no user named 'nobody'"
    assert dialog.user_edit.text() == "nobody"

    dialog.user_edit.clear()
    qtbot.keyClicks(dialog.person_edit, "9990000026")
    assert _search(qtbot, controller) == []
    assert dialog.error_label.text() == (
        "NHS number: no one on the desk has the NHS number 999 000 0026"
    )
    assert dialog.person_edit.text() == "9990000026"

    dialog.person_edit.clear()
    dialog.to_edit.setDate(dialog.from_edit.date().addDays(-1))
    _search(qtbot, controller)
    assert dialog.error_label.text() == "To: 03 Jul 2026 is before the first day, 04 Jul 2026"


def test_manager_searches_by_person_and_sees_who_opened_the_record(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    backend: DeskBackend,
    manager: CurrentUser,
) -> None:
    person_id = add_person(database)
    other_id = add_person(database, nhs_number="9990000034")
    sam = log_in(database, "sam", PASSWORD, NOW - timedelta(hours=3))
    consent = ConsentGiven(basis=ConsentBasis.GIVEN_BY_PERSON, purpose="caller asks for help")
    open_person(database, sam, person_id, consent, now=NOW - timedelta(hours=2))
    open_person(database, sam, other_id, consent, now=NOW - timedelta(hours=1))

    controller = _open_audit(qtbot, backend, manager)
    dialog = controller.view
    qtbot.keyClicks(dialog.person_edit, f"  {person_id}  ")
    assert _search(qtbot, controller) == [("sam", "Record opened")]
    assert dialog.model.data(dialog.model.index(0, 3)) == f"Person {person_id}"
    assert dialog.model.data(dialog.model.index(0, 4)) == "basis: given_by_person"
    assert "9990000026" not in " ".join(column_texts(dialog, 4))


def test_export_writes_a_csv_with_a_header_and_the_matching_rows(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    backend: DeskBackend,
    manager: CurrentUser,
    tmp_path: Path,
) -> None:
    controller = _open_audit(qtbot, backend, manager)
    dialog = controller.view
    suggested: list[str] = []
    target = tmp_path / "exports" / "sam.csv"
    target.parent.mkdir()

    async def choose(name: str) -> Path:
        suggested.append(name)
        return target

    controller.choose_export_path = choose
    qtbot.keyClicks(dialog.user_edit, "sam")
    dialog.from_edit.setDate(dialog.from_edit.date().addDays(-7))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.note_label.isVisible, timeout=10_000)

    assert suggested == ["audit-2026-06-27-to-2026-07-10.csv"]
    assert dialog.note_label.text() == f"Exported 2 entries to {target}."
    with target.open(encoding="utf-8", newline="") as exported:
        reader = csv.DictReader(exported)
        assert tuple(reader.fieldnames or ()) == EXPORT_COLUMNS
        rows = list(reader)
    assert [(row["username"], row["action"]) for row in rows] == [
        ("sam", "login_succeeded"),
        ("sam", "login_succeeded"),
    ]
    assert [row["occurred_at"] for row in rows] == ["2026-06-30T09:30:00Z", "2026-07-08T09:30:00Z"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["sam.csv"]  # no .part left
    # The export itself is in the log, by whom and with what filters (never the rows).
    entries = run(qtbot, backend.run(search_as, manager))
    exports = [entry for entry in entries if entry.action == "audit_exported"]
    assert len(exports) == 1 and exports[0].username == manager.username
    assert exports[0].details["rows"] == 2

    # A place that cannot be written is explained; cancelling writes nothing.
    async def unwritable(name: str) -> Path:
        return tmp_path / "missing-folder" / "audit.csv"

    controller.choose_export_path = unwritable
    assert run(qtbot, controller.export()) is None
    assert dialog.error_label.text().startswith(f"Cannot write {tmp_path / 'missing-folder'}")

    async def cancel(name: str) -> None:
        return None

    controller.choose_export_path = cancel
    assert run(qtbot, controller.export()) is None
    assert not dialog.error_label.isVisible() and not dialog.note_label.isVisible()


def test_the_audit_log_refuses_roles_that_may_not_read_it(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, database: Database, backend: DeskBackend
) -> None:
    add_user(database, "sam", PASSWORD, display_name="Sam Okafor")
    handler = log_in(database, "sam", PASSWORD)
    controller = _open_audit(qtbot, backend, handler)
    dialog = controller.view
    assert run(qtbot, controller.search()) is None
    assert dialog.error_label.text().startswith("Sam Okafor (Call handler) may not read the audit")
    assert dialog.model.rowCount() == 0


def test_the_table_models_follow_qts_rules(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    backend: DeskBackend,
    admin: CurrentUser,
) -> None:
    add_user(database, "sam", PASSWORD, display_name="Sam Okafor", active=False)
    accounts = open_user_admin(qtbot, backend, admin).view
    assert accounts.model.rowCount() == 2
    ModelTester(None).check(accounts.model)
    audit = _open_audit(qtbot, backend, admin)  # administrators may read the audit log
    assert run(qtbot, audit.search())
    assert audit.view.model.rowCount() == 1
    ModelTester(None).check(audit.view.model)
