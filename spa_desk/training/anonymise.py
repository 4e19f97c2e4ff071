"""The anonymiser (SPEC 7): real contacts turned into sample calls a trainer can use.

``anonymise(database, actor, first, last, out)`` writes one sample-call file per data contact
saved in the local days ``first`` to ``last``, in the library's format
(:mod:`spa_desk.training.sample_calls`). What the rules needed is kept: the facts, and the
decision the rules in force give for them (which a handler's override, kept as a learning
point, does not change). Everything that could point at someone is replaced, consistently
within a call: names by pseudonyms, NHS numbers by 999-range ones, phone numbers by Ofcom drama
numbers, addresses, postcodes and GP practices by invented ones in a town that does not exist,
the date of birth by an age band, dates moved by a random number of days; free text (notes,
an override's reason) goes through :class:`spa_desk.training.scrub.Scrubber`.

A contact has no transcript, so one is written from what was recorded: the greeting, the caller
saying who they are and who the call is about, the notes in the caller's mouth, and the handler
asking about each fact that was established. Only trainers and SPA managers may run it (the
command line, like the reports, is whoever may open the database), and each run is audited.
"""

from __future__ import annotations

import random
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import aliased

from db.models import Caller, Contact, Person, Service, User
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import KnownError
from spa_desk.governance.log import AuditAction, record
from spa_desk.local_time import LONDON, local_days_to_utc
from spa_desk.people.age import age_band, age_on
from spa_desk.permissions import Action, require
from spa_desk.rules.in_force import rules_in_force
from spa_desk.training.sample_calls import SampleCall
from spa_desk.training.scrub import Pseudonyms, Scrubber, known_identifiers
from spa_desk.vocabulary import CallerType, CallKind, ContactStatus, Stream, decision_words
from triage_rules import FactError, FactSpec, RuleSet
from triage_rules.cases import Expectation, ExpectedRoute
from triage_rules.evaluator import Decision, evaluate

SHIFT_DAYS = (21, 400)
"""A call's dates move back by a random number of days in this range."""
WORDS_A_SECOND = 2.6
"""How fast the written transcript is spoken, for its timings."""

Progress = Callable[[int, int], None]
"""Told (done, total) as the calls are written."""


@dataclass(frozen=True)
class Anonymised:
    """What a run wrote: how many files where, and the contacts it could not use (in words)."""

    folder: Path
    written: int
    skipped: tuple[str, ...]


@dataclass(frozen=True)
class _Row:
    """One contact with what the anonymiser needs of it."""

    started_at: datetime
    line: str
    caller_type: str
    caller_number: str | None
    facts: dict[str, Any]
    final_routes: list[dict[str, Any]]
    overridden: bool
    override_reason: str | None
    notes: str | None
    consent_reason: str | None
    level1: str | None
    stream: str | None
    person: tuple[Any, ...] | None
    caller: tuple[Any, ...] | None
    handler: tuple[str, str]


class CannotWrite(KnownError):
    """The folder for the sample calls cannot be written."""


def may_anonymise(actor: CurrentUser | None) -> None:
    """PermissionDenied unless ``actor`` is a trainer or SPA manager; None is the command line."""
    if actor is not None:
        require(actor, Action.ANONYMISE_CALLS)


def anonymise(
    database: Database,
    actor: CurrentUser | None,
    first: date,
    last: date,
    out: Path,
    *,
    seed: int | None = None,
    progress: Progress | None = None,
    ran_by: str | None = None,
) -> Anonymised:
    """Write a sample call into ``out`` for every data contact saved in local days ``first`` to
    ``last``; ``seed`` makes the stand-ins repeatable (tests), otherwise they are random."""
    may_anonymise(actor)
    if last < first:
        raise KnownError(f"The period ends ({last}) before it begins ({first}).")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".spa-desk-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise CannotWrite(f"Cannot write sample calls into {out}: {error.strerror}.") from None
    ruleset = rules_in_force(database)
    rows, staff, services = _read(database, first, last)
    scrubber = Scrubber(staff, services)
    names_held = _names_held(rows, scrubber)
    rng = random.Random(seed if seed is not None else secrets.randbits(64))
    written = 0
    skipped: list[str] = []
    used_ids: set[str] = set()
    for done, row in enumerate(rows, start=1):
        try:
            call = _sample_call(
                row, ruleset, scrubber=scrubber, rng=rng, used_ids=used_ids, names_held=names_held
            )
        except FactError as error:
            skipped.append(f"a contact of {row.started_at.astimezone(LONDON):%d %b %Y}: {error}")
        else:
            _write(out / f"{call.id}.yaml", call)
            written += 1
        if progress is not None and (done % 200 == 0 or done == len(rows)):
            progress(done, len(rows))
    with database.sessions() as session, session.begin():
        record(
            session,
            action=AuditAction.CALLS_ANONYMISED,
            user_id=actor.id if actor is not None else None,
            details={
                "from": first.isoformat(),
                "to": last.isoformat(),
                "calls": written,
                "by": ran_by or "the desk",
            },
        )
    return Anonymised(folder=out, written=written, skipped=tuple(skipped))


