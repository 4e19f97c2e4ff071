"""An override is said the same way wherever a contact is listed: the shift list's route column
and a person's previous contacts (one builder, ``ui.kit.contact_text``)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from pytestqt.modeltest import ModelTester

from spa_desk.domain import ContactSummary, RouteChoice
from spa_desk.vocabulary import (
    CallerType,
    CallKind,
    ContactStatus,
    Level1,
    Outcome,
    Route,
    Stream,
    Urgency,
)
from ui.kit.contact_text import contact_line
from ui.shift.model import ContactTableModel


def _contact(*, overridden: bool) -> ContactSummary:
    return ContactSummary(
        id=uuid.uuid4(),
        started_at=datetime(2026, 11, 17, 13, 5, tzinfo=UTC),
        caller_type=CallerType.FAMILY,
        call_kind=CallKind.DATA,
        level1=Level1.STREAM,
        stream=Stream.HEALTH,
        routes=(RouteChoice(route=Route.VCS, urgency=Urgency.ROUTINE),),
        outcome=Outcome.REFERRED,
        handler_name="Dana Whitfield",
        status=ContactStatus.COMPLETE,
        overridden=overridden,
    )


def test_the_route_column_marks_an_override_and_only_an_override(
    qtmodeltester: ModelTester,
) -> None:
    model = ContactTableModel()
    model.set_contacts([_contact(overridden=True), _contact(overridden=False)])
    qtmodeltester.check(model)
    assert model.data(model.index(0, 3)) == "Voluntary and community sector (routine) · Override"
    assert model.data(model.index(1, 3)) == "Voluntary and community sector (routine)"


def test_a_previous_contact_says_it_was_overridden() -> None:
    assert contact_line(_contact(overridden=True)) == (
        "17 Nov 2026 13:05 · Health · Voluntary and community sector (routine) · Override · "
        "Referred (Dana Whitfield)"
    )
