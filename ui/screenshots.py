"""Render the README's screenshots from the real desk: ``python -m ui.screenshots [FOLDER]``.

A fresh SQLite database gets a month of demo data (fixed seed and clock, so the pictures only change
when the desk does), then the log-in dialog and the main window are shown offscreen and grabbed.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.shell.session import DeskSession

DEFAULT_FOLDER = Path("docs/screenshots")
# 10:40 on Monday 16 March 2026, the early shift.
CLOCK = datetime(2026, 3, 16, 10, 40, tzinfo=UTC)
TRAINER = "trainer"


async def _render(folder: Path, database_url: str, workdir: Path) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from spa_desk.cli.demo_data import demo_login
    from spa_desk.cli.options import DeskOptions
    from spa_desk.settings import Settings
    from ui.shell.login_dialog import LoginDialog
    from ui.shell.session import DeskSession

    options = DeskOptions(settings=Settings(), database_url=database_url, data_dir=workdir)
    session = DeskSession(options, clock=lambda: CLOCK)
    handler, password = demo_login()
    saved: list[Path] = []
    try:
        session.window.resize(1366, 768)
        session.show_window()
        await session.open_database()
        dialog = LoginDialog(session.backend.authenticate, parent=session.window)
        dialog.show_database(session.window.database_label.text())
        dialog.user_edit.setText(handler)
        dialog.password_edit.setText("wrong")
        dialog.show()
        await dialog.attempt_login()  # shows how a wrong password is reported
        dialog.password_edit.setText(password[:2])
        QApplication.processEvents()
        saved.append(folder / "login.png")
        dialog.grab().save(str(saved[-1]), "PNG")
        dialog.close()

        user = await session.backend.authenticate(handler, password)
        await session.start_shift_list(user).refresh()
        session.enable_calls()
        QApplication.processEvents()
        saved.append(folder / "main-window.png")
        session.window.grab().save(str(saved[-1]), "PNG")
        saved.extend(await _contact_read(session, folder))
        saved.extend(await _call_screens(session, folder))
        saved.extend(await _handoff_screens(session, folder))
        saved.extend(await _trainer_home(session, folder))
    finally:
        session.window.close()
        session.close()
    return saved


async def _settle(seconds: float = 0.3) -> None:
    """Let the desk finish what it started (searches, layouts) before a picture is taken."""
    await asyncio.sleep(seconds)


async def _contact_read(session: DeskSession, folder: Path) -> list[Path]:
    """Enter on a saved contact in the shift list (an override, when the shift has one)."""
    contacts = [c for c in session.window.shift_page.model.contacts if c.outcome is not None]
    if not contacts:
        return []
    chosen = next((c for c in contacts if c.overridden), contacts[0])
    session.open_contact(chosen)
    await _settle(1.0)
    path = folder / "contact-read.png"
    session.window.grab().save(str(path), "PNG")
    session.close_contact()
    return [path]


async def _trainer_home(session: DeskSession, folder: Path) -> list[Path]:
    """A trainer's home: no live record on it."""
    from spa_desk.cli.demo_data import demo_login

    user = await session.backend.authenticate(*demo_login(TRAINER))
    session.open_home(user)
    await _settle()
    path = folder / "trainer-home.png"
    session.window.grab().save(str(path), "PNG")
    return [path]


async def _call_screens(session: DeskSession, folder: Path) -> list[Path]:
    """A practitioner's call: searching for the person, mid-screening, then the outcome."""
    from spa_desk.calls.draft import CallerDetails, new_draft
    from spa_desk.cli.demo_data import demo_login
    from spa_desk.people.consent import ConsentGiven
    from spa_desk.vocabulary import ConsentBasis

    saved: list[Path] = []
    session.user = await session.backend.authenticate(*demo_login("practitioner"))
    session.window.show_user(session.user)
    draft = new_draft(CLOCK - timedelta(minutes=3, seconds=12), caller_number="07700 900")
    call = await session.start_call(draft)
    assert call is not None
    await _settle(1.0)
    match = call.matches[0] if call.matches else None
    saved.append(folder / "call-person-search.png")
    session.window.grab().save(str(saved[-1]), "PNG")
    for fact, value in (
        ("call_kind", "data"),
        ("caller_type", "family"),
        ("q_about", ["abuse_or_neglect", "mobility_decline"]),  # the checklist: two ticked
        ("in_danger_now", False),
    ):
        call.answer(fact, value)
    call.update(caller=CallerDetails(name="Jo Marsh", relationship="Daughter", phone="07700900417"))
    call.caller.load()
    if match is not None:
        consent = ConsentGiven(basis=ConsentBasis.GIVEN_BY_REPRESENTATIVE, purpose="Screening")
        await call.open_with_consent(match.id, consent)
    await _settle()
    saved.append(folder / "call-screening.png")
    session.window.grab().save(str(saved[-1]), "PNG")
    while (question := call.session().next_question()) is not None:
        fact = question.question.fact.name
        listed = question.question.fact.type == "enum_set"  # a checklist or a list of needs
        call.answer(fact, [] if listed else fact == "personal_care_need")
    call.screen.outcome.refer_radio.click()
    call.screen.outcome.notes.setPlainText(
        "Daughter worried: bruising seen on visit, mother unsteady and not washing."
    )
    await _settle()
    saved.append(folder / "call-outcome.png")
    session.window.grab().save(str(saved[-1]), "PNG")
    call.stop()
    return saved


