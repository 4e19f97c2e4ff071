"""The README's picture of a call ringing on the desk's phone: two real baresip softphones on
loopback, a demo database, the caller's number on record for a person and a GP; the window is
grabbed while it rings, with a missed call from earlier on the list behind. Usage:
``QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/phone-picture.py [FOLDER]``."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import qasync
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from db.models import Caller, User
from spa_desk.cli.options import DeskOptions
from spa_desk.database import open_database
from spa_desk.demo.generator import generate_demo_data
from spa_desk.demo.users import DEMO_HANDLER_USERNAME, DEMO_PASSWORD
from spa_desk.settings import Settings
from spa_desk.telephony import call_log
from spa_desk.telephony.baresip import close_quietly
from spa_desk.telephony.events import IncomingCall
from spa_desk.vocabulary import Line
from tests.factories import add_contact, add_person
from tests.phones import control, make_phones, started
from ui.shell.session import DeskSession

NUMBER = "07700900321"


async def picture(work: Path, target: Path) -> None:
    url = f"sqlite+pysqlite:///{work}/desk.sqlite3"
    database = open_database(url)
    now = datetime.now(UTC)
    generate_demo_data(database, months=1, start=(now - timedelta(days=20)).date(), seed=5, now=now)
    add_person(database, given_name="Maud", family_name="Pendleford", nhs_number="9990001235",
               phone_primary=NUMBER, postcode="ZY4 2QT")  # fmt: skip
    with database.sessions.begin() as db:
        gp = Caller(caller_type="professional", professional_role="gp", name="Dr Ifeoma Hale",
                    organisation="Saltmarsh Surgery", job_title="GP", phone=NUMBER)  # fmt: skip
        db.add(gp)
        db.flush()
        gp_id = gp.id
        handler = db.scalars(select(User.id).where(User.username == "handler")).one()
    add_contact(database, handler, now - timedelta(days=3), caller_id=gp_id,
                caller_type="professional")  # fmt: skip
    earlier = now - timedelta(minutes=25)
    ring = IncomingCall(call_ref="earlier", at=earlier, caller_number="01632960777",
                        line=Line.HEALTH)  # fmt: skip
    call_log.rang(database, None, ring)
    call_log.ended(database, "earlier", earlier + timedelta(seconds=34))
    database.close()
    phones = make_phones(work / "phones", caller_number=NUMBER)
    telephony = phones.desk_settings(lines={"desk": Line.HEALTH})
    options = DeskOptions(settings=Settings(telephony=telephony), database_url=url,
                          data_dir=work / "data")  # fmt: skip
    session = DeskSession(options)
    session.window.resize(1400, 860)
    session.show_window()
    await session.open_database()
    user = await session.backend.authenticate(DEMO_HANDLER_USERNAME, DEMO_PASSWORD)
    session.begin_work(user)
    await session.start_phone()
    phone = session.phone
    assert phone is not None and await phone.control.wait_connected(10)
    caller = control(phones.caller)
    reading = await started(phones.caller, caller)
    try:
        await asyncio.sleep(1.0)
        await caller.dial(phones.desk_uri)
        for _ in range(500):
            call = session.call
            if call and call.matches and call.screen.caller.known_label.isVisible():
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(1.5)  # it rings a moment: the timer shows it
        session.window.grab().save(str(target))
        await caller.hang_up()
        await asyncio.sleep(1.0)
        session.window.grab().save(str(target.with_name("missed-calls.png")))
    finally:
        await close_quietly(reading, caller)
        await phones.caller.stop()
        await phone.stop()
        session.window.close()
        session.close()


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots").resolve()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory() as work:
        os.environ.update(HOME=work, XDG_DATA_HOME=f"{work}/xdg", XDG_CONFIG_HOME=f"{work}/cfg")
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        loop.run_until_complete(picture(Path(work), folder / "phone-ringing.png"))
        loop.close()
    sys.stdout.write(f"{folder / 'phone-ringing.png'}\n{folder / 'missed-calls.png'}\n")


if __name__ == "__main__":
    main()
