"""The parts of the demo generator: calendar and volume, identities, roster, staff, choices."""

from __future__ import annotations

import io
import random
import re
import statistics
import uuid
from collections import Counter
from datetime import UTC, date, datetime

import pytest

from spa_desk.access.passwords import verify_password
from spa_desk.cli.demo_data import ProgressPrinter
from spa_desk.demo.mix import WeightedChoice
from spa_desk.demo.roster import Roster, shift_of
from spa_desk.demo.users import (
    DEMO_HANDLER_USERNAME,
    DEMO_PASSWORD,
    DEMO_USERS,
    call_handlers,
    demo_user_rows,
)
from spa_desk.demo.volume import add_months, call_start_times, expected_calls_by_hour, poisson
from spa_desk.fictional.identities import (
    TestNhsNumbers,
    date_of_birth,
    drama_phone,
    is_drama_phone,
    postcode,
)
from spa_desk.identifiers import is_test_nhs_number, is_valid_nhs_number, postcode_district
from spa_desk.local_time import LONDON
from spa_desk.people.age import age_band, age_on
from spa_desk.vocabulary import Role


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 1), 1, date(2026, 4, 1)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
        (date(2026, 3, 1), 12, date(2027, 3, 1)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("start", "hours"),
    [(date(2026, 3, 1), 31 * 24 - 1), (date(2026, 10, 1), 31 * 24 + 1), (date(2026, 6, 1), 720)],
)
def test_hours_follow_the_clocks_and_the_total_is_the_reference(start: date, hours: int) -> None:
    end = add_months(start, 1)
    expected = expected_calls_by_hour(start, end)
    assert len(expected) == hours
    assert sum(mean for _, mean in expected) == pytest.approx(12_000 * (end - start).days / 30.44)
    assert expected[0][0].astimezone(LONDON) == datetime(
        start.year, start.month, start.day, tzinfo=LONDON
    )


def test_another_volume_keeps_the_shape_of_the_week() -> None:
    start, end = date(2026, 6, 1), date(2026, 7, 1)
    reference = expected_calls_by_hour(start, end)
    busier = expected_calls_by_hour(start, end, per_month=12_500)
    assert sum(mean for _, mean in busier) == pytest.approx(12_500 * 30 / 30.44)
    assert [mean / 12_500 for _, mean in busier] == pytest.approx(
        [mean / 12_000 for _, mean in reference]
    )
    times = call_start_times(random.Random(3), start, end, datetime(2027, 1, 1, tzinfo=UTC), 600)
    assert 500 < len(times) < 700  # about 600 * 30 / 30.44 = 591


def test_poisson_has_the_right_mean_and_variance() -> None:
    rng = random.Random(1)
    draws = [poisson(rng, 12.0) for _ in range(20_000)]
    assert statistics.mean(draws) == pytest.approx(12.0, abs=0.15)
    assert statistics.variance(draws) == pytest.approx(12.0, abs=0.6)
    assert poisson(rng, 0.0) == 0


def test_call_start_times_are_ordered_inside_the_period_and_before_now() -> None:
    now = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    times = call_start_times(random.Random(3), date(2026, 3, 1), date(2026, 4, 1), now)
    assert times == sorted(times)
    assert times[0] >= datetime(2026, 3, 1, tzinfo=UTC)
    assert times[-1] < now
    assert 300 < len(times) < 800


def test_identities_are_fictional() -> None:
    rng = random.Random(5)
    for _ in range(2_000):
        phone = drama_phone(rng)
        assert is_drama_phone(phone)
        assert re.fullmatch(r"(07700900|01632960)\d{3}", phone)
        code = postcode(rng, rng.randint(1, 9))
        assert re.fullmatch(r"ZY[1-9] \d[ABD-HJLNP-UW-Z]{2}", code)
        assert postcode_district(code) == code[:3]
    assert is_drama_phone("07700 900123") and is_drama_phone("01632 960999")
    for real_looking in ("07700901000", "01632961000", "0770090012", "07911123456", ""):
        assert not is_drama_phone(real_looking)


def test_test_nhs_numbers_are_valid_unique_and_in_the_999_range() -> None:
    numbers = TestNhsNumbers()
    rng = random.Random(9)
    issued = [numbers.issue(rng) for _ in range(5_000)]
    assert len(set(issued)) == len(issued)
    assert all(is_valid_nhs_number(n) and is_test_nhs_number(n) for n in issued)


