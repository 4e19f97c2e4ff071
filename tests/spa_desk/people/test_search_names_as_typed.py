"""Names found as people type them: case and accents do not matter, on SQLite and PostgreSQL
alike, and the given-and-family search stays an index range scan."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import insert, select

from db.models import Person
from spa_desk.database import Database
from spa_desk.people.consent import ConsentGiven
from spa_desk.people.records import create_person, open_person, update_person
from spa_desk.people.search import SearchKind, _query, read_search, search_people
from spa_desk.vocabulary import ConsentBasis, Role
from tests.factories import add_person
from tests.spa_desk.people.helpers import signed_in, valid_nhs

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
CONSENT = ConsentGiven(basis=ConsentBasis.GIVEN_BY_PERSON, purpose="Screening a call")


@pytest.fixture
def accented(database: Database) -> dict[str, uuid.UUID]:
    """Fictional people whose names carry accents, and one whose name is plain ASCII."""
    names = {
        "Élodie": "Lefèvre",
        "Zoë": "Ñúñez",
        "Zed": "Nunan",
        "Ada": "Zoëtestperson",
    }
    return {
        given: add_person(
            database,
            nhs_number=valid_nhs(810000 + number * 7),
            given_name=given,
            family_name=family,
            phone_primary=None,
        )
        for number, (given, family) in enumerate(names.items())
    }


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # The family name alone.
        ("lefèvre", ["Élodie"]),
        ("lefevre", ["Élodie"]),
        ("LEFEVRE", ["Élodie"]),
        ("LEFÈVRE", ["Élodie"]),
        ("Lefe", ["Élodie"]),
        ("ñúñez", ["Zoë"]),
        ("nunez", ["Zoë"]),
        ("NUNEZ", ["Zoë"]),
        ("nun", ["Zed", "Zoë"]),
        ("zoe", ["Ada"]),
        ("ZOË", ["Ada"]),
        # "Given Family".
        ("élodie lefèvre", ["Élodie"]),
        ("Elodie Lefevre", ["Élodie"]),
        ("ELODIE LEFEVRE", ["Élodie"]),
        ("elo lef", ["Élodie"]),
        ("ELODIE Lefèvre", ["Élodie"]),  # the family name as stored, the given name not
        ("zoe Ñúñez", ["Zoë"]),
        ("zoe nunez", ["Zoë"]),
        ("Zoë Ñúñez", ["Zoë"]),
        ("ZOE NÚÑEZ", ["Zoë"]),
        ("z nun", ["Zed", "Zoë"]),
        ("ada zoe", ["Ada"]),
        # "Family, Given".
        ("Lefevre, élodie", ["Élodie"]),
        ("lefèvre, Elodie", ["Élodie"]),
        ("LEFEVRE, ELODIE", ["Élodie"]),
        ("Lefèvre, élodie", ["Élodie"]),
        ("Ñúñez, zoe", ["Zoë"]),
        ("Nunez, zoe", ["Zoë"]),
        ("ñúñez,ZOË", ["Zoë"]),
        ("nunez, zoe", ["Zoë"]),
        # Accents typed as separate combining marks (NFD) find the composed name, and back.
        (unicodedata.normalize("NFD", "Élodie Lefèvre"), ["Élodie"]),
        ("Zoe\u0308 N\u0303un\u0303ez", ["Zoë"]),
        # Letters that are not the same stay apart.
        ("zoa nunez", []),
        ("elodie nunez", []),
    ],
)
def test_names_are_found_whatever_the_case_and_accents(
    database: Database, accented: dict[str, uuid.UUID], text: str, found: list[str]
) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    result = search_people(database, handler, text)
    assert result.kind is SearchKind.NAME
    assert [p.given_name for p in result.people] == found
    assert {p.id for p in result.people} == {accented[name] for name in found}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Élodie Lefèvre", ("lefevre", "elodie")),
        ("ÑÚÑEZ, Zoë", ("nunez", "zoe")),
        ("zoe\u0308", ("zoe",)),
        ("O'Brien-Strauß", ("o'brien-strauss",)),
    ],
)
def test_typed_words_are_read_through_the_name_key(text: str, words: tuple[str, ...]) -> None:
    assert read_search(text) == (SearchKind.NAME, words)


def test_accents_alone_are_no_search() -> None:
    assert read_search("\u0301\u0308") is None  # no letters: nothing to look for


def _keys(database: Database, person_id: uuid.UUID) -> tuple[str, str]:
    with database.sessions() as session:
        person = session.get(Person, person_id)
        assert person is not None
        return person.family_key, person.given_key


def test_create_and_update_keep_both_name_keys(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    fields: dict[str, Any] = {"given_name": " Zoë ", "family_name": "Élodie-Ñúñez"}
    record = create_person(database, handler, fields, CONSENT, now=NOW)
    assert _keys(database, record.id) == ("elodie-nunez", "zoe")
    assert [p.id for p in search_people(database, handler, "zoe elodie-nunez").people] == [
        record.id
    ]

    opened = open_person(database, handler, record.id, CONSENT, now=NOW)
    changed = update_person(
        database, handler, record.id, {"given_name": "Anaïs"}, opened.version, now=NOW
    )
    assert _keys(database, record.id) == ("elodie-nunez", "anais")
    changed = update_person(
        database, handler, record.id, {"family_name": "Brontë"}, changed.version, now=NOW
    )
    assert _keys(database, record.id) == ("bronte", "anais")
    assert [p.id for p in search_people(database, handler, "BRONTE, anais").people] == [record.id]
    assert search_people(database, handler, "zoe elodie").people == ()


def test_rows_inserted_in_bulk_get_both_name_keys(database: Database) -> None:
    # Demo data inserts people's rows in bulk with Core; the table's defaults fill the keys.
    rows = [
        {"id": uuid.uuid4(), "given_name": "Zoë", "family_name": "Ñúñez"},
        {"id": uuid.uuid4(), "given_name": "ÉLODIE", "family_name": "Van der Lefèvre"},
    ]
    with database.sessions.begin() as session:
        session.execute(insert(Person), rows)
    with database.sessions() as session:
        stored = session.execute(
            select(Person.given_key, Person.family_key).order_by(Person.family_key)
        ).all()
    assert [tuple(row) for row in stored] == [("zoe", "nunez"), ("elodie", "van der lefevre")]


def _plan(database: Database, text: str) -> str:
    """The database's plan for the search of ``text``, as one string."""
    reading = read_search(text)
    assert reading is not None
    statement = _query(*reading).limit(21)
    with database.sessions() as session:
        connection = session.connection()
        compiled = statement.compile(connection)
        if database.is_sqlite:
            sql, parameters = str(compiled), compiled.positiontup or ()
            rows = connection.exec_driver_sql(
                f"EXPLAIN QUERY PLAN {sql}",
                tuple(compiled.params[name] for name in parameters),
            ).all()
            return "\n".join(str(row[-1]) for row in rows)
        # A handful of rows would be read whole; ask whether the index can answer at all.
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        connection.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
        rows = connection.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params).all()
        return "\n".join(str(row[0]) for row in rows)


@pytest.mark.parametrize("text", ["Zoë Ñúñez", "Ñúñez, Zoë", "Ñúñez"])
def test_name_search_is_an_index_range_scan_in_index_order(
    database: Database, accented: dict[str, uuid.UUID], text: str
) -> None:
    plan = _plan(database, text)
    if database.is_sqlite:
        assert "SEARCH people USING INDEX ix_people_name_keys (family_key>? AND family_key<?)" in (
            plan
        ), plan
    else:
        assert "Index Scan using ix_people_name_keys on people" in plan, plan
        assert "Index Cond: (((family_key)::text >=" in plan, plan
        if "," in text or " " in text:
            assert "(given_key)::text >=" in plan.split("Index Cond:")[1], plan
    assert "SCAN people" not in plan and "Seq Scan" not in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan  # read in index order
