"""Logging in: checks a user name and password and returns who is at the desk."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from db.models import User
from spa_desk.database import Database
from spa_desk.errors import LoginFailed
from spa_desk.passwords import hash_password, verify_password
from spa_desk.vocabulary import Role

_ROLE_PRECEDENCE = tuple(Role)
_DUMMY_HASH = hash_password("not a real password")


class CurrentUser(BaseModel):
    """The member of staff logged in at this desk, with every role they hold."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    username: str
    display_name: str
    roles: tuple[Role, ...]

    @property
    def main_role(self) -> Role:
        """The role shown in the status bar: the first in SPEC order that the user holds."""
        return min(self.roles, key=_ROLE_PRECEDENCE.index)

    @property
    def roles_label(self) -> str:
        """Every role in words, for example ``Call handler, Trainer``."""
        ordered = sorted(self.roles, key=_ROLE_PRECEDENCE.index)
        return ", ".join(role.label for role in ordered)


def authenticate(database: Database, username: str, password: str) -> CurrentUser:
    """The user whose name and password these are; LoginFailed (in words) otherwise.

    The message does not say which of the two was wrong, and an unknown name costs as much time
    as a wrong password, so neither gives away which user names exist.
    """
    with database.sessions() as session:
        user = session.execute(
            select(User).where(User.username == username.strip())
        ).scalar_one_or_none()
        if user is None:
            verify_password(_DUMMY_HASH, password)
            raise LoginFailed("Wrong user name or password.")
        if not verify_password(user.password_hash, password):
            raise LoginFailed("Wrong user name or password.")
        if not user.active:
            raise LoginFailed("This account is disabled. Ask an administrator to enable it.")
        roles = tuple(sorted((Role(r.role) for r in user.roles), key=_ROLE_PRECEDENCE.index))
        if not roles:
            raise LoginFailed("This account has no role yet. Ask an administrator to give it one.")
        return CurrentUser(
            id=user.id, username=user.username, display_name=user.display_name, roles=roles
        )
