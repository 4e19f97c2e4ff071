"""A real desk process in the middle of a call, for the kill-and-restore test.

``python -m tests.ui.desk_driver DATABASE_URL USERNAME PERSON_ID READY_FILE`` opens the desk
offscreen, logs in, takes a call from the telephone system, answers some questions, opens the
person's record with consent and types notes, then writes READY_FILE (the draft as JSON) once the
draft is in the database, and waits to be killed.
"""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

PASSWORD = "pass phrase 1"


async def _drive(database_url: str, username: str, person_id: uuid.UUID, ready: Path) -> None:
    from spa_desk.cli.options import DeskOptions
    from spa_desk.people.consent import ConsentGiven
    from spa_desk.settings import Settings
    from spa_desk.telephony.events import CallAnswered, IncomingCall, TelephonyFeed
    from spa_desk.vocabulary import ConsentBasis, Line
    from ui.kit.asyncio_qt import settle
    from ui.shell.session import DeskSession

    options = DeskOptions(settings=Settings(), database_url=database_url, data_dir=ready.parent)
    session = DeskSession(options)
    session.show_window()
    await session.open_database()
    user = await session.backend.authenticate(username, PASSWORD)
    session.start_shift_list(user)
    session.enable_calls()
    feed = TelephonyFeed()
    session.listen_to(feed)
    now = datetime.now(UTC)
    feed.publish(
        IncomingCall(call_ref="sip-42", at=now, caller_number="07700 900001", line=Line.SOCIAL_CARE)
    )
    while session.call is None:
        await asyncio.sleep(0.05)
    call = session.call
    feed.publish(CallAnswered(call_ref="sip-42", at=now))
    while call.draft.answered_at is None:
        await asyncio.sleep(0.05)
    for fact, value in (
        ("call_kind", "data"),
        ("caller_type", "carer"),
        ("risk_to_life", False),
        ("fall_recent", False),
        ("abuse_or_neglect", False),
        ("information_only", False),
        ("discharge_planned", False),
        ("personal_care_need", True),
    ):
        call.answer(fact, value)
    # The carer gives their name and relationship; the call-back number came with the call.
    call.update(
        caller=call.draft.caller.model_copy(
            update={"name": "Robin Marsh", "relationship": "Husband"}
        )
    )
    consent = ConsentGiven(basis=ConsentBasis.GIVEN_BY_PERSON, purpose="Screening this call")
    await call.open_with_consent(person_id, consent)
    call.screen.outcome.notes.setPlainText("Carer exhausted; needs help with morning washes.")
    saved: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    call.draft_saved.connect(lambda: settle(saved, None))
    await saved
    await call.flush_draft()
    ready.write_text(call.draft.model_dump_json(), encoding="utf-8")
    await asyncio.sleep(3600)  # killed long before this


def main() -> int:
    database_url, username, person, ready = sys.argv[1:5]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(_drive(database_url, username, uuid.UUID(person), Path(ready)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
