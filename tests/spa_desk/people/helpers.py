"""Shared by the person tests: a signed-in user of a role and valid test NHS numbers."""

from __future__ import annotations

from spa_desk.access.login import authenticate
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.identifiers import nhs_check_digit
from spa_desk.vocabulary import Role
from tests.factories import add_user


def signed_in(database: Database, name: str, role: Role) -> CurrentUser:
    """A new user with this one role, logged in."""
    add_user(database, name, "pass phrase 1", roles=(role.value,), display_name=name.title())
    return authenticate(database, name, "pass phrase 1")


def valid_nhs(serial: int) -> str:
    """A valid test NHS number (999 range) from a serial number."""
    while True:
        first_nine = f"999{serial:06d}"
        check = nhs_check_digit(first_nine)
        if check is not None:
            return f"{first_nine}{check}"
        serial += 1
