"""Measuring one database through the session factory: every keystroke's search and every
call's save, each timed beside a SELECT 1, a primary-key read or a one-row write."""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text, update

from bench.call_desk.settings import SAVED_CALLS, SEED, WARM_UP
from bench.call_desk.stats import print_database, summary, timed
from bench.call_desk.workload import PlannedCall, Sought, Staff, load_staff, plan_calls
from db.models import Person, User
from spa_desk.calls.draft import save_draft
from spa_desk.calls.save import save_call
from spa_desk.database import Database, open_database
from spa_desk.domain import CurrentUser
from spa_desk.people.records import open_person
from spa_desk.people.search import search_people
from triage_rules import RuleSet


def bench_search(
    database: Database,
    actor: CurrentUser,
    typed: Sequence[tuple[str, str]],
    people: Sequence[Sought],
) -> dict[str, Any]:
    """Time every keystroke's search, with a SELECT 1 and a primary-key read beside each."""
    rng = random.Random(SEED)
    for text_ in WARM_UP:  # each kind of statement compiled once, on no one sought below
        search_people(database, actor, text_)

    def select_one() -> None:
        with database.sessions() as session:
            session.execute(text("SELECT 1")).scalar()

    def read_person(person_id: uuid.UUID) -> None:
        with database.sessions() as session:
            session.get(Person, person_id)

    by_kind: dict[str, list[float]] = {}
    everything: list[float] = []
    ones: list[float] = []
    reads: list[float] = []
    slowest: list[tuple[float, str, str]] = []
    nhs_found = nhs_sought = 0
    wanted = {p.nhs_number: p.id for p in people if p.nhs_number}
    for what, typed_text in typed:
        spent, answer = timed(search_people, database, actor, typed_text)
        everything.append(spent)
        by_kind.setdefault(what, []).append(spent)
        slowest.append((spent, what, typed_text))
        digits = typed_text.replace(" ", "")
        if what.startswith("NHS") and digits in wanted:
            nhs_sought += 1
            nhs_found += [p.id for p in answer.people] == [wanted[digits]]
        ones.append(timed(select_one)[0])
        reads.append(timed(read_person, rng.choice(people).id)[0])
    slowest.sort(reverse=True)
    again = [timed(search_people, database, actor, typed_text)[0] for _, typed_text in typed]
    return {
        "search": summary(everything),
        "search_again": summary(again),
        "by_kind": {kind: summary(v) for kind, v in by_kind.items()},
        "baseline_select_1": summary(ones),
        "baseline_primary_key_read": summary(reads),
        "slowest": [{"ms": round(ms, 2), "kind": k, "text": t} for ms, k, t in slowest[:5]],
        "nhs_numbers_found": f"{nhs_found}/{nhs_sought}",
    }


def bench_save(
    database: Database, plans: Sequence[PlannedCall], ruleset: RuleSet
) -> dict[str, Any]:
    """Time the first autosave, the autosave once answered, and the save of every call."""
    first_drafts: list[float] = []
    drafts: list[float] = []
    saves: list[float] = []
    by_kind: dict[str, list[float]] = {}
    writes: list[float] = []

    def one_row_write(user_id: uuid.UUID) -> None:
        with database.sessions.begin() as session:
            session.execute(
                update(User).where(User.id == user_id).values(failed_logins=User.failed_logins)
            )

    for plan in plans:
        first_drafts.append(timed(save_draft, database, plan.actor, plan.first)[0])
        if plan.consent is not None and plan.draft.person_id is not None:
            open_person(
                database,
                plan.actor,
                plan.draft.person_id,
                plan.consent,
                contact_id=plan.draft.contact_id,
            )
        drafts.append(timed(save_draft, database, plan.actor, plan.draft)[0])
        spent = timed(save_call, database, plan.actor, plan.draft, ruleset)[0]
        saves.append(spent)
        by_kind.setdefault(plan.kind, []).append(spent)
        writes.append(timed(one_row_write, plan.actor.id)[0])
    return {
        "save_call": summary(saves),
        "save_call_by_kind": {kind: summary(v) for kind, v in by_kind.items()},
        "save_draft_first": summary(first_drafts),
        "save_draft_answered": summary(drafts),
        "baseline_one_row_write": summary(writes),
    }


def measure(
    name: str,
    url: str,
    *,
    typed: Sequence[tuple[str, str]],
    sought: Sequence[Sought],
    ruleset: RuleSet,
    seed: int,
) -> tuple[dict[str, Any], Staff]:
    """Time searching and saving on the database at ``url`` and print the figures; the
    benchmark's staff, for the calls through the GUI."""
    database = open_database(url)
    try:
        staff = load_staff(database)
        search = bench_search(database, staff.handler, typed, sought)
        plans = plan_calls(SAVED_CALLS, sought, staff, ruleset, seed)
        save = bench_save(database, plans, ruleset)
    finally:
        database.close()
    print_database(name, search, save)
    return {"search": search, "save": save}, staff
