"""Accounts: the first administrator, adding, disabling and resetting users, lock-out after five
failed log-ins, and an audit entry for each."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from spa_desk.access.login import LOCK_DURATION, authenticate
from spa_desk.access.users import add_user, disable_user, has_users, list_users, reset_password
from spa_desk.database import Database
from spa_desk.errors import InvalidInput, KnownError, LoginFailed
from spa_desk.governance.search import _search as search
from spa_desk.vocabulary import Role
from tests.cli_process import run_spa_desk

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def _first_admin(database: Database) -> tuple[str, str]:
    account, password = add_user(database, None, "root.admin", "Alex Admin", (Role.ADMINISTRATOR,))
    return account.username, password


def test_first_administrator_only_on_an_empty_database(database: Database) -> None:
    assert not has_users(database)
    with pytest.raises(InvalidInput, match="Roles: the first user must be an administrator"):
        add_user(database, None, "jo", "Jo Handler", (Role.CALL_HANDLER,))
    username, password = _first_admin(database)
    assert has_users(database)
    admin = authenticate(database, username, password)
    assert admin.roles == (Role.ADMINISTRATOR,)
    with pytest.raises(KnownError, match="Only an administrator can add users"):
        add_user(database, None, "sneaky", "Sneaky", (Role.ADMINISTRATOR,))


def test_administrator_adds_disables_and_resets(database: Database) -> None:
    admin = authenticate(database, *_first_admin(database))
    _, password = add_user(database, admin, "jo.h", "Jo Handler", (Role.CALL_HANDLER, Role.TRAINER))
    assert len(password) >= 12
    jo = authenticate(database, "jo.h", password)
    assert jo.roles == (Role.CALL_HANDLER, Role.TRAINER)
    with pytest.raises(InvalidInput, match=r"'jo\.h' is already taken"):
        add_user(database, admin, "jo.h", "Jo Again", (Role.CALL_HANDLER,))
    with pytest.raises(InvalidInput, match="User name"):
        add_user(database, admin, "Jo Bloggs", "Jo", (Role.CALL_HANDLER,))

    new_password = reset_password(database, admin, "jo.h")
    with pytest.raises(LoginFailed):
        authenticate(database, "jo.h", password)
    authenticate(database, "jo.h", new_password)

    disable_user(database, admin, "jo.h")
    with pytest.raises(LoginFailed, match="disabled"):
        authenticate(database, "jo.h", new_password)
    with pytest.raises(KnownError, match="your own account"):
        disable_user(database, admin, "root.admin")
    listed = {a.username: a.active for a in list_users(database, admin)}
    assert listed == {"jo.h": False, "root.admin": True}

    changes = [e.details.get("change") for e in search(database, user_id=admin.id)]
    assert {"added", "password reset", "disabled"} <= set(changes)


def test_five_failures_lock_the_account_for_fifteen_minutes(database: Database) -> None:
    admin = authenticate(database, *_first_admin(database))
    _, password = add_user(database, admin, "sam", "Sam Handler", (Role.CALL_HANDLER,))
    for attempt in range(4):
        with pytest.raises(LoginFailed, match="Wrong user name or password"):
            authenticate(database, "sam", f"guess {attempt}", now=NOW)
    with pytest.raises(LoginFailed, match="locked until"):
        authenticate(database, "sam", "guess 5", now=NOW)
    # Even the right password is refused while locked ...
    with pytest.raises(LoginFailed, match="locked after 5 failed log-ins"):
        authenticate(database, "sam", password, now=NOW + LOCK_DURATION - timedelta(seconds=1))
    # ... and accepted once the lock has run out.
    user = authenticate(database, "sam", password, now=NOW + LOCK_DURATION)
    assert user.username == "sam"
    actions = [e.action for e in search(database, user_id=user.id)]
    assert actions.count("login_failed") == 6 and "account_locked" in actions
    assert actions[0] == "login_succeeded"


def test_a_reset_lifts_a_lock(database: Database) -> None:
    admin = authenticate(database, *_first_admin(database))
    add_user(database, admin, "kim", "Kim Handler", (Role.CALL_HANDLER,))
    for attempt in range(5):
        with pytest.raises(LoginFailed):
            authenticate(database, "kim", f"guess {attempt}")
    password = reset_password(database, admin, "kim")
    assert authenticate(database, "kim", password).username == "kim"


def test_unknown_user_name_is_audited_without_what_was_typed(database: Database) -> None:
    with pytest.raises(LoginFailed, match="Wrong user name or password"):
        authenticate(database, "my secret password", "x")
    (entry,) = search(database)
    assert entry.action == "login_failed"
    assert "my secret password" not in str(entry.details)


def test_users_command_line(sqlite_database_url: str, isolated_home: Path) -> None:
    url = ("--database", sqlite_database_url)
    first = run_spa_desk(
        *url, "users", "add", "boss", "--name", "Bo Boss", "--role", "administrator",
        home=isolated_home,
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    password = first.stdout.split("One-time password: ")[1].split()[0]
    added = run_spa_desk(
        *url, "users", "add", "lee", "--name", "Lee Handler", "--role", "call_handler",
        "--as", "boss", stdin=password + "\n", home=isolated_home,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "Added 'lee' (Lee Handler: Call handler)." in added.stdout
    listed = run_spa_desk(*url, "users", "list", "--as", "boss", stdin=password + "\n",
                          home=isolated_home)  # fmt: skip
    assert listed.returncode == 0 and "lee" in listed.stdout and "boss" in listed.stdout
    refused = run_spa_desk(*url, "users", "list", "--as", "boss", stdin="wrong\n",
                           home=isolated_home)  # fmt: skip
    assert refused.returncode == 1
    assert "Wrong user name or password" in refused.stderr and "Traceback" not in refused.stderr
    not_admin = run_spa_desk(
        *url, "users", "disable", "boss", "--as", "lee",
        stdin=added.stdout.split("One-time password: ")[1].split()[0] + "\n", home=isolated_home,
    )  # fmt: skip
    assert not_admin.returncode == 1 and "may not manage user accounts" in not_admin.stderr
