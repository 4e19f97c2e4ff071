"""Overriding the recommendation, and refused saves that store nothing and keep the draft."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from spa_desk.calls.draft import CallDraft, discard_draft, save_draft, unfinished_calls
from spa_desk.calls.save import save_call
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import InvalidInput, KnownError
from spa_desk.governance.search import _search as search
from spa_desk.governance.verify import verify
from spa_desk.permissions import PermissionDenied
from spa_desk.vocabulary import Line, ResolutionMethod, Role, Route, Urgency
from tests.spa_desk.calls.helpers import (
    NOW,
    RULES,
    START,
    answered,
    choices,
    contact_row,
    new_draft,
    opened_for_call,
    referral_rows,
    route_rows,
    signed_in,
    snapshot,
)

# --- overriding the recommendation ------------------------------------------------------------


def test_override_is_stored_with_reason_and_both_routes(database: Database) -> None:
    practitioner = signed_in(database, "nurse", Role.PRACTITIONER)
    draft = opened_for_call(database, practitioner, new_draft(line=Line.SOCIAL_CARE))
    draft = answered(draft, daily_living_need=True).model_copy(
        update={
            "resolve": False,
            "override": True,
            "override_routes": choices(
                (Route.VCS, Urgency.ROUTINE), (Route.ADULT_SOCIAL_CARE, Urgency.SOON)
            ),
            "override_reason": "  Meals have stopped; the family cannot cover this week.  ",
        }
    )
    save_call(database, practitioner, draft, RULES, now=NOW)

    contact = contact_row(database, draft.contact_id)
    assert contact.overridden is True
    assert contact.override_reason == "Meals have stopped; the family cannot cover this week."
    assert contact.recommended_routes == route_rows(("adult_social_care", "routine"))
    assert contact.final_routes == route_rows(("vcs", "routine"), ("adult_social_care", "soon"))
    assert referral_rows(database, draft.contact_id) == [
        ("adult_social_care", "soon"), ("vcs", "routine"),
    ]  # fmt: skip
    saved_entry, override_entry = sorted(
        (e for e in search(database) if e.entity_id == str(draft.contact_id)),
        key=lambda e: e.position,
    )
    assert (saved_entry.action, saved_entry.username) == ("contact_saved", "nurse")
    assert saved_entry.details == {
        "outcome": "referred",
        "level1": "stream",
        "routes": ["vcs:routine", "adult_social_care:soon"],
        "person_id": str(draft.person_id),
    }
    assert override_entry.action == "override_made"
    assert override_entry.details == {
        "recommended": ["adult_social_care:routine"],
        "final": ["vcs:routine", "adult_social_care:soon"],
        "reason": "Meals have stopped; the family cannot cover this week.",
    }
    assert verify(database).ok


def test_an_accepted_call_has_no_override_entry(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    draft = answered(new_draft(), information_only=True).model_copy(
        update={"resolve": True, "resolution_method": ResolutionMethod.SELF_CARE}
    )
    before = len(search(database))
    save_call(database, handler, draft, RULES, now=NOW)
    assert len(search(database)) == before + 1
    (entry,) = [e for e in search(database) if e.entity_id == str(draft.contact_id)]
    assert (entry.action, entry.entity_type, entry.occurred_at) == ("contact_saved", "contact", NOW)
    assert entry.details["person_id"] == "" and entry.details["outcome"] == "resolved"
    assert verify(database).ok


@pytest.mark.parametrize(
    ("override", "message"),
    [
        (
            {"override_reason": "", "override_routes": choices((Route.VCS, Urgency.ROUTINE))},
            r"^Override reason: say why",
        ),
        (
            {"override_reason": "The carer needs it", "override_routes": ()},
            r"^Override: choose at least one route",
        ),
        (
            {
                "override_reason": "The carer needs it",
                "override_routes": choices((Route.ADULT_SOCIAL_CARE, Urgency.ROUTINE)),
            },
            r"^Override: the routes are the same as recommended",
        ),
        (
            {
                "override_reason": "The carer needs it",
                "override_routes": choices((Route.VCS, None)),
            },
            r"^Override: give Voluntary and community sector an urgency",
        ),
        (
            {
                "override_reason": "The carer needs it",
                "override_routes": choices((Route.VCS, Urgency.SOON), (Route.VCS, Urgency.ROUTINE)),
            },
            r"^Override: Voluntary and community sector is chosen twice",
        ),
    ],
)
def test_override_problems_are_named(
    database: Database, override: dict[str, Any], message: str
) -> None:
    practitioner = signed_in(database, "nurse", Role.PRACTITIONER)
    draft = opened_for_call(database, practitioner, new_draft(line=Line.SOCIAL_CARE))
    draft = answered(draft, daily_living_need=True).model_copy(
        update={"resolve": False, "override": True, **override}
    )
    save_draft(database, practitioner, draft, now=START)
    before = snapshot(database)
    with pytest.raises(InvalidInput, match=message):
        save_call(database, practitioner, draft, RULES, now=NOW)
    assert snapshot(database) == before


# --- refusals: nothing stored, the draft stays -------------------------------------------------


def _stream_call(
    database: Database, handler: CurrentUser, practitioner: CurrentUser
) -> tuple[CurrentUser, CallDraft]:
    draft = opened_for_call(database, handler, new_draft(line=Line.SOCIAL_CARE))
    return handler, answered(draft, daily_living_need=True).model_copy(update={"resolve": False})


def _handler_overrides(
    database: Database, handler: CurrentUser, practitioner: CurrentUser
) -> tuple[CurrentUser, CallDraft]:
    draft = answered(new_draft(), information_only=True).model_copy(
        update={
            "resolve": False,
            "override": True,
            "override_routes": choices((Route.VCS, Urgency.ROUTINE)),
            "override_reason": "Wants a befriender as well",
        }
    )
    return handler, draft


def _safeguarding_dropped(
    database: Database, handler: CurrentUser, practitioner: CurrentUser
) -> tuple[CurrentUser, CallDraft]:
    draft = opened_for_call(database, practitioner, new_draft(line=Line.SOCIAL_CARE))
    draft = answered(draft, abuse_or_neglect=True, daily_living_need=True).model_copy(
        update={
            "resolve": False,
            "override": True,
            "override_routes": choices((Route.ADULT_SOCIAL_CARE, Urgency.ROUTINE)),
            "override_reason": "Daughter says the bruising was a fall",
        }
    )
    return practitioner, draft


def _resolving_urgent(
    database: Database, handler: CurrentUser, practitioner: CurrentUser
) -> tuple[CurrentUser, CallDraft]:
    draft = opened_for_call(database, practitioner, new_draft(line=Line.SOCIAL_CARE))
    draft = answered(draft, carer_breakdown=True).model_copy(
        update={"resolve": True, "resolution_method": ResolutionMethod.INFORMATION_ADVICE}
    )
    return practitioner, draft


def _resolving_safeguarding_override(
    database: Database, handler: CurrentUser, practitioner: CurrentUser
) -> tuple[CurrentUser, CallDraft]:
    actor, draft = _safeguarding_dropped(database, handler, practitioner)
    return actor, draft.model_copy(
        update={
            "resolve": True,
            "resolution_method": ResolutionMethod.INFORMATION_ADVICE,
            "override_routes": choices((Route.SAFEGUARDING, Urgency.ROUTINE)),
        }
    )


def _unanswered(
    database: Database, handler: CurrentUser, practitioner: CurrentUser
) -> tuple[CurrentUser, CallDraft]:
    return handler, new_draft(answers={"call_kind": "data", "information_only": True}, resolve=True)


def _no_choice(
    database: Database, handler: CurrentUser, practitioner: CurrentUser
) -> tuple[CurrentUser, CallDraft]:
    return handler, answered(new_draft(), information_only=True)


def _no_method(
    database: Database, handler: CurrentUser, practitioner: CurrentUser
) -> tuple[CurrentUser, CallDraft]:
    return handler, answered(new_draft(), information_only=True).model_copy(
        update={"resolve": True}
    )


def _nothing_to_refer(
    database: Database, handler: CurrentUser, practitioner: CurrentUser
) -> tuple[CurrentUser, CallDraft]:
    return handler, answered(new_draft(), information_only=True).model_copy(
        update={"resolve": False}
    )


def _bad_answer(
    database: Database, handler: CurrentUser, practitioner: CurrentUser
) -> tuple[CurrentUser, CallDraft]:
    draft = answered(new_draft(), information_only=True)
    answers = {**draft.answers, "risk_to_life": "no"}
    return handler, draft.model_copy(update={"answers": answers, "resolve": True})


def _trainer_logs(
    database: Database, handler: CurrentUser, practitioner: CurrentUser
) -> tuple[CurrentUser, CallDraft]:
    trainer = signed_in(database, "trainer", Role.TRAINER)
    return trainer, new_draft(answers={"call_kind": "test"})


REFUSALS: list[tuple[Callable[..., tuple[CurrentUser, CallDraft]], type[Exception], str]] = [
    (_stream_call, PermissionDenied, r"may not run level-2 screening"),
    (_handler_overrides, PermissionDenied, r"may not override the screening recommendation"),
    (_safeguarding_dropped, InvalidInput, r"^Routes: a safeguarding concern was raised"),
    (_resolving_urgent, InvalidInput, r"^Outcome: these routes cannot be resolved"),
    (_resolving_safeguarding_override, InvalidInput, r"^Outcome: these routes cannot be resolved"),
    (_unanswered, InvalidInput, r"^Screening: the question .* still needs an answer"),
    (_no_choice, InvalidInput, r"^Outcome: choose to resolve the call now or to refer"),
    (_no_method, InvalidInput, r"^How resolved: say how the call was resolved"),
    (_nothing_to_refer, InvalidInput, r"^Outcome: there is no route to refer to"),
    (_bad_answer, InvalidInput, r"^Screening: Immediate risk to life: 'no' is not true or false"),
    (_trainer_logs, PermissionDenied, r"may not log a call"),
]


@pytest.mark.parametrize(
    ("setup", "error", "message"), REFUSALS, ids=[case[0].__name__ for case in REFUSALS]
)
def test_refusal_stores_nothing_and_keeps_the_draft(
    database: Database,
    setup: Callable[..., tuple[CurrentUser, CallDraft]],
    error: type[Exception],
    message: str,
) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    practitioner = signed_in(database, "nurse", Role.PRACTITIONER)
    actor, draft = setup(database, handler, practitioner)
    keeper = actor if actor.roles != (Role.TRAINER,) else handler
    save_draft(database, keeper, draft, now=START)
    before = snapshot(database)
    with pytest.raises(error, match=message):
        save_call(database, actor, draft, RULES, now=NOW)
    assert snapshot(database) == before
    assert unfinished_calls(database, keeper) == [draft]


def test_a_call_is_saved_once(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    draft = new_draft(answers={"call_kind": "hang_up"})
    save_draft(database, handler, draft, now=START)
    save_call(database, handler, draft, RULES, now=NOW)
    before = snapshot(database)
    with pytest.raises(KnownError, match="already been saved"):
        save_call(database, handler, draft, RULES, now=NOW + timedelta(minutes=1))
    with pytest.raises(KnownError, match="already been saved"):
        save_draft(database, handler, draft, now=NOW + timedelta(minutes=1))
    with pytest.raises(KnownError, match="Only your own unsaved call"):
        discard_draft(database, handler, draft.contact_id)
    assert snapshot(database) == before
    assert contact_row(database, draft.contact_id).wrap_up_ended_at == NOW
