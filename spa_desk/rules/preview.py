"""What a rule file would change before it is put in force: its problems, or its cases' results;
the rules, questions and facts it adds, removes or changes against the rules in force; and how
many of the last days' contacts it would decide differently, with a few of them as examples.

The contacts are screened again from the facts stored with each one, by both rule sets, so the
count is what changing the rules would change, whatever rules decided each contact at the time.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from db.models import Contact
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.permissions import Action, require
from spa_desk.rules.in_force import check_cases, in_force_text, load_for_desk, rules_in_force
from spa_desk.vocabulary import ContactStatus, Level1
from triage_rules import Decision, FactError, RuleSetError, evaluate
from triage_rules.cases import cases_path_for
from triage_rules.loader import parse_yaml, read_rule_file

PREVIEW_DAYS = 30
"""How far back the preview screens contacts again."""
EXAMPLES = 5
"""How many contacts decided differently the preview shows."""
_BATCH = 2000


class RuleProblem(BaseModel):
    """One problem of a rule or cases file: where it is and what is wrong, in words."""

    model_config = ConfigDict(frozen=True)

    file: str
    line: int | None
    where: str
    reason: str


class RuleFile(BaseModel):
    """A rule file as read from disk: its bytes, its cases beside it, and whether it is sound."""

    model_config = ConfigDict(frozen=True)

    path: str
    data: bytes
    cases: bytes | None
    problems: tuple[RuleProblem, ...] = ()
    failed_cases: tuple[str, ...] = ()
    case_count: int = 0
    title: str = ""
    version: str = ""

    @property
    def sound(self) -> bool:
        """True when it loads, names only what the desk knows, and every case passes."""
        return not self.problems and not self.failed_cases


def read_rule_file_for_desk(path: Path) -> RuleFile:
    """Read and check the rule file at ``path`` (and ``NAME.cases.yaml`` beside it)."""
    try:
        data = read_rule_file(path)
        cases_path = cases_path_for(path)
        cases = read_rule_file(cases_path) if cases_path.exists() else None
        ruleset = load_for_desk(data, str(path))
        failed = check_cases(ruleset, cases, str(cases_path))
    except RuleSetError as error:
        problems = tuple(
            RuleProblem(file=error.source, line=line, where=where, reason=reason)
            for line, where, reason in error.problems
        )
        return RuleFile(path=str(path), data=b"", cases=None, problems=problems)
    count = 0
    if cases is not None:
        count = len(parse_yaml(cases, str(cases_path))[0].get("cases", []))
    return RuleFile(
        path=str(path),
        data=data,
        cases=cases,
        failed_cases=tuple(failed),
        case_count=count,
        title=ruleset.title,
        version=f"{ruleset.id} {ruleset.version}",
    )


class RuleChanges(BaseModel):
    """Rules, questions and facts (by id or name) added, removed or changed."""

    model_config = ConfigDict(frozen=True)

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()


def _items(document: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every rule, question or other identified part (``id``) and fact (``name``) of a rule
    file, with its content written out canonically, so two versions can be compared."""
    if isinstance(document, dict):
        key = document.get("id") if path else None
        if key is None and path.startswith("facts"):
            key = document.get("name")
        if isinstance(key, str):
            yield key, json.dumps(document, sort_keys=True, default=str)
        for name, value in document.items():
            yield from _items(value, f"{path}.{name}" if path else str(name))
    elif isinstance(document, list):
        for value in document:
            yield from _items(value, path)


def rule_changes(before: bytes, after: bytes) -> RuleChanges:
    """What ``after`` adds, removes or changes against ``before`` (both rule-file bytes)."""
    old = dict(_items(parse_yaml(before, "in force")[0]))
    new = dict(_items(parse_yaml(after, "new")[0]))
    return RuleChanges(
        added=tuple(sorted(set(new) - set(old))),
        removed=tuple(sorted(set(old) - set(new))),
        changed=tuple(sorted(k for k in set(old) & set(new) if old[k] != new[k])),
    )


class DecidedDifferently(BaseModel):
    """A contact the new rules would decide differently: before and after, in words."""

    model_config = ConfigDict(frozen=True)

    contact_id: uuid.UUID
    started_at: datetime
    before: str
    after: str


class RulesPreview(BaseModel):
    """What putting a rule file in force would change."""

    model_config = ConfigDict(frozen=True)

    changes: RuleChanges
    days: int
    contacts: int
    decided_differently: int
    cannot_screen: int
    """Contacts whose stored facts the new rules refuse (a fact they no longer know, say)."""
    examples: tuple[DecidedDifferently, ...] = ()


def decision_words(decision: Decision) -> str:
    """A decision in a line: ``stream social care: adult social care (soon), vcs (routine)``."""
    where = decision.level1.replace("_", " ")
    if decision.stream:
        where = f"{decision.stream.replace('_', ' ')} stream"
    routes = ", ".join(
        f"{r.route.replace('_', ' ')}{f' ({r.urgency})' if r.urgency else ''}"
        for r in decision.routes
    )
    resolvable = "may be resolved" if decision.resolvable_at_first_contact else "refer"
    return f"{where}: {routes or 'no routes'}; {resolvable}"


def _decided(decision: Decision) -> tuple[Any, ...]:
    return (
        decision.level1,
        decision.stream,
        tuple((r.route, r.urgency) for r in decision.routes),
        decision.resolvable_at_first_contact,
    )


def preview(
    database: Database,
    actor: CurrentUser,
    data: bytes,
    file_name: str,
    *,
    days: int = PREVIEW_DAYS,
    now: datetime | None = None,
) -> RulesPreview:
    """Screen the last ``days`` days' contacts again with the rules in force and with ``data``.

    SPA managers only. RuleSetError when ``data`` is not a rule set the desk can use.
    """
    require(actor, Action.MANAGE_RULES)
    candidate = load_for_desk(data, file_name)
    in_force = rules_in_force(database)
    now = now or datetime.now(UTC)
    query = (
        select(Contact.id, Contact.started_at, Contact.facts)
        .where(
            Contact.status == ContactStatus.COMPLETE.value,
            Contact.started_at >= now - timedelta(days=days),
            Contact.started_at < now,
            Contact.level1 != Level1.NON_DATA.value,
        )
        .order_by(Contact.started_at.desc())
        .execution_options(yield_per=_BATCH)
    )
    contacts = differently = cannot = 0
    examples: list[DecidedDifferently] = []
    with database.sessions() as session:
        for contact_id, started_at, facts in session.execute(query):
            contacts += 1
            try:
                before = evaluate(in_force, facts or {})
                after = evaluate(candidate, facts or {})
            except FactError:
                cannot += 1
                continue
            if _decided(before) != _decided(after):
                differently += 1
                if len(examples) < EXAMPLES:
                    examples.append(
                        DecidedDifferently(
                            contact_id=contact_id,
                            started_at=started_at,
                            before=decision_words(before),
                            after=decision_words(after),
                        )
                    )
    return RulesPreview(
        changes=rule_changes(in_force_text(database), data),
        days=days,
        contacts=contacts,
        decided_differently=differently,
        cannot_screen=cannot,
        examples=tuple(examples),
    )
