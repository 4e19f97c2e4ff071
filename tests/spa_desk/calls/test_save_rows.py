"""A save's rows (``save_rows``): on PostgreSQL the contact and everything written with it go
in one statement, so a save is four round trips besides BEGIN and COMMIT; a contact changed
since the save read it is refused with nothing written."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from db.models import Caller, ContactLeg, Handoff, Referral
from spa_desk.calls.draft import save_draft
from spa_desk.calls.save import save_call
from spa_desk.calls.save_rows import CONTACT_COLUMNS, SaveRows, write_rows
from spa_desk.database import Database
from spa_desk.errors import KnownError
from spa_desk.governance.verify import verify
from spa_desk.vocabulary import HandoffKind, HandoffStatus, Line, ResolutionMethod, Role
from tests.spa_desk.calls.helpers import (
    NOW,
    RULES,
    START,
    answered,
    compiled,
    contact_row,
    information_call,
    new_draft,
    opened_for_call,
    referral_rows,
    signed_in,
    snapshot,
    statements,
)


def test_a_handlers_save_is_four_statements_on_postgresql(database: Database) -> None:
    if database.is_sqlite:
        pytest.skip("SQLite's statements cost no round trip: they run one by one")
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    draft = opened_for_call(database, handler, information_call()).model_copy(
        update={"resolve": True, "resolution_method": ResolutionMethod.INFORMATION_ADVICE}
    )
    save_draft(database, handler, draft, now=START)
    read = contact_row(database, draft.contact_id).version
    with statements(database) as sent:
        save_call(database, handler, draft, RULES, now=NOW)
    # the contact read, the writes (WITH ... UPDATE), the audit log's newest under its lock,
    # the audit entry
    assert sent == ["SELECT", "WITH", "SELECT", "INSERT"]
    row = contact_row(database, draft.contact_id)
    assert (row.outcome, row.status, row.version) == ("resolved", "complete", read + 1)
    with database.sessions() as session:
        assert session.get(Caller, row.caller_id) is not None
        legs = session.scalars(select(ContactLeg).where(ContactLeg.contact_id == row.id)).all()
    assert [(leg.position, leg.user_id) for leg in legs] == [(1, handler.id)]
    assert verify(database).ok


def test_a_practitioners_save_after_a_hand_off_writes_every_row_at_once(
    database: Database,
) -> None:
    from spa_desk.handoff.claims import claim
    from spa_desk.handoff.queue import hand_off

    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    practitioner = signed_in(database, "nurse", Role.PRACTITIONER)
    draft = opened_for_call(database, handler, new_draft(line=Line.SOCIAL_CARE))
    draft = answered(draft, personal_care_need=True, cannot_cope_at_home=True)
    handed = hand_off(database, handler, draft, RULES, HandoffKind.WARM, now=START)
    _, claimed = claim(database, practitioner, handed.id, now=START + timedelta(minutes=2))
    mine = claimed.model_copy(update={"resolve": False})
    with statements(database) as sent:
        save_call(database, practitioner, mine, RULES, now=NOW)
    if not database.is_sqlite:
        assert sent == ["SELECT", "WITH", "SELECT", "INSERT"]
    assert referral_rows(database, draft.contact_id) == [
        ("adult_social_care", "soon"), ("crisis_response", "urgent"),
    ]  # fmt: skip
    row = contact_row(database, draft.contact_id)
    assert row.handler_id == handler.id  # the handler who took the call stays its handler
    with database.sessions() as session:
        legs = session.scalars(
            select(ContactLeg.user_id).where(ContactLeg.contact_id == row.id)
            .order_by(ContactLeg.position)
        ).all()  # fmt: skip
        status = session.scalar(select(Handoff.status).where(Handoff.contact_id == row.id))
    assert legs == [handler.id, practitioner.id]
    assert status == HandoffStatus.DONE.value


def test_every_column_a_save_sets_is_the_contacts() -> None:
    from db.models import Contact

    assert set(CONTACT_COLUMNS) <= set(Contact.__table__.c.keys())
    assert "version" not in CONTACT_COLUMNS and "id" not in CONTACT_COLUMNS


def test_a_contact_changed_since_it_was_read_is_refused_with_nothing_written(
    database: Database,
) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    draft = opened_for_call(database, handler, information_call())
    save_draft(database, handler, draft, now=START)
    version = contact_row(database, draft.contact_id).version
    save_draft(database, handler, draft, now=START + timedelta(seconds=1))  # another write
    before = snapshot(database)
    values = {column: getattr(contact_row(database, draft.contact_id), column)
              for column in CONTACT_COLUMNS}  # fmt: skip
    leg = {"id": uuid.uuid4(), "contact_id": draft.contact_id, "position": 1, "user_id": handler.id,
           "started_at": START, "ended_at": NOW, "talk_seconds": 60}  # fmt: skip
    stale = SaveRows(
        contact_id=draft.contact_id,
        version=version,  # as read before the second write
        contact={**values, "status": "complete"},
        caller=None,
        legs=(leg,),
        referrals=(),
        gaps=(),
        handoff_closed_by=None,
    )
    with pytest.raises(KnownError, match="already been saved"), database.sessions.begin() as s:
        write_rows(s, stale)
    assert snapshot(database) == before
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ContactLeg)) == 0
        assert session.scalar(select(func.count()).select_from(Referral)) == 0
    assert contact_row(database, draft.contact_id).status == "draft"


def test_one_statement_serves_every_save_on_postgresql(database: Database) -> None:
    """A save with other counts of legs and referrals, a hand-off to close or none, finds the
    statement put together already: every desk compiles it once."""
    if database.is_sqlite:
        pytest.skip("SQLite runs a statement a table")
    from spa_desk.handoff.claims import claim
    from spa_desk.handoff.queue import hand_off

    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    practitioner = signed_in(database, "nurse", Role.PRACTITIONER)
    first = opened_for_call(database, handler, information_call()).model_copy(
        update={"resolve": True, "resolution_method": ResolutionMethod.INFORMATION_ADVICE}
    )
    save_call(database, handler, first, RULES, now=NOW)  # one leg, no referral, no hand-off
    draft = opened_for_call(
        database, handler, new_draft(line=Line.SOCIAL_CARE), nhs_number="9990000042"
    )
    draft = answered(draft, personal_care_need=True, cannot_cope_at_home=True)
    handed = hand_off(database, handler, draft, RULES, HandoffKind.WARM, now=START)
    _, claimed = claim(database, practitioner, handed.id, now=START + timedelta(minutes=2))
    with compiled(database) as fresh:
        mine = claimed.model_copy(update={"resolve": False})
        save_call(database, practitioner, mine, RULES, now=NOW)  # two legs, two, one
    assert fresh == []
    assert len(referral_rows(database, draft.contact_id)) == 2
