"""Free text scrubbed (SPEC 7): generated people, callers and notes full of identifiers in many
shapes, and none survives.

The shapes tried: NHS numbers spaced (999 123 4567), unspaced and hyphenated; phone numbers
with 0 and with +44, spaced, unspaced, bracketed and with 0044, mobiles and landlines; postcodes
in capitals and in lower case, with and without the space; e-mail and web addresses; dates
written 02/03/1940, 2.3.40, 1940-03-02, "2nd March 1940", "March 2, 1940" and "2 Mar"; names
known to the database (the person's, the caller's, the staff's) anywhere in a sentence, in
capitals, in lower case and with 's; names the database does not hold (a neighbour, a son),
capitalised inside a sentence or in capitals, and after a title (Mrs Brown, Dr Hope).
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wordfreq import zipf_frequency

from spa_desk.identifiers import nhs_check_digit
from spa_desk.training.scrub import (
    EVERYDAY,
    KEPT_WORDS,
    PSEUDONYM_FAMILY,
    PSEUDONYM_GIVEN,
    Pseudonyms,
    Scrubber,
    known_identifiers,
    name_words,
)

_TEMPLATE = (
    "rang about her his on and is also lives at the with who visits said that from email see "
    "born was seen by our team called again dob nhs number phone mobile landline home"
)
TEMPLATE_WORDS = frozenset(_TEMPLATE.split())
STAND_INS = {n.lower() for n in (*PSEUDONYM_GIVEN, *PSEUDONYM_FAMILY)}


def _usable(name: str) -> bool:
    lower = name.lower()
    return (
        len(name) > 2
        and name.isalpha()
        and lower not in KEPT_WORDS
        and lower not in TEMPLATE_WORDS
        and lower not in STAND_INS
    )


FAKER_NAMES = sorted(n.title() for n in name_words() if _usable(n))
invented = st.text(alphabet="bcdfghjklmnpqrstvwxz", min_size=3, max_size=8).map(
    lambda s: s[0].upper() + s[1:] + "a"
)
names = st.one_of(st.sampled_from(FAKER_NAMES), invented).filter(_usable)


@st.composite
def nhs_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """(digits, as written): a valid number or any ten digits, spaced, hyphenated or not."""
    while True:
        body = draw(
            st.text(alphabet="0123456789", min_size=9, max_size=9).filter(lambda s: s[0] != "0")
        )
        check = nhs_check_digit(body)
        if check is not None or draw(st.booleans()):
            digits = body + str(check if check is not None else draw(st.integers(0, 9)))
            break
    style = draw(st.sampled_from(["spaced", "bare", "hyphen"]))
    written = {
        "spaced": f"{digits[:3]} {digits[3:6]} {digits[6:]}",
        "bare": digits,
        "hyphen": f"{digits[:3]}-{digits[3:6]}-{digits[6:]}",
    }[style]
    return digits, written


@st.composite
def phones(draw: st.DrawFn) -> tuple[str, str]:
    """(national digits, as written): UK mobiles and landlines in many shapes."""
    kind = draw(st.sampled_from(["mobile", "landline", "london", "leeds"]))
    rest = draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    national = {
        "mobile": f"07700900{rest}",
        "landline": f"01632960{rest}",
        "london": f"02079460{rest}",
        "leeds": f"01134960{rest}",
    }[kind]
    style = draw(st.sampled_from(["bare", "spaced", "plus44", "plus44spaced", "brackets", "0044"]))
    body = national[1:]
    written = {
        "bare": national,
        "spaced": f"{national[:5]} {national[5:]}",
        "plus44": f"+44{body}",
        "plus44spaced": f"+44 {body[:4]} {body[4:]}",
        "brackets": f"({national[:5]}) {national[5:]}",
        "0044": f"0044 {body}",
    }[style]
    return national, written


@st.composite
def postcodes(draw: st.DrawFn) -> tuple[str, str]:
    area = draw(st.sampled_from(["LS", "M", "B", "SW", "ZY", "NE", "BD", "HX"]))
    district = draw(st.integers(1, 29))
    sector = draw(st.integers(0, 9))
    unit = draw(st.text(alphabet="ABDEFGHJLNPQRSTUWXYZ", min_size=2, max_size=2))
    code = f"{area}{district} {sector}{unit}"
    written = draw(
        st.sampled_from([code, code.lower(), code.replace(" ", ""), code.lower().replace(" ", "")])
    )
    return code.replace(" ", "").lower(), written


@st.composite
def people(draw: st.DrawFn) -> dict[str, object]:
    given_name = draw(names)
    family_name = draw(names.filter(lambda n: n.lower() != given_name.lower()))
    born = draw(st.dates(date(1920, 1, 1), date(2005, 12, 31)))
    return {
        "given": given_name,
        "family": family_name,
        "born": born,
        "nhs": draw(nhs_numbers()),
        "phone": draw(phones()),
        "postcode": draw(postcodes()),
    }


def _date_shapes(day: date) -> list[str]:
    month = day.strftime("%B")
    return [
        f"{day:%d/%m/%Y}",
        f"{day.day}.{day.month}.{day:%y}",
        day.isoformat(),
        f"{day.day}nd {month} {day.year}",
        f"{month} {day.day}, {day.year}",
        f"{day.day} {day:%b}",
    ]


def _scrubbed(text: str, person: dict[str, object], caller: dict[str, object], staff: str) -> str:
    scrubber = Scrubber([staff, staff.split(maxsplit=1)[0].lower()], ["Saltmarsh Carers Centre"])
    born = person["born"]
    assert isinstance(born, date)
    call = Pseudonyms(random.Random(7), -timedelta(days=90), date_of_birth=born, age_band="75-84")
    known_identifiers(
        call,
        given_names=[str(person["given"]), str(caller["given"])],
        family_names=[str(person["family"]), str(caller["family"])],
        postcodes=[str(person["postcode"][1])],  # type: ignore[index]
    )
    return scrubber.scrub(text, call)


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]+", text)}


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    person=people(),
    caller=people(),
    neighbour=names,
    son=names,
    staff_given=names,
    staff_family=names,
    date_shape=st.integers(0, 5),
    capitals=st.booleans(),
)
def test_no_identifier_survives_the_scrubbing(
    person: dict[str, object],
    caller: dict[str, object],
    neighbour: str,
    son: str,
    staff_given: str,
    staff_family: str,
    date_shape: int,
    capitals: bool,
) -> None:
    born = person["born"]
    assert isinstance(born, date)
    staff = f"{staff_given} {staff_family}"
    given_name, family_name = str(person["given"]), str(person["family"])
    shown = f"{given_name} {family_name}".upper() if capitals else f"{given_name} {family_name}"
    nhs, phone, postcode = person["nhs"], person["phone"], person["postcode"]
    caller_phone = caller["phone"]
    note = (
        f"{shown} rang about her care, dob {_date_shapes(born)[date_shape]}, "
        f"nhs number {nhs[1]}. Also on {phone[1]} and mobile {caller_phone[1]}. "  # type: ignore[index]
        f"Lives at {postcode[1]} with {family_name.lower()}'s son {son}, "  # type: ignore[index]
        f"who visits. Mrs {neighbour} said that {caller['given']} {caller['family']} is "
        f"{given_name}'s carer. Email {given_name.lower()}.{family_name.lower()}@example.com, "
        f"see www.{family_name.lower()}-family.co.uk. Seen by {staff} and {staff.upper()}. "
        f"{neighbour.upper()} CALLED AGAIN. "
    )
    if zipf_frequency(family_name.lower(), "en") >= EVERYDAY:
        # An everyday word in lower case (brown, hope) is the word, not the name.
        note = note.replace(f"{family_name.lower()}'s son", f"{family_name}'s son")
    out = _scrubbed(note, person, caller, staff)
    words = _words(out)
    for name in (given_name, family_name, str(caller["given"]), str(caller["family"]), neighbour,
                 son, staff_given, staff_family):  # fmt: skip
        assert name.lower() not in words, (name, out)
    digits = _digits(out)
    assert nhs[0] not in digits, out  # type: ignore[index]
    for number in (phone[0], caller_phone[0]):  # type: ignore[index]
        assert number[1:] not in digits, (number, out)
    assert postcode[0] not in re.sub(r"\s", "", out.lower()), out  # type: ignore[index]
    assert born.isoformat() not in out and f"{born:%d/%m/%Y}" not in out
    assert "@" not in out and "www." not in out


def test_a_note_reads_as_a_note_with_its_stand_ins_consistent() -> None:
    person = {
        "given": "Ada",
        "family": "Okonjo",
        "born": date(1940, 3, 2),
        "nhs": ("9990000026", "999 000 0026"),
        "phone": ("07700900001", "07700 900001"),
        "postcode": ("zy11aa", "ZY1 1AA"),
    }
    caller: dict[str, object] = {"given": "Kwame", "family": "Mensah"}
    note = (
        "Ada Okonjo's daughter rang: Ada fell on 3rd March 2024 and I will ring her GP today. "
        "Hope to hear back. Referred to Saltmarsh Carers Centre on Tuesday."
    )
    out = _scrubbed(note, person, caller, "Sam Lee")
    first = out.split("'s daughter")[0]
    given_stand_in = first.split()[0]
    assert given_stand_in in PSEUDONYM_GIVEN
    assert out.count(given_stand_in) == 2  # the same stand-in each time
    # Ordinary words stay, the service's name stays, the date moves 90 days back.
    assert "and I will ring her GP today." in out
    assert out.startswith(f"{first}'s daughter rang:")
    assert "Hope to hear back." in out and "Saltmarsh Carers Centre on Tuesday" in out
    assert "4 December 2023" in out
