"""A caller who hangs up before the desk answers (SPEC 12): an untouched call goes from the screen
to the missed list; a call the handler had begun to type into stays, nothing thrown away."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from db.models import PhoneCall
from spa_desk.errors import DatabaseFailure
from spa_desk.settings import TelephonySettings
from spa_desk.telephony import call_log
from spa_desk.telephony.events import CallEnded, IncomingCall
from tests.ui.call_desk import NOW, DeskFactory
from ui.shell.phone_link import PhoneLink
from ui.shell.session import DeskSession


def _phone(desk_session: DeskSession, tmp_path: Path) -> PhoneLink:
    link = PhoneLink(TelephonySettings(enabled=True), tmp_path, desk_session.clock)
    desk_session.phone = link  # a phone that is never started: the test speaks for baresip
    desk_session.listen_to(link.feed)
    return link


def test_an_untouched_call_goes_to_the_missed_list(desk_for: DeskFactory, tmp_path: Path) -> None:
    desk = desk_for("handler")
    phone = _phone(desk.session, tmp_path)
    phone.feed.publish(IncomingCall(call_ref="m1", at=NOW, caller_number="07700900001"))
    desk.qtbot.waitUntil(lambda: desk.session.call is not None, timeout=5_000)
    desk.clock.advance(9)
    phone.feed.publish(CallEnded(call_ref="m1", at=NOW + timedelta(seconds=9), by_caller=True))
    desk.qtbot.waitUntil(lambda: desk.session.call is None, timeout=5_000)
    panel = desk.window.shift_page.missed
    desk.qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=5_000)
    assert "07700900001 · general line · rang 9 s · TESTPERSON, Ada" in panel.list.item(0).text()


def test_a_call_begun_on_screen_is_kept_when_the_caller_hangs_up(
    desk_for: DeskFactory, tmp_path: Path
) -> None:
    desk = desk_for("handler")
    phone = _phone(desk.session, tmp_path)
    phone.feed.publish(IncomingCall(call_ref="m2", at=NOW, caller_number="07700900001"))
    desk.qtbot.waitUntil(lambda: desk.session.call is not None, timeout=5_000)
    call = desk.call
    desk.qtbot.keyClicks(call.screen.outcome.notes, "Daughter worried about falls.")
    desk.qtbot.waitUntil(lambda: call.draft.notes != "", timeout=5_000)
    phone.feed.publish(CallEnded(call_ref="m2", at=NOW + timedelta(seconds=5), by_caller=True))
    desk.qtbot.waitUntil(lambda: call.draft.ended_at is not None, timeout=5_000)
    assert desk.session.call is call
    assert call.draft.notes == "Daughter worried about falls."
    assert "what you typed is kept" in desk.window.refresh_label.text()

    def kept() -> PhoneCall | None:
        with desk.database.sessions() as session:
            return session.scalars(select(PhoneCall)).first()

    desk.qtbot.waitUntil(lambda: (row := kept()) is not None and row.ended_at is not None)


def test_a_ring_heard_while_the_database_is_out_of_reach_is_kept_when_it_is_back(
    desk_for: DeskFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_rang = call_log.rang
    tries: list[str] = []

    def rang_while_out(*args: Any) -> Any:  # the database refuses the first two tries
        tries.append("rang")
        if len(tries) <= 2:
            raise DatabaseFailure("Cannot connect to the database server.")
        return real_rang(*args)

    monkeypatch.setattr(call_log, "rang", rang_while_out)
    desk = desk_for("handler")
    desk.session.phone_log_retry_seconds = 0.2
    phone = _phone(desk.session, tmp_path)
    phone.feed.publish(IncomingCall(call_ref="o1", at=NOW, caller_number="07700900001"))
    desk.qtbot.waitUntil(lambda: desk.session.call is not None, timeout=5_000)
    out = "the phone's calls are kept on this desk"
    desk.qtbot.waitUntil(lambda: out in desk.window.refresh_label.text(), timeout=5_000)
    phone.feed.publish(CallEnded(call_ref="o1", at=NOW + timedelta(seconds=7), by_caller=True))
    desk.qtbot.waitUntil(lambda: desk.session.call is None, timeout=5_000)
    panel = desk.window.shift_page.missed
    desk.qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=5_000)
    assert "07700900001 · general line · rang 7 s" in panel.list.item(0).text()
    assert len(tries) == 3
    with desk.database.sessions() as session:
        [row] = session.scalars(select(PhoneCall)).all()
        assert row.ended_at is not None and row.answered_at is None
