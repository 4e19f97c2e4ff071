"""The contact table model follows Qt's rules and shows contacts in a call handler's words."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from PySide6.QtCore import Qt
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
from ui.shift.model import ContactRole, ContactTableModel


def _contact(**fields: object) -> ContactSummary:
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "started_at": datetime(2026, 7, 1, 13, 5, tzinfo=UTC),
        "caller_type": CallerType.PROFESSIONAL,
        "call_kind": CallKind.DATA,
        "level1": Level1.STREAM,
        "stream": Stream.HEALTH,
        "routes": (
            RouteChoice(route=Route.COMMUNITY_NURSING, urgency=Urgency.URGENT),
            RouteChoice(route=Route.SAFEGUARDING, urgency=Urgency.SOON),
        ),
        "outcome": Outcome.REFERRED,
        "handler_name": "Sam Okafor",
        "status": ContactStatus.COMPLETE,
    }
    values.update(fields)
    return ContactSummary.model_validate(values)


def test_model_passes_qt_model_tester(qtmodeltester: ModelTester) -> None:
    model = ContactTableModel()
    model.set_contacts([_contact(), _contact(status=ContactStatus.DRAFT, outcome=None)])
    qtmodeltester.check(model)
    model.set_contacts([])
    qtmodeltester.check(model)


def test_model_shows_contact_in_words() -> None:
    model = ContactTableModel()
    contact = _contact()
    model.set_contacts([contact])
    row = [model.data(model.index(0, column)) for column in range(model.columnCount())]
    assert row == [
        "14:05",  # BST
        "Professional",
        "Health",
        "Community nursing (urgent), Safeguarding (soon)",
        "Referred",
        "Sam Okafor",
    ]
    assert model.data(model.index(0, 0), ContactRole) == contact
    # An urgent route is shown bold and in red; other columns are plain.
    assert model.data(model.index(0, 3), Qt.ItemDataRole.FontRole).bold()
    assert model.data(model.index(0, 3), Qt.ItemDataRole.ForegroundRole) is not None
    assert model.data(model.index(0, 1), Qt.ItemDataRole.FontRole) is None
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Route"


def test_non_data_and_draft_rows() -> None:
    model = ContactTableModel()
    model.set_contacts(
        [
            _contact(
                level1=Level1.NON_DATA,
                call_kind=CallKind.WRONG_NUMBER,
                stream=None,
                routes=(),
                outcome=Outcome.NON_DATA,
            ),
            _contact(status=ContactStatus.DRAFT, outcome=None),
        ]
    )
    assert model.data(model.index(0, 2)) == "Non-data (wrong number)"
    assert model.data(model.index(0, 4)) == "Non-data call"
    assert model.data(model.index(1, 4)) == "Open (draft)"
    assert model.data(model.index(1, 4), Qt.ItemDataRole.FontRole).italic()
    assert model.data(model.index(0, 3), Qt.ItemDataRole.ForegroundRole) is None