def _read(database: Database, first: date, last: date) -> tuple[list[_Row], list[str], list[str]]:
    start, end = local_days_to_utc(first, last)
    handler = aliased(User)
    query = (
        select(
            Contact,
            Person.given_name,
            Person.family_name,
            Person.nhs_number,
            Person.date_of_birth,
            Person.address_line1,
            Person.address_line2,
            Person.postcode,
            Person.phone_primary,
            Person.phone_secondary,
            Person.gp_practice,
            Caller.name,
            Caller.relationship,
            Caller.organisation,
            Caller.job_title,
            Caller.phone,
            handler.display_name,
            handler.username,
        )
        .outerjoin(Person, Person.id == Contact.person_id)
        .outerjoin(Caller, Caller.id == Contact.caller_id)
        .join(handler, handler.id == Contact.handler_id)
        .where(
            Contact.status == ContactStatus.COMPLETE.value,
            Contact.call_kind == CallKind.DATA.value,
            Contact.started_at >= start,
            Contact.started_at < end,
        )
        .order_by(Contact.started_at)
    )
    rows: list[_Row] = []
    with database.sessions() as session:
        for found in session.execute(query):
            contact: Contact = found[0]
            person = tuple(found[1:11]) if found[1] is not None else None
            caller = tuple(found[11:16]) if found[11:16] != (None,) * 5 else None
            rows.append(
                _Row(
                    started_at=contact.started_at,
                    line=contact.line,
                    caller_type=contact.caller_type,
                    caller_number=contact.caller_number,
                    facts=dict(contact.facts or {}),
                    final_routes=list(contact.final_routes or []),
                    overridden=contact.overridden,
                    override_reason=contact.override_reason,
                    notes=contact.notes,
                    consent_reason=contact.consent_reason,
                    level1=contact.level1,
                    stream=contact.stream,
                    person=person,
                    caller=caller,
                    handler=(found[16], found[17]),
                )
            )
        staff = [
            name
            for display, username in session.execute(select(User.display_name, User.username))
            for name in (display, username)
        ]
        services = list(session.scalars(select(Service.name)))
    return rows, staff, services


def _sample_call(
    row: _Row,
    ruleset: RuleSet,
    *,
    scrubber: Scrubber,
    rng: random.Random,
    used_ids: set[str],
    names_held: frozenset[str],
) -> SampleCall:
    offset = -timedelta(days=rng.randint(*SHIFT_DAYS))
    local_day = row.started_at.astimezone(LONDON).date()
    person = row.person
    born: date | None = person[3] if person is not None else None
    band = age_band(age_on(born, local_day)) if born is not None else None
    taken = _taken(row) | names_held
    call = Pseudonyms(
        rng=rng, offset=offset, date_of_birth=born, age_band=band, taken=frozenset(taken)
    )
    other: dict[str, str] = {}
    if person is not None:
        given, family, nhs, _born, line1, line2, postcode, phone1, phone2, practice = person
        known_identifiers(
            call,
            given_names=[given],
            family_names=[family],
            address_lines=[line1, line2],
            postcodes=[postcode],
            practices=[practice],
        )
        if nhs:
            other[nhs] = call.nhs_number(nhs)
        for phone in (phone1, phone2):
            if phone:
                other[phone] = call.phone(phone)
    if row.caller is not None:
        name, _relationship, organisation, _job, phone = row.caller
        parts = (name or "").split()
        known_identifiers(call, given_names=parts[:1], family_names=parts[1:])
        if organisation:
            other[organisation] = call.practice(organisation)
        if phone:
            other[phone] = call.phone(phone)
    if row.caller_number:
        other[row.caller_number] = call.phone(row.caller_number)
    known_identifiers(call, other=other)
    handler_name = call.given(row.handler[0].split()[0] if row.handler[0].split() else "handler")
    facts = {
        key: _scrubbed_fact(value, ruleset.facts.get(key), scrubber, call)
        for key, value in row.facts.items()
    }
    decision = evaluate(ruleset, facts)
    call_id = _call_id(local_day + offset, rng, used_ids)
    transcript = _transcript(
        row, ruleset=ruleset, facts=facts, scrubber=scrubber, call=call, handler_name=handler_name
    )
    return SampleCall.model_validate(
        {
            "id": call_id,
            "title": _title(row, decision),
            "transcript": transcript,
            "audio": None,
            "facts": facts,
            "expected": _expected(decision),
            "learning_points": _learning_points(row, decision, scrubber, call),
        }
    )


