"""Logging in: checks a user name and password and returns who is at the desk."""

from __future__ import annotations

from sqlalchemy import select

from db.models import User
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import LoginFailed
from spa_desk.passwords import decoy_hash, verify_password
from spa_desk.vocabulary import Role

_ROLE_PRECEDENCE = tuple(Role)


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
            verify_password(decoy_hash(), password)
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
