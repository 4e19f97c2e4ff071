"""The call desk on a big database (issue 5): finding a person while the handler types, saving a
call, and the GUI staying responsive meanwhile.

The database is generated: 1,000,000 fictional people and 5,000,000 complete contacts by
default (``--people N --contacts M`` to scale down), loaded in bulk into the real schema (made
by the migrations, so the indexes are the real ones). The SQLite file is kept under
``/tmp/spa-desk-bench/`` keyed by the sizes, so a second run reuses it; PostgreSQL (when
``SPA_DESK_TEST_POSTGRES_URL`` is set, as under ``scripts/with-postgres.sh``) is loaded from the
same generator, so both hold the same rows.

Measured on each database:

- search while typing: a handler types names, NHS numbers, phone numbers, postcodes and dates
  of birth of people who exist, one character at a time; every keystroke that searches is one
  ``search_people`` call. Baselines in the same run: a ``SELECT 1`` round trip and a
  primary-key read of one person through the same session factory;
- saving: ``save_call`` of non-data calls, information calls resolved at first contact and
  stream calls a practitioner refers (consent recorded beforehand, outside the timing), and the
  per-second autosave ``save_draft``. Baseline: a one-row UPDATE and its commit;
- the GUI: in a Qt application on a qasync loop, a 5 ms timer probe records the gaps between its
  firings while the same typing and saving run through ``DeskBackend`` on its database thread;
  the baseline is the probe over as long with nothing running. What ran during the longest
  stall is named, and the cost of a full garbage collection (which stalls the GUI whichever
  thread triggers it) is measured as well.

Each database is generated and measured before the next one is loaded, so no measurement shares
the disk with a bulk load's write-back.

Targets: search p95 under 50 ms, save p95 under 20 ms, longest GUI stall under 50 ms.
"""

from __future__ import annotations

import bisect
import gc
import itertools
import json
import math
import multiprocessing
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any, NamedTuple, ParamSpec, TypeVar

from sqlalchemy import create_engine, insert, select, text, update
from sqlalchemy.engine import make_url

from db.engine import sqlite_url
from db.models import Person, User, UserRole, name_key
from spa_desk.calls.draft import CallDraft, GapNote, ProfessionalCaller, save_draft
from spa_desk.calls.save import save_call
from spa_desk.calls.screening import resolvable, screening
from spa_desk.database import Database, open_database
from spa_desk.demo import mix
from spa_desk.demo.calls import routes_json
from spa_desk.demo.scenario_types import CallScenario, ScenarioGroup
from spa_desk.demo.scenarios import SCENARIOS, scenarios_in
from spa_desk.demo.users import DEMO_USERS, demo_user_rows
from spa_desk.domain import CurrentUser, RouteChoice
from spa_desk.fictional import identities as ids
from spa_desk.identifiers import nhs_check_digit
from spa_desk.people.age import age_on
from spa_desk.people.consent import ConsentGiven
from spa_desk.people.records import open_person
from spa_desk.people.search import read_search, search_people
from spa_desk.vocabulary import (
    CallerType,
    CallKind,
    ConsentBasis,
    ContactStatus,
    Level1,
    Line,
    Outcome,
    ProfessionalRole,
    ResolutionMethod,
    Role,
    Route,
)
from triage_rules import RuleSet, default_ruleset

PEOPLE = 1_000_000
CONTACTS = 5_000_000
SEARCH_P95_TARGET_MS = 50.0
SAVE_P95_TARGET_MS = 20.0
STALL_TARGET_MS = 50.0
PROBE_INTERVAL_MS = 5

GENERATOR_VERSION = 1
"""Part of the cache key: change it whenever the generated rows change."""
SEED = 2026
CACHE_DIR = Path(tempfile.gettempdir()) / "spa-desk-bench"
END = datetime(2026, 11, 1, tzinfo=UTC)
"""Generated contacts started over the five years before this (fixed, so reruns match)."""
YEARS = 5
CHUNK = 50_000

WARM_UP = ("Zz", "Sam Zz", "Zz, Sam", "999 000", "07700 900000", "ZY9 9", "01/01/1950")
"""Searches made before the timing starts, so each kind of statement is compiled once."""
TYPED_PEOPLE = 64
"""People whose details the handler types in the search benchmark (8 ways of typing)."""
SAVED_CALLS = 300
GUI_CALLS = 60

Value = str | int | None
P = ParamSpec("P")
T = TypeVar("T")


# ---------------------------------------------------------------------------------------------
# Names: the demo's ordinary names plus invented combinations, family names skewed like real ones.

EXTRA_GIVEN_NAMES = (
    "Abdul", "Agnes", "Aidan", "Amelia", "Angela", "Anthony", "Beatrice", "Brenda", "Charles",
    "Christine", "Daniel", "Dorothy", "Edward", "Eileen", "Elizabeth", "Emma", "Florence",
    "George", "Gillian", "Hannah", "Harry", "Helen", "Hugh", "Isaac", "Jack", "James", "Janet",
    "Jennifer", "Joseph", "Josephine", "Julie", "Karen", "Kathleen", "Lesley", "Linda",
    "Lorraine", "Malcolm", "Mary", "Matthew", "Maurice", "Mildred", "Neil", "Nicholas", "Noreen",
    "Oliver", "Pamela", "Philip", "Rachel", "Richard", "Robert", "Rose", "Sarah", "Sheila",
    "Simon", "Stephen", "Susan", "Teresa", "Trevor", "Victor", "William", "Winifred",
)  # fmt: skip
EXTRA_FAMILY_NAMES = (
    "Okafor", "Okonkwo", "Nowak", "Kowalski", "Patel", "Begum", "Khan", "Mensah", "Osei",
    "Nguyen", "Da Silva", "Van der Berg", "O'Connell", "McAllister", "Smith-Barlow",
)  # fmt: skip
FAMILY_STARTS = (
    "Ash", "Birk", "Black", "Brad", "Brig", "Cald", "Card", "Coat", "Dal", "Dun", "Eld", "Fal",
    "Farn", "Gar", "Good", "Hal", "Hart", "Heb", "Holm", "Kirk", "Lang", "Lid", "Marl", "Mid",
    "Nor", "Oak", "Ock", "Pen", "Rad", "Red", "Ship", "Skel", "Stain", "Thorn", "Tod", "Upp",
    "Wal", "West", "Whit", "Wolf",
)  # fmt: skip
FAMILY_ENDS = (
    "by", "croft", "dale", "den", "field", "ford", "gate", "ham", "hurst", "ington", "land",
    "ley", "more", "over", "ridge", "shaw", "stead", "thwaite", "ton", "wick", "worth",
)  # fmt: skip


