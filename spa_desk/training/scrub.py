"""Free text scrubbed of personal data (SPEC 7), for the anonymiser.

:class:`Scrubber` holds what a whole run shares: the staff's names, the directory's service
names (kept), the names that common words can also be (Faker's lists of given and family names
in many languages), and word frequencies (``wordfreq``) that say which capitalised words are
common English. :meth:`Scrubber.scrub` takes a text and the :class:`Pseudonyms` of one call,
so that a name, number or postcode is replaced by the same stand-in everywhere in that call.

A text is scrubbed in passes, each replacing what it finds with a stand-in that later passes
cannot see again (a placeholder, swapped for the stand-in at the end):

1. e-mail addresses and web addresses;
2. the identifiers the database holds for the person, the caller and the staff (names, address
   lines, postcode, GP practice, phone numbers, NHS number), whatever their case;
3. the directory's service names, which are kept as they are;
4. anything shaped like an NHS number (ten digits, spaced or not);
5. telephone numbers (``phonenumbers``' matcher: +44, 0, spaced, bracketed);
6. postcodes, any case and spacing;
7. dates, shifted by the call's offset when they can be read (the date of birth becomes the
   age band), ``[date]`` when they cannot; years alone become ``[year]``;
8. any other run of six or more digits;
9. capitalised words (and words in capitals) that are neither common English words nor words
   of the directory's service names: a name or a place, replaced by a pseudonym. A word
   that is a common English word and also a name (Brown, Hope, Will) counts as a name,
   except at the start of a sentence when it is one of the commonest words of all.
"""

from __future__ import annotations

import importlib
import random
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import phonenumbers
from wordfreq import zipf_frequency

from spa_desk.fictional.identities import (
    DRAMA_LANDLINE_PREFIX,
    DRAMA_MOBILE_PREFIX,
    INWARD_LETTERS,
)
from spa_desk.identifiers import nhs_check_digit

COMMON = 3.0
"""A word at least this frequent in English (Zipf scale: 3 is once per million words) is common."""
EVERYDAY = 4.3
"""A name written in lower case is still the name unless it is at least this frequent as a word
(hope, will, mark, rose, brown): "I hope" is not about Hope."""
COMMONEST = 5.3
"""At the start of a sentence, a name this frequent as a word (Will, Hope, More) is the word."""

NAME_LOCALES = (
    "en_GB", "en_US", "en_IE", "en_IN", "en_NZ", "en_PK", "en_NG", "en_KE", "ga_IE", "yo_NG",
    "ig_NG", "ha_NG", "tw_GH", "zu_ZA", "pl_PL", "ro_RO", "lt_LT", "pt_PT", "es_ES", "it_IT",
    "fr_FR", "de_DE", "tr_TR", "sw",
)  # fmt: skip
"""Faker's locales whose given and family names count as names: the UK's communities."""

_KEPT = (
    "i ok mr mrs ms miss mx dr prof sir madam mum mam dad son daughter sister brother wife "
    "husband partner aunt uncle nan gran grandad grandma grandson granddaughter nephew niece "
    "cousin carer nurse doctor ward consultant social worker team "
    "monday tuesday wednesday thursday friday saturday sunday "
    "january february march april may june july august september october november december "
    "nhs gp gps a&e ae spa ot ots dn cpn copd uti dnacpr mh ambulance police hospital "
    "christmas easter english british"
)
KEPT_WORDS = frozenset(_KEPT.split())
"""Capitalised words always kept: titles, family and staff words, days and months, the SPA's
abbreviations. (A month that is somebody's name survives as a month: the database's own names
are replaced before this, whatever they are.)"""

