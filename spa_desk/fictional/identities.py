"""Fictional identities: names, Saltmarsh addresses, ZY postcodes, drama phones, test NHS numbers.

Nothing here can point at a real person. Names are ordinary given and family names combined at
random; streets belong to the invented town of Saltmarsh in the postcode area ZY, which is not a
real UK postcode area; telephone numbers come only from the ranges Ofcom keeps for drama
(07700 900000-900999 and 01632 960000-960999); NHS numbers start with 999, which is never issued.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from spa_desk.identifiers import nhs_check_digit

TOWN = "Saltmarsh"
POSTCODE_AREA = "ZY"
DRAMA_MOBILE_PREFIX = "07700900"
DRAMA_LANDLINE_PREFIX = "01632960"

GIVEN_NAMES = (
    "Ada", "Albert", "Alice", "Amir", "Anne", "Arthur", "Barbara", "Bernard", "Beryl", "Brian",
    "Carol", "Chidi", "Clara", "Colin", "Daphne", "David", "Derek", "Doreen", "Edith", "Elaine",
    "Ernest", "Fatima", "Frank", "Gareth", "Gladys", "Gordon", "Grace", "Harold", "Hazel", "Ian",
    "Irene", "Ivy", "Jean", "Joan", "John", "Joyce", "Keith", "Kenneth", "Lakshmi", "Leonard",
    "Lily", "Margaret", "Marjorie", "Maureen", "Michael", "Mohammed", "Nora", "Norman", "Olive",
    "Patricia", "Pauline", "Peter", "Priya", "Raymond", "Rita", "Roy", "Ruth", "Sandra", "Shirley",
    "Stanley", "Sylvia", "Terence", "Thomas", "Valerie", "Vera", "Walter", "Wendy", "Yusuf",
    "Zainab", "Jordan", "Casey", "Morgan", "Robin", "Alex", "Sam", "Jamie",
)  # fmt: skip
"""Given names, ordinary ones; only their random pairing with a family name is invented."""

FAMILY_NAMES = (
    "Abbott", "Adeyemi", "Ahmed", "Ainsworth", "Atkinson", "Bancroft", "Barlow", "Beckett",
    "Birch", "Blackwood", "Bramley", "Brennan", "Castle", "Chadwick", "Clegg", "Cowling",
    "Crabtree", "Dawson", "Denby", "Dobson", "Eastwood", "Ellery", "Fairbairn", "Fenwick",
    "Fletcher", "Garside", "Gillespie", "Greenhalgh", "Haigh", "Hartley", "Hepworth", "Holroyd",
    "Hussain", "Ingham", "Jagger", "Kaur", "Kershaw", "Lacey", "Lindqvist", "Lumb", "Marsden",
    "Mellor", "Mistry", "Moorhouse", "Nuttall", "Oakes", "Oldroyd", "Ormerod", "Pickles", "Pollard",
    "Quarmby", "Ramsden", "Riley", "Rowbotham", "Sagar", "Shackleton", "Singh", "Sowerby",
    "Stansfield", "Sutcliffe", "Tattersall", "Thornton", "Uttley", "Varley", "Wadsworth",
    "Whiteley", "Wilkinson", "Woodhead", "Yeadon", "Zielinski",
)  # fmt: skip
"""Family names, ordinary ones; only their random pairing with a given name is invented."""

STREETS: tuple[tuple[str, int], ...] = (
    ("Gullrock Lane", 1), ("Saltpan Road", 1), ("Tern Close", 1), ("Breakwater Street", 1),
    ("Marram Way", 2), ("Dunlin Avenue", 2), ("Shingle Row", 2), ("Oysterbed Lane", 2),
    ("Samphire Gardens", 3), ("Kittiwake Drive", 3), ("Ebb Tide Terrace", 3),
    ("Netmakers Walk", 4), ("Lantern Hill", 4), ("Smokehouse Yard", 4), ("Fogbell Road", 4),
    ("Sea Holly Crescent", 5), ("Brackwater Lane", 5), ("Curlew Rise", 5),
    ("Saltings View", 6), ("Driftwood Close", 6), ("Harbourmaster Street", 6),
    ("Wherry Lane", 7), ("Sandpiper Grove", 7), ("Seawall Road", 7),
    ("Mudlark Mews", 8), ("Old Ropewalk", 8), ("Cockle Street", 8),
    ("Eelgrass Lane", 9), ("Plover Court", 9), ("Tidemill Road", 9),
)  # fmt: skip
"""Invented streets of Saltmarsh with the ZY postcode district each lies in."""

NEIGHBOURHOODS = ("Old Town", "Harbourside", "Upper Saltmarsh", "The Saltings", "Marsh End")
"""Invented parts of Saltmarsh, used as a second address line."""

GP_PRACTICES = (
    "Gullrock Lane Surgery",
    "Harbour View Medical Centre",
    "Saltings Health Centre",
    "Marram Way Practice",
    "Lantern Hill Surgery",
    "Curlew Rise Medical Practice",
)
"""Invented GP practices of Saltmarsh."""

INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
"""Letters a UK postcode's inward code may end with (never C, I, K, M, O or V)."""


def full_name(rng: random.Random) -> tuple[str, str]:
    """A random (given name, family name) pair."""
    return rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)


def drama_phone(rng: random.Random) -> str:
    """A telephone number from Ofcom's drama ranges, written without spaces."""
    prefix = DRAMA_MOBILE_PREFIX if rng.random() < 0.6 else DRAMA_LANDLINE_PREFIX
    return f"{prefix}{rng.randrange(1000):03d}"


def is_drama_phone(number: str) -> bool:
    """True for a number in 07700 900000-900999 or 01632 960000-960999 (spaces allowed)."""
    digits = "".join(number.split())
    return (
        len(digits) == 11
        and digits.isdigit()
        and digits.startswith((DRAMA_MOBILE_PREFIX, DRAMA_LANDLINE_PREFIX))
    )


def postcode(rng: random.Random, district: int) -> str:
    """A postcode in the fictional ZY area, such as ``ZY3 7QP``."""
    letters = rng.choice(INWARD_LETTERS) + rng.choice(INWARD_LETTERS)
    return f"{POSTCODE_AREA}{district} {rng.randrange(10)}{letters}"


def date_of_birth(rng: random.Random, on: date, older_share: float) -> date:
    """A birth date for an adult who is 65 or over with probability ``older_share``."""
    if rng.random() < older_share:
        age = int(rng.triangular(65, 101, 81))
    else:
        age = int(rng.triangular(18, 65, 48))
    return on - timedelta(days=age * 365 + rng.randrange(365) + age // 4)


class TestNhsNumbers:
    """Unique NHS numbers in the 999 test range, each with a valid check digit."""

    __test__ = False  # not a pytest test class, whatever its name

    def __init__(self) -> None:
        self._issued: set[str] = set()

    def issue(self, rng: random.Random) -> str:
        """A number not issued before by this instance."""
        while True:
            first_nine = f"999{rng.randrange(1_000_000):06d}"
            check = nhs_check_digit(first_nine)
            if check is None:
                continue
            number = f"{first_nine}{check}"
            if number not in self._issued:
                self._issued.add(number)
                return number
