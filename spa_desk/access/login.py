"""Logging in: checks a user name and password and returns who is at the desk.

Five failed log-ins in a row lock the account for 15 minutes. Every log-in and every failure is
audited; the user name typed is not recorded for an unknown account (it may be a password typed
into the wrong box).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import User
from spa_desk.access.passwords import decoy_hash, verify_password
from spa_desk.access.users import streams_of
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import LoginFailed
from spa_desk.governance.log import AuditAction, record
from spa_desk.local_time import LONDON
from spa_desk.vocabulary import Role

MAX_FAILED_LOGINS = 5
LOCK_DURATION = timedelta(minutes=15)
_ROLE_PRECEDENCE = tuple(Role)
WRONG = "Wrong user name or password."


def _audit_failure(
    session: Session, user_id: uuid.UUID | None, now: datetime, reason: str, **extra: int
) -> None:
    record(
        session,
        action=AuditAction.LOGIN_FAILED,
        user_id=user_id,
        at=now,
        details={"reason": reason, **extra},
    )


def authenticate(
    database: Database, username: str, password: str, now: datetime | None = None
) -> CurrentUser:
    """The user whose name and password these are; LoginFailed (in words) otherwise.

    The message does not say which of the two was wrong, and an unknown name costs as much time
    as a wrong password, so neither gives away which user names exist.
    """
    now = now or datetime.now(UTC)
    with database.sessions() as session, session.begin():
        user = session.execute(
            select(User).where(User.username == username.strip())
        ).scalar_one_or_none()
        if user is None:
            verify_password(decoy_hash(), password)
            _audit_failure(session, None, now, "unknown user name")
            failure = LoginFailed(WRONG)
        elif user.locked_until is not None and user.locked_until > now:
            verify_password(decoy_hash(), password)
            _audit_failure(session, user.id, now, "account locked")
            until = user.locked_until.astimezone(LONDON)
            failure = LoginFailed(
                f"This account is locked after {MAX_FAILED_LOGINS} failed log-ins. Try again "
                f"after {until:%H:%M}, or ask an administrator to reset the password."
            )
        elif not verify_password(user.password_hash, password):
            user.failed_logins += 1
            _audit_failure(session, user.id, now, "wrong password", failures=user.failed_logins)
            failure = LoginFailed(WRONG)
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.failed_logins = 0
                user.locked_until = now + LOCK_DURATION
                record(
                    session,
                    action=AuditAction.ACCOUNT_LOCKED,
                    user_id=user.id,
                    at=now,
                    details={"minutes": int(LOCK_DURATION.total_seconds() // 60)},
                )
                until = user.locked_until.astimezone(LONDON)
                failure = LoginFailed(
                    f"{WRONG} That was the {MAX_FAILED_LOGINS}th failed log-in, so the account "
                    f"is locked until {until:%H:%M}."
                )
        elif not user.active:
            _audit_failure(session, user.id, now, "account disabled")
            failure = LoginFailed("This account is disabled. Ask an administrator to enable it.")
        elif not user.roles:
            _audit_failure(session, user.id, now, "no role")
            failure = LoginFailed("This account has no role yet. Ask an administrator for one.")
        else:
            user.failed_logins = 0
            user.locked_until = None
            record(session, action=AuditAction.LOGIN_SUCCEEDED, user_id=user.id, at=now)
            roles = tuple(sorted((Role(r.role) for r in user.roles), key=_ROLE_PRECEDENCE.index))
            return CurrentUser(
                id=user.id,
                username=user.username,
                display_name=user.display_name,
                roles=roles,
                streams=streams_of(user),
            )
    raise failure
