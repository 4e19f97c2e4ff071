"""Every caller is recorded (issue 11 item 2): the person themself, family, carers and
professionals each leave a ``callers`` row with what they gave; the call-back number comes from
the telephone system when the call rang there."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from db.models import Caller
from spa_desk.calls import draft as drafts
from spa_desk.calls.draft import CallDraft, CallerDetails, save_draft, unfinished_calls
from spa_desk.calls.save import save_call
from spa_desk.database import Database
from spa_desk.errors import InvalidInput
from spa_desk.vocabulary import ResolutionMethod, Role
from tests.spa_desk.calls.helpers import (
    ANSWERED,
    ENDED,
    NOW,
    RULES,
    START,
    answered,
    contact_row,
    opened_for_call,
    signed_in,
    snapshot,
)


def _information_call(database: Database, caller_type: str, caller: CallerDetails) -> CallDraft:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    rung = drafts.new_draft(START, caller_number="07700 900 321").model_copy(
        update={"answered_at": ANSWERED, "ended_at": ENDED}
    )
    draft = opened_for_call(database, handler, rung)
    return answered(draft, caller_type=caller_type, information_only=True).model_copy(
        update={
            "caller": caller,
            "resolve": True,
            "resolution_method": ResolutionMethod.INFORMATION_ADVICE,
        }
    )


def _callers(database: Database) -> list[Caller]:
    with database.sessions() as session:
        return list(session.scalars(select(Caller)))


def test_a_call_from_the_telephone_system_fills_the_call_back_number() -> None:
    rung = drafts.new_draft(START, caller_number="07700900321", answered=False)
    assert rung.caller.phone == "07700900321"
    assert drafts.new_draft(START).caller.phone == ""  # withheld or by hand: nothing to fill


@pytest.mark.parametrize("caller_type", ["family", "carer"])
def test_family_and_carers_give_name_and_relationship(database: Database, caller_type: str) -> None:
    details = CallerDetails(name=" Jo Marsh ", relationship=" Daughter ", phone="07700 900 321")
    draft = _information_call(database, caller_type, details)
    handler = signed_in(database, "second", Role.CALL_HANDLER)
    save_draft(database, handler, draft, now=START)  # the second handler takes the call over
    before = snapshot(database)
    for change, message in (
        ({"name": " "}, r"^Caller's name: .* gives their name"),
        ({"relationship": ""}, r"^Relationship: say how .* is related to the person"),
        ({"phone": "extension 42"}, r"^Call-back number: 'extension 42' is not a UK phone"),
        ({"name": "x" * 121}, r"^Caller's name: keep it to 120 characters"),
    ):
        partial = draft.model_copy(update={"caller": details.model_copy(update=change)})
        with pytest.raises(InvalidInput, match=message):
            save_call(database, handler, partial, RULES, now=NOW)
    assert snapshot(database) == before

    save_call(database, handler, draft, RULES, now=NOW)
    [caller] = _callers(database)
    contact = contact_row(database, draft.contact_id)
    assert (contact.caller_type, contact.caller_id) == (caller_type, caller.id)
    assert (caller.caller_type, caller.name, caller.relationship, caller.phone) == (
        caller_type, "Jo Marsh", "Daughter", "07700900321",
    )  # fmt: skip
    assert (caller.professional_role, caller.organisation, caller.job_title) == (None, None, None)


def test_the_person_themself_is_recorded_with_their_call_back_number(database: Database) -> None:
    # What was typed for another kind of caller before the handler chose "themself" is not kept.
    details = CallerDetails(name="Typed before", relationship="Son", phone="07700900321")
    draft = _information_call(database, "self", details)
    handler = signed_in(database, "second", Role.CALL_HANDLER)
    save_call(database, handler, draft, RULES, now=NOW)
    [caller] = _callers(database)
    assert (caller.caller_type, caller.name, caller.relationship, caller.phone) == (
        "self", None, "self", "07700900321",
    )  # fmt: skip
    assert contact_row(database, draft.contact_id).caller_id == caller.id


def test_a_caller_may_give_no_call_back_number_unless_a_professional(database: Database) -> None:
    draft = _information_call(database, "self", CallerDetails())
    handler = signed_in(database, "second", Role.CALL_HANDLER)
    save_call(database, handler, draft, RULES, now=NOW)
    [caller] = _callers(database)
    assert (caller.caller_type, caller.phone) == ("self", None)


def test_a_non_data_call_records_no_caller(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    draft = drafts.new_draft(START, caller_number="07700900321").model_copy(
        update={"ended_at": ENDED, "answers": {"call_kind": "silent"}}
    )
    save_draft(database, handler, draft, now=START)
    save_call(database, handler, draft, RULES, now=NOW)
    assert _callers(database) == []
    assert contact_row(database, draft.contact_id).caller_id is None


def test_a_draft_kept_before_every_caller_was_recorded_comes_back(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    kept: dict[str, Any] = drafts.new_draft(START).model_dump(mode="json")
    del kept["caller"]
    kept["professional"] = {"name": "Dr Example", "organisation": "Harbour Surgery",
                            "job_title": "", "phone": "01632960123"}  # fmt: skip
    old = CallDraft.model_validate(kept)
    save_draft(database, handler, old, now=START)
    [back] = unfinished_calls(database, handler)
    assert back.caller == CallerDetails(
        name="Dr Example", organisation="Harbour Surgery", phone="01632960123"
    )


def test_a_call_put_through_to_999_is_never_held_up_for_the_callers_details(
    database: Database,
) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    draft = answered(
        drafts.new_draft(START).model_copy(update={"ended_at": ENDED}),
        caller_type="family",
        risk_to_life=True,
    ).model_copy(update={"caller": CallerDetails(phone="not taken")})
    save_draft(database, handler, draft, now=START)
    save_call(database, handler, draft, RULES, now=NOW)
    [caller] = _callers(database)
    assert (caller.caller_type, caller.name, caller.relationship, caller.phone) == (
        "family", None, None, None,
    )  # fmt: skip
    assert contact_row(database, draft.contact_id).outcome == "emergency"
