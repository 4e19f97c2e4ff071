"""What the handler does in the benchmark: people sampled from the generated database typed into
the search a keystroke at a time, and calls of three kinds planned for saving."""

from __future__ import annotations

import random
import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import select

from db.models import User
from spa_desk.calls.draft import CallDraft, CallerDetails, GapNote
from spa_desk.calls.screening import resolvable, screening
from spa_desk.database import Database
from spa_desk.demo import mix
from spa_desk.demo.scenario_types import CallScenario, ScenarioGroup
from spa_desk.demo.scenarios import SCENARIOS, scenarios_in
from spa_desk.domain import CurrentUser, RouteChoice
from spa_desk.people.age import age_on
from spa_desk.people.consent import ConsentGiven
from spa_desk.people.search import read_search
from spa_desk.vocabulary import (
    CallerType,
    ConsentBasis,
    Level1,
    Line,
    ProfessionalRole,
    ResolutionMethod,
    Role,
    Route,
)
from triage_rules import RuleSet

# ---------------------------------------------------------------------------------------------
# What the handler types.


class Sought(NamedTuple):
    """A person the handler looks for, as the search shows them."""

    id: uuid.UUID
    given_name: str
    family_name: str
    nhs_number: str | None
    phone: str | None
    postcode: str | None
    date_of_birth: date | None


def sample_people(path: Path, count: int, seed: int) -> list[Sought]:
    """``count`` people picked at random from the generated SQLite file."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        last = connection.execute("SELECT max(rowid) FROM people").fetchone()[0]
        rng = random.Random(seed)
        found = []
        for rowid in rng.sample(range(1, last + 1), count):
            row = connection.execute(
                "SELECT id, given_name, family_name, nhs_number, phone_primary, postcode, "
                "date_of_birth FROM people WHERE rowid = ?",
                (rowid,),
            ).fetchone()
            born = date.fromisoformat(row[6]) if row[6] else None
            found.append(
                Sought(
                    id=uuid.UUID(row[0]),
                    given_name=row[1],
                    family_name=row[2],
                    nhs_number=row[3],
                    phone=row[4],
                    postcode=row[5],
                    date_of_birth=born,
                )
            )
    finally:
        connection.close()
    return found


def _spaced_phone(number: str) -> str:
    return f"{number[:5]} {number[5:]}"


def _typed_forms(person: Sought, way: int) -> tuple[str, str] | None:
    """One of eight ways to type ``person``: what is sought, and the full text."""
    nhs = person.nhs_number
    forms: list[tuple[str, str] | None] = [
        ("family name", person.family_name),
        ("given family", f"{person.given_name} {person.family_name}"),
        ("family, given", f"{person.family_name}, {person.given_name}"),
        ("NHS number", nhs) if nhs else None,
        ("NHS number spaced", f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}") if nhs else None,
        ("phone", _spaced_phone(person.phone)) if person.phone else None,
        ("postcode", person.postcode) if person.postcode else None,
        ("date of birth", person.date_of_birth.strftime("%d/%m/%Y"))
        if person.date_of_birth
        else None,
    ]
    return forms[way % len(forms)] or forms[0]


def keystrokes(people: Sequence[Sought]) -> list[tuple[str, str]]:
    """(what, text) for every keystroke that makes the desk search, person after person.

    Keystrokes too short to search on (one letter, two digits of an NHS number, three of a
    phone number) return at once without touching the database and are left out.
    """
    typed = [("family name", "Okafor"), ("given family", "Sam Okafor")]
    typed += [form for i, p in enumerate(people) if (form := _typed_forms(p, i))]
    result = []
    for what, full in typed:
        for end in range(1, len(full) + 1):
            if read_search(full[:end]) is not None:
                result.append((what, full[:end]))
    return result


# ---------------------------------------------------------------------------------------------
# Calls to save.


@dataclass(frozen=True)
class PlannedCall:
    """One call as the benchmark takes it: who takes it, its first autosave, the consent to
    record before the save (for a call about a person) and the complete draft to save."""

    kind: str
    actor: CurrentUser
    first: CallDraft
    draft: CallDraft
    consent: ConsentGiven | None


class Staff(NamedTuple):
    """The benchmark's call handler and practitioner."""

    handler: CurrentUser
    practitioner: CurrentUser


def load_staff(database: Database) -> Staff:
    """The demo call handler and practitioner of the generated database."""
    with database.sessions() as session:
        users = {
            u.username: u
            for u in session.scalars(
                select(User).where(User.username.in_(("handler", "practitioner")))
            )
        }
    staff = [
        CurrentUser(
            id=users[name].id,
            username=name,
            display_name=users[name].display_name,
            roles=tuple(Role(r.role) for r in users[name].roles),
        )
        for name in ("handler", "practitioner")
    ]
    return Staff(*staff)


def _answers(
    ruleset: RuleSet, base: CallDraft, facts: dict[str, Any], age: int | None
) -> dict[str, Any]:
    """Walk the screening as the handler would, answering from ``facts`` (defaults otherwise)."""
    session = screening(ruleset, base)
    answers: dict[str, Any] = {}
    while (pending := session.next_question()) is not None:
        spec = pending.question.fact
        value: Any
        if pending.question.is_checklist:  # tick the boxes whose facts hold
            ticked = [box.fact.name for box in pending.boxes if facts.get(box.fact.name)]
            session.answer(spec.name, ticked)
            answers.update({box.fact.name: box.fact.name in ticked for box in pending.boxes})
            continue
        if spec.name in facts:
            value = facts[spec.name]
        elif spec.name == "age":
            value = age
        elif spec.type == "bool":
            value = False
        elif spec.type == "enum_set":
            value = []
        elif spec.type == "enum":
            value = spec.default or spec.choices[0].value
        else:
            value = None
        value = list(value) if isinstance(value, tuple | frozenset | set) else value
        session.answer(spec.name, value)
        answers[spec.name] = value
    return answers