TITLES = frozenset(["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "nurse", "sister"])
"""Words after which a capitalised word is a family name, however common."""

PSEUDONYM_GIVEN = (
    "Bridget", "Cyril", "Della", "Elsie", "Fergus", "Gwen", "Hilda", "Ivor", "Kit", "Lorna",
    "Mabel", "Neville", "Orla", "Percy", "Queenie", "Rufus", "Tess", "Una", "Vince", "Winifred",
    "Abdul", "Bisi", "Chen", "Dev", "Esi", "Farah", "Imran", "Jia", "Kemi", "Nia", "Omar",
    "Rohan", "Sana", "Tariq", "Yemi", "Agnes", "Basil", "Cora", "Dulcie", "Enid",
)  # fmt: skip
"""Given names for stand-ins (none is one of the demo data's)."""

PSEUDONYM_FAMILY = (
    "Quillfeather", "Brackenridge", "Thistlewood", "Marrowby", "Pennycook", "Fernsby",
    "Ashcombe", "Larkspur", "Hollowell", "Mossop", "Wrenfield", "Birchall", "Coldharbour",
    "Dewhurst", "Ellerby", "Foxcroft", "Gorseway", "Heathcote", "Inchbald", "Juniper",
    "Kettlewell", "Linthwaite", "Mapplebeck", "Nettleship", "Oxenford", "Peverell",
)  # fmt: skip
"""Family names for stand-ins (none is one of the demo data's)."""

TRAINING_POSTCODE_AREA = "XT"
"""The invented postcode area of stand-in addresses: no real area starts with X, and the demo
data lives in ZY, so a stand-in is never one of the database's postcodes."""
TRAINING_TOWN = "Fennick Cross"
TRAINING_STREETS = (
    "Larch Walk", "Millrace Lane", "Cobble Row", "Heron Way", "Tanyard Close", "Weir Street",
    "Orchard Rise", "Beacon Road", "Flaxfield Drive", "Kiln Lane",
)  # fmt: skip
TRAINING_PRACTICES = (
    "Fennick Cross Surgery",
    "Millrace Medical Centre",
    "Beacon Road Practice",
)


_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
URL = re.compile(
    r"\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|uk|info|io)\b(?:/\S*)?",
    re.IGNORECASE,
)
NHS_SHAPE = re.compile(r"(?<![\d])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d])")
POSTCODE = re.compile(r"\b[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}\b", re.IGNORECASE)
DATE_NUMERIC = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b")
DATE_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
DATE_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})(?:,?\s+(\d{{4}}))?\b", re.IGNORECASE
)
DATE_MONTH_DAY = re.compile(
    rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.IGNORECASE
)
MONTH_YEAR = re.compile(rf"\b({_MONTH})\s+(\d{{4}})\b", re.IGNORECASE)
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
DIGIT_RUN = re.compile(r"(?<!\w)\+?\d[\d ()-]{4,}\d(?!\w)")
WORD = re.compile(r"[^\W\d_][\w'’&-]*")
PLACEHOLDER = re.compile("\x00([a-z]+)\x01")
_SENTENCE_END = frozenset(".!?:;\"'“”‘’(\n")


@cache
def name_words() -> frozenset[str]:
    """Every given and family name in Faker's lists for :data:`NAME_LOCALES`, lower case."""
    names: set[str] = set()
    for locale in NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in ("first_names", "first_names_male", "first_names_female", "last_names"):
            for name in getattr(provider, attribute, ()):
                names.update(part.lower() for part in re.split(r"[\s-]+", str(name)) if part)
    return frozenset(names)


@cache
def _frequency(word: str) -> float:
    return float(zipf_frequency(word, "en"))


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


