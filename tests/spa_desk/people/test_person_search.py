"""Finding and adding people (SPEC 2 step 3): search by NHS number, phone, date of birth, postcode
or name as the handler types; a new person's every field checked in words, with consent; and the
family-name search key that migration 0002 fills in for people already stored."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import make_url

from db.engine import sqlite_url
from db.migrate import HEAD_REVISION, current_revision, upgrade
from db.models import AuditEvent, Consent, Person
from db.types import UTCDateTime
from spa_desk.access.login import authenticate
from spa_desk.calls.draft import CallDraft, save_draft
from spa_desk.database import Database, connect
from spa_desk.domain import CurrentUser
from spa_desk.errors import InvalidInput
from spa_desk.governance.search import search
from spa_desk.governance.verify import verify
from spa_desk.identifiers import nhs_check_digit
from spa_desk.people.consent import ConsentGiven
from spa_desk.people.records import create_person
from spa_desk.people.search import SearchKind, read_search, search_people
from spa_desk.permissions import PermissionDenied
from spa_desk.vocabulary import ConsentBasis, Role
from tests.conftest import POSTGRES_ENV, drop_postgres_database, postgres_admin_url
from tests.factories import add_person, add_user

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
CONSENT = ConsentGiven(basis=ConsentBasis.GIVEN_BY_PERSON, purpose="Screening a call")


def _user(database: Database, name: str, role: Role) -> CurrentUser:
    add_user(database, name, "pass phrase 1", roles=(role.value,), display_name=name.title())
    return authenticate(database, name, "pass phrase 1")


def _nhs(serial: int) -> str:
    """A valid test NHS number (999 range) from a serial number."""
    while True:
        first_nine = f"999{serial:06d}"
        check = nhs_check_digit(first_nine)
        if check is not None:
            return f"{first_nine}{check}"
        serial += 1


def _found(database: Database, actor: CurrentUser, text: str) -> list[str]:
    """The given names of the people found for ``text``, in the order shown."""
    return [person.given_name for person in search_people(database, actor, text).people]


@pytest.fixture
def people(database: Database) -> dict[str, uuid.UUID]:
    """A few fictional people to find."""
    return {
        "Ada": add_person(
            database,
            nhs_number="9990000026",
            given_name="Ada",
            family_name="Testperson",
            date_of_birth=date(1941, 3, 12),
            postcode="ZY1 1AA",
            phone_primary="07700900123",
        ),
        "Bert": add_person(
            database,
            nhs_number=_nhs(1234),
            given_name="Bert",
            family_name="testperson",
            date_of_birth=date(1950, 7, 4),
            postcode="ZY1 2BD",
            phone_primary="07700900456",
        ),
        "Cora": add_person(
            database,
            nhs_number=_nhs(500000),
            given_name="Cora",
            family_name="McExample",
            date_of_birth=date(1941, 3, 12),
            postcode="ZY12 3CE",
            phone_primary="01632960001",
        ),
        "Dan": add_person(
            database,
            nhs_number=None,
            given_name="Dan",
            family_name="Testington",
            date_of_birth=None,
            postcode=None,
            phone_primary=None,
        ),
    }


# --- search ---------------------------------------------------------------------------------


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
    handler = _user(database, "handler", Role.CALL_HANDLER)
    result = search_people(database, handler, text)
    assert (result.text, result.kind, result.more) == (text, kind, False)
    assert [p.given_name for p in result.people] == found
    assert {p.id for p in result.people} == {people[name] for name in found}


def test_a_match_shows_enough_to_pick_the_right_person(
    database: Database, people: dict[str, uuid.UUID]
) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    (ada,) = search_people(database, handler, "999 000 0026").people
    assert (ada.id, ada.name, ada.nhs_label) == (
        people["Ada"], "TESTPERSON, Ada", "999 000 0026 (test)",
    )  # fmt: skip
    assert (ada.date_of_birth, ada.postcode, ada.phone_primary) == (
        date(1941, 3, 12), "ZY1 1AA", "07700900123",
    )  # fmt: skip
    (dan,) = search_people(database, handler, "Testington").people
    assert dan.nhs_label == "no NHS number"
    # Searching opens no record, so nothing is audited.
    assert search(database, person_id=people["Ada"]) == []


@pytest.mark.parametrize("text", ["", " ", "a", " A ", "7", "12", "07", "077"])
def test_too_little_text_gives_no_search(
    database: Database, people: dict[str, uuid.UUID], text: str
) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    result = search_people(database, handler, text)
    assert (result.kind, result.people, result.more) == (None, (), False)


def test_results_are_limited_and_say_there_are_more(database: Database) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    for number in range(25):
        add_person(
            database,
            nhs_number=_nhs(700000 + number * 3),
            given_name=f"Given{number:02d}",
            family_name="Manyperson",
            phone_primary=None,
        )
    first = search_people(database, handler, "manyp")
    assert len(first.people) == 20 and first.more is True
    assert [p.given_name for p in first.people] == [f"Given{n:02d}" for n in range(20)]
    fewer = search_people(database, handler, "manyp", limit=5)
    assert len(fewer.people) == 5 and fewer.more is True
    everyone = search_people(database, handler, "manyp", limit=25)
    assert len(everyone.people) == 25 and everyone.more is False


@pytest.mark.parametrize("role", [Role.TRAINER, Role.SPA_MANAGER, Role.ADMINISTRATOR])
def test_search_needs_permission_to_open_records(
    database: Database, people: dict[str, uuid.UUID], role: Role
) -> None:
    someone = _user(database, "someone", role)
    with pytest.raises(PermissionDenied, match="may not open a person's record"):
        search_people(database, someone, "Testperson")


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


# --- adding a person ------------------------------------------------------------------------

FIELDS: dict[str, Any] = {
    "nhs_number": "999 000 0026",
    "given_name": " Ada ",
    "family_name": "  Van  der Testperson ",
    "date_of_birth": date(1941, 3, 12),
    "address_line1": "1 Example Row",
    "town": "Saltmarsh",
    "postcode": "zy11aa",
    "phone_primary": "+44 (0)7700 900 123",
    "phone_secondary": "",
}


def _call(database: Database, actor: CurrentUser) -> uuid.UUID:
    draft = CallDraft(started_at=NOW)
    save_draft(database, actor, draft, now=NOW)
    return draft.contact_id


def test_create_person_stores_checked_fields_and_consent(database: Database) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    contact_id = _call(database, handler)
    consent = ConsentGiven(
        basis=ConsentBasis.GIVEN_BY_REPRESENTATIVE, purpose="New caller", reason=None
    )
    record = create_person(database, handler, FIELDS, consent, contact_id=contact_id, now=NOW)

    assert (record.nhs_number, record.given_name, record.family_name) == (
        "9990000026", "Ada", "Van  der Testperson",
    )  # fmt: skip
    assert (record.postcode, record.phone_primary, record.phone_secondary) == (
        "ZY1 1AA", "07700900123", None,
    )  # fmt: skip
    assert (record.date_of_birth, record.town, record.version) == (
        date(1941, 3, 12),
        "Saltmarsh",
        1,
    )
    assert record.previous_contacts == () and record.open_referrals == ()
    assert record.flags == ("Test NHS number (999 range)",)
    with database.sessions() as session:
        person = session.get(Person, record.id)
        assert person is not None
        assert (person.family_key, person.created_at) == ("van der testperson", NOW)
        stored = session.scalars(select(Consent)).one()
    assert (stored.person_id, stored.contact_id, stored.user_id, stored.recorded_at) == (
        record.id, contact_id, handler.id, NOW,
    )  # fmt: skip
    assert (stored.basis, stored.purpose, stored.reason) == (
        "given_by_representative", "New caller", None,
    )  # fmt: skip

    (entry,) = search(database, person_id=record.id)
    assert (entry.action, entry.username, entry.occurred_at) == ("person_created", "handler", NOW)
    assert entry.details == {
        "fields": [
            "address_line1", "date_of_birth", "family_name", "given_name", "nhs_number",
            "phone_primary", "postcode", "town",
        ],
        "basis": "given_by_representative",
    }  # fmt: skip
    for value in ("Ada", "Testperson", "9990000026", "07700900123", "ZY1", "Saltmarsh", "1941"):
        assert value not in str(entry.details)
    assert verify(database).ok

    # Found at once by the new family name key, and by the number typed either way.
    assert [p.id for p in search_people(database, handler, "Van der Testperson, Ada").people] == [
        record.id
    ]
    assert [p.id for p in search_people(database, handler, "07700 900123").people] == [record.id]
    assert [p.id for p in search_people(database, handler, "+44 7700 900123").people] == [record.id]


def _rows(database: Database) -> list[int | None]:
    with database.sessions() as session:
        return [
            session.scalar(select(func.count()).select_from(table))
            for table in (Person, Consent, AuditEvent)
        ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"nhs_number": "999 000 0027"}, r"^NHS number: this is not a valid NHS number"),
        ({"nhs_number": "943 476 5910"}, r"^NHS number: this is not a valid NHS number"),
        ({"nhs_number": "99900000"}, r"^NHS number: this is not a valid NHS number"),
        ({"postcode": "SALT 1"}, r"^Postcode: 'SALT 1' is not a UK postcode"),
        ({"postcode": "ZY1"}, r"^Postcode: 'ZY1' is not a UK postcode"),
        ({"date_of_birth": date(2026, 3, 3)}, r"^Date of birth: this date is in the future"),
        ({"date_of_birth": "12/03/1941"}, r"^Date of birth: give a date"),
        ({"phone_primary": "12345"}, r"^Phone: '12345' is not a UK phone number"),
        ({"phone_secondary": "+1 555 0100"}, r"^Second phone: '\+1 555 0100' is not a UK"),
        ({"given_name": "  "}, r"^Given name: this cannot be left empty"),
        ({"family_name": None}, r"^Family name: this cannot be left empty"),
        ({"password_hash": "x"}, r"^password_hash: this field is not part of a person's record"),
    ],
)
def test_create_person_names_each_field_problem(
    database: Database, changes: dict[str, Any], message: str
) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    before = _rows(database)
    with pytest.raises(InvalidInput, match=message):
        create_person(database, handler, {**FIELDS, **changes}, CONSENT, now=NOW)
    assert _rows(database) == before


def test_valid_and_test_nhs_numbers_are_accepted(database: Database) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    real_format = create_person(
        database, handler, {**FIELDS, "nhs_number": "943 476 5919"}, CONSENT, now=NOW
    )
    assert real_format.nhs_number == "9434765919" and real_format.flags == ()
    test_number = create_person(
        database, handler, {**FIELDS, "nhs_number": _nhs(4321)}, CONSENT, now=NOW
    )
    assert test_number.flags == ("Test NHS number (999 range)",)
    nobody_knows = create_person(database, handler, {**FIELDS, "nhs_number": None}, CONSENT)
    assert nobody_knows.nhs_number is None


def test_create_person_refuses_a_known_nhs_number_and_needs_consent(database: Database) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    add_person(database, nhs_number="9990000026")
    before = _rows(database)
    with pytest.raises(InvalidInput, match=r"^NHS number: someone with this NHS number is already"):
        create_person(database, handler, FIELDS, CONSENT, now=NOW)
    fresh = {**FIELDS, "nhs_number": _nhs(2222)}
    with pytest.raises(InvalidInput, match=r"^Consent: record consent"):
        create_person(database, handler, fresh, None, now=NOW)
    lawful = ConsentGiven(basis=ConsentBasis.LAWFUL_BASIS, purpose="Police call")
    with pytest.raises(InvalidInput, match=r"^Reason: say why"):
        create_person(database, handler, fresh, lawful, now=NOW)
    assert _rows(database) == before


@pytest.mark.parametrize("role", [Role.TRAINER, Role.SPA_MANAGER])
def test_create_person_needs_permission(database: Database, role: Role) -> None:
    someone = _user(database, "someone", role)
    with pytest.raises(PermissionDenied, match="may not change a person's record"):
        create_person(database, someone, FIELDS, CONSENT, now=NOW)


# --- migration 0002 fills in the family name key --------------------------------------------

FIRST_REVISION = "0001_initial"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database with no schema at all, on each backend."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "old.sqlite3")
        return
    admin_url = postgres_admin_url()
    if admin_url is None:
        pytest.skip(f"no PostgreSQL server: set {POSTGRES_ENV} (scripts/with-postgres.sh does)")
    name = f"spa_old_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    yield url
    drop_postgres_database(admin_url, url)


def test_migration_0002_fills_in_the_family_key_of_people_already_stored(
    empty_database_url: str,
) -> None:
    database = connect(empty_database_url)
    upgrade(database.engine, FIRST_REVISION)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    people = sa.table(
        "people",
        sa.column("id", sa.Uuid()),
        sa.column("given_name", sa.String()),
        sa.column("family_name", sa.String()),
        sa.column("created_at", UTCDateTime()),
        sa.column("updated_at", UTCDateTime()),
        sa.column("version", sa.Integer()),
    )
    users = sa.table(
        "users",
        sa.column("id", sa.Uuid()),
        sa.column("username", sa.String()),
        sa.column("display_name", sa.String()),
        sa.column("password_hash", sa.String()),
        sa.column("active", sa.Boolean()),
        sa.column("failed_logins", sa.Integer()),
        sa.column("created_at", UTCDateTime()),
        sa.column("password_changed_at", UTCDateTime()),
    )
    contacts = sa.table(
        "contacts",
        *(sa.column(name, sa.Uuid()) for name in ("id", "person_id", "handler_id")),
        *(sa.column(name, UTCDateTime()) for name in ("started_at", "created_at", "updated_at")),
        *(sa.column(name, sa.String()) for name in ("line", "call_kind", "caller_type", "status")),
        *(sa.column(name, sa.JSON()) for name in ("facts", "recommended_routes", "final_routes")),
        sa.column("overridden", sa.Boolean()),
        sa.column("version", sa.Integer()),
    )
    names = {uuid.uuid4(): "  Van  der TESTPERSON ", uuid.uuid4(): "McExample", uuid.uuid4(): "Ng"}
    user_id, contact_id = uuid.uuid4(), uuid.uuid4()
    with database.engine.begin() as connection:
        connection.execute(
            people.insert(),
            [
                {"id": person_id, "given_name": "Ada", "family_name": family,
                 "created_at": at, "updated_at": at, "version": 1}
                for person_id, family in names.items()
            ],
        )  # fmt: skip
        # A person with a contact: the migration must not trip over the foreign key.
        connection.execute(
            users.insert().values(
                id=user_id, username="kept", display_name="Kept", password_hash="x",
                active=True, failed_logins=0, created_at=at, password_changed_at=at,
            )
        )  # fmt: skip
        connection.execute(
            contacts.insert().values(
                id=contact_id, person_id=next(iter(names)), handler_id=user_id, started_at=at,
                created_at=at, updated_at=at, line="general", call_kind="data",
                caller_type="self", status="complete", facts={}, recommended_routes=[],
                final_routes=[], overridden=False, version=1,
            )
        )  # fmt: skip

    upgrade(database.engine)

    with database.engine.connect() as connection:
        assert current_revision(connection) == HEAD_REVISION
        keys: dict[uuid.UUID, str] = dict(
            connection.execute(
                sa.select(people.c.id, sa.column("family_key")).select_from(people)
            ).all()
        )
        contact = connection.execute(
            sa.text("SELECT person_id, caller_number, draft FROM contacts")
        ).one()
        schema = inspect(connection)
        family_key = next(c for c in schema.get_columns("people") if c["name"] == "family_key")
        index_sql = (
            "SELECT sql FROM sqlite_master WHERE name = 'ix_people_family_key'"
            if connection.dialect.name == "sqlite"
            else "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_people_family_key'"
        )
        index = str(connection.execute(sa.text(index_sql)).scalar_one())
    database.close()
    assert keys == {
        person_id: " ".join(family.casefold().split()) for person_id, family in names.items()
    }
    assert sorted(keys.values()) == ["mcexample", "ng", "van der testperson"]
    assert str(contact.person_id).replace("-", "") == next(iter(names)).hex
    assert (contact.caller_number, contact.draft) == (None, None)
    assert family_key["nullable"] is False
    assert "family_key, lower(" in index and "given_name" in index  # revision 0003

    # The migrated database searches by family name like a new one.
    migrated = connect(empty_database_url)
    try:
        add_user(migrated, "handler", "pass phrase 1")
        handler = authenticate(migrated, "handler", "pass phrase 1")
        assert [p.family_name for p in search_people(migrated, handler, "VAN").people] == [
            "  Van  der TESTPERSON "
        ]
        assert len(search_people(migrated, handler, "Ada Mcex").people) == 1
    finally:
        migrated.close()
