"""The schema: migrations reach the head, times come back in UTC, and ids are made by the desk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from db.migrate import HEAD_REVISION, known_revisions
from db.models import Contact, User
from spa_desk.database import Database


def test_head_revision_constant_matches_alembic() -> None:
    from alembic.script import ScriptDirectory

    from db.migrate import alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD_REVISION
    assert HEAD_REVISION in known_revisions()


def test_times_are_stored_in_utc_and_come_back_aware(database: Database) -> None:
    summer = timezone(timedelta(hours=1))
    started = datetime(2026, 7, 1, 9, 30, tzinfo=summer)
    with database.sessions.begin() as session:
        user = User(username="u1", display_name="Test User", password_hash="x")
        session.add(user)
        session.flush()
        contact = Contact(started_at=started, handler_id=user.id)
        session.add(contact)
        session.flush()
        contact_id = contact.id
    with database.sessions() as session:
        stored = session.execute(select(Contact).where(Contact.id == contact_id)).scalar_one()
        assert stored.started_at == datetime(2026, 7, 1, 8, 30, tzinfo=UTC)
        assert stored.started_at.tzinfo is UTC
        assert stored.status == "draft"
        assert stored.facts == {}


def test_naive_times_are_refused(database: Database) -> None:
    from sqlalchemy.exc import StatementError

    with pytest.raises(StatementError, match="naive datetime"), database.sessions.begin() as s:
        user = User(username="u2", display_name="Test User", password_hash="x")
        s.add(user)
        s.flush()
        s.add(Contact(started_at=datetime(2026, 7, 1, 9, 30), handler_id=user.id))
        s.flush()
