"""Training mode (SPEC 7): trainees work the normal desk against a separate training database,
marked TRAINING everywhere, so that nothing from training reaches live data or live reports.

The mark lives in the database itself (``database_marks``: ``purpose`` = ``training``): a desk
opened on a training database shows TRAINING whatever it was started with, and ``--training``
refuses a database that already holds people or contacts without the mark (a live one). The
training database is ``--database`` when given with ``--training``, else
``$SPA_DESK_TRAINING_DATABASE_URL``, else ``training.sqlite3`` beside the live embedded file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import select

from db.models import Contact, DatabaseMark, Person
from spa_desk.database import Database
from spa_desk.database_marks import PURPOSE, TRAINING, is_training
from spa_desk.errors import KnownError

TRAINING_DATABASE_ENV = "SPA_DESK_TRAINING_DATABASE_URL"
TRAINING_FILE_NAME = "training.sqlite3"


class LiveDatabase(KnownError):
    """Training mode was asked for on a database that holds live records."""


def training_database_url(
    cli_url: str | None, data_dir: Path, environ: Mapping[str, str] = os.environ
) -> str:
    """The training database: ``--database``, else the environment, else the file beside the
    live one in the data folder."""
    for candidate in (cli_url, environ.get(TRAINING_DATABASE_ENV)):
        if candidate:
            return candidate
    return f"sqlite+pysqlite:///{data_dir / TRAINING_FILE_NAME}"


def make_training(database: Database) -> None:
    """Mark ``database`` for training (once); LiveDatabase when it holds live records already."""
    if is_training(database):
        return
    with database.sessions.begin() as session:
        holds = any(
            session.execute(select(model.id).limit(1)).first() is not None
            for model in (Person, Contact)
        )
        if holds:
            raise LiveDatabase(
                f"{database.description} holds people or contacts and is not a training "
                "database: training never uses live records. Leave out --database to use the "
                f"training database, or give an empty one (or set {TRAINING_DATABASE_ENV})."
            )
        session.add(DatabaseMark(key=PURPOSE, value=TRAINING))