def given_names() -> tuple[str, ...]:
    """Given names, drawn uniformly."""
    return tuple(dict.fromkeys((*ids.GIVEN_NAMES, *EXTRA_GIVEN_NAMES)))


def family_names() -> tuple[list[str], list[float]]:
    """About 900 family names and cumulative weights: the commonest about 1.1% of people (as
    the commonest British surname is), the rarest a few hundred people in a million."""
    combined = [start + end.lower() for start in FAMILY_STARTS for end in FAMILY_ENDS]
    names = list(dict.fromkeys((*ids.FAMILY_NAMES, *EXTRA_FAMILY_NAMES, *combined)))
    random.Random(f"{SEED}:family-ranks").shuffle(names)
    cumulative: list[float] = []
    total = 0.0
    for rank in range(len(names)):
        total += 1 / (rank + 25)
        cumulative.append(total)
    return names, cumulative


# ---------------------------------------------------------------------------------------------
# Generating rows, a chunk at a time in worker processes while the main process writes. Each
# chunk draws from its own seeded generator, so the rows never depend on how many workers ran,
# and the same rows go to both databases: tuples for SQLite, COPY text for PostgreSQL.

PEOPLE_COLUMNS = (
    "id", "nhs_number", "given_name", "family_name", "family_key", "date_of_birth",
    "address_line1", "address_line2", "town", "postcode", "phone_primary", "phone_secondary",
    "gp_practice", "created_at", "updated_at", "version",
)  # fmt: skip
CONTACT_HEAD = (
    "id", "started_at", "answered_at", "ended_at", "wrap_up_ended_at", "person_id", "handler_id",
    "caller_number", "created_at", "updated_at",
)  # fmt: skip
CONTACT_TEMPLATE = (
    "line", "call_kind", "caller_type", "consent_basis", "level1", "stream", "facts",
    "ruleset_id", "ruleset_version", "ruleset_sha256", "recommended_routes", "final_routes",
    "overridden", "outcome", "resolved_at_first_contact", "resolution_method", "notes", "status",
    "version",
)  # fmt: skip
CONTACT_COLUMNS = CONTACT_HEAD + CONTACT_TEMPLATE
NHS_EVERY = (17, 20)
"""17 people in every 20 have an NHS number (the 999 range holds about 909,000 valid ones)."""
_UUID_VERSION_4 = (0x4 << 76) | (0x2 << 62)
_UUID_CLEAR = ~((0xF << 76) | (0x3 << 62)) & ((1 << 128) - 1)

Chunk = tuple[int, Any]
"""A chunk of generated rows: how many, and a list of tuples (SQLite) or one COPY text."""


def _copy_field(value: Value | bool) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


def _parts(count: int) -> int:
    return max(1, math.ceil(count / CHUNK))


def _sorted_ids(rng: random.Random, count: int, part: int, parts: int) -> list[str]:
    """``count`` random version-4 UUIDs as 32 hex digits, all in the ``part``-th of ``parts``
    equal slices of the id space, sorted: chunk after chunk, inserts append to the key index."""
    span = (1 << 128) // parts
    low = part * span
    drawn = sorted(
        (low + rng.randrange(span)) & _UUID_CLEAR | _UUID_VERSION_4 for _ in range(count)
    )
    return [f"{number:032x}" for number in drawn]


def person_ids(count: int) -> list[str]:
    """The people's ids, in the order their rows are generated."""
    parts = _parts(count)
    result: list[str] = []
    for part in range(parts):
        rng = random.Random(f"{SEED}:people-ids:{part}")
        result.extend(_sorted_ids(rng, min(CHUNK, count - part * CHUNK), part, parts))
    return result


def nhs_test_range() -> list[str]:
    """Every valid NHS number in the 999 range, in a fixed shuffled order."""
    numbers = []
    for serial in range(1_000_000):
        first_nine = f"999{serial:06d}"
        check = nhs_check_digit(first_nine)
        if check is not None:
            numbers.append(f"{first_nine}{check}")
    random.Random(f"{SEED}:nhs").shuffle(numbers)
    return numbers


def nhs_number_of(index: int, pool: Sequence[str]) -> str | None:
    """The NHS number of the ``index``-th person generated, or None for one without."""
    have, every = NHS_EVERY
    if index % every >= have:
        return None
    position = index // every * have + index % every
    return pool[position] if position < len(pool) else None


def drama_phones() -> list[str]:
    """Every number of Ofcom's drama ranges; mobiles three times over (60% of numbers)."""
    mobiles = [f"{ids.DRAMA_MOBILE_PREFIX}{n:03d}" for n in range(1000)]
    return mobiles * 3 + [f"{ids.DRAMA_LANDLINE_PREFIX}{n:03d}" for n in range(1000)]


_worker: dict[str, Any] = {}
"""What a generating process keeps between chunks (people's ids, contact templates, names)."""


def _start_worker(people: list[str], handlers: list[str]) -> None:
    family, cumulative = family_names()
    _worker.update(
        people=people,
        handlers=handlers,
        templates=contact_templates(default_ruleset()),
        given=given_names(),
        family=family,
        family_cumulative=cumulative,
        keys={name: name_key(name) for name in family},
        phones=drama_phones(),
    )


