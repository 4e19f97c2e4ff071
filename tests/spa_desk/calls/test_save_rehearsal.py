"""A desk rehearses a save after log-in (``prepare_saving``): nothing is written or announced,
and the handler's first real save finds every statement it sends already put together, on both
databases. Without it, that first save spends about 10 ms of Python compiling them."""

from __future__ import annotations

import uuid
from datetime import timedelta

from spa_desk.calls.draft import CallLeg, save_draft
from spa_desk.calls.save import prepare_saving, save_call
from spa_desk.database import Database
from spa_desk.governance.verify import verify
from spa_desk.vocabulary import Line, ResolutionMethod, Role
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
)


def test_the_rehearsal_writes_nothing_and_the_first_save_compiles_nothing(
    database: Database,
) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    draft = opened_for_call(database, handler, information_call()).model_copy(
        update={"resolve": True, "resolution_method": ResolutionMethod.INFORMATION_ADVICE}
    )
    before = snapshot(database)

    assert prepare_saving(database, handler, RULES) is True
    assert snapshot(database) == before  # no contact, caller, leg or audit entry kept
    with compiled(database) as fresh:
        save_draft(database, handler, draft, now=START)  # the autosave before it has its own
    with compiled(database) as fresh:
        save_call(database, handler, draft, RULES, now=NOW)
    assert fresh == []
    assert contact_row(database, draft.contact_id).outcome == "resolved"
    assert verify(database).ok  # the rolled-back audit entry left no mark on the chain


def test_a_practitioners_first_save_after_a_hand_off_compiles_nothing(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    practitioner = signed_in(database, "nurse", Role.PRACTITIONER)
    draft = opened_for_call(database, practitioner, new_draft(line=Line.SOCIAL_CARE))
    handler_leg = CallLeg(user_id=handler.id, started_at=START, ended_at=START + timedelta(1 / 24))
    draft = answered(draft, personal_care_need=True, cannot_cope_at_home=True).model_copy(
        update={"resolve": False, "legs": (handler_leg,), "handoff_id": uuid.uuid4()}
    )
    assert prepare_saving(database, practitioner, RULES) is True
    with compiled(database) as fresh:
        save_call(database, practitioner, draft, RULES, now=NOW)
    assert fresh == []
    assert referral_rows(database, draft.contact_id) == [
        ("adult_social_care", "soon"), ("crisis_response", "urgent"),
    ]  # fmt: skip


def test_a_desk_that_cannot_take_calls_is_not_rehearsed(database: Database) -> None:
    manager = signed_in(database, "boss", Role.SPA_MANAGER)
    assert prepare_saving(database, manager, RULES) is False
