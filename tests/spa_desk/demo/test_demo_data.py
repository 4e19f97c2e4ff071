"""Demo data: reference volume and shape, fictional identities, FCR near the reference, repeatable.

One month is generated once into an SQLite file for the heavy checks; a few days are generated on
each backend for the smoke test, truncation at now and refusal of a non-empty database.
"""

from __future__ import annotations

import hashlib
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from db.engine import sqlite_url
from db.models import Caller, Contact, Person, Referral, Service, ServiceGap, User, UserRole
from spa_desk.database import Database, open_database
from spa_desk.demo.generator import (
    DemoProgress,
    DemoSummary,
    database_is_empty,
    generate_demo_data,
)
from spa_desk.demo.users import DEMO_HANDLER_USERNAME, DEMO_USERS
from spa_desk.demo.volume import expected_calls_by_hour
from spa_desk.errors import KnownError
from spa_desk.fictional.identities import is_drama_phone
from spa_desk.identifiers import is_test_nhs_number, is_valid_nhs_number
from spa_desk.local_time import LONDON
from tests.conftest import TemplateDatabases

START = date(2026, 3, 1)  # March 2026: 31 days, five Mondays, the spring clock change
AFTER = datetime(2026, 4, 15, tzinfo=UTC)
SEED = 7
RESOLVABLE_ROUTES = {"resolved", "vcs", "own_gp"}
TABLES = (
    "users", "user_roles", "services", "people", "callers", "contacts", "consents", "referrals",
    "service_gaps",
)  # fmt: skip


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, DemoSummary]]:
    """One month of demo data in an SQLite file, shared by the read-only checks below."""
    path = tmp_path_factory.mktemp("demo") / "month.sqlite3"
    database = open_database(sqlite_url(path))
    steps: list[DemoProgress] = []
    summary = generate_demo_data(
        database, months=1, start=START, seed=SEED, now=AFTER, progress=steps.append
    )
    call_steps = [s for s in steps if s.stage == "calls"]
    assert len(call_steps) >= 3
    assert [s.done for s in call_steps] == sorted(s.done for s in call_steps)
    assert call_steps[-1].done == call_steps[-1].total
    assert call_steps[-1].total == summary.contacts + summary.calls_in_progress
    assert summary.calls_in_progress == 0  # the whole period is in the past
    assert steps[-1] == DemoProgress(stage="saving", done=1, total=1)
    yield database, summary
    database.close()


@pytest.fixture(scope="module")
def contacts(month: tuple[Database, DemoSummary]) -> list[Any]:
    database, _ = month
    with database.sessions() as session:
        return list(session.execute(select(Contact)).scalars())


def local_counts(rows: list[Any]) -> tuple[dict[tuple[date, int], int], dict[date, int]]:
    by_hour: dict[tuple[date, int], int] = Counter()
    by_day: dict[date, int] = Counter()
    for contact in rows:
        local = contact.started_at.astimezone(LONDON)
        by_hour[(local.date(), local.hour)] += 1
        by_day[local.date()] += 1
    return by_hour, by_day


def test_volume_is_the_reference_12000_a_month(
    month: tuple[Database, DemoSummary], contacts: list[Any]
) -> None:
    _, summary = month
    expected = 12_000 * 31 / 30.44
    assert abs(len(contacts) - expected) < 0.1 * expected
    assert summary.contacts == len(contacts)
    assert (summary.start, summary.end) == (START, date(2026, 4, 1))
    assert summary.users == len(DEMO_USERS)
    assert 1_500 < summary.people < 3_000


def test_demand_has_daytime_peaks_quiet_weekends_and_a_monday_surge(contacts: list[Any]) -> None:
    by_hour, by_day = local_counts(contacts)
    days = [START + timedelta(days=i) for i in range(31)]
    daytime = statistics.mean(by_hour[(d, h)] for d in days for h in (10, 11))
    small_hours = statistics.mean(by_hour[(d, h)] for d in days for h in (3, 4))
    assert daytime > 3 * small_hours
    assert all(by_day[d] > 0 for d in days)  # 24/7: every day has calls
    assert sum(by_hour[(d, 3)] for d in days) > 0  # even at 3 in the morning
    per_weekday = {
        wd: statistics.mean(by_day[d] for d in days if d.weekday() == wd) for wd in range(7)
    }
    assert max(per_weekday[5], per_weekday[6]) < min(per_weekday[wd] for wd in range(5))
    assert per_weekday[0] == max(per_weekday.values())