SAVE_KINDS = ("non-data", "information, resolved", "stream, referred by a practitioner")


def plan_calls(
    count: int, people: Sequence[Sought], staff: Staff, ruleset: RuleSet, seed: int
) -> list[PlannedCall]:
    """``count`` calls, a third of each kind, about people from ``people``."""
    rng = random.Random(seed)
    groups = {
        SAVE_KINDS[0]: list(scenarios_in(ScenarioGroup.NON_DATA, Line.GENERAL)),
        SAVE_KINDS[1]: list(scenarios_in(ScenarioGroup.INFORMATION, Line.GENERAL)),
        SAVE_KINDS[2]: [
            s
            for s in SCENARIOS
            if s.group.value in {g.value for g in mix.STREAM_GROUPS} and not mix.always_resolved(s)
        ],
    }
    plans: list[PlannedCall] = []
    attempts = 0
    while len(plans) < count:
        attempts += 1
        if attempts > count * 20:
            raise RuntimeError("could not plan calls that screening accepts")
        kind = SAVE_KINDS[len(plans) % 3]
        scenario = rng.choice(groups[kind])
        planned = _plan_call(
            rng, kind, scenario, person=rng.choice(people), staff=staff, ruleset=ruleset
        )
        if planned is not None:
            plans.append(planned)
    return plans


def _plan_call(
    rng: random.Random,
    kind: str,
    scenario: CallScenario,
    *,
    person: Sought,
    staff: Staff,
    ruleset: RuleSet,
) -> PlannedCall | None:
    now = datetime.now(UTC)
    started = now - timedelta(minutes=rng.randint(4, 12))
    line = rng.choice(scenario.lines)
    caller = (
        rng.choice(scenario.caller_types)
        if scenario.caller_types
        else rng.choice((CallerType.SELF, CallerType.FAMILY, CallerType.PROFESSIONAL))
    )
    if line is Line.PROFESSIONAL:
        caller = CallerType.PROFESSIONAL
    facts: dict[str, Any] = dict(scenario.facts_json())
    if scenario.group is not ScenarioGroup.NON_DATA:
        facts["caller_type"] = caller.value
        if caller is CallerType.PROFESSIONAL:
            facts["professional_role"] = rng.choice(
                [r.value for r in ProfessionalRole if r is not ProfessionalRole.NONE]
            )
    with_person = kind == SAVE_KINDS[2] or (kind == SAVE_KINDS[1] and rng.random() < 0.5)
    age = age_on(person.date_of_birth, now.date()) if person.date_of_birth else None
    first = CallDraft(
        started_at=started,
        answered_at=started + timedelta(seconds=rng.randint(5, 40)),
        caller_number=_spaced_phone(person.phone) if person.phone else None,
        line=line,
    )
    answers = _answers(ruleset, first, facts, age)
    probe = first.model_copy(update={"answers": answers})
    decision = screening(ruleset, probe).decision()
    routes = tuple(
        RouteChoice.model_validate({"route": r.route, "urgency": r.urgency})
        for r in decision.routes
    )
    if decision.level1 == Level1.EMERGENCY.value or (
        kind == SAVE_KINDS[2] and decision.level1 != Level1.STREAM.value
    ):
        return None
    resolve: bool | None = None
    if kind == SAVE_KINDS[1]:
        if not resolvable(ruleset, decision.level1, routes):
            return None
        resolve = True
    elif kind == SAVE_KINDS[2]:
        if not any(c.route is not Route.RESOLVED for c in routes):
            return None
        resolve = False
    non_data = kind == SAVE_KINDS[0]
    consent = None
    if with_person and not non_data:
        consent = ConsentGiven(
            basis=ConsentBasis.GIVEN_BY_PERSON
            if caller is CallerType.SELF
            else ConsentBasis.GIVEN_BY_REPRESENTATIVE,
            purpose="Screening and referral",
        )
    draft = probe.model_copy(
        update={
            "ended_at": now - timedelta(seconds=rng.randint(20, 90)),
            "search_text": person.family_name if consent else "",
            "person_id": person.id if consent else None,
            "consent_basis": consent.basis if consent else None,
            "caller": CallerDetails(
                name="Jordan Ellery",
                organisation="Gullrock Lane Surgery",
                job_title="Practice nurse",
                phone="01632 960" + f"{rng.randrange(1000):03d}",
            )
            if caller is CallerType.PROFESSIONAL
            else CallerDetails(name="Robin Ellery", relationship="Son")
            if caller in (CallerType.FAMILY, CallerType.CARER)
            else CallerDetails(),
            "resolve": resolve,
            "resolution_method": ResolutionMethod.INFORMATION_ADVICE if resolve else None,
            "gaps": (GapNote(need="Befriending", service_requested="Befriending visits"),)
            if consent and rng.random() < 0.1
            else (),
            "notes": scenario.summary,
        }
    )
    actor = staff.practitioner if decision.level1 == Level1.STREAM.value else staff.handler
    return PlannedCall(kind, actor, first, draft, consent)
