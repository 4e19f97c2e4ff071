"""The generated databases, kept between runs: the SQLite file under /tmp/spa-desk-bench/ keyed
by the sizes, and the PostgreSQL database loaded with COPY from the same generator."""

from __future__ import annotations

import os
import random
import sqlite3
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from bench.call_desk.contact_rows import CONTACT_COLUMNS, contact_chunk
from bench.call_desk.generators import Generators, contact_tasks, people_tasks
from bench.call_desk.people_rows import PEOPLE_COLUMNS, Chunk, people_chunk, person_ids
from bench.call_desk.settings import CACHE_DIR, END, GENERATOR_VERSION, SEED, YEARS
from db.engine import sqlite_url
from db.models import User, UserRole
from spa_desk.database import Database, open_database
from spa_desk.demo.users import DEMO_USERS, demo_user_rows
from spa_desk.vocabulary import Role


class _Progress:
    """Prints how far a bulk load has got, about every tenth of the way."""

    def __init__(self, what: str, total: int) -> None:
        self.what, self.total, self.done = what, total, 0
        self.start = time.perf_counter()
        self._next = total / 10

    def add(self, rows: int) -> None:
        self.done += rows
        if self.done >= self._next or self.done == self.total:
            elapsed = time.perf_counter() - self.start
            print(
                f"    {self.what}: {self.done:>10,} / {self.total:,} "
                f"({self.done / max(elapsed, 1e-9):,.0f} rows/s, {elapsed:.0f} s)",
                flush=True,
            )
            self._next += self.total / 10


def _users(database: Database) -> list[str]:
    """Insert the demo staff (no argon2 per user: one hash shared); the call handlers' ids."""
    rng = random.Random(f"{SEED}:users")

    def new_id() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    user_ids, users, roles = demo_user_rows(new_id, END - timedelta(days=365 * YEARS + 30))
    with database.sessions.begin() as session:
        session.execute(insert(User), users)
        session.execute(insert(UserRole), roles)
    return [user_ids[u.username].hex for u in DEMO_USERS if Role.CALL_HANDLER in u.roles]


# ---------------------------------------------------------------------------------------------
# Loading: SQLite through a raw connection with the journal off; PostgreSQL with COPY. The
# secondary indexes (and on PostgreSQL the keys) are dropped for the load and made again after,
# from the definitions the migrations gave them.


def _sqlite_path(people: int, contacts: int) -> Path:
    return CACHE_DIR / f"call-desk-{people}p-{contacts}c-v{GENERATOR_VERSION}.sqlite3"


def build_sqlite(people: int, contacts: int) -> tuple[Path, float | None]:
    """The cached SQLite database of this size, generated first when missing; seconds spent."""
    path = _sqlite_path(people, contacts)
    if path.exists():
        print(f"  SQLite: reusing {path} ({path.stat().st_size / 1e9:.1f} GB)", flush=True)
        return path, None
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    print(f"  SQLite: generating {people:,} people and {contacts:,} contacts in {path}", flush=True)
    start = time.perf_counter()
    database = open_database(sqlite_url(partial))
    handlers = _users(database)
    database.close()
    everyone = person_ids(people)
    with (
        Generators(everyone, handlers) as generators,  # forked before any connection is open
        closing(sqlite3.connect(partial, isolation_level=None)) as connection,
    ):
        for pragma in (
            "journal_mode=OFF",
            "synchronous=OFF",
            "locking_mode=EXCLUSIVE",
            "cache_size=-1000000",
            "temp_store=MEMORY",
        ):
            connection.execute(f"PRAGMA {pragma}")
        indexes = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN ('people', 'contacts')"
        ).fetchall()
        for name, _sql in indexes:
            connection.execute(f'DROP INDEX "{name}"')
        chunks = generators.chunks(people_chunk, people_tasks(everyone, copy_text=False))
        _sqlite_load(connection, "people", PEOPLE_COLUMNS, chunks, people)
        chunks = generators.chunks(contact_chunk, contact_tasks(contacts, copy_text=False))
        _sqlite_load(connection, "contacts", CONTACT_COLUMNS, chunks, contacts)
        generators.close()
        for name, sql in indexes:
            began = time.perf_counter()
            connection.execute(sql)
            print(f"    index {name}: {time.perf_counter() - began:.1f} s", flush=True)
        connection.execute("PRAGMA locking_mode=NORMAL")
        connection.execute("PRAGMA journal_mode=WAL")
    partial.rename(path)
    os.sync()  # the written pages reach the disk now, not while the searches are timed
    seconds = time.perf_counter() - start
    size = path.stat().st_size / 1e9
    print(f"  SQLite: generated in {seconds:.0f} s ({size:.1f} GB)", flush=True)
    return path, seconds


