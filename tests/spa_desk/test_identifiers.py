"""NHS numbers: modulus 11 check digit, validation with spaces, the 999 test range and display."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spa_desk.identifiers import (
    format_nhs_number,
    is_test_nhs_number,
    is_valid_nhs_number,
    nhs_check_digit,
)

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@pytest.mark.parametrize(
    ("first_nine", "check"),
    [
        ("943476591", 9),  # the NHS's own worked example, 943 476 5919
        ("999000001", 8),
        ("999111111", 5),
        ("999000005", 0),  # 11 minus a remainder of 0 is 11, which becomes 0
        ("999123456", None),  # 11 minus a remainder of 1 is 10: no valid number
        ("999000000", None),
    ],
)
def test_check_digit(first_nine: str, check: int | None) -> None:
    assert nhs_check_digit(first_nine) == check


@pytest.mark.parametrize("bad", ["", "12345678", "1234567890", "12345678a", "１２３４５６７８９"])
def test_check_digit_needs_nine_ascii_digits(bad: str) -> None:
    with pytest.raises(ValueError, match="nine digits"):
        nhs_check_digit(bad)


@pytest.mark.parametrize(
    "text", ["9434765919", "943 476 5919", " 999 000 0018 ", "9990000050", "999 111 1115"]
)
def test_valid_numbers(text: str) -> None:
    assert is_valid_nhs_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "9434765918",  # wrong check digit
        "9991234564",  # first nine digits that no check digit can make valid
        "943476591",  # nine digits
        "94347659190",  # eleven digits
        "943-476-5919",
        "943476591x",
        "",
    ],
)
def test_invalid_numbers(text: str) -> None:
    assert not is_valid_nhs_number(text)


def test_test_numbers_start_with_999() -> None:
    assert is_test_nhs_number("9990000018")
    assert is_test_nhs_number("999 000 0018")
    assert not is_test_nhs_number("9434765919")


def test_format_groups_three_three_four() -> None:
    assert format_nhs_number("9991234564") == "999 123 4564"
    assert format_nhs_number("999 000 0018") == "999 000 0018"
    with pytest.raises(ValueError, match="ten digits"):
        format_nhs_number("99912345")


@given(nine_digits)
def test_a_computed_check_digit_always_validates(first_nine: str) -> None:
    check = nhs_check_digit(first_nine)
    if check is None:
        assert not any(is_valid_nhs_number(first_nine + str(d)) for d in range(10))
    else:
        number = first_nine + str(check)
        assert is_valid_nhs_number(number)
        assert is_valid_nhs_number(format_nhs_number(number))
        assert [is_valid_nhs_number(first_nine + str(d)) for d in range(10)].count(True) == 1


@given(nine_digits, st.integers(min_value=0, max_value=8), st.integers(min_value=1, max_value=9))
def test_changing_one_digit_breaks_the_check(first_nine: str, position: int, shift: int) -> None:
    check = nhs_check_digit(first_nine)
    if check is None:
        return
    changed = list(first_nine)
    changed[position] = str((int(changed[position]) + shift) % 10)
    assert not is_valid_nhs_number("".join(changed) + str(check))