def test_people_are_fictional(month: tuple[Database, DemoSummary]) -> None:
    database, _ = month
    with database.sessions() as session:
        people = list(session.execute(select(Person)).scalars())
        callers = list(session.execute(select(Caller)).scalars())
        services = list(session.execute(select(Service)).scalars())
    numbers = [p.nhs_number for p in people]
    assert all(n is not None and is_valid_nhs_number(n) and is_test_nhs_number(n) for n in numbers)
    assert len(set(numbers)) == len(numbers)
    phones = [p.phone_primary for p in people] + [p.phone_secondary for p in people]
    phones += [c.phone for c in callers] + [s.phone for s in services]
    assert all(is_drama_phone(p) and " " not in p for p in phones if p is not None)
    assert all(p.phone_primary for p in people)
    assert all(re.fullmatch(r"ZY[1-9] [0-9][A-Z]{2}", p.postcode or "") for p in people)
    assert {p.town for p in people} == {"Saltmarsh"}
    ages = [(START - p.date_of_birth).days // 365 for p in people if p.date_of_birth]
    assert all(17 <= age <= 102 for age in ages)
    assert 0.55 < sum(age >= 65 for age in ages) / len(ages) < 0.9


def fcr(rows: list[Any]) -> float:
    data = [c for c in rows if c.call_kind == "data" and c.status == "complete"]
    return 100 * sum(bool(c.resolved_at_first_contact) for c in data) / len(data)


def test_first_contact_resolution_is_near_the_reference(contacts: list[Any]) -> None:
    by_stream: dict[str, list[Any]] = defaultdict(list)
    for contact in contacts:
        if contact.stream:
            by_stream[contact.stream].append(contact)
    mental_health_ooh = [c for c in by_stream["mental_health"] if c.facts["out_of_hours"]]
    assert fcr(by_stream["social_care"]) == pytest.approx(73, abs=6)
    assert fcr(by_stream["health"]) == pytest.approx(26, abs=6)
    assert fcr(mental_health_ooh) == pytest.approx(67, abs=6)
    assert fcr(by_stream["hospital_discharge"]) < 20


def test_the_mix_of_calls_is_realistic(contacts: list[Any]) -> None:
    share = Counter(c.caller_type for c in contacts)
    assert 0.28 < share["self"] / len(contacts) < 0.42
    assert 0.24 < share["professional"] / len(contacts) < 0.36
    lines = Counter(c.line for c in contacts)
    assert 0.35 < lines["general"] / len(contacts) < 0.45
    assert 0.04 < lines["hospital_discharge"] / len(contacts) < 0.08
    outcomes = Counter(c.outcome for c in contacts)
    assert 0.035 < outcomes["non_data"] / len(contacts) < 0.065
    assert 0.005 < outcomes["emergency"] / len(contacts) < 0.02
    for contact in contacts:
        line_stream = {"health": "health", "social_care": "social_care"}.get(contact.line)
        if contact.stream and line_stream:
            assert contact.stream in (line_stream, "hospital_discharge")
        if contact.line == "hospital_discharge":
            assert contact.stream in (None, "hospital_discharge")


def test_contacts_are_recorded_whole(contacts: list[Any]) -> None:
    for c in contacts:
        assert c.status == "complete"
        assert c.started_at < c.answered_at <= c.ended_at < c.wrap_up_ended_at
        assert 5 <= (c.answered_at - c.started_at).total_seconds() <= 60
        local = c.started_at.astimezone(LONDON)
        assert c.facts["out_of_hours"] is (local.weekday() >= 5 or not 8 <= local.hour < 18)
        assert (c.facts["line"], c.facts["caller_type"]) == (c.line, c.caller_type)
        assert c.notes and c.ruleset_id == "spa-default"
        if c.call_kind != "data":
            assert (c.person_id, c.level1, c.outcome, c.final_routes) == (
                None, "non_data", "non_data", [],
            )  # fmt: skip
            continue
        assert c.person_id is not None and c.consent_basis is not None
        assert isinstance(c.facts["age"], int) and c.facts["age"] >= 17
        assert c.outcome in ("resolved", "referred", "emergency")
        assert c.resolved_at_first_contact is (c.outcome == "resolved")
        assert c.overridden is (c.final_routes != c.recommended_routes)
        if c.outcome == "resolved":
            assert c.resolution_method is not None
            for route in c.final_routes:
                assert route["route"] in RESOLVABLE_ROUTES or route["urgency"] == "routine"
    data = [c for c in contacts if c.call_kind == "data"]
    talk = statistics.median((c.ended_at - c.answered_at).total_seconds() for c in data)
    wrap = statistics.median((c.wrap_up_ended_at - c.ended_at).total_seconds() for c in data)
    assert 300 < talk < 420 and 95 < wrap < 145
    overridden = [c for c in data if c.overridden]
    assert 0.01 < len(overridden) / len(data) < 0.03
    assert all(c.override_reason for c in overridden)


def test_people_ring_again_and_professionals_are_known_callers(contacts: list[Any]) -> None:
    per_person = Counter(c.person_id for c in contacts if c.person_id)
    assert max(per_person.values()) >= 10
    assert sum(1 for n in per_person.values() if n == 1) > len(per_person) / 10
    assert statistics.median(per_person.values()) <= 4
    professional = [c for c in contacts if c.caller_type == "professional" and c.person_id]
    assert all(c.caller_id is not None for c in professional)
    assert len({c.caller_id for c in professional}) < len(professional) / 10


def test_referrals_gaps_and_handlers(
    month: tuple[Database, DemoSummary], contacts: list[Any]
) -> None:
    database, _ = month
    with database.sessions() as session:
        referrals = Counter(session.execute(select(Referral.contact_id)).scalars())
        routed = session.execute(
            select(Referral.route, Referral.urgency, Service.route, Service.name).join(
                Service, Referral.service_id == Service.id
            )
        ).all()
        gaps = list(session.execute(select(ServiceGap)).scalars())
        handler_ids = set(
            session.execute(
                select(User.id).join(UserRole).where(UserRole.role == "call_handler")
            ).scalars()
        )
        main = session.execute(select(User.id).where(User.username == DEMO_HANDLER_USERNAME))
        main_id = main.scalar_one()
    for c in contacts:
        onward = [r for r in c.final_routes if r["route"] != "resolved"]
        expected = len(onward) if c.outcome in ("referred", "emergency") else 0
        assert referrals.get(c.id, 0) == expected
    assert len(routed) == sum(referrals.values())
    assert all(route == service_route for route, _, service_route, _ in routed)
    assert {
        name
        for route, urgency, _, name in routed
        if (route, urgency) == ("mental_health", "urgent")
    } == {"Crisis Resolution and Home Treatment"}
    data = sum(1 for c in contacts if c.call_kind == "data")
    assert 0.02 < len(gaps) / data < 0.04
    assert {g.age_band for g in gaps} <= {"18-64", "65-74", "75-84", "85+"}
    assert all(re.fullmatch(r"ZY[1-9]", g.area or "") for g in gaps)
    assert Counter(g.need for g in gaps).most_common(1)[0][0] == "chiropody for older people"
    per_handler = Counter(c.handler_id for c in contacts)
    assert set(per_handler) <= handler_ids and len(per_handler) == len(handler_ids)
    assert per_handler[main_id] > len(contacts) / 40


def digest(database: Database) -> str:
    """A hash of every row of every demo table (password hashes have a random salt)."""
    sha = hashlib.sha256()
    with database.engine.connect() as connection:
        for table in TABLES:
            rows = connection.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2")).mappings()
            for row in rows:
                sha.update(
                    repr(sorted((k, v) for k, v in row.items() if k != "password_hash")).encode()
                )
    return sha.hexdigest()


def test_same_seed_same_data_and_another_seed_other_data(
    tmp_path: Path, template_databases: TemplateDatabases
) -> None:
    digests = []
    for name, seed in (("a", SEED), ("b", SEED), ("c", SEED + 1)):
        database = open_database(template_databases.sqlite_copy(tmp_path / f"{name}.sqlite3"))
        try:
            generate_demo_data(
                database, months=1, start=START, seed=seed, now=datetime(2026, 3, 4, tzinfo=UTC)
            )
            digests.append(digest(database))
        finally:
            database.close()
    assert digests[0] == digests[1]
    assert digests[0] != digests[2]


def test_smoke_truncation_at_now_and_refusal_on_each_backend(database: Database) -> None:
    now = datetime(2026, 3, 3, 12, 30, tzinfo=UTC)
    assert database_is_empty(database)
    generate_demo_data(database, months=1, start=START, seed=SEED, now=now)
    with database.sessions() as session:
        rows = list(session.execute(select(Contact)).scalars())
        people = session.execute(select(func.count()).select_from(Person)).scalar_one()
    expected = sum(mean for at, mean in expected_calls_by_hour(START, date(2026, 4, 1)) if at < now)
    assert abs(len(rows) - expected) < 0.15 * expected
    assert people > 0 and all(c.started_at < now for c in rows)
    drafts = [c for c in rows if c.status == "draft"]
    assert 1 <= len(drafts) <= 3
    for draft in drafts:
        assert now - timedelta(hours=6) <= draft.started_at < now
        assert (draft.outcome, draft.final_routes, draft.wrap_up_ended_at) == (None, [], None)
        assert draft.person_id is not None and draft.recommended_routes
    complete = [c for c in rows if c.status == "complete"]
    assert all(c.wrap_up_ended_at is not None and c.wrap_up_ended_at <= now for c in complete)
    assert not database_is_empty(database)
    with pytest.raises(KnownError, match="already holds"):
        generate_demo_data(database, months=1, start=START, seed=SEED, now=now)


def test_at_least_one_month(sqlite_database_url: str) -> None:
    database = open_database(sqlite_database_url)
    try:
        with pytest.raises(KnownError, match="at least 1"):
            generate_demo_data(database, months=0, start=START, seed=SEED, now=AFTER)
        assert database_is_empty(database)
    finally:
        database.close()