@dataclass
class Pseudonyms:
    """The stand-ins of one call: each name, number, postcode or address replaced the same way
    wherever it appears in the call. ``offset`` shifts its dates; ``age_band`` replaces the date
    of birth; ``taken`` holds what a stand-in must never be (the database's own values)."""

    rng: random.Random
    offset: timedelta
    date_of_birth: date | None = None
    age_band: str | None = None
    taken: frozenset[str] = frozenset()
    names: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, str] = field(default_factory=dict)
    postcodes: dict[str, str] = field(default_factory=dict)
    addresses: dict[str, str] = field(default_factory=dict)
    known: dict[str, str] = field(default_factory=dict)
    """Identifiers the database holds for this call (lower case) → their stand-ins."""
    avoid: set[str] = field(default_factory=set)
    """Numbers found in the call's text: a stand-in is never one of them either."""

    def _fresh(self, pool: tuple[str, ...], used: Iterable[str]) -> str:
        left = [n for n in pool if n not in set(used) and n.lower() not in self.taken]
        return self.rng.choice(left or [n for n in pool if n.lower() not in self.taken] or pool)

    def given(self, original: str) -> str:
        """The stand-in given name for ``original`` (any case), the same each time."""
        key = original.lower()
        if key not in self.names:
            self.names[key] = self._fresh(PSEUDONYM_GIVEN, self.names.values())
        return self.names[key]

    def family(self, original: str) -> str:
        """The stand-in family name for ``original`` (any case), the same each time."""
        key = original.lower()
        if key not in self.names:
            self.names[key] = self._fresh(PSEUDONYM_FAMILY, self.names.values())
        return self.names[key]

    def phone(self, original: str) -> str:
        """A drama number standing in for the phone ``original``, written ``07700 900123``."""
        key = _digits(original)[-10:]
        while key not in self.numbers:
            mobile = key.startswith("7") or self.rng.random() < 0.6
            prefix = DRAMA_MOBILE_PREFIX if mobile else DRAMA_LANDLINE_PREFIX
            number = f"{prefix}{self.rng.randrange(1000):03d}"
            spaced = f"{number[:5]} {number[5:]}"
            if (
                number not in self.taken
                and number not in self.avoid
                and spaced not in self.numbers.values()
            ):
                self.numbers[key] = f"{number[:5]} {number[5:]}"
        return self.numbers[key]

    def nhs_number(self, original: str) -> str:
        """A valid NHS number of the 999 test range standing in for ``original``."""
        key = "nhs" + _digits(original)
        while key not in self.numbers:
            body = f"999{self.rng.randrange(1_000_000):06d}"
            check = nhs_check_digit(body)
            whole = body + str(check) if check is not None else ""
            if whole and whole not in self.taken and whole not in self.avoid:
                self.numbers[key] = f"{body[:3]} {body[3:6]} {body[6:]}{check}"
        return self.numbers[key]

    def postcode(self, original: str) -> str:
        """A postcode in the invented area XT standing in for ``original``."""
        key = "".join(original.upper().split())
        if key not in self.postcodes:
            letters = self.rng.choice(INWARD_LETTERS) + self.rng.choice(INWARD_LETTERS)
            district = self.rng.randrange(1, 10)
            self.postcodes[key] = (
                f"{TRAINING_POSTCODE_AREA}{district} {self.rng.randrange(10)}{letters}"
            )
        return self.postcodes[key]

    def street(self, original: str) -> str:
        """A street of the invented town standing in for an address line."""
        key = original.lower()
        if key not in self.addresses:
            self.addresses[key] = (
                f"{self.rng.randrange(1, 120)} {self.rng.choice(TRAINING_STREETS)}"
            )
        return self.addresses[key]

    def practice(self, original: str) -> str:
        """An invented GP practice standing in for ``original``."""
        key = original.lower()
        if key not in self.addresses:
            self.addresses[key] = self.rng.choice(TRAINING_PRACTICES)
        return self.addresses[key]

    def shifted(self, day: date) -> date:
        """``day`` moved by the call's offset."""
        return day + self.offset


class _Text:
    """A text being scrubbed: what has been replaced is hidden behind placeholders."""

    def __init__(self, text: str) -> None:
        self.text = text.replace("\x00", " ").replace("\x01", " ")
        self.stand_ins: list[str] = []

    def hide(self, stand_in: str) -> str:
        index = len(self.stand_ins)
        self.stand_ins.append(stand_in)
        letters = ""
        while True:
            index, rest = divmod(index, 26)
            letters += chr(ord("a") + rest)
            if not index:
                break
        return f"\x00{letters}\x01"

    def sub(self, pattern: re.Pattern[str], stand_in: str | Callable[[re.Match[str]], str]) -> None:
        if isinstance(stand_in, str):
            fixed = stand_in
            self.text = pattern.sub(lambda _m: self.hide(fixed), self.text)
        else:
            self.text = pattern.sub(lambda m: self.hide(stand_in(m)), self.text)

    def result(self) -> str:
        def back(match: re.Match[str]) -> str:
            index = 0
            for position, letter in enumerate(match.group(1)):
                index += (ord(letter) - ord("a")) * 26**position
            return self.stand_ins[index]

        return PLACEHOLDER.sub(back, self.text)


def _replace_known(work: _Text, call: Pseudonyms) -> None:
    """The identifiers the database holds for the call, replaced: phrases (an address line, a
    practice) in any case and spacing, then single words, in any case for a word that is not an
    everyday English word, only Capitalised or in CAPITALS for one that is (as
    :func:`_words_pattern`)."""
    phrases = sorted((k for k in call.known if " " in k), key=len, reverse=True)
    for phrase in phrases:
        lowered = work.text.lower()
        if phrase.split()[0] not in lowered:
            continue
        pattern = r"(?<![\w])" + r"\s+".join(map(re.escape, phrase.split())) + r"(?![\w])"
        stand_in = call.known[phrase]

        def replaced(match: re.Match[str], stand_in: str = stand_in) -> str:
            return work.hide(_match_case(match.group(0), stand_in))

        work.text = re.sub(pattern, replaced, work.text, flags=re.IGNORECASE)
    text = work.text
    pieces: list[str] = []
    last = 0
    for match in WORD.finditer(text):
        word = match.group(0)
        bare = re.sub(r"['’]s$", "", word)
        found = call.known.get(bare.lower())
        if found is None or not (bare[:1].isupper() or _frequency(bare.lower()) < EVERYDAY):
            continue
        pieces.append(text[last : match.start()])
        pieces.append(work.hide(_match_case(bare, found) + word[len(bare) :]))
        last = match.end()
    pieces.append(text[last:])
    work.text = "".join(pieces)


