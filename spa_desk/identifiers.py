"""The identifiers a person is found and told apart by, read in ONE place (SPEC 2 step 3): NHS
numbers, UK phone numbers, UK postcodes and dates as staff type them.

- An NHS number is ten digits; the tenth is a modulus 11 check digit computed from the first nine.
  Numbers that start with 999 are never issued to patients and are used for testing, training and
  demo data.
- A UK phone number is read by the ``phonenumbers`` library (Google's libphonenumber) and kept as
  national digits, ``07700900123``: that is how records store it and how search compares it.
  Numbers in Ofcom's drama ranges are possible but never valid numbers, so possibility is checked.
- A UK postcode is an outward code (area, district) and an inward code (sector digit, unit letters).

Everything that reads, checks, spaces or finds one of these asks this module.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import phonenumbers

from spa_desk.errors import InvalidInput

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


# Phone numbers ------------------------------------------------------------------------------

UK_COUNTRY_CODE = 44
_PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ()\-.]+$")
_SEPARATORS = re.compile(r"[\s()\-.]")


def uk_phone_number(text: str) -> str | None:
    """``text`` as a UK phone number in national digits (``+44 (0)7700 900123`` is
    ``07700900123``), or None when it is not a complete UK number."""
    text = text.strip()
    if not text or not _PHONE_CHARACTERS.match(text):
        return None  # letters, extensions and the like are not a number to call back
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return None
    national = phonenumbers.national_significant_number(number)
    if (
        number.country_code != UK_COUNTRY_CODE
        or national.startswith("0")
        or not 9 <= len(national) <= 10
        or not phonenumbers.is_possible_number(number)
    ):
        return None
    return "0" + national


def clean_phone(label: str, value: str) -> str:
    """A UK phone number as national digits; InvalidInput under ``label`` when it is not one."""
    number = uk_phone_number(value)
    if number is None:
        raise InvalidInput(label, f"{value!r} is not a UK phone number, such as 01632 960123")
    return number


def caller_number(text: str | None) -> str | None:
    """A caller's number from a telephone system: national digits when it is a UK number,
    otherwise as sent without its separators; None when nothing is left (withheld)."""
    if text is None:
        return None
    uk = uk_phone_number(text)
    if uk is not None:
        return uk
    return _SEPARATORS.sub("", text) or None


def typed_phone_digits(text: str) -> str:
    """The digits of a phone number being typed, the way records keep them: ``+44 7700 9``
    and ``+44 (0)7700 9`` are ``077009`` (a prefix to search on, not yet a whole number)."""
    digits = re.sub(r"[^0-9]", "", text)
    if text.lstrip().startswith("+44"):
        digits = "0" + digits[2:].removeprefix("0")
    return digits


_AROUND = r"(?<![0-9A-Za-z+])", r"(?![0-9A-Za-z])"
_NHS_NUMBER_IN_TEXT = re.compile(_AROUND[0] + r"\d{3}[ -]?\d{3}[ -]?\d{4}" + _AROUND[1])
_UK_PHONE_IN_TEXT = re.compile(
    _AROUND[0] + r"(?:\+44[ ]?(?:\(0\)[ ]?)?|0)(?:[ ()-]{0,2}\d){9,10}" + _AROUND[1]
)


def looks_like_nhs_or_phone_number(text: str) -> bool:
    """True when ``text`` holds anything shaped like an NHS number or a UK phone number.

    A guard for places that must never hold personal data (the audit log): it errs towards
    saying yes, and is a plain pattern so that it costs microseconds on every entry.
    """
    return bool(_NHS_NUMBER_IN_TEXT.search(text) or _UK_PHONE_IN_TEXT.search(text))


# Postcodes ----------------------------------------------------------------------------------

POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
"""A whole UK postcode, upper case, with or without its space."""
POSTCODE_START = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?(?: ?[0-9][A-Z]{0,2})?$")
"""The start of a UK postcode as someone types it: at least the area and district."""
_INWARD_START = re.compile(r"[0-9][A-Z]{0,2}$")


def uk_postcode(text: str) -> str | None:
    """``text`` as a whole UK postcode, upper case with its space (``ZY1 2AB``), or None."""
    code = " ".join(text.upper().split())
    if not POSTCODE.match(code):
        return None
    return code if " " in code else f"{code[:-3]} {code[-3:]}"


def is_postcode_start(text: str) -> bool:
    """True when ``text`` (upper case) reads as the start of a postcode, district included."""
    return bool(POSTCODE_START.match(text)) and any(ch.isdigit() for ch in text)


def spaced_postcode_start(text: str) -> str:
    """A postcode start typed without its space, spaced as stored: ``ZY11A`` is ``ZY1 1A``."""
    if " " in text or len(text) < 5:  # four characters or fewer may be the outward part alone
        return text
    inward = _INWARD_START.search(text)  # the inward part starts with its only digit
    return f"{text[: inward.start()]} {text[inward.start() :]}" if inward else text


def postcode_district(code: str) -> str:
    """The outward part of a postcode, the area of service gap reports (``ZY3``)."""
    return code.split(maxsplit=1)[0]


# Dates as staff type them -------------------------------------------------------------------

DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %b %Y", "%d %B %Y")
"""12/03/1941, 12-03-1941, 12.03.1941, 1941-03-12, 12 Mar 1941, 12 March 1941."""


def typed_date(text: str) -> date | None:
    """A date typed in any of :data:`DATE_FORMATS`; None when it is not one."""
    text = " ".join(text.split())
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None
