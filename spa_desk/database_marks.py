"""What a database says it is for, kept in the database itself (``database_marks``): a training
database (SPEC 7) is marked ``purpose`` = ``training``. Shared by training mode, which makes the
mark, and the reports, which print TRAINING on every page of a report counted on one."""

from __future__ import annotations

from db.models import DatabaseMark
from spa_desk.database import Database

PURPOSE = "purpose"
TRAINING = "training"


def is_training(database: Database) -> bool:
    """True when ``database`` is marked as a training database."""
    with database.sessions() as session:
        mark = session.get(DatabaseMark, PURPOSE)
        return mark is not None and mark.value == TRAINING