def _match_case(original: str, stand_in: str) -> str:
    if original.isupper() and len(original) > 1:
        return stand_in.upper()
    if original.islower():
        return stand_in.lower()
    return stand_in


def _words_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for whole-word ``words``, longest first: any case for a word that is not an
    everyday English word (Okafor, okafor, OKAFOR), only Capitalised or CAPITALS for one that
    is (a person called Hope leaves "I hope" alone)."""
    unique = sorted({" ".join(w.split()) for w in words if w.strip()}, key=len, reverse=True)
    if not unique:
        return None
    choices = []
    for word in unique:
        spaced = r"\s+".join(re.escape(part) for part in word.split())
        if " " in word or _frequency(word.lower()) < EVERYDAY:
            choices.append(f"(?i:{spaced})")
        else:
            title = re.escape(word.title())
            choices.append(f"(?:{title}|{re.escape(word.upper())})")
    return re.compile(r"(?<![\w])(?:" + "|".join(choices) + r")(?![\w])")


class Scrubber:
    """What a run of the anonymiser shares: the staff's names (scrubbed everywhere), the
    directory's service names (kept), and the word lists."""

    def __init__(self, staff_names: Iterable[str], service_names: Iterable[str]) -> None:
        self.staff_words = frozenset(
            part.lower()
            for name in staff_names
            for part in re.split(r"[\s.,_-]+", name)
            if len(part) > 1
        )
        self._staff = _words_pattern(self.staff_words)
        services = [name for name in service_names if name.strip()]
        self._services = _words_pattern(services)
        self.service_words = frozenset(w.lower() for name in services for w in WORD.findall(name))
        self._names = name_words()

    def scrub(self, text: str, call: Pseudonyms) -> str:
        """``text`` with no personal data left, its stand-ins ``call``'s."""
        work = _Text(text)
        work.sub(EMAIL, "[e-mail address]")
        work.sub(URL, "[web address]")
        _replace_known(work, call)
        if self._staff is not None:
            work.sub(self._staff, lambda m: _match_case(m.group(0), call.given(m.group(0))))
        if self._services is not None:
            work.sub(self._services, lambda m: m.group(0))
        work.sub(DATE_ISO, lambda m: _date(call, m, year=1, month=2, day=3))
        work.sub(DATE_NUMERIC, lambda m: _date(call, m, year=3, month=2, day=1))
        work.sub(DATE_DAY_MONTH, lambda m: _date(call, m, year=3, month=2, day=1))
        work.sub(DATE_MONTH_DAY, lambda m: _date(call, m, year=3, month=1, day=2))
        work.sub(MONTH_YEAR, "[month and year]")
        self._phones(work, call)
        work.sub(NHS_SHAPE, lambda m: call.nhs_number(m.group(0)))
        work.sub(POSTCODE, lambda m: call.postcode(m.group(0)))
        work.sub(YEAR, "[year]")
        work.sub(DIGIT_RUN, "[number]")
        self._capitalised(work, call)
        return work.result()

    def _phones(self, work: _Text, call: Pseudonyms) -> None:
        """Telephone numbers ``phonenumbers`` finds (UK ones written with 0 or +44, and other
        countries' with + or 00), with ten digits or more; ten digits without a 0 or + are an
        NHS number's shape, left for that pass; shorter numbers, for the digit-run pass."""
        found = [
            (m.start, m.end, m.raw_string)
            for m in phonenumbers.PhoneNumberMatcher(
                work.text, "GB", leniency=phonenumbers.Leniency.POSSIBLE
            )
            if _phone_shaped(m.raw_string)
        ]
        call.avoid.update(_national(raw) for _start, _end, raw in found)
        call.avoid.update(_digits(m.group(0)) for m in NHS_SHAPE.finditer(work.text))
        for start, end, raw in reversed(found):
            work.text = work.text[:start] + work.hide(call.phone(raw)) + work.text[end:]

    def _capitalised(self, work: _Text, call: Pseudonyms) -> None:
        text = work.text
        pieces: list[str] = []
        last = 0
        previous_was_name = False
        previous_end = -2
        previous_word = ""
        for match in WORD.finditer(text):
            word = match.group(0)
            bare = re.sub(r"['’]s$", "", word)
            stand_in = None
            adjoining = match.start() == previous_end + 1 and text[previous_end] == " "
            if bare[:1].isupper():
                after_title = adjoining and previous_word.lower().rstrip(".") in TITLES
                if after_title or not self._kept(bare, _starts_sentence(text, match.start())):
                    family = after_title or (adjoining and previous_was_name)
                    name = call.family(bare) if family else call.given(bare)
                    stand_in = _match_case(bare, name) + word[len(bare) :]
            if stand_in is None:
                previous_was_name = False
            else:
                pieces.append(text[last : match.start()])
                pieces.append(work.hide(stand_in))
                last = match.end()
                previous_was_name = True
            previous_end = match.end()
            previous_word = word
        pieces.append(text[last:])
        work.text = "".join(pieces)

    def _kept(self, word: str, sentence_start: bool) -> bool:
        lower = word.lower()
        if lower in KEPT_WORDS or lower in self.service_words:
            return True
        if lower in self.staff_words:
            return False
        frequency = _frequency(lower)
        if lower in self._names:
            return sentence_start and frequency >= COMMONEST
        return frequency >= COMMON


