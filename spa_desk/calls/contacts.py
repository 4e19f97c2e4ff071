"""Reading contacts for the desk's lists: the contacts of a span of time, newest first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from db.models import Contact, User
from spa_desk.database import Database, database_errors
from spa_desk.domain import ContactSummary, CurrentUser, contact_summary
from spa_desk.permissions import Action, require_any


def contacts_between(
    database: Database, actor: CurrentUser, start: datetime, end: datetime
) -> list[ContactSummary]:
    """Contacts started in [start, end), newest first: the live shift, for staff who take calls
    and the SPA managers who sign its reports. Trainers view reports too, but never live records
    (SPEC 7), so viewing reports is not enough.

    PermissionDenied for other roles; DatabaseFailure when the database fails.
    """
    require_any(actor, Action.LOG_CONTACT, Action.SIGN_REPORT)
    query = (
        select(Contact, User.display_name)
        .join(User, Contact.handler_id == User.id)
        .where(Contact.started_at >= start, Contact.started_at < end)
        .order_by(Contact.started_at.desc())
    )
    with database_errors(database.url), database.sessions() as session:
        rows = session.execute(query).all()
    return [contact_summary(contact, handler_name) for contact, handler_name in rows]
