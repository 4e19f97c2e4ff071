"""The fictional people: names skewed like real ones, ids, NHS numbers and phone numbers, and
one chunk of people's rows at a time (made in the worker processes that generate rows)."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any

from bench.call_desk.settings import CHUNK, END, SEED
from spa_desk.fictional import identities as ids
from spa_desk.identifiers import nhs_check_digit

Value = str | int | None


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
    "id", "nhs_number", "given_name", "family_name", "family_key", "given_key", "date_of_birth",
    "address_line1", "address_line2", "town", "postcode", "phone_primary", "phone_secondary",
    "gp_practice", "created_at", "updated_at", "version",
)  # fmt: skip
NHS_EVERY = (17, 20)
"""17 people in every 20 have an NHS number (the 999 range holds about 909,000 valid ones)."""
_UUID_VERSION_4 = (0x4 << 76) | (0x2 << 62)
_UUID_CLEAR = ~((0xF << 76) | (0x3 << 62)) & ((1 << 128) - 1)

Chunk = tuple[int, Any]
"""A chunk of generated rows: how many, and a list of tuples (SQLite) or one COPY text."""


def part_count(count: int) -> int:
    """How many chunks ``count`` rows make."""
    return max(1, math.ceil(count / CHUNK))


def sorted_ids(rng: random.Random, count: int, part: int, parts: int) -> list[str]:
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
    parts = part_count(count)
    result: list[str] = []
    for part in range(parts):
        rng = random.Random(f"{SEED}:people-ids:{part}")
        result.extend(sorted_ids(rng, min(CHUNK, count - part * CHUNK), part, parts))
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


worker: dict[str, Any] = {}
"""What a generating process keeps between chunks (people's ids, contact templates, names)."""


def people_chunk(part: int, chunk_ids: list[str], nhs: list[str | None], copy_text: bool) -> Chunk:
    """The rows of one chunk of people, in PEOPLE_COLUMNS order."""
    rng = random.Random(f"{SEED}:people:{part}")
    random_ = rng.random
    null = "\\N" if copy_text else None
    size = len(chunk_ids)
    givens = rng.choices(worker["given"], k=size)
    families = rng.choices(worker["family"], cum_weights=worker["family_cumulative"], k=size)
    keys, phones = worker["keys"], worker["phones"]  # keys: name_key of every name, made once
    on = END.date()
    stamp = "2021-11-01 09:00:00.000000"
    rows: list[tuple[Value, ...]] = []
    for index, person_id in enumerate(chunk_ids):
        street, district = rng.choice(ids.STREETS)
        given_name, family_name = givens[index], families[index]
        rows.append(
            (
                person_id,
                nhs[index] or null,
                given_name,
                family_name,
                keys[family_name],
                keys[given_name],
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