async def _handoff_screens(session: DeskSession, folder: Path) -> list[Path]:
    """A call handler's call at level 2 with its hand-off keys; the practitioner's queue with a
    warm hand-off and call-backs (one overdue); the SPA manager's room."""
    from spa_desk.calls.draft import CallerDetails, new_draft
    from spa_desk.cli.demo_data import demo_login
    from spa_desk.handoff.claims import claim, record_attempt
    from spa_desk.handoff.queue import QueueItem, hand_off
    from spa_desk.room.presence import set_presence
    from spa_desk.telephony import call_log
    from spa_desk.telephony.events import IncomingCall
    from spa_desk.vocabulary import AttemptResult, HandoffKind, Presence

    saved: list[Path] = []
    if session.call is not None:  # the practitioner's call pictured before leaves the screen
        session.call.stop()
        session._call_finished(None)
    backend = session.backend
    handler = await backend.authenticate(*demo_login())
    session.user = handler
    session.window.show_user(handler)
    ruleset = await backend.ruleset()
    calls = (
        (["fall_recent"], HandoffKind.WARM, 4, "07700900321"),
        (["low_mood_or_anxiety"], HandoffKind.WARM, 20, "07700900654"),
        (["mobility_decline"], HandoffKind.CALL_BACK, 70, "01632960789"),
        (["mobility_decline"], HandoffKind.CALL_BACK, 150, "01632960790"),
    )
    handed: list[QueueItem] = []
    for index, (ticked, kind, minutes_ago, number) in enumerate(calls):
        started = CLOCK - timedelta(minutes=minutes_ago + 6)
        draft = new_draft(started, caller_number=number).model_copy(
            update={"caller": CallerDetails(name="Jo Marsh", relationship="Daughter", phone=number)}
        )
        call = await session.start_call(draft)
        assert call is not None
        call.answer("call_kind", "data")
        call.answer("caller_type", "family")
        call.answer("q_about", ticked)
        while (asked := call.session().next_question()) is not None and asked.level == 1:
            fact = asked.question.fact
            call.answer(fact.name, [] if fact.type == "enum_set" else False)
        await _settle()
        if index == 0:
            saved.append(folder / "call-handoff.png")
            session.window.grab().save(str(saved[-1]), "PNG")
        await call.flush_draft()
        item = await backend.run(
            hand_off, handler, call.draft, ruleset, kind, now=CLOCK - timedelta(minutes=minutes_ago)
        )
        handed.append(item)
        call.stop()
        session._call_finished(None)
    await backend.run(set_presence, handler, Presence.ON_CALL, now=CLOCK - timedelta(minutes=3))

    practitioner = await backend.authenticate(*demo_login("practitioner"))
    session.user = practitioner
    session.window.show_user(practitioner)
    session.enable_calls()
    for tried in range(3):  # the oldest call-back: three tries unanswered, to the manager
        at = CLOCK - timedelta(minutes=100 - 30 * tried)
        await backend.run(claim, practitioner, handed[-1].id, now=at)
        await backend.run(
            record_attempt, practitioner, handed[-1].id, AttemptResult.NO_ANSWER, now=at
        )
    await backend.run(set_presence, practitioner, Presence.AVAILABLE, now=CLOCK)
    session.open_queue()
    assert session.queue is not None
    await session.queue.refresh()
    await _settle()
    saved.append(folder / "queue.png")
    session.window.grab().save(str(saved[-1]), "PNG")
    session.close_queue()

    manager = await backend.authenticate(*demo_login("manager"))
    session.user = manager
    session.window.show_user(manager)
    session.enable_calls()
    await backend.run(set_presence, manager, Presence.AVAILABLE, now=CLOCK)
    for minutes, ref in ((95, "rang-off-1"), (40, "rang-off-2")):  # callers who rang off
        rang_at = CLOCK - timedelta(minutes=minutes)
        ring = IncomingCall(call_ref=ref, at=rang_at, caller_number="07700900456")
        await backend.run(call_log.rang, None, ring)
        await backend.run(call_log.ended, ref, rang_at + timedelta(seconds=35))
    session.open_room()
    assert session.room is not None
    await session.room.refresh()
    await _settle()
    saved.append(folder / "room.png")
    session.window.grab().save(str(saved[-1]), "PNG")
    session.close_room()
    session.open_dashboard()  # F9: the shift so far, the reports
    assert session.dashboard is not None
    await session.dashboard.refresh()
    await _settle()
    saved.append(folder / "dashboard.png")
    session.window.grab().save(str(saved[-1]), "PNG")
    session.close_dashboard()
    return saved


def main(argv: list[str] | None = None) -> int:
    """Render every screenshot into the folder given (default ``docs/screenshots``)."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else DEFAULT_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync
    from PySide6.QtWidgets import QApplication

    from spa_desk.cli.demo_data import demo_sqlite_database
    from ui.shell.qt_messages import quieten_harmless_qt_messages

    quieten_harmless_qt_messages()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)
    with tempfile.TemporaryDirectory() as temporary:
        workdir = Path(temporary)
        url = demo_sqlite_database(
            workdir / "screenshots.sqlite3", months=1, start=date(2026, 3, 1), seed=2026, now=CLOCK
        )
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        with loop:
            saved = loop.run_until_complete(_render(folder, url, workdir))
    for path in saved:
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