def _names_held(rows: list[_Row], scrubber: Scrubber) -> frozenset[str]:
    """Every name the period's people, callers and staff have (lower case): no stand-in is
    ever one of them, so an anonymised call never names somebody the database holds."""
    held = set(scrubber.staff_words)
    for row in rows:
        for value in (*(row.person or ())[:2], *(row.caller or ())[:1]):
            if isinstance(value, str):
                held.update(part.lower() for part in re.split(r"[\s-]+", value) if part)
    return frozenset(held)


def _taken(row: _Row) -> set[str]:
    """The call's own identifiers, which a stand-in must never be (lower case, digits bare)."""
    taken: set[str] = set()
    values: list[Any] = [row.caller_number, *(row.person or ()), *(row.caller or ())]
    for value in values:
        if isinstance(value, str) and value.strip():
            taken.add(value.lower())
            digits = "".join(c for c in value if c.isdigit())
            if len(digits) >= 6:
                taken.add(digits)
            taken.update(part.lower() for part in value.split())
    return taken


def _scrubbed_fact(value: Any, spec: FactSpec | None, scrubber: Scrubber, call: Pseudonyms) -> Any:
    """A fact's value as it may leave: one of the rule set's own values as it is, any other
    text scrubbed (a rule set may add facts the desk records as words)."""
    if isinstance(value, str):
        if spec is not None and value in spec.values:
            return value
        return scrubber.scrub(value, call)
    if isinstance(value, list):
        return [_scrubbed_fact(item, spec, scrubber, call) for item in value]
    return value


def _call_id(day: date, rng: random.Random, used: set[str]) -> str:
    while True:
        candidate = f"anon-{day:%Y%m%d}-{rng.randrange(16**6):06x}"
        if candidate not in used:
            used.add(candidate)
            return candidate


def _title(row: _Row, decision: Decision) -> str:
    known = {kind.value for kind in CallerType}
    who = CallerType(row.caller_type).label if row.caller_type in known else "A caller"
    if decision.stream is not None:
        about = Stream(decision.stream).label
    else:
        about = "level 1: " + decision_words(decision.level1).lower()
    routes = ", ".join(
        decision_words(route.route) + (f" ({route.urgency})" if route.urgency else "")
        for route in decision.routes
    )
    title = f"Anonymised call from {who.lower()}: {about}" + (f", {routes}" if routes else "")
    return title if len(title) <= 120 else title[:117] + "..."


def _expected(decision: Decision) -> dict[str, Any]:
    return Expectation(
        level1=decision.level1,
        stream=decision.stream,
        routes=tuple(ExpectedRoute(route=r.route, urgency=r.urgency) for r in decision.routes),
        resolvable_at_first_contact=decision.resolvable_at_first_contact,
    ).model_dump()