def _national(raw: str) -> str:
    """A UK number's digits as dialled at home: +44 7700 900123 → 07700900123."""
    digits = _digits(raw)
    for prefix in ("0044", "44"):
        if raw.lstrip("( ").startswith(("+", "00")) and digits.startswith(prefix):
            return "0" + digits[len(prefix) :]
    return digits


def _phone_shaped(raw: str) -> bool:
    digits = _digits(raw)
    opening = raw.lstrip("( ")[:1]
    if len(digits) == 10 and opening not in "0+":
        return False  # an NHS number's shape
    return len(digits) >= 10 or (opening == "0" and len(digits) >= 9)


def _squash(text: str) -> str:
    return " ".join(text.lower().split())


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    return not before or before[-1] in _SENTENCE_END or before[-1] in "-–—"


def _month_number(text: str) -> int | None:
    lower = text.lower().rstrip(".")
    for number, month in enumerate(_MONTHS, start=1):
        if month.startswith(lower[:3]):
            return number
    return None


def _date(call: Pseudonyms, match: re.Match[str], *, year: int, month: int, day: int) -> str:
    """A date found in text, shifted by the call's offset; the date of birth as an age band."""
    try:
        month_text = match.group(month)
        month_number = int(month_text) if month_text.isdigit() else _month_number(month_text)
        year_text = match.group(year)
        if month_number is None:
            return "[date]"
        if year_text is None:
            found = date(2000, month_number, int(match.group(day)))  # a leap year: 29 Feb reads
            moved = found + call.offset
            return f"{moved.day} {_MONTHS[moved.month - 1].title()}"
        whole_year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        found = date(whole_year, month_number, int(match.group(day)))
    except ValueError:
        return "[date]"
    if call.date_of_birth is not None and found == call.date_of_birth:
        return f"[date of birth: aged {call.age_band}]" if call.age_band else "[date of birth]"
    moved = call.shifted(found)
    return f"{moved.day} {_MONTHS[moved.month - 1].title()} {moved.year}"


def known_identifiers(
    call: Pseudonyms,
    *,
    given_names: Iterable[str | None] = (),
    family_names: Iterable[str | None] = (),
    address_lines: Iterable[str | None] = (),
    postcodes: Iterable[str | None] = (),
    practices: Iterable[str | None] = (),
    other: Mapping[str, str] | None = None,
) -> None:
    """Put the identifiers the database holds for one call into ``call.known`` with their
    stand-ins: each name whole and each part of it, address lines, postcodes, GP practices."""
    namings: tuple[tuple[Iterable[str | None], Callable[[str], str]], ...] = (
        (given_names, call.given),
        (family_names, call.family),
    )
    for names, naming in namings:
        for name in names:
            for part in re.split(r"[\s-]+", name or ""):
                if len(part) > 1:
                    call.known.setdefault(_squash(part), naming(part))
    for line in address_lines:
        if line and line.strip():
            call.known.setdefault(_squash(line), call.street(line))
    for code in postcodes:
        if code and code.strip():
            stand_in = call.postcode(code)
            call.known.setdefault(_squash(code), stand_in)
            call.known.setdefault("".join(code.lower().split()), stand_in)
    for practice in practices:
        if practice and practice.strip():
            call.known.setdefault(_squash(practice), call.practice(practice))
    for original, stand_in in (other or {}).items():
        if original.strip():
            call.known.setdefault(_squash(original), stand_in)
