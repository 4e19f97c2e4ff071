"""Changing the screening rules in force: SPA managers only, checked and audited.

A file that does not load, validate and pass its cases is refused and the rules in force stay.
"""

from __future__ import annotations

from pathlib import Path

from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import KnownError
from spa_desk.governance.log import AuditAction, record
from spa_desk.permissions import Action, require
from triage_rules import RuleSet, RuleSetError
from triage_rules.in_force import RulesInForce


def put_rules_in_force(
    database: Database, actor: CurrentUser, rules: RulesInForce, path: Path
) -> RuleSet:
    """Put the rule file at ``path`` in force for this desk; the new rule set.

    KnownError naming every problem when the file is refused (the old rules stay in force).
    """
    require(actor, Action.MANAGE_RULES)
    before = rules.ruleset
    try:
        ruleset = rules.replace_from(path)
    except RuleSetError as error:
        raise KnownError(
            f"The rule file was refused; the rules in force are unchanged.\n{error}"
        ) from None
    with database.sessions.begin() as session:
        record(
            session,
            action=AuditAction.RULESET_CHANGED,
            user_id=actor.id,
            entity_type="ruleset",
            entity_id=ruleset.id,
            details={
                "from_version": before.version,
                "from_sha256": before.sha256,
                "to_version": ruleset.version,
                "to_sha256": ruleset.sha256,
            },
        )
    return ruleset
