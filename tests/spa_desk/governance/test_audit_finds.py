"""What an audit search is given to find, through the permission-checked services: a user by user
name or by the name the desk shows, a person's id from an NHS number (audit readers only, the id
and nothing else), and an override's reason in its entry with every number left out.
"""

from __future__ import annotations

import uuid

import pytest

from spa_desk.calls.outcome import NUMBER_LEFT_OUT, reason_for_audit
from spa_desk.calls.save import save_call
from spa_desk.database import Database
from spa_desk.errors import InvalidInput
from spa_desk.governance.search import _search as unchecked_search
from spa_desk.governance.search import search_as, user_id_named_as
from spa_desk.governance.verify import verify
from spa_desk.identifiers import looks_like_nhs_or_phone_number
from spa_desk.people.search import person_id_for_audit_as
from spa_desk.permissions import PermissionDenied
from spa_desk.vocabulary import Line, Role, Route, Urgency
from tests.factories import add_person, add_user
from tests.spa_desk.calls.helpers import (
    NOW,
    RULES,
    answered,
    choices,
    contact_row,
    new_draft,
    opened_for_call,
    signed_in,
)


def test_a_user_is_found_by_user_name_or_by_the_name_the_desk_shows(database: Database) -> None:
    manager = signed_in(database, "morgan", Role.SPA_MANAGER)
    sam = add_user(database, "sam", "pass phrase 1", display_name="Sam Okafor")
    assert user_id_named_as(database, manager, "sam") == sam
    assert user_id_named_as(database, manager, " SAM ") == sam
    assert user_id_named_as(database, manager, "Sam Okafor") == sam
    assert user_id_named_as(database, manager, "sam   okafor") == sam

    with pytest.raises(InvalidInput, match=r"^User: there is no user named 'Sam Okafer'$"):
        user_id_named_as(database, manager, "Sam  Okafer")
    # Two accounts shown by one name: the user name tells them apart.
    add_user(database, "sokafor2", "pass phrase 1", display_name="Sam Okafor")
    with pytest.raises(InvalidInput, match=r"2 users are shown as 'Sam Okafor' \(sam, sokafor2\)"):
        user_id_named_as(database, manager, "Sam Okafor")
    assert user_id_named_as(database, manager, "sokafor2") != sam
    handler = signed_in(database, "kim", Role.CALL_HANDLER)
    with pytest.raises(PermissionDenied, match="may not read the audit log"):
        user_id_named_as(database, handler, "sam")


def test_a_persons_id_is_found_by_nhs_number_for_audit_readers_only(database: Database) -> None:
    ada = add_person(database, nhs_number="9990000026")
    manager = signed_in(database, "morgan", Role.SPA_MANAGER)
    admin = signed_in(database, "alex", Role.ADMINISTRATOR)
    for reader in (manager, admin):
        found = person_id_for_audit_as(database, reader, "999 000 0026")
        assert isinstance(found, uuid.UUID) and found == ada  # the id, and nothing else
    assert person_id_for_audit_as(database, manager, "9990000042") is None  # valid; no one
    with pytest.raises(InvalidInput, match=r"^NHS number: '999 000 0027' is not an NHS number"):
        person_id_for_audit_as(database, manager, "999 000 0027")
    # Those who may open records find people by their own search, with consent to open them.
    for role in (Role.CALL_HANDLER, Role.PRACTITIONER, Role.TRAINER):
        other = signed_in(database, role.value, role)
        with pytest.raises(PermissionDenied, match="may not read the audit log"):
            person_id_for_audit_as(database, other, "9990000026")
    # The look-up is a read: it leaves no entry saying the record was opened.
    assert [e.action for e in search_as(database, manager)].count("person_viewed") == 0


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Lives alone; befriending agreed with her", "Lives alone; befriending agreed with her"),
        ("Seen 3 times since 2024, 2 falls, aged 84", "Seen 3 times since 2024, 2 falls, aged 84"),
        ("NHS 943 476 5919 is hers", f"NHS {NUMBER_LEFT_OUT} is hers"),
        ("daughter on 07700 900123 agrees", f"daughter on {NUMBER_LEFT_OUT} agrees"),
        ("ring +44 (0)1632 960-123 first", f"ring {NUMBER_LEFT_OUT} first"),
        ("DOB 12/03/1941, GP aware", f"DOB {NUMBER_LEFT_OUT}, GP aware"),
        ("born 12.3.41", f"born {NUMBER_LEFT_OUT}"),
        ("ref9434765919", f"ref{NUMBER_LEFT_OUT}"),
        ("  two\nlines  ", "two lines"),
    ],
)
def test_an_override_reason_keeps_its_words_and_leaves_numbers_out(typed: str, kept: str) -> None:
    assert reason_for_audit(typed) == kept
    assert not looks_like_nhs_or_phone_number(reason_for_audit(typed))


def test_a_long_reason_is_kept_to_a_length_the_log_can_hold() -> None:
    kept = reason_for_audit("Family meeting agreed a plan. " * 40)
    assert len(kept) == 500 and kept.endswith("…")


def test_the_override_entry_holds_its_reason_without_numbers(database: Database) -> None:
    reason = "Meals stopped; her son (07700 900123) cannot cover this week, NHS 943 476 5919"
    practitioner = signed_in(database, "nurse", Role.PRACTITIONER)
    draft = opened_for_call(database, practitioner, new_draft(line=Line.SOCIAL_CARE))
    draft = answered(draft, daily_living_need=True).model_copy(
        update={
            "resolve": False,
            "override": True,
            "override_routes": choices(
                (Route.VCS, Urgency.ROUTINE), (Route.ADULT_SOCIAL_CARE, Urgency.SOON)
            ),
            "override_reason": reason,
        }
    )
    save_call(database, practitioner, draft, RULES, now=NOW)

    assert contact_row(database, draft.contact_id).override_reason == reason  # as typed
    [entry] = [
        e
        for e in unchecked_search(database)
        if e.action == "override_made" and e.entity_id == str(draft.contact_id)
    ]
    assert entry.details["reason"] == (
        f"Meals stopped; her son ({NUMBER_LEFT_OUT}) cannot cover this week, NHS {NUMBER_LEFT_OUT}"
    )
    assert entry.details["final"] == ["vcs:routine", "adult_social_care:soon"]
    assert verify(database).ok
