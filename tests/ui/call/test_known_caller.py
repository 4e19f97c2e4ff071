"""A ringing number that a professional rang from before (SPEC 12's screen pop): the call screen
says who, with their last contact, and Ctrl+K fills in the caller's details from it."""

from __future__ import annotations

import uuid
from datetime import timedelta

from PySide6.QtCore import Qt
from sqlalchemy import select

from db.models import Caller, User
from spa_desk.calls.known_callers import known_callers
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.telephony.events import IncomingCall, TelephonyFeed
from spa_desk.vocabulary import Line, Role
from tests.factories import add_contact
from tests.ui.call_desk import NOW, DeskFactory

NUMBER = "01632960123"  # an Ofcom drama number: a fictional surgery


def _gp_rang_before(database: Database, people: dict[str, uuid.UUID]) -> None:
    with database.sessions.begin() as session:
        handler = session.scalars(select(User.id).where(User.username == "handler")).one()
        caller = Caller(caller_type="professional", professional_role="gp", name="Dr Asha Rao",
                        organisation="Saltmarsh Surgery", job_title="GP", phone=NUMBER)  # fmt: skip
        session.add(caller)
        session.flush()
        caller_id = caller.id
    for days in (30, 9):
        add_contact(database, handler, NOW - timedelta(days=days), caller_id=caller_id,
                    person_id=people["ada"], caller_type="professional")  # fmt: skip


def test_a_professional_on_record_is_named_and_ctrl_k_fills_the_caller(
    desk_for: DeskFactory, people: dict[str, uuid.UUID]
) -> None:
    desk = desk_for("handler")
    _gp_rang_before(desk.database, people)
    feed = TelephonyFeed()
    desk.session.listen_to(feed)
    feed.publish(IncomingCall(call_ref="k1", at=NOW, caller_number="+44 1632 960123",
                              line=Line.PROFESSIONAL))  # fmt: skip
    desk.qtbot.waitUntil(lambda: desk.session.call is not None, timeout=5_000)
    call = desk.call
    label = call.screen.caller.known_label
    desk.qtbot.waitUntil(label.isVisible, timeout=5_000)
    assert "Dr Asha Rao, GP, Saltmarsh Surgery" in label.text()
    assert "last contact Sun 08 Nov 2026 14:00" in label.text()  # the newer of the two
    desk.qtbot.keyClick(desk.window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    desk.qtbot.waitUntil(lambda: call.draft.caller.name == "Dr Asha Rao", timeout=5_000)
    assert call.draft.caller.organisation == "Saltmarsh Surgery"
    assert call.draft.answers["caller_type"] == "professional"
    assert call.draft.answers["professional_role"] == "gp"


def test_known_callers_only_for_those_who_log_calls(
    desk_for: DeskFactory, people: dict[str, uuid.UUID]
) -> None:
    import pytest

    from spa_desk.permissions import PermissionDenied

    desk = desk_for("handler")
    _gp_rang_before(desk.database, people)
    trainer = CurrentUser(id=uuid.uuid4(), username="t", display_name="T", roles=(Role.TRAINER,))
    with pytest.raises(PermissionDenied):
        known_callers(desk.database, trainer, NUMBER)
    user = desk.session.user
    assert user is not None
    assert [k.name for k in known_callers(desk.database, user, "01632 960123")] == ["Dr Asha Rao"]
    assert known_callers(desk.database, user, "07700900999") == []
    assert known_callers(desk.database, user, "") == []


def test_the_people_a_ringing_number_matches_show_their_last_contact(
    desk_for: DeskFactory, people: dict[str, uuid.UUID]
) -> None:
    desk = desk_for("handler")
    with desk.database.sessions() as session:
        handler = session.scalars(select(User.id).where(User.username == "handler")).one()
    for days in (30, 9):
        add_contact(desk.database, handler, NOW - timedelta(days=days), person_id=people["ada"])
    feed = TelephonyFeed()
    desk.session.listen_to(feed)
    feed.publish(IncomingCall(call_ref="p1", at=NOW, caller_number="07700900001"))
    desk.qtbot.waitUntil(lambda: desk.session.call is not None, timeout=5_000)
    results = desk.call.screen.person.results
    desk.qtbot.waitUntil(lambda: results.count() == 1 and "last contact" in results.item(0).text(),
                         timeout=5_000)  # fmt: skip
    assert "last contact Sun 08 Nov 2026 14:00" in results.item(0).text()
