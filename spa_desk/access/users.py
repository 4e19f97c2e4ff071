"""User accounts: adding, disabling, resetting passwords and listing them (administrators only),
and creating the first administrator of a fresh database. Every change is audited.

Passwords set here are one-time passwords made with ``secrets``: shown once to the administrator
to hand over, never stored or logged in clear.
"""

from __future__ import annotations

import re
import secrets
import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import User, UserRole, UserStream
from spa_desk.access.passwords import hash_password
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import InvalidInput, KnownError
from spa_desk.governance.log import AuditAction, record
from spa_desk.permissions import Action, require
from spa_desk.vocabulary import Role, Stream

USERNAME_PATTERN = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")
MIN_PASSWORD_LENGTH = 10


class UserAccount(BaseModel):
    """An account as administrators see it (never its password hash)."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    username: str
    display_name: str
    roles: tuple[Role, ...]
    streams: tuple[Stream, ...] = ()
    active: bool
    locked_until: datetime | None


def one_time_password() -> str:
    """A fresh random password to hand to a user once."""
    return secrets.token_urlsafe(9)


def streams_of(user: User) -> tuple[Stream, ...]:
    """The streams ``user`` works, in the vocabulary's order (none unless a practitioner)."""
    if Role.PRACTITIONER.value not in {r.role for r in user.roles}:
        return ()
    held = {s.stream for s in user.streams}
    return tuple(stream for stream in Stream if stream.value in held)


def _account(user: User) -> UserAccount:
    roles = tuple(sorted((Role(r.role) for r in user.roles), key=list(Role).index))
    return UserAccount(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        roles=roles,
        streams=streams_of(user),
        active=user.active,
        locked_until=user.locked_until,
    )


def has_users(database: Database) -> bool:
    """True once the database holds any account (so the first administrator has been made)."""
    with database.sessions() as session:
        return session.execute(select(User.id).limit(1)).first() is not None


def list_users(database: Database, actor: CurrentUser) -> list[UserAccount]:
    """Every account, by user name."""
    require(actor, Action.MANAGE_USERS)
    with database.sessions() as session:
        users = session.execute(select(User).order_by(User.username)).scalars().all()
        return [_account(user) for user in users]


def _check_new_account(username: str, display_name: str, roles: tuple[Role, ...]) -> None:
    if not USERNAME_PATTERN.match(username):
        raise InvalidInput(
            "User name",
            f"{username!r} must be 2-32 characters: lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter",
        )
    if not display_name.strip():
        raise InvalidInput("Name", "enter the name to show for this user")
    if not roles:
        raise InvalidInput("Roles", "give the user at least one role")


def _audit_user_change(
    session: Session, actor_id: uuid.UUID, user: User, change: str, **extra: object
) -> None:
    record(
        session,
        action=AuditAction.USER_CHANGED,
        user_id=actor_id,
        entity_type="user",
        entity_id=str(user.id),
        details={"change": change, "username": user.username, **extra},
    )


def add_user(
    database: Database,
    actor: CurrentUser | None,
    username: str,
    display_name: str,
    roles: tuple[Role, ...],
    *,
    password: str | None = None,
    streams: tuple[Stream, ...] = (),
) -> tuple[UserAccount, str]:
    """Add an account; the account and its password (a one-time one unless ``password`` given).

    A practitioner works ``streams`` (every stream when none is named); streams for someone
    who is not a practitioner are refused. With no ``actor`` this makes the first administrator
    of an empty database, and only that.
    """
    _check_new_account(username, display_name, roles)
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("Password", f"use at least {MIN_PASSWORD_LENGTH} characters")
    password = password or one_time_password()
    with database.sessions.begin() as session:
        count = session.execute(select(func.count()).select_from(User)).scalar_one()
        if actor is None:
            if count:
                raise KnownError("Only an administrator can add users once the first one exists.")
            if Role.ADMINISTRATOR not in roles:
                raise InvalidInput("Roles", "the first user must be an administrator")
        else:
            require(actor, Action.MANAGE_USERS)
        taken = session.execute(select(User.id).where(User.username == username)).first()
        if taken is not None:
            raise InvalidInput("User name", f"{username!r} is already taken")
        user = User(
            username=username,
            display_name=display_name.strip(),
            password_hash=hash_password(password),
            roles=[UserRole(role=role.value) for role in roles],
            streams=[UserStream(stream=stream.value) for stream in _streams_for(roles, streams)],
        )
        session.add(user)
        session.flush()
        roles_given = [role.value for role in roles]
        _audit_user_change(
            session, actor.id if actor else user.id, user, "added", roles=roles_given
        )
        return _account(user), password


def _streams_for(roles: tuple[Role, ...], streams: tuple[Stream, ...]) -> tuple[Stream, ...]:
    if Role.PRACTITIONER not in roles:
        if streams:
            raise InvalidInput("Streams", "only a practitioner works streams")
        return ()
    return tuple(dict.fromkeys(streams)) or tuple(Stream)


def set_streams(
    database: Database, actor: CurrentUser, username: str, streams: tuple[Stream, ...]
) -> UserAccount:
    """Give a practitioner the streams they work (at least one); audited."""
    require(actor, Action.MANAGE_USERS)
    if not streams:
        raise InvalidInput("Streams", "a practitioner works at least one stream")
    with database.sessions.begin() as session:
        user = _target(session, username)
        if Role.PRACTITIONER.value not in {r.role for r in user.roles}:
            raise InvalidInput("Streams", f"{username!r} is not a practitioner")
        chosen = tuple(dict.fromkeys(streams))
        wanted = {stream.value for stream in chosen}
        for held in [s for s in user.streams if s.stream not in wanted]:
            user.streams.remove(held)
        session.flush()  # the streams given up go before any is added back
        have = {s.stream for s in user.streams}
        user.streams.extend(UserStream(stream=v) for v in sorted(wanted - have))
        session.flush()
        _audit_user_change(
            session, actor.id, user, "streams", streams=[stream.value for stream in chosen]
        )
        return _account(user)


def _target(session: Session, username: str) -> User:
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        raise InvalidInput("User name", f"there is no user {username!r}")
    return user


def disable_user(database: Database, actor: CurrentUser, username: str) -> UserAccount:
    """Stop an account from logging in (its history stays)."""
    require(actor, Action.MANAGE_USERS)
    with database.sessions.begin() as session:
        user = _target(session, username)
        if user.id == actor.id:
            raise KnownError("You cannot disable your own account.")
        if Role.ADMINISTRATOR.value in {r.role for r in user.roles} and user.active:
            admins = session.execute(
                select(func.count(func.distinct(User.id)))
                .join(UserRole)
                .where(UserRole.role == Role.ADMINISTRATOR.value, User.active.is_(True))
            ).scalar_one()
            if admins <= 1:
                raise KnownError(f"{username!r} is the last active administrator.")
        user.active = False
        _audit_user_change(session, actor.id, user, "disabled")
        return _account(user)


def reset_password(database: Database, actor: CurrentUser, username: str) -> str:
    """Give an account a new one-time password (and lift any lock); the password."""
    require(actor, Action.MANAGE_USERS)
    password = one_time_password()
    with database.sessions.begin() as session:
        user = _target(session, username)
        user.password_hash = hash_password(password)
        user.failed_logins = 0
        user.locked_until = None
        _audit_user_change(session, actor.id, user, "password reset")
    return password