def people_chunk(part: int, chunk_ids: list[str], nhs: list[str | None], copy_text: bool) -> Chunk:
    """The rows of one chunk of people, in PEOPLE_COLUMNS order."""
    rng = random.Random(f"{SEED}:people:{part}")
    random_ = rng.random
    null = "\\N" if copy_text else None
    size = len(chunk_ids)
    givens = rng.choices(_worker["given"], k=size)
    families = rng.choices(_worker["family"], cum_weights=_worker["family_cumulative"], k=size)
    keys, phones = _worker["keys"], _worker["phones"]
    on = END.date()
    stamp = "2021-11-01 09:00:00.000000"
    rows: list[tuple[Value, ...]] = []
    for index, person_id in enumerate(chunk_ids):
        street, district = rng.choice(ids.STREETS)
        family_name = families[index]
        rows.append(
            (
                person_id,
                nhs[index] or null,
                givens[index],
                family_name,
                keys[family_name],
                ids.date_of_birth(rng, on, 0.45).isoformat(),
                f"{rng.randint(1, 180)} {street}",
                rng.choice(ids.NEIGHBOURHOODS) if random_() < 0.4 else null,
                ids.TOWN,
                ids.postcode(rng, district),
                phones[int(random_() * len(phones))] if random_() < 0.95 else null,
                phones[int(random_() * len(phones))] if random_() < 0.3 else null,
                rng.choice(ids.GP_PRACTICES),
                stamp,
                stamp,
                1,
            )
        )
    if copy_text:
        return size, "".join("\t".join(map(str, row)) + "\n" for row in rows)
    return size, rows


class ContactTemplate(NamedTuple):
    """What contacts of one kind share: everything but times, person, handler and number."""

    values: tuple[Value, ...]
    """In CONTACT_TEMPLATE order, as SQLite stores them."""
    copy_text: str
    """The same as COPY text, with the tab before it and the newline after."""
    weight: float
    with_person: bool
    log_talk: float
    log_wrap: float


def _template(
    scenario: CallScenario,
    *,
    line: Line,
    caller: CallerType,
    outcome: Outcome,
    weight: float,
    ruleset: RuleSet,
) -> ContactTemplate:
    decision = scenario.decision
    non_data = scenario.group is ScenarioGroup.NON_DATA
    call_kind = str(scenario.facts.get("call_kind", CallKind.DATA.value))
    facts = {**scenario.facts_json(), "line": line.value, "call_kind": call_kind}
    if not non_data:
        facts["caller_type"] = caller.value
    routes = json.dumps(routes_json(scenario))
    resolved: bool | None = None
    if outcome is Outcome.RESOLVED:
        resolved = True
    elif outcome in (Outcome.REFERRED, Outcome.EMERGENCY):
        resolved = False
    basis = (
        None
        if non_data
        else ConsentBasis.GIVEN_BY_PERSON.value
        if caller is CallerType.SELF
        else ConsentBasis.GIVEN_BY_REPRESENTATIVE.value
    )
    values: tuple[Value | bool, ...] = (
        line.value,
        call_kind,
        caller.value,
        basis,
        decision.level1.value,
        decision.stream.value if decision.stream else None,
        json.dumps(facts),
        ruleset.id,
        ruleset.version,
        ruleset.sha256,
        routes,
        routes,
        False,
        outcome.value,
        resolved,
        ResolutionMethod.INFORMATION_ADVICE.value if resolved else None,
        scenario.summary,
        ContactStatus.COMPLETE.value,
        1,
    )
    return ContactTemplate(
        values=tuple(int(v) if isinstance(v, bool) else v for v in values),
        copy_text="\t" + "\t".join(_copy_field(v) for v in values) + "\n",
        weight=weight,
        with_person=not non_data,
        log_talk=math.log(20 if non_data else 360),
        log_wrap=math.log(10 if non_data else 120),
    )


def contact_templates(ruleset: RuleSet) -> list[ContactTemplate]:
    """Every (line, scenario, caller, outcome) the demo mix makes, weighted as it makes them."""
    templates = []
    resolve_chance = mix.resolve_probabilities()
    for line, line_weight in mix.LINE_WEIGHTS.items():
        groups = mix.GROUP_WEIGHTS[line]
        callers = mix.CALLER_WEIGHTS[line]
        for group, group_weight in groups.items():
            found = scenarios_in(group, line)
            total = sum(s.weight for s in found)
            for scenario in found:
                share = line_weight * group_weight / sum(groups.values()) * scenario.weight / total
                allowed = {
                    c: w
                    for c, w in callers.items()
                    if not scenario.caller_types or c in scenario.caller_types
                } or {scenario.caller_types[0]: 1.0}
                for caller, caller_weight in allowed.items():
                    weight = share * caller_weight / sum(allowed.values())
                    for outcome, outcome_share in _outcomes(scenario, resolve_chance):
                        templates.append(
                            _template(
                                scenario,
                                line=line,
                                caller=caller,
                                outcome=outcome,
                                weight=weight * outcome_share,
                                ruleset=ruleset,
                            )
                        )
    return [t for t in templates if t.weight > 0]


def _outcomes(
    scenario: CallScenario, resolve_chance: dict[Any, float]
) -> list[tuple[Outcome, float]]:
    decision = scenario.decision
    if scenario.group is ScenarioGroup.NON_DATA:
        return [(Outcome.NON_DATA, 1.0)]
    if decision.level1 is Level1.EMERGENCY:
        return [(Outcome.EMERGENCY, 1.0)]
    if mix.always_resolved(scenario):
        return [(Outcome.RESOLVED, 1.0)]
    if not decision.resolvable_at_first_contact:
        return [(Outcome.REFERRED, 1.0)]
    chance = 1.0 if decision.stream is None else resolve_chance[(decision.stream, False)]
    return [(Outcome.RESOLVED, chance), (Outcome.REFERRED, 1 - chance)]


def _clock_strings() -> tuple[list[str], list[str]]:
    """Day prefixes from the start of the contacts and times of day, as SQLAlchemy stores them."""
    first = (END - timedelta(days=365 * YEARS)).date()
    days = [f"{first + timedelta(days=d)} " for d in range(365 * YEARS + 3)]
    times = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.000000" for s in range(24 * 3600)]
    return days, times