def test_ages_and_bands() -> None:
    assert age_on(date(1950, 6, 15), date(2026, 6, 14)) == 75
    assert age_on(date(1950, 6, 15), date(2026, 6, 15)) == 76
    assert [age_band(a) for a in (18, 64, 65, 74, 75, 84, 85, 101)] == [
        "18-64", "18-64", "65-74", "65-74", "75-84", "75-84", "85+", "85+",
    ]  # fmt: skip
    rng = random.Random(2)
    on = date(2026, 3, 1)
    ages = [age_on(date_of_birth(rng, on, 0.8), on) for _ in range(5_000)]
    assert min(ages) >= 18 and max(ages) <= 101
    assert sum(a >= 65 for a in ages) / len(ages) == pytest.approx(0.8, abs=0.03)


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (datetime(2026, 3, 2, 6, 59), (date(2026, 3, 1), "night")),
        (datetime(2026, 3, 2, 7, 0), (date(2026, 3, 2), "early")),
        (datetime(2026, 3, 2, 15, 0), (date(2026, 3, 2), "late")),
        (datetime(2026, 3, 2, 23, 0), (date(2026, 3, 2), "night")),
    ],
)
def test_shift_of(local: datetime, expected: tuple[date, str]) -> None:
    assert shift_of(local.replace(tzinfo=LONDON)) == expected


def test_roster_puts_the_demo_handler_on_weekday_early_shifts() -> None:
    handlers = [uuid.UUID(int=i) for i in range(12)]
    roster = Roster(random.Random(4), handlers)
    monday_early = roster.on_duty(datetime(2026, 3, 2, 9, tzinfo=LONDON))
    assert monday_early[0] == handlers[0] and len(set(monday_early)) == 4
    assert roster.on_duty(datetime(2026, 3, 2, 14, tzinfo=LONDON)) is monday_early
    assert len(roster.on_duty(datetime(2026, 3, 7, 9, tzinfo=LONDON))) == 3
    assert len(roster.on_duty(datetime(2026, 3, 3, 2, tzinfo=LONDON))) == 2
    with pytest.raises(ValueError, match="five"):
        Roster(random.Random(4), handlers[:3])


def test_demo_staff_cover_every_role_and_share_the_demo_password() -> None:
    usernames = [u.username for u in DEMO_USERS]
    assert len(set(usernames)) == len(usernames)
    assert {r for u in DEMO_USERS for r in u.roles} == set(Role)
    assert call_handlers()[0].username == DEMO_HANDLER_USERNAME
    assert len(call_handlers()) == 12
    counter = iter(range(1, 1000))
    ids, users, roles = demo_user_rows(lambda: uuid.UUID(int=next(counter)), datetime.now(UTC))
    assert len(ids) == len(users) == len(DEMO_USERS) and len(roles) >= len(DEMO_USERS)
    assert len({u["password_hash"] for u in users}) == 1
    assert verify_password(users[0]["password_hash"], DEMO_PASSWORD)


def test_weighted_choice_follows_its_weights() -> None:
    choice = WeightedChoice(["a", "b", "c"], [1, 2, 7])
    rng = random.Random(0)
    counts = Counter(choice.draw(rng) for _ in range(20_000))
    assert counts["c"] / 20_000 == pytest.approx(0.7, abs=0.02)
    assert counts["a"] / 20_000 == pytest.approx(0.1, abs=0.01)
    with pytest.raises(ValueError, match="one weight per option"):
        WeightedChoice(["a"], [1, 2])


def test_progress_on_a_terminal_keeps_one_updating_line() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    show = ProgressPrinter(out)
    for done in (0, 6_000, 12_000):
        show("contacts", done, 12_000)
    assert out.getvalue().count("\r") == 3
    assert out.getvalue().endswith("contacts: 12,000/12,000 (100%)" + " " * 30 + "\n")


def test_progress_to_a_file_writes_a_line_per_tenth() -> None:
    out = io.StringIO()
    show = ProgressPrinter(out)
    for done in range(0, 12_001, 500):
        show("contacts", done, 12_000)
    lines = out.getvalue().splitlines()
    assert lines[0] == "contacts: 0/12,000 (0%)"
    assert lines[-1] == "contacts: 12,000/12,000 (100%)"
    assert len(lines) == 11