_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _transcript(
    row: _Row,
    *,
    ruleset: RuleSet,
    facts: dict[str, Any],
    scrubber: Scrubber,
    call: Pseudonyms,
    handler_name: str,
) -> list[dict[str, Any]]:
    lines: list[tuple[str, str]] = [
        ("Handler", f"Single Point of Access, you're through to {handler_name}. How can I help?")
    ]
    lines.append(("Caller", _introduction(row, call)))
    notes = scrubber.scrub(row.notes, call) if row.notes and row.notes.strip() else ""
    lines.extend(("Caller", sentence) for sentence in _SENTENCE.split(notes) if sentence.strip())
    for name, value in facts.items():
        spec = ruleset.facts.get(name)
        if spec is None or name in ("caller_type", "professional_role", "line", "call_kind"):
            continue
        if name == "out_of_hours":
            continue
        if spec.type == "integer" and value is not None:
            lines.append(("Handler", f"{spec.label}?"))
            lines.append(("Caller", f"{value}."))
        elif spec.type == "bool" and value is True:
            lines.append(("Handler", f"{spec.label}?"))
            lines.append(("Caller", "Yes."))
        elif spec.type == "enum_set" and value:
            chosen = ", ".join(spec.label_of(str(v)).lower() for v in value)
            lines.append(("Handler", f"{spec.label}?"))
            lines.append(("Caller", f"Yes: {chosen}."))
        elif spec.type == "enum" and value and value != spec.default:
            lines.append(("Handler", f"{spec.label}?"))
            lines.append(("Caller", f"{spec.label_of(str(value))}."))
    lines.append(("Handler", "Thank you. I have everything I need for now."))
    timed: list[dict[str, Any]] = []
    at = 0.0
    for speaker, text in lines:
        timed.append({"speaker": speaker, "text": text[:2000], "at": round(at, 1)})
        at += max(2.0, len(text.split()) / WORDS_A_SECOND) + 1.0
    return timed


def _introduction(row: _Row, call: Pseudonyms) -> str:
    person = row.person
    about = ""
    if person is not None:
        about = f"{call.given(person[0])} {call.family(person[1])}"
    kind = row.caller_type
    if kind == CallerType.SELF.value:
        return (
            f"Hello, my name's {about}. I'm calling about myself."
            if about
            else ("Hello. I'm calling about myself.")
        )
    caller_name = ""
    relationship = ""
    organisation = ""
    if row.caller is not None:
        name, relationship_text, organisation_text, job, _phone = row.caller
        parts = (name or "").split()
        if parts:
            caller_name = " ".join([call.given(parts[0]), *(call.family(p) for p in parts[1:])])
        relationship = relationship_text or ""
        if organisation_text:
            organisation = call.practice(organisation_text)
        if job:
            relationship = relationship or job
    me = f"my name's {caller_name}" if caller_name else "I'd rather not give my name"
    if kind == CallerType.PROFESSIONAL.value:
        where = f" from {organisation}" if organisation else ""
        return f"Hello, {me}{where}. I'm calling about a patient of ours" + (
            f", {about}." if about else "."
        )
    who = f"my {relationship.lower()}" if relationship else "someone I care for"
    return f"Hello, {me}. I'm calling about {who}" + (f", {about}." if about else ".")


def _learning_points(
    row: _Row, decision: Decision, scrubber: Scrubber, call: Pseudonyms
) -> list[str]:
    points = [f"{entry.reason} ({entry.rule})." for entry in decision.trace if entry.reason]
    recorded = [(r.get("route"), r.get("urgency")) for r in row.final_routes]
    decided = [(r.route, r.urgency) for r in decision.routes]
    if row.overridden:
        reason = scrubber.scrub(row.override_reason or "", call).strip()
        points.append(
            "The handler overrode the recommendation"
            + (f" because: {reason}" if reason else "")
            + ". Would you have done the same?"
        )
    elif recorded and recorded != decided:
        points.append(
            "On the day the routes recorded were not the ones the rules in force now give: "
            "the rules have changed since."
        )
    return [p[:1].upper() + p[1:] for p in points] or ["Work through the screening in order."]


def _write(path: Path, call: SampleCall) -> None:
    data = call.model_dump(mode="json", exclude_none=False)
    if data.get("audio") is None:
        data.pop("audio", None)
    text = "# An anonymised sample call (SPEC 7): names, numbers, places and dates are stand-ins.\n"
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's, when PyYAML has it
    text += yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
    temporary = path.with_name(path.name + ".part")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
