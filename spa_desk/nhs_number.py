"""NHS numbers: the modulus 11 check digit, validation, test numbers and display (SPEC 2 step 3).

An NHS number is ten digits; the tenth is a check digit computed from the first nine. Numbers that
start with 999 are never issued to patients and are used for testing, training and demo data.
"""

from __future__ import annotations

NHS_NUMBER_LENGTH = 10
TEST_PREFIX = "999"
_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit for the first nine digits, or None when no check digit can make them valid.

    Modulus 11: each digit is multiplied by its weight (10 down to 2), the check digit is 11 minus
    the remainder of the sum divided by 11; 11 becomes 0 and 10 means the nine digits are unusable.
    """
    if len(first_nine) != len(_WEIGHTS) or not (first_nine.isascii() and first_nine.isdigit()):
        raise ValueError("an NHS number check digit needs exactly nine digits")
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, _WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def normalise_nhs_number(text: str) -> str:
    """The digits of ``text`` with the spaces a person types between groups taken out."""
    return "".join(text.split())


def is_valid_nhs_number(text: str) -> bool:
    """True for ten digits with a valid check digit; spaces are allowed (``943 476 5919``)."""
    digits = normalise_nhs_number(text)
    if len(digits) != NHS_NUMBER_LENGTH or not (digits.isascii() and digits.isdigit()):
        return False
    return nhs_check_digit(digits[:9]) == int(digits[9])


def is_test_nhs_number(number: str) -> bool:
    """True for a number in the 999 range, which is never issued to a real patient."""
    return normalise_nhs_number(number).startswith(TEST_PREFIX)


def format_nhs_number(number: str) -> str:
    """The number as people read it: ``9991234564`` becomes ``999 123 4564``."""
    digits = normalise_nhs_number(number)
    if len(digits) != NHS_NUMBER_LENGTH or not (digits.isascii() and digits.isdigit()):
        raise ValueError("an NHS number has ten digits")
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
