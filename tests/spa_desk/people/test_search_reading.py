"""How the person search reads typed text: NHS number, phone, date of birth, postcode or name."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from spa_desk.database import Database
from spa_desk.people.search import SearchKind, read_search, search_people
from spa_desk.vocabulary import Role
from tests.spa_desk.people.helpers import signed_in


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("999", SearchKind.NHS_NUMBER, ["Ada", "Bert", "Cora"]),
        ("999 000 0", SearchKind.NHS_NUMBER, ["Ada"]),
        ("999 000 0026", SearchKind.NHS_NUMBER, ["Ada"]),
        ("9990012", SearchKind.NHS_NUMBER, ["Bert"]),
        ("07700 900", SearchKind.PHONE, ["Ada", "Bert"]),
        ("07700 900 123", SearchKind.PHONE, ["Ada"]),
        ("07700 900123", SearchKind.PHONE, ["Ada"]),
        ("+44 7700 900456", SearchKind.PHONE, ["Bert"]),
        ("+44 (0)7700 900456", SearchKind.PHONE, ["Bert"]),
        ("(01632) 960001", SearchKind.PHONE, ["Cora"]),
        ("12/03/1941", SearchKind.DATE_OF_BIRTH, ["Cora", "Ada"]),
        ("12-03-1941", SearchKind.DATE_OF_BIRTH, ["Cora", "Ada"]),
        ("1941-03-12", SearchKind.DATE_OF_BIRTH, ["Cora", "Ada"]),
        ("12 March 1941", SearchKind.DATE_OF_BIRTH, ["Cora", "Ada"]),
        ("4/7/1950", SearchKind.DATE_OF_BIRTH, ["Bert"]),
        ("ZY1 1AA", SearchKind.POSTCODE, ["Ada"]),
        ("zy1 1aa", SearchKind.POSTCODE, ["Ada"]),
        ("ZY11AA", SearchKind.POSTCODE, ["Ada"]),
        ("ZY11A", SearchKind.POSTCODE, ["Ada"]),
        ("ZY1 2", SearchKind.POSTCODE, ["Bert"]),
        ("ZY1", SearchKind.POSTCODE, ["Ada", "Bert", "Cora"]),
        ("ZY12", SearchKind.POSTCODE, ["Cora"]),
        ("ZY123CE", SearchKind.POSTCODE, ["Cora"]),
        ("Testp", SearchKind.NAME, ["Ada", "Bert"]),
        ("TESTPERSON", SearchKind.NAME, ["Ada", "Bert"]),
        ("test", SearchKind.NAME, ["Dan", "Ada", "Bert"]),
        ("mcex", SearchKind.NAME, ["Cora"]),
        ("Ada Testperson", SearchKind.NAME, ["Ada"]),
        ("b testp", SearchKind.NAME, ["Bert"]),
        ("Testperson, Bert", SearchKind.NAME, ["Bert"]),
        ("testperson,ada", SearchKind.NAME, ["Ada"]),
        ("Testperson  ,  a", SearchKind.NAME, ["Ada"]),
        ("Zed Testperson", SearchKind.NAME, []),
        ("Nobody", SearchKind.NAME, []),
    ],
)
def test_search_reads_the_text_and_finds_people(
    database: Database,
    people: dict[str, uuid.UUID],
    text: str,
    kind: SearchKind,
    found: list[str],
) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    result = search_people(database, handler, text)
    assert (result.text, result.kind, result.more) == (text, kind, False)
    assert [p.given_name for p in result.people] == found
    assert {p.id for p in result.people} == {people[name] for name in found}


@pytest.mark.parametrize("text", ["", " ", "a", " A ", "7", "12", "07", "077"])
def test_too_little_text_gives_no_search(
    database: Database, people: dict[str, uuid.UUID], text: str
) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    result = search_people(database, handler, text)
    assert (result.kind, result.people, result.more) == (None, (), False)


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("999 000 0026", (SearchKind.NHS_NUMBER, "9990000026")),
        ("07700-900-123", (SearchKind.PHONE, "07700900123")),
        ("+447700900123", (SearchKind.PHONE, "07700900123")),
        ("31/12/1940", (SearchKind.DATE_OF_BIRTH, date(1940, 12, 31))),
        ("31.12.1940", (SearchKind.DATE_OF_BIRTH, date(1940, 12, 31))),
        ("31-12-1940", (SearchKind.DATE_OF_BIRTH, date(1940, 12, 31))),
        ("1940-12-31", (SearchKind.DATE_OF_BIRTH, date(1940, 12, 31))),
        ("31 Dec 1940", (SearchKind.DATE_OF_BIRTH, date(1940, 12, 31))),
        ("sw1a 1aa", (SearchKind.POSTCODE, "SW1A 1AA")),
        ("Ada  Testperson", (SearchKind.NAME, ("testperson", "ada"))),
        ("Testperson, Ada Mary", (SearchKind.NAME, ("testperson", "ada", "mary"))),
        ("Ab", (SearchKind.NAME, ("ab",))),
        ("31/02/1940", (SearchKind.NAME, ("31/02/1940",))),
    ],
)
def test_read_search(text: str, reading: tuple[SearchKind, Any]) -> None:
    assert read_search(text) == reading
