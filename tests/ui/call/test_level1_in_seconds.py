"""Level 1 in seconds (issue 11 items 3 and 4), by keys on the real window: one checklist for
what the call is about, nothing recommended until level 1 is done, and what the desk knows from
the record shown as such, never asked, and changeable."""

from __future__ import annotations

import uuid
from datetime import timedelta
from functools import partial

from PySide6.QtCore import Qt

from db.models import Referral
from tests.factories import add_contact, add_user
from tests.ui.call_desk import NOW, Desk, DeskFactory, more_answers

ABOUT = "What is the call about (tick all that apply)?"


def _key(desk: Desk, *keys: str | Qt.Key) -> None:
    """Keys for one answer; wait until the desk has it."""
    before = len(desk.call.draft.answers)
    desk.keys(*keys)
    desk.qtbot.waitUntil(partial(more_answers, desk.call, before), timeout=10_000)


def _box(desk: Desk, fact: str) -> str:
    """The number key of a checklist's box, as the screen shows it."""
    asked = desk.call.session().next_question()
    assert asked is not None and asked.question.is_checklist
    return str([box.fact.name for box in asked.boxes].index(fact) + 1)


def test_a_fall_reaches_its_stream_in_five_answers_and_nothing_is_guessed_before(
    desk_for: DeskFactory,
) -> None:
    desk = desk_for("handler")
    call = desk.new_call()
    recommendation = call.screen.recommendation
    shown = lambda: " ".join(  # noqa: E731
        label.text()
        for label in (
            recommendation.headline,
            recommendation.routes_label,
            recommendation.resolvable_label,
        )
    )
    # Before any answer it once said "Resolved at first contact".
    assert recommendation.headline.text() == "No recommendation yet"
    assert "Resolved" not in shown() and "first contact" not in shown()
    _key(desk, "1")  # a data call
    _key(desk, "2")  # a family member rings
    assert recommendation.headline.text() == "No recommendation yet"
    screening = call.screen.screening
    assert screening.question_label.text() == ABOUT
    _key(desk, _box(desk, "fall_recent"), Qt.Key.Key_Return)  # tick the fall, Enter
    assert recommendation.headline.text() == "No recommendation yet"
    assert screening.question_label.text() == "Were they badly hurt in the fall?"
    _key(desk, "N")
    assert screening.question_label.text() == "Are they already known to mental health services?"
    _key(desk, "N")
    # Five answers: level 1 is done, the stream is known and so is the recommendation.
    asked = call.session().next_question()
    assert asked is not None and asked.level == 2
    assert len(call.session().asked()) == 5
    assert recommendation.headline.text().endswith("Health stream")
    assert "Community therapy — soon" in recommendation.routes_label.text()
    history = [screening.history.item(i).text() for i in range(screening.history.count())]
    assert history[2] == f"{ABOUT}  →  A fall in the last three days"


def _known_to_mental_health(desk: Desk, person: uuid.UUID) -> None:
    """An open mental health referral on Ada's record, made on an earlier call."""
    manager = add_user(desk.database, "earlier", "pass phrase 1", ("call_handler",), "Earlier")
    earlier = NOW - timedelta(days=20)
    contact = add_contact(desk.database, manager, earlier, person_id=person)
    with desk.database.sessions.begin() as session:
        session.add(
            Referral(
                contact_id=contact,
                person_id=person,
                route="mental_health",
                urgency="routine",
                made_at=earlier,
                made_by=manager,
            )
        )


def test_what_the_record_knows_is_not_asked_and_can_be_changed(
    desk_for: DeskFactory, people: dict[str, uuid.UUID]
) -> None:
    desk = desk_for("handler")
    _known_to_mental_health(desk, people["ada"])
    call = desk.new_call()
    desk.find_and_open("Testperson")
    screening = call.screen.screening

    def history() -> list[str]:
        return [screening.history.item(i).text() for i in range(screening.history.count())]

    # Born 12 March 1941: 85 on 17 November 2026. Neither is asked.
    assert history() == [
        "Age of the person  →  85  (from the record)",
        "Already known to mental health services  →  Yes  (from the record)",
    ]
    assert call.draft.answers == {}
    desk.screen({"call_kind": "1", "caller_type": "1", "fall_recent": "Y"}, until="serious_injury")
    _key(desk, "N")
    asked = call.session().next_question()
    assert asked is not None and asked.level == 2  # four answers, not five
    assert len(call.session().asked()) == 4
    assert "Mental health stream" in call.screen.recommendation.headline.text()

    # The caller says the referral was closed last week: Alt+N, Enter on the row, No.
    desk.qtbot.keyClick(call.screen, "N", Qt.KeyboardModifier.AltModifier)
    desk.qtbot.waitUntil(screening.history.hasFocus, timeout=3_000)
    row = next(i for i, text in enumerate(history()) if text.startswith("Already known"))
    screening.history.setCurrentRow(row)
    desk.keys(Qt.Key.Key_Return)
    desk.qtbot.waitUntil(
        lambda: (
            screening.question_label.text()
            == "Already known to mental health services: is that right?"
        )
    )
    _key(desk, "N")
    assert call.draft.answers["open_to_mental_health"] is False
    assert "Already known to mental health services  →  Yes  (from the record)" not in history()
    assert call.draft.from_record["open_to_mental_health"] is True  # the record is unchanged
    assert "Health stream" in call.screen.recommendation.headline.text()
