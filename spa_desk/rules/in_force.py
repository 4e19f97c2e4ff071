"""The rules in force are the SPA manager's (SPEC 4 and 8): every desk screens with them.

A rule file is put in force only when it loads, validates against the desk's own vocabulary (a
route the desk cannot show is refused in words) and passes its cases; it is then kept in the
database, text and all, so any version can be put back in force later. Putting in force and
rolling back are audited. Until a manager puts rules in force, the shipped default rule set is.
"""

from __future__ import annotations

import hashlib
import threading
import uuid
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import RuleSetVersion, RulesInForce, User
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import KnownError
from spa_desk.governance.log import AuditAction, record
from spa_desk.permissions import Action, require
from spa_desk.vocabulary import DESK_VOCABULARY
from triage_rules import RuleSet, RuleSetError, default_ruleset, load_ruleset_text
from triage_rules.cases import load_cases_text, run_cases
from triage_rules.loader import default_ruleset_path


class RuleSetInfo(BaseModel):
    """A kept rule set as managers see it."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    ruleset_id: str
    version: str
    title: str
    sha256: str
    file_name: str
    added_at: datetime
    added_by: str | None
    in_force_from: datetime | None = None
    """When it was last put (or put back) in force; None if it never was."""
    in_force: bool = False


def load_for_desk(data: bytes, source: str) -> RuleSet:
    """A rule file's rule set, checked against the desk's vocabulary; RuleSetError otherwise."""
    return load_ruleset_text(data, source, DESK_VOCABULARY)


def check_cases(ruleset: RuleSet, cases: bytes | None, source: str) -> list[str]:
    """Every case of a cases file that fails with ``ruleset``, in words (none when all pass)."""
    if cases is None:
        return []
    results = run_cases(ruleset, load_cases_text(cases, source))
    return [f"case {r.name!r}: {'; '.join(r.differences)}" for r in results if not r.passed]


_CACHE: dict[str, RuleSet] = {}
_CACHE_LOCK = threading.Lock()


def _compiled(sha256: str, source: str, file_name: str) -> RuleSet:
    """A kept rule set, compiled once per process (the same text always gives the same rules)."""
    with _CACHE_LOCK:
        cached = _CACHE.get(sha256)
    if cached is not None:
        return cached
    ruleset = load_for_desk(source.encode("utf-8"), file_name)
    with _CACHE_LOCK:
        _CACHE[sha256] = ruleset
    return ruleset


def _current(session: Session) -> RuleSetVersion | None:
    newest = session.execute(
        select(RuleSetVersion)
        .join(RulesInForce, RulesInForce.rule_set_id == RuleSetVersion.id)
        .order_by(RulesInForce.position.desc())
        .limit(1)
    ).scalar_one_or_none()
    return newest


def rules_in_force(database: Database) -> RuleSet:
    """The rule set every call is screened with now: the manager's, else the shipped default.

    One small query each time, so a desk picks up a change at its next call; the rules
    themselves are compiled once per process.
    """
    with database.sessions() as session:
        current = _current(session)
        if current is None:
            return default_ruleset()
        return _compiled(current.sha256, current.source, current.file_name)


def in_force_text(database: Database) -> bytes:
    """The text of the rule file in force (the kept one, or the shipped default)."""
    with database.sessions() as session:
        current = _current(session)
        if current is not None:
            return current.source.encode("utf-8")
    return default_ruleset_path().read_bytes()


def _info(session: Session, row: RuleSetVersion, current_id: uuid.UUID | None) -> RuleSetInfo:
    added_by = session.get(User, row.added_by) if row.added_by else None
    last = session.scalar(
        select(func.max(RulesInForce.from_at)).where(RulesInForce.rule_set_id == row.id)
    )
    return RuleSetInfo(
        id=row.id,
        ruleset_id=row.ruleset_id,
        version=row.version,
        title=row.title,
        sha256=row.sha256,
        file_name=row.file_name,
        added_at=row.added_at,
        added_by=added_by.display_name if added_by else None,
        in_force_from=last,
        in_force=row.id == current_id,
    )


def kept_rule_sets(database: Database, actor: CurrentUser) -> list[RuleSetInfo]:
    """Every rule set put in force so far, newest first, the one in force marked."""
    require(actor, Action.MANAGE_RULES)
    with database.sessions() as session:
        current = _current(session)
        current_id = current.id if current else None
        rows = session.scalars(select(RuleSetVersion).order_by(RuleSetVersion.added_at.desc()))
        return [_info(session, row, current_id) for row in rows]


def in_force_summary(database: Database, actor: CurrentUser) -> str:
    """The rules in force in words: ``spa-default 1.1.0 (shipped) ``, say."""
    require(actor, Action.MANAGE_RULES)
    ruleset = rules_in_force(database)
    shipped = ruleset.sha256 == default_ruleset().sha256
    return (
        f"{ruleset.title}: {ruleset.id} version {ruleset.version}"
        f"{' (shipped with the desk)' if shipped else ''}, sha256 {ruleset.sha256[:12]}…"
    )


def _put(
    session: Session,
    actor: CurrentUser,
    row: RuleSetVersion,
    *,
    before: RuleSet,
    now: datetime,
    rolled_back: bool,
) -> None:
    last = session.scalar(select(func.max(RulesInForce.position))) or 0
    session.add(
        RulesInForce(
            position=last + 1,
            rule_set_id=row.id,
            from_at=now,
            by_user=actor.id,
            rolled_back=rolled_back,
        )
    )
    session.flush()
    record(
        session,
        action=AuditAction.RULESET_CHANGED,
        user_id=actor.id,
        entity_type="ruleset",
        entity_id=row.ruleset_id[:64],
        details={
            "change": "rolled back" if rolled_back else "put in force",
            "from_version": before.version,
            "from_sha256": before.sha256,
            "to_version": row.version,
            "to_sha256": row.sha256,
        },
        at=now,
    )


def put_in_force(
    database: Database,
    actor: CurrentUser,
    data: bytes,
    file_name: str,
    cases: bytes | None = None,
    *,
    now: datetime | None = None,
) -> RuleSetInfo:
    """Put the rule file ``data`` in force for every desk; refused in words (the rules in force
    stay) when it does not load, names what the desk does not know, or fails a case."""
    require(actor, Action.MANAGE_RULES)
    now = now or datetime.now(UTC)
    try:
        candidate = load_for_desk(data, file_name)
        failed = check_cases(candidate, cases, f"{file_name} (cases)")
    except RuleSetError as error:
        refused = f"The rule file was refused; the rules in force are unchanged.\n{error}"
        raise KnownError(refused) from None
    if failed:
        raise KnownError(
            "The rule file was refused: its cases do not all pass; the rules in force are "
            "unchanged.\n" + "\n".join(failed)
        )
    before = rules_in_force(database)
    if candidate.sha256 == before.sha256:
        raise KnownError("These rules are already in force.")
    sha256 = hashlib.sha256(data).hexdigest()
    with database.sessions.begin() as session:
        row = session.scalar(select(RuleSetVersion).where(RuleSetVersion.sha256 == sha256))
        if row is None:
            row = RuleSetVersion(
                ruleset_id=candidate.id,
                version=candidate.version,
                title=candidate.title,
                sha256=sha256,
                source=data.decode("utf-8"),
                cases=cases.decode("utf-8") if cases is not None else None,
                file_name=file_name[-255:],
                added_at=now,
                added_by=actor.id,
            )
            session.add(row)
            session.flush()
        _put(session, actor, row, before=before, now=now, rolled_back=False)
        return _info(session, row, row.id)


def roll_back(
    database: Database, actor: CurrentUser, rule_set: uuid.UUID, *, now: datetime | None = None
) -> RuleSetInfo:
    """Put a rule set kept earlier back in force (audited)."""
    require(actor, Action.MANAGE_RULES)
    now = now or datetime.now(UTC)
    before = rules_in_force(database)
    with database.sessions.begin() as session:
        row = session.get(RuleSetVersion, rule_set)
        if row is None:
            raise KnownError("That rule set is not kept here.")
        if row.sha256 == before.sha256:
            raise KnownError("That rule set is the one in force.")
        _compiled(row.sha256, row.source, row.file_name)  # still sound for this desk
        _put(session, actor, row, before=before, now=now, rolled_back=True)
        return _info(session, row, row.id)


def shipped_rule_file() -> tuple[bytes, bytes | None]:
    """The shipped default rule file and its cases, to put the default back in force."""
    path = default_ruleset_path()
    cases = path.with_name(path.name.replace(".yaml", ".cases.yaml"))
    return path.read_bytes(), cases.read_bytes() if cases.exists() else None