def _sqlite_load(
    connection: sqlite3.Connection,
    table: str,
    columns: Sequence[str],
    chunks: Iterator[Chunk],
    total: int,
) -> None:
    statement = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    )
    progress = _Progress(table, total)
    connection.execute("BEGIN")
    for count, rows in chunks:
        connection.executemany(statement, rows)
        progress.add(count)
    connection.execute("COMMIT")


def _postgres_url(admin_url: str, people: int, contacts: int) -> tuple[str, str]:
    name = f"spa_bench_call_desk_{people}p_{contacts}c"
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    return name, url


def _generation_key(people: int, contacts: int) -> str:
    return f"spa-desk call-desk bench: {people} people, {contacts} contacts, v{GENERATOR_VERSION}"


def build_postgres(admin_url: str, people: int, contacts: int) -> tuple[str, float | None]:
    """The PostgreSQL database of this size, generated first unless a finished one is there."""
    name, url = _postgres_url(admin_url, people, contacts)
    key = _generation_key(people, contacts)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            found = connection.execute(
                text(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                    "WHERE datname = :name"
                ),
                {"name": name},
            ).first()
            if found is not None and found[0] == key:
                print(f"  PostgreSQL: reusing database {name}", flush=True)
                return url, None
            print(f"  PostgreSQL: generating {people:,} people and {contacts:,} contacts in {name}")
            start = time.perf_counter()
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        database = open_database(url, upgrade_schema=True)
        handlers = _users(database)
        database.close()
        _postgres_load(url, people, contacts, handlers)
        with admin.connect() as connection:
            connection.execute(text(f"COMMENT ON DATABASE \"{name}\" IS '{key}'"))
    finally:
        admin.dispose()
    seconds = time.perf_counter() - start
    print(f"  PostgreSQL: generated in {seconds:.0f} s", flush=True)
    return url, seconds


def _postgres_load(url: str, people: int, contacts: int, handlers: list[str]) -> None:
    import psycopg

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    everyone = person_ids(people)
    generators = Generators(everyone, handlers)  # forked before any connection is open
    with generators, psycopg.connect(conninfo, autocommit=True) as raw:
        raw.execute("SET maintenance_work_mem = '1GB'")
        constraints = raw.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype IN ('p', 'u', 'f') AND (conrelid IN "
            "('people'::regclass, 'contacts'::regclass) OR confrelid IN "
            "('people'::regclass, 'contacts'::regclass)) ORDER BY contype <> 'f', conname"
        ).fetchall()  # foreign keys first, then unique and primary keys
        indexes = raw.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('people', 'contacts') "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        ).fetchall()
        for table, constraint, _definition in constraints:
            raw.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"')
        for index, _definition in indexes:
            raw.execute(f'DROP INDEX "{index}"')
        chunks = generators.chunks(people_chunk, people_tasks(everyone, copy_text=True))
        _copy(raw, "people", PEOPLE_COLUMNS, chunks, people)
        chunks = generators.chunks(contact_chunk, contact_tasks(contacts, copy_text=True))
        _copy(raw, "contacts", CONTACT_COLUMNS, chunks, contacts)
        generators.close()
        for table, constraint, definition in reversed(constraints):
            began = time.perf_counter()
            raw.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{constraint}" {definition}')
            print(f"    constraint {constraint}: {time.perf_counter() - began:.1f} s", flush=True)
        for index, definition in indexes:
            began = time.perf_counter()
            raw.execute(definition)
            print(f"    index {index}: {time.perf_counter() - began:.1f} s", flush=True)
        began = time.perf_counter()
        raw.execute("VACUUM ANALYZE people")
        raw.execute("VACUUM ANALYZE contacts")
        raw.execute("CHECKPOINT")
        print(f"    vacuum analyze, checkpoint: {time.perf_counter() - began:.1f} s", flush=True)
    os.sync()  # the written pages reach the disk now, not while the searches are timed


def _copy(
    raw: Any, table: str, columns: Sequence[str], chunks: Iterator[Chunk], total: int
) -> None:
    progress = _Progress(table, total)
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with raw.transaction(), raw.cursor() as cursor, cursor.copy(statement) as copy:
        for count, text_ in chunks:
            copy.write(text_)
            progress.add(count)