def contact_chunk(part: int, count: int, copy_text: bool) -> Chunk:
    """The rows of the ``part``-th chunk of ``count`` contacts, in CONTACT_COLUMNS order."""
    rng = random.Random(f"{SEED}:contacts:{part}")
    random_, lognormal = rng.random, rng.lognormvariate
    null = "\\N" if copy_text else None
    people, handlers = _worker["people"], _worker["handlers"]
    templates: list[ContactTemplate] = _worker["templates"]
    phones = _worker["phones"]
    days, times = _clock_strings()
    cumulative: list[float] = []
    total = 0.0
    for template in templates:
        total += template.weight
        cumulative.append(total)
    span = 365 * YEARS * 86400
    n_people, n_handlers, n_phones, last = len(people), len(handlers), len(phones), len(templates)
    parts = _parts(count)
    heads: list[tuple[Any, ...]] = []
    tails: list[ContactTemplate] = []
    for contact_id in _sorted_ids(rng, min(CHUNK, count - part * CHUNK), part, parts):
        template = templates[min(bisect.bisect_right(cumulative, random_() * total), last - 1)]
        started = int(random_() * span)
        answered = started + 5 + int(random_() * 56)
        ended = answered + max(3, int(lognormal(template.log_talk, 0.55)))
        wrapped = ended + max(2, int(lognormal(template.log_wrap, 0.6)))
        s = days[started // 86400] + times[started % 86400]
        w = days[wrapped // 86400] + times[wrapped % 86400]
        heads.append(
            (
                contact_id,
                s,
                days[answered // 86400] + times[answered % 86400],
                days[ended // 86400] + times[ended % 86400],
                w,
                people[int(random_() * n_people)] if template.with_person else null,
                handlers[int(random_() * n_handlers)],
                phones[int(random_() * n_phones)] if random_() < 0.85 else null,
                s,
                w,
            )
        )
        tails.append(template)
    if copy_text:
        text_ = "".join("\t".join(h) + t.copy_text for h, t in zip(heads, tails, strict=True))
        return len(heads), text_
    return len(heads), [h + t.values for h, t in zip(heads, tails, strict=True)]


class Generators:
    """Worker processes that generate chunks ahead of the writer, a few at a time, in order."""

    AHEAD = 3

    def __init__(self, people: list[str], handlers: list[str]) -> None:
        workers = max(1, (os.cpu_count() or 2) - 1)  # one core stays with the writer
        self._pool = multiprocessing.get_context("spawn").Pool(
            workers, initializer=_start_worker, initargs=(people, handlers)
        )

    def chunks(
        self, job: Callable[..., Chunk], tasks: Iterator[tuple[Any, ...]]
    ) -> Iterator[Chunk]:
        """The results of ``job(*task)`` for each task, in order, never many waiting in memory."""
        waiting: deque[AsyncResult[Chunk]] = deque()
        for task in tasks:
            waiting.append(self._pool.apply_async(job, task))
            if len(waiting) >= self.AHEAD:
                yield waiting.popleft().get()
        while waiting:
            yield waiting.popleft().get()

    def close(self) -> None:
        """Stop the workers."""
        self._pool.terminate()
        self._pool.join()

    def __enter__(self) -> Generators:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def people_tasks(everyone: list[str], *, copy_text: bool) -> Iterator[tuple[Any, ...]]:
    """The arguments of ``people_chunk`` for every chunk of ``everyone``."""
    pool = nhs_test_range()
    for part, start in enumerate(range(0, len(everyone), CHUNK)):
        chunk = everyone[start : start + CHUNK]
        nhs = [nhs_number_of(start + i, pool) for i in range(len(chunk))]
        yield part, chunk, nhs, copy_text


def contact_tasks(count: int, *, copy_text: bool) -> Iterator[tuple[Any, ...]]:
    """The arguments of ``contact_chunk`` for every chunk of ``count`` contacts."""
    for part in range(_parts(count)):
        yield part, count, copy_text


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


# ---------------------------------------------------------------------------------------------
# What the handler types.


class Sought(NamedTuple):
    """A person the handler looks for, as the search shows them."""

    id: uuid.UUID
    given_name: str
    family_name: str
    nhs_number: str | None
    phone: str | None
    postcode: str | None
    date_of_birth: date | None


def sample_people(path: Path, count: int, seed: int) -> list[Sought]:
    """``count`` people picked at random from the generated SQLite file."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        last = connection.execute("SELECT max(rowid) FROM people").fetchone()[0]
        rng = random.Random(seed)
        found = []
        for rowid in rng.sample(range(1, last + 1), count):
            row = connection.execute(
                "SELECT id, given_name, family_name, nhs_number, phone_primary, postcode, "
                "date_of_birth FROM people WHERE rowid = ?",
                (rowid,),
            ).fetchone()
            born = date.fromisoformat(row[6]) if row[6] else None
            found.append(
                Sought(
                    id=uuid.UUID(row[0]),
                    given_name=row[1],
                    family_name=row[2],
                    nhs_number=row[3],
                    phone=row[4],
                    postcode=row[5],
                    date_of_birth=born,
                )
            )
    finally:
        connection.close()
    return found


def _spaced_phone(number: str) -> str:
    return f"{number[:5]} {number[5:]}"


def _typed_forms(person: Sought, way: int) -> tuple[str, str] | None:
    """One of eight ways to type ``person``: what is sought, and the full text."""
    nhs = person.nhs_number
    forms: list[tuple[str, str] | None] = [
        ("family name", person.family_name),
        ("given family", f"{person.given_name} {person.family_name}"),
        ("family, given", f"{person.family_name}, {person.given_name}"),
        ("NHS number", nhs) if nhs else None,
        ("NHS number spaced", f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}") if nhs else None,
        ("phone", _spaced_phone(person.phone)) if person.phone else None,
        ("postcode", person.postcode) if person.postcode else None,
        ("date of birth", person.date_of_birth.strftime("%d/%m/%Y"))
        if person.date_of_birth
        else None,
    ]
    return forms[way % len(forms)] or forms[0]


def keystrokes(people: Sequence[Sought]) -> list[tuple[str, str]]:
    """(what, text) for every keystroke that makes the desk search, person after person.

    Keystrokes too short to search on (one letter, two digits of an NHS number, three of a
    phone number) return at once without touching the database and are left out.
    """
    typed = [("family name", "Okafor"), ("given family", "Sam Okafor")]
    typed += [form for i, p in enumerate(people) if (form := _typed_forms(p, i))]
    result = []
    for what, full in typed:
        for end in range(1, len(full) + 1):
            if read_search(full[:end]) is not None:
                result.append((what, full[:end]))
    return result


# ---------------------------------------------------------------------------------------------
# Calls to save.


@dataclass(frozen=True)
class PlannedCall:
    """One call as the benchmark takes it: who takes it, its first autosave, the consent to
    record before the save (for a call about a person) and the complete draft to save."""

    kind: str
    actor: CurrentUser
    first: CallDraft
    draft: CallDraft
    consent: ConsentGiven | None


class Staff(NamedTuple):
    """The benchmark's call handler and practitioner."""

    handler: CurrentUser
    practitioner: CurrentUser


def load_staff(database: Database) -> Staff:
    """The demo call handler and practitioner of the generated database."""
    with database.sessions() as session:
        users = {
            u.username: u
            for u in session.scalars(
                select(User).where(User.username.in_(("handler", "practitioner")))
            )
        }
    staff = [
        CurrentUser(
            id=users[name].id,
            username=name,
            display_name=users[name].display_name,
            roles=tuple(Role(r.role) for r in users[name].roles),
        )
        for name in ("handler", "practitioner")
    ]
    return Staff(*staff)


def _answers(
    ruleset: RuleSet, base: CallDraft, facts: dict[str, Any], age: int | None
) -> dict[str, Any]:
    """Walk the screening as the handler would, answering from ``facts`` (defaults otherwise)."""
    session = screening(ruleset, base)
    answers: dict[str, Any] = {}
    while (pending := session.next_question()) is not None:
        spec = pending.question.fact
        value: Any
        if spec.name in facts:
            value = facts[spec.name]
        elif spec.name == "age":
            value = age
        elif spec.type == "bool":
            value = False
        elif spec.type == "enum_set":
            value = []
        elif spec.type == "enum":
            value = spec.default or spec.choices[0].value
        else:
            value = None
        value = list(value) if isinstance(value, tuple | frozenset | set) else value
        session.answer(spec.name, value)
        answers[spec.name] = value
    return answers


_SAVE_KINDS = ("non-data", "information, resolved", "stream, referred by a practitioner")


def plan_calls(
    count: int, people: Sequence[Sought], staff: Staff, ruleset: RuleSet, seed: int
) -> list[PlannedCall]:
    """``count`` calls, a third of each kind, about people from ``people``."""
    rng = random.Random(seed)
    groups = {
        _SAVE_KINDS[0]: list(scenarios_in(ScenarioGroup.NON_DATA, Line.GENERAL)),
        _SAVE_KINDS[1]: list(scenarios_in(ScenarioGroup.INFORMATION, Line.GENERAL)),
        _SAVE_KINDS[2]: [
            s
            for s in SCENARIOS
            if s.group.value in {g.value for g in mix.STREAM_GROUPS} and not mix.always_resolved(s)
        ],
    }
    plans: list[PlannedCall] = []
    attempts = 0
    while len(plans) < count:
        attempts += 1
        if attempts > count * 20:
            raise RuntimeError("could not plan calls that screening accepts")
        kind = _SAVE_KINDS[len(plans) % 3]
        scenario = rng.choice(groups[kind])
        planned = _plan_call(
            rng, kind, scenario, person=rng.choice(people), staff=staff, ruleset=ruleset
        )
        if planned is not None:
            plans.append(planned)
    return plans


def _plan_call(
    rng: random.Random,
    kind: str,
    scenario: CallScenario,
    *,
    person: Sought,
    staff: Staff,
    ruleset: RuleSet,
) -> PlannedCall | None:
    now = datetime.now(UTC)
    started = now - timedelta(minutes=rng.randint(4, 12))
    line = rng.choice(scenario.lines)
    caller = (
        rng.choice(scenario.caller_types)
        if scenario.caller_types
        else rng.choice((CallerType.SELF, CallerType.FAMILY, CallerType.PROFESSIONAL))
    )
    if line is Line.PROFESSIONAL:
        caller = CallerType.PROFESSIONAL
    facts: dict[str, Any] = dict(scenario.facts_json())
    if scenario.group is not ScenarioGroup.NON_DATA:
        facts["caller_type"] = caller.value
        if caller is CallerType.PROFESSIONAL:
            facts["professional_role"] = rng.choice(
                [r.value for r in ProfessionalRole if r is not ProfessionalRole.NONE]
            )
    with_person = kind == _SAVE_KINDS[2] or (kind == _SAVE_KINDS[1] and rng.random() < 0.5)
    age = age_on(person.date_of_birth, now.date()) if person.date_of_birth else None
    first = CallDraft(
        started_at=started,
        answered_at=started + timedelta(seconds=rng.randint(5, 40)),
        caller_number=_spaced_phone(person.phone) if person.phone else None,
        line=line,
    )
    answers = _answers(ruleset, first, facts, age)
    probe = first.model_copy(update={"answers": answers})
    decision = screening(ruleset, probe).decision()
    routes = tuple(
        RouteChoice.model_validate({"route": r.route, "urgency": r.urgency})
        for r in decision.routes
    )
    if decision.level1 == Level1.EMERGENCY.value or (
        kind == _SAVE_KINDS[2] and decision.level1 != Level1.STREAM.value
    ):
        return None
    resolve: bool | None = None
    if kind == _SAVE_KINDS[1]:
        if not resolvable(routes):
            return None
        resolve = True
    elif kind == _SAVE_KINDS[2]:
        if not any(c.route is not Route.RESOLVED for c in routes):
            return None
        resolve = False
    non_data = kind == _SAVE_KINDS[0]
    consent = None
    if with_person and not non_data:
        consent = ConsentGiven(
            basis=ConsentBasis.GIVEN_BY_PERSON
            if caller is CallerType.SELF
            else ConsentBasis.GIVEN_BY_REPRESENTATIVE,
            purpose="Screening and referral",
        )
    draft = probe.model_copy(
        update={
            "ended_at": now - timedelta(seconds=rng.randint(20, 90)),
            "search_text": person.family_name if consent else "",
            "person_id": person.id if consent else None,
            "consent_basis": consent.basis if consent else None,
            "professional": ProfessionalCaller(
                name="Jordan Ellery",
                organisation="Gullrock Lane Surgery",
                job_title="Practice nurse",
                phone="01632 960" + f"{rng.randrange(1000):03d}",
            )
            if caller is CallerType.PROFESSIONAL
            else ProfessionalCaller(),
            "resolve": resolve,
            "resolution_method": ResolutionMethod.INFORMATION_ADVICE if resolve else None,
            "gaps": (GapNote(need="Befriending", service_requested="Befriending visits"),)
            if consent and rng.random() < 0.1
            else (),
            "notes": scenario.summary,
        }
    )
    actor = staff.practitioner if decision.level1 == Level1.STREAM.value else staff.handler
    return PlannedCall(kind, actor, first, draft, consent)


# ---------------------------------------------------------------------------------------------
# Figures.


def _percentile(ordered: Sequence[float], share: float) -> float:
    """Nearest-rank percentile of sorted values."""
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def summary(samples_ms: Sequence[float]) -> dict[str, float]:
    """Count, median, p95, p99 and maximum, in milliseconds."""
    ordered = sorted(samples_ms)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 3),
        "p95_ms": round(_percentile(ordered, 0.95), 3),
        "p99_ms": round(_percentile(ordered, 0.99), 3),
        "max_ms": round(ordered[-1], 3),
    }


def _line(label: str, figures: dict[str, float], target: str = "", verdict: str = "") -> None:
    print(
        f"  {label:<42} {figures['n']:>5,.0f} {figures['p50_ms']:>8.2f} {figures['p95_ms']:>8.2f} "
        f"{figures['p99_ms']:>8.2f} {figures['max_ms']:>8.2f}  {target:<10} {verdict}"
    )


def _header(title: str) -> None:
    print(f"  {title:<42} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}  target")


def _timed(job: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> tuple[float, T]:
    """Milliseconds ``job(*args, **kwargs)`` took, and what it returned."""
    start = time.perf_counter_ns()
    answer = job(*args, **kwargs)
    return (time.perf_counter_ns() - start) / 1e6, answer


def bench_search(
    database: Database,
    actor: CurrentUser,
    typed: Sequence[tuple[str, str]],
    people: Sequence[Sought],
) -> dict[str, Any]:
    """Time every keystroke's search, with a SELECT 1 and a primary-key read beside each."""
    rng = random.Random(SEED)
    for text_ in WARM_UP:  # each kind of statement compiled once, on no one sought below
        search_people(database, actor, text_)

    def select_one() -> None:
        with database.sessions() as session:
            session.execute(text("SELECT 1")).scalar()

    def read_person(person_id: uuid.UUID) -> None:
        with database.sessions() as session:
            session.get(Person, person_id)

    by_kind: dict[str, list[float]] = {}
    everything: list[float] = []
    ones: list[float] = []
    reads: list[float] = []
    slowest: list[tuple[float, str, str]] = []
    nhs_found = nhs_sought = 0
    wanted = {p.nhs_number: p.id for p in people if p.nhs_number}
    for what, typed_text in typed:
        spent, answer = _timed(search_people, database, actor, typed_text)
        everything.append(spent)
        by_kind.setdefault(what, []).append(spent)
        slowest.append((spent, what, typed_text))
        digits = typed_text.replace(" ", "")
        if what.startswith("NHS") and digits in wanted:
            nhs_sought += 1
            nhs_found += [p.id for p in answer.people] == [wanted[digits]]
        ones.append(_timed(select_one)[0])
        reads.append(_timed(read_person, rng.choice(people).id)[0])
    slowest.sort(reverse=True)
    again = [_timed(search_people, database, actor, typed_text)[0] for _, typed_text in typed]
    return {
        "search": summary(everything),
        "search_again": summary(again),
        "by_kind": {kind: summary(v) for kind, v in by_kind.items()},
        "baseline_select_1": summary(ones),
        "baseline_primary_key_read": summary(reads),
        "slowest": [{"ms": round(ms, 2), "kind": k, "text": t} for ms, k, t in slowest[:5]],
        "nhs_numbers_found": f"{nhs_found}/{nhs_sought}",
    }


def bench_save(
    database: Database, plans: Sequence[PlannedCall], ruleset: RuleSet
) -> dict[str, Any]:
    """Time the first autosave, the autosave once answered, and the save of every call."""
    first_drafts: list[float] = []
    drafts: list[float] = []
    saves: list[float] = []
    by_kind: dict[str, list[float]] = {}
    writes: list[float] = []

    def one_row_write(user_id: uuid.UUID) -> None:
        with database.sessions.begin() as session:
            session.execute(
                update(User).where(User.id == user_id).values(failed_logins=User.failed_logins)
            )

    for plan in plans:
        first_drafts.append(_timed(save_draft, database, plan.actor, plan.first)[0])
        if plan.consent is not None and plan.draft.person_id is not None:
            open_person(
                database,
                plan.actor,
                plan.draft.person_id,
                plan.consent,
                contact_id=plan.draft.contact_id,
            )
        drafts.append(_timed(save_draft, database, plan.actor, plan.draft)[0])
        spent = _timed(save_call, database, plan.actor, plan.draft, ruleset)[0]
        saves.append(spent)
        by_kind.setdefault(plan.kind, []).append(spent)
        writes.append(_timed(one_row_write, plan.actor.id)[0])
    return {
        "save_call": summary(saves),
        "save_call_by_kind": {kind: summary(v) for kind, v in by_kind.items()},
        "save_draft_first": summary(first_drafts),
        "save_draft_answered": summary(drafts),
        "baseline_one_row_write": summary(writes),
    }


# ---------------------------------------------------------------------------------------------
# The GUI event loop while the desk searches and saves on its database thread.


class Timeline:
    """What ran when (database jobs, GUI work, garbage collections), to name a stall's cause."""

    def __init__(self) -> None:
        self.spans: list[tuple[float, float, str]] = []
        self._collecting: dict[int, float] = {}

    def add(self, start: float, end: float, label: str) -> None:
        """Record that ``label`` ran from ``start`` to ``end`` (perf_counter seconds)."""
        self.spans.append((start, end, label))

    def on_gc(self, phase: str, info: dict[str, Any]) -> None:
        """A ``gc.callbacks`` hook: every collection becomes a span."""
        thread = threading.get_ident()
        if phase == "start":
            self._collecting[thread] = time.perf_counter()
        elif thread in self._collecting:
            start = self._collecting.pop(thread)
            where = threading.current_thread().name
            self.add(start, time.perf_counter(), f"gc gen {info['generation']} on {where}")

    def during(self, start: float, end: float) -> list[str]:
        """What overlapped [start, end] most, longest overlap first (at most three)."""
        overlaps = sorted(
            ((min(end, e) - max(start, s), label) for s, e, label in self.spans),
            reverse=True,
        )
        return [
            f"{label} ({overlap * 1000:.0f} ms of it)"
            for overlap, label in overlaps[:3]
            if overlap > 0.001
        ]

    def collections(self, start: float, end: float) -> dict[str, float]:
        """How many garbage collections ran in [start, end] and the longest, in ms."""
        pauses = [
            e - s for s, e, label in self.spans if label.startswith("gc") and start <= s < end
        ]
        return {"count": len(pauses), "longest_ms": round(max(pauses, default=0.0) * 1000, 2)}


def bench_gui(
    url: str, typed: Sequence[tuple[str, str]], calls: Sequence[PlannedCall], ruleset: RuleSet
) -> dict[str, Any]:
    """The probe's gaps while ``typed`` and ``calls`` run through a DeskBackend, and at rest."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_API", "pyside6")
    import asyncio

    import qasync
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QListWidget

    from ui.kit.backend import DeskBackend, settle_memory
    from ui.shell.qt_messages import quieten_harmless_qt_messages

    quieten_harmless_qt_messages()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    ticks: list[float] = []
    timeline = Timeline()
    probe = QTimer()
    probe.setTimerType(Qt.TimerType.PreciseTimer)
    probe.setInterval(PROBE_INTERVAL_MS)
    probe.timeout.connect(lambda: ticks.append(time.perf_counter()))
    results_list = QListWidget()
    results_list.resize(500, 400)
    results_list.show()

    def stalls(start: float, end: float) -> dict[str, Any]:
        times = [t for t in ticks if start <= t <= end]
        gaps = [(b - a, b) for a, b in itertools.pairwise(times)]
        figures: dict[str, Any] = _stall_summary([gap * 1000 for gap, _ in gaps])
        longest, at = max(gaps)
        figures["at_s"] = round(at - longest - start, 3)
        figures["during"] = timeline.during(at - longest, at)
        figures["gc"] = timeline.collections(start, end)
        return figures

    async def run_job(
        backend: DeskBackend, label: str, job: Callable[..., T], *args: Any, **kwargs: Any
    ) -> T:
        start = time.perf_counter()
        try:
            return await backend.run(job, *args, **kwargs)
        finally:
            timeline.add(start, time.perf_counter(), label)

    async def load(
        backend: DeskBackend, typed: Sequence[tuple[str, str]], calls: Sequence[PlannedCall]
    ) -> dict[str, list[float]]:
        latencies: dict[str, list[float]] = {"search": [], "save": []}
        actor = calls[0].actor
        for _what, typed_text in typed:
            start = time.perf_counter()
            found = await run_job(
                backend, f"search {typed_text!r}", search_people, actor, typed_text
            )
            shown = time.perf_counter()
            results_list.clear()
            results_list.addItems([f"{p.name}  {p.nhs_label}" for p in found.people])
            timeline.add(shown, time.perf_counter(), "showing the results (GUI thread)")
            latencies["search"].append((time.perf_counter() - start) * 1000)
        for call in calls:
            await run_job(backend, "save_draft", save_draft, call.actor, call.first)
            if call.consent is not None and call.draft.person_id is not None:
                person_id, contact_id = call.draft.person_id, call.draft.contact_id
                await run_job(
                    backend, "open_person", open_person, call.actor, person_id, call.consent,
                    contact_id=contact_id,
                )  # fmt: skip
            await run_job(backend, "save_draft", save_draft, call.actor, call.draft)
            start = time.perf_counter()
            label = f"save_call ({call.kind})"
            await run_job(backend, label, save_call, call.actor, call.draft, ruleset)
            latencies["save"].append((time.perf_counter() - start) * 1000)
        return latencies

    async def scenario() -> dict[str, Any]:
        backend = DeskBackend(url)
        try:
            await backend.database()
            await backend.run(search_people, calls[0].actor, typed[0][1])  # warm the thread
            settle_memory()  # as the desk does after log-in (DeskSession.prepare_for_calls)
            probe.start()
            await asyncio.sleep(0.05)
            start = time.perf_counter()
            latencies = await load(backend, typed, calls)
            busy_until = time.perf_counter()
            await asyncio.sleep(busy_until - start)
            idle_until = time.perf_counter()
            probe.stop()
            collection = full_collection()
        finally:
            backend.close()
        return {
            "seconds": round(busy_until - start, 1),
            "full_collection": collection,
            "busy": stalls(start, busy_until),
            "idle": stalls(busy_until, idle_until),
            "search_through_backend": summary(latencies["search"]),
            "save_through_backend": summary(latencies["save"]),
        }

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    gc.callbacks.append(timeline.on_gc)
    try:
        result: dict[str, Any] = loop.run_until_complete(scenario())
    finally:
        gc.callbacks.remove(timeline.on_gc)
        results_list.close()
        loop.close()
        asyncio.set_event_loop(None)
    return result


def full_collection() -> dict[str, float]:
    """What a full (generation 2) garbage collection of this process costs, as it stands and
    after ``gc.freeze()``; whichever thread triggers one holds the GIL, the GUI thread waits."""
    objects = len(gc.get_objects())
    spent = statistics.median(_timed(gc.collect)[0] for _ in range(3))
    gc.freeze()
    try:
        frozen = statistics.median(_timed(gc.collect)[0] for _ in range(3))
    finally:
        gc.unfreeze()
    return {"objects": objects, "ms": round(spent, 1), "after_freeze_ms": round(frozen, 1)}


def _stall_summary(gaps_ms: Sequence[float]) -> dict[str, float]:
    ordered = sorted(gaps_ms)
    return {
        "firings": len(ordered),
        "longest_stall_ms": round(max(0.0, ordered[-1] - PROBE_INTERVAL_MS), 2),
        "p99_gap_ms": round(_percentile(ordered, 0.99), 2),
        "median_gap_ms": round(statistics.median(ordered), 2),
    }


# ---------------------------------------------------------------------------------------------


def _verdict(value: float, target: float) -> str:
    return "met" if value < target else "MISSED"


def _measure(
    name: str,
    url: str,
    *,
    typed: Sequence[tuple[str, str]],
    sought: Sequence[Sought],
    ruleset: RuleSet,
    seed: int,
) -> tuple[dict[str, Any], Staff]:
    database = open_database(url)
    try:
        staff = load_staff(database)
        search = bench_search(database, staff.handler, typed, sought)
        plans = plan_calls(SAVED_CALLS, sought, staff, ruleset, seed)
        save = bench_save(database, plans, ruleset)
    finally:
        database.close()
    print(f"\n{name}")
    _header("search while typing")
    _line(
        "search_people, every keystroke",
        search["search"],
        f"p95 < {SEARCH_P95_TARGET_MS:.0f}",
        _verdict(search["search"]["p95_ms"], SEARCH_P95_TARGET_MS),
    )
    for kind, figures in search["by_kind"].items():
        _line(f"  {kind}", figures)
    _line("the same keystrokes again (pages now cached)", search["search_again"])
    _line("baseline: SELECT 1 through a session", search["baseline_select_1"])
    _line("baseline: one person by primary key", search["baseline_primary_key_read"])
    slow = ", ".join(f"{s['text']!r} {s['ms']:.1f}" for s in search["slowest"][:3])
    print(f"  slowest keystrokes (ms): {slow}; NHS numbers found: {search['nhs_numbers_found']}")
    _header("saving")
    _line(
        "save_call",
        save["save_call"],
        f"p95 < {SAVE_P95_TARGET_MS:.0f}",
        _verdict(save["save_call"]["p95_ms"], SAVE_P95_TARGET_MS),
    )
    for kind, figures in save["save_call_by_kind"].items():
        _line(f"  {kind}", figures)
    for key, label in (
        ("save_draft_first", "save_draft, first autosave (new row)"),
        ("save_draft_answered", "save_draft, answered (update)"),
    ):
        _line(
            label,
            save[key],
            f"p95 < {SAVE_P95_TARGET_MS:.0f}",
            _verdict(save[key]["p95_ms"], SAVE_P95_TARGET_MS),
        )
    _line("baseline: one-row UPDATE and commit", save["baseline_one_row_write"])
    return {"search": search, "save": save}, staff


def _print_gui(figures: dict[str, Any]) -> None:
    busy, idle = figures["busy"], figures["idle"]
    stall = busy["longest_stall_ms"]
    print(
        f"  GUI event loop, {PROBE_INTERVAL_MS} ms timer probe: the same keystrokes and "
        f"{GUI_CALLS} calls through DeskBackend ({figures['seconds']:.1f} s), then at rest as long"
    )
    print(
        f"    longest stall {stall:.2f} ms, p99 gap {busy['p99_gap_ms']:.2f} ms "
        f"(at rest: {idle['longest_stall_ms']:.2f} ms, p99 gap {idle['p99_gap_ms']:.2f} ms); "
        f"target stall < {STALL_TARGET_MS:.0f} ms: {_verdict(stall, STALL_TARGET_MS)}"
    )
    print(
        f"    longest stall {busy['at_s']:.2f} s in, during: "
        f"{'; '.join(busy['during']) or 'nothing recorded'}"
    )
    s, v = figures["search_through_backend"], figures["save_through_backend"]
    print(
        f"    through the backend: search p95 {s['p95_ms']:.1f} ms, save_call p95 "
        f"{v['p95_ms']:.1f} ms; {busy['gc']['count']} garbage collections meanwhile, longest "
        f"{busy['gc']['longest_ms']:.1f} ms"
    )
    collection = figures["full_collection"]
    print(
        f"    a full garbage collection ({collection['objects']:,.0f} objects) takes "
        f"{collection['ms']:.1f} ms, stalling the GUI whichever thread runs it; after "
        f"gc.freeze() {collection['after_freeze_ms']:.1f} ms"
    )


def run(
    *, people: int = PEOPLE, contacts: int = CONTACTS, require_postgres: bool = False
) -> dict[str, Any]:
    """Generate (or reuse) the databases, measure and print the call desk figures.

    Each database is generated and measured before the next one is loaded, so the measurements
    never share the disk with a bulk load's write-back.
    """
    admin_url = os.environ.get("SPA_DESK_TEST_POSTGRES_URL")
    if require_postgres and not admin_url:
        raise SystemExit(
            "call-desk --postgres needs SPA_DESK_TEST_POSTGRES_URL: run it under "
            "scripts/with-postgres.sh (or ./dev.sh bench call-desk --postgres)"
        )
    result: dict[str, Any] = {"people": people, "contacts": contacts, "generation_seconds": {}}
    ruleset = default_ruleset()
    met = True
    sought: list[Sought] = []
    typed: list[tuple[str, str]] = []
    for number, name in enumerate(("SQLite", "PostgreSQL") if admin_url else ("SQLite",)):
        if admin_url and name == "PostgreSQL":
            url, seconds = build_postgres(admin_url, people, contacts)
        else:
            path, seconds = build_sqlite(people, contacts)
            url = sqlite_url(path)
            sought = sample_people(path, TYPED_PEOPLE, SEED)
            typed = keystrokes(sought)
            print(
                f"\ncall desk on {people:,} people and {contacts:,} contacts: {len(typed)} "
                f"keystrokes typing {len(sought) + 2} people, {SAVED_CALLS} calls saved "
                f"({', '.join(_SAVE_KINDS)})"
            )
        result["generation_seconds"][name.lower()] = seconds and round(seconds)
        figures, staff = _measure(
            name, url, typed=typed, sought=sought, ruleset=ruleset, seed=SEED + number
        )
        calls = plan_calls(GUI_CALLS, sought, staff, ruleset, SEED + 100 + number)
        figures["gui"] = bench_gui(url, typed, calls, ruleset)
        _print_gui(figures["gui"])
        result[name.lower()] = figures
        met = met and figures["search"]["search"]["p95_ms"] < SEARCH_P95_TARGET_MS
        for key in ("save_call", "save_draft_first", "save_draft_answered"):
            met = met and figures["save"][key]["p95_ms"] < SAVE_P95_TARGET_MS
        met = met and figures["gui"]["busy"]["longest_stall_ms"] < STALL_TARGET_MS
    result["targets"] = {
        "search_p95_ms": SEARCH_P95_TARGET_MS,
        "save_p95_ms": SAVE_P95_TARGET_MS,
        "gui_stall_ms": STALL_TARGET_MS,
    }
    result["target_met"] = met
    print(f"\ncall desk targets: {'met' if met else 'MISSED'}")
    return result
