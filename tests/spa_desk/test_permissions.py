"""The role and action matrix, reached through the service layer: each role is allowed exactly
what the matrix says and refused the rest, whether or not the desk's screens are used."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from spa_desk.access.login import authenticate
from spa_desk.access.users import list_users
from spa_desk.calls.contacts import contacts_between
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.governance.search import search_as
from spa_desk.permissions import PERMISSIONS, Action, PermissionDenied, allowed, require
from spa_desk.reports.period import period_figures
from spa_desk.rules.in_force import put_in_force, rules_in_force
from spa_desk.vocabulary import Role
from tests.factories import add_user
from triage_rules import default_ruleset
from triage_rules.loader import default_ruleset_path


def _another_version() -> bytes:
    """The shipped rule file under another version number: sound, and not the one in force."""
    return default_ruleset_path().read_bytes().replace(b'version: "1.2.0"', b'version: "9.0.0"')


Service = Callable[[Database, CurrentUser], object]

SERVICES: dict[str, tuple[tuple[Action, ...], Service]] = {
    "list users": ((Action.MANAGE_USERS,), list_users),
    "search the audit log": ((Action.VIEW_AUDIT,), search_as),
    "shift contacts": (
        (Action.LOG_CONTACT, Action.SIGN_REPORT),  # live records: never a trainer's (SPEC 7)
        lambda db, user: contacts_between(
            db, user, datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)
        ),
    ),
    "report figures": (
        (Action.VIEW_REPORTS,),  # live shift figures and override reasons: managers only
        lambda db, user: period_figures(
            db, user, datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)
        ),
    ),
    "put rules in force": (
        (Action.MANAGE_RULES,),
        lambda db, user: put_in_force(db, user, _another_version(), "spa-default-9.yaml"),
    ),
}


def _log_in_as(database: Database, role: Role) -> CurrentUser:
    add_user(database, role.value.replace("_", "-"), "pass phrase 1", roles=(role.value,))
    return authenticate(database, role.value.replace("_", "-"), "pass phrase 1")


@pytest.mark.parametrize("service", sorted(SERVICES))
@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_each_role_reaches_each_service_as_the_matrix_says(
    database: Database, role: Role, service: str
) -> None:
    user = _log_in_as(database, role)
    actions, call = SERVICES[service]
    if any(action in PERMISSIONS[role] for action in actions):
        call(database, user)
    else:
        with pytest.raises(PermissionDenied, match=r"may not .*Ask an administrator"):
            call(database, user)


@pytest.mark.parametrize("action", list(Action), ids=[a.value for a in Action])
@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_require_follows_the_matrix_for_every_role_and_action(role: Role, action: Action) -> None:
    import uuid

    user = CurrentUser(id=uuid.uuid4(), username="u", display_name="Pat Test", roles=(role,))
    assert allowed(user, action) == (action in PERMISSIONS[role])
    if action in PERMISSIONS[role]:
        require(user, action)
    else:
        with pytest.raises(PermissionDenied, match=f"Pat Test \\({role.label}\\) may not"):
            require(user, action)


def test_several_roles_add_up() -> None:
    import uuid

    user = CurrentUser(
        id=uuid.uuid4(), username="u", display_name="Pat Test",
        roles=(Role.CALL_HANDLER, Role.TRAINER),
    )  # fmt: skip
    assert allowed(user, Action.LOG_CONTACT) and allowed(user, Action.TRAINING_LIBRARY)
    assert not allowed(user, Action.MANAGE_USERS)


def test_least_privilege_in_the_matrix() -> None:
    assert Action.VIEW_PERSON not in PERMISSIONS[Role.SPA_MANAGER]
    assert Action.VIEW_PERSON not in PERMISSIONS[Role.TRAINER]
    assert Action.VIEW_PERSON not in PERMISSIONS[Role.ADMINISTRATOR]
    assert Action.OVERRIDE not in PERMISSIONS[Role.CALL_HANDLER]
    assert all(PERMISSIONS[role] for role in Role)


def test_a_refused_rule_change_leaves_the_rules_in_force(
    database: Database, tmp_path: Path
) -> None:
    manager = _log_in_as(database, Role.SPA_MANAGER)
    broken = default_ruleset_path().read_bytes().replace(b"route: nhs_111,", b"route: x,")
    from spa_desk.errors import KnownError

    with pytest.raises(KnownError, match="unknown route 'x'"):
        put_in_force(database, manager, broken, "broken.yaml")
    assert rules_in_force(database) is default_ruleset()
