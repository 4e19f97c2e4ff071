"""Who the demo calls are about and who makes them: people who ring again, and known callers.

Each stream has its own pool of people (about 2,500 a month of data in all). A call picks someone
from its stream's pool with a Zipf-like skew, so most people ring once or twice and a few ring
many times, as frequent callers do. A person's record is made the first time they are picked.
Family members and carers are callers tied to one person; professionals are a pool of callers
per professional role, reused across calls.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, NamedTuple

from spa_desk.demo.mix import WeightedChoice
from spa_desk.demo.scenario_types import ScenarioGroup
from spa_desk.fictional import identities as ids
from spa_desk.identifiers import postcode_district
from spa_desk.vocabulary import CallerType, ProfessionalRole

PEOPLE_PER_MONTH = 2_500
ZIPF_OFFSET = 50
"""Flattens the head of the Zipf curve: the most frequent caller rings a few dozen times a month."""

POOL_SHARES: dict[ScenarioGroup, float] = {
    ScenarioGroup.SOCIAL_CARE: 0.36,
    ScenarioGroup.HEALTH: 0.32,
    ScenarioGroup.MENTAL_HEALTH: 0.20,
    ScenarioGroup.HOSPITAL_DISCHARGE: 0.12,
}
OLDER_SHARES: dict[ScenarioGroup, float] = {
    ScenarioGroup.SOCIAL_CARE: 0.85,
    ScenarioGroup.HEALTH: 0.85,
    ScenarioGroup.MENTAL_HEALTH: 0.35,
    ScenarioGroup.HOSPITAL_DISCHARGE: 0.85,
}
"""Share of each pool aged 65 or over; mental health callers are younger."""

_OTHER_POOLS = WeightedChoice(
    (ScenarioGroup.SOCIAL_CARE, ScenarioGroup.HEALTH, ScenarioGroup.MENTAL_HEALTH), (40, 45, 15)
)

PROFESSIONAL_CALLERS: dict[ProfessionalRole, tuple[int, tuple[str, ...], tuple[str, ...]]] = {
    ProfessionalRole.GP: (30, ids.GP_PRACTICES, ("GP", "Practice nurse", "Receptionist")),
    ProfessionalRole.HOSPITAL: (
        40,
        ("Saltmarsh General Hospital", "Estuary Infirmary"),
        ("Discharge coordinator", "Ward sister", "Ward nurse", "Hospital social worker"),
    ),
    ProfessionalRole.AMBULANCE: (12, ("Estuary Ambulance Service",), ("Paramedic",)),
    ProfessionalRole.POLICE: (12, ("Saltmarsh Police",), ("Police officer", "PCSO")),
    ProfessionalRole.CARE_HOME: (
        25,
        ("Marram House Care Home", "Tidemill Lodge", "Kittiwake Court Nursing Home"),
        ("Care home manager", "Senior carer", "Nurse"),
    ),
    ProfessionalRole.VCS: (
        15,
        ("Saltmarsh Good Neighbours", "Saltmarsh Advice Network", "Saltmarsh Carers' Centre"),
        ("Volunteer coordinator", "Advice worker", "Link worker"),
    ),
    ProfessionalRole.OTHER: (
        15,
        ("Saltmarsh Housing Association", "Saltmarsh Pharmacy", "Estuary Fire and Rescue"),
        ("Housing officer", "Pharmacist", "Safe and well officer"),
    ),
}
"""For each professional role: how many distinct callers, their organisations and job titles."""


class PersonCard(NamedTuple):
    """What a call needs to know about its person: id, date of birth and postcode district."""

    id: uuid.UUID
    date_of_birth: date
    area: str


class _ZipfPool:
    def __init__(self, size: int) -> None:
        self.choice = WeightedChoice(range(size), [(i + ZIPF_OFFSET) ** -1.0 for i in range(size)])


class Population:
    """The people and callers of the demo, made on first use; new rows wait in the buffers."""

    def __init__(
        self, rng: random.Random, new_id: Callable[[], uuid.UUID], months: int, born_before: date
    ) -> None:
        self._rng = rng
        self._new_id = new_id
        self._born_before = born_before
        self._nhs_numbers = ids.TestNhsNumbers()
        total = PEOPLE_PER_MONTH * months
        self._pools = {g: _ZipfPool(max(1, round(total * s))) for g, s in POOL_SHARES.items()}
        self._people: dict[tuple[ScenarioGroup, int], PersonCard] = {}
        self._relatives: dict[tuple[uuid.UUID, str], uuid.UUID] = {}
        self._professionals: dict[tuple[ProfessionalRole, int], uuid.UUID] = {}
        self._professional_pools = {
            role: _ZipfPool(size) for role, (size, _, _) in PROFESSIONAL_CALLERS.items()
        }
        self.new_people: list[dict[str, Any]] = []
        self.new_callers: list[dict[str, Any]] = []
        self.people_made = 0

    def person_for(self, group: ScenarioGroup, at: datetime) -> PersonCard:
        """Someone from the pool of ``group`` (any pool for emergencies and information)."""
        if group not in self._pools:
            group = _OTHER_POOLS.draw(self._rng)
        key = (group, self._pools[group].choice.draw(self._rng))
        card = self._people.get(key)
        if card is None:
            card = self._make_person(group, at)
            self._people[key] = card
        return card

    def caller_for(
        self,
        caller_type: CallerType,
        role: ProfessionalRole | None,
        person: PersonCard,
        at: datetime,
    ) -> uuid.UUID | None:
        """The caller row for this call: None when people ring about themselves."""
        if caller_type is CallerType.SELF:
            return None
        if caller_type is CallerType.PROFESSIONAL:
            assert role is not None
            key = (role, self._professional_pools[role].choice.draw(self._rng))
            caller_id = self._professionals.get(key)
            if caller_id is None:
                caller_id = self._make_professional(role, at)
                self._professionals[key] = caller_id
            return caller_id
        relative_key = (person.id, caller_type.value)
        caller_id = self._relatives.get(relative_key)
        if caller_id is None:
            caller_id = self._make_caller(caller_type.value, None, None, None, at)
            self._relatives[relative_key] = caller_id
        return caller_id

    def _make_person(self, group: ScenarioGroup, at: datetime) -> PersonCard:
        rng = self._rng
        person_id = self._new_id()
        given, family = ids.full_name(rng)
        street, district = rng.choice(ids.STREETS)
        code = ids.postcode(rng, district)
        born = ids.date_of_birth(rng, self._born_before, OLDER_SHARES[group])
        self.new_people.append(
            {
                "id": person_id,
                "nhs_number": self._nhs_numbers.issue(rng),
                "given_name": given,
                "family_name": family,
                "date_of_birth": born,
                "address_line1": f"{rng.randint(1, 140)} {street}",
                "address_line2": rng.choice(ids.NEIGHBOURHOODS) if rng.random() < 0.3 else None,
                "town": ids.TOWN,
                "postcode": code,
                "phone_primary": ids.drama_phone(rng),
                "phone_secondary": ids.drama_phone(rng) if rng.random() < 0.3 else None,
                "gp_practice": rng.choice(ids.GP_PRACTICES),
                "created_at": at,
                "updated_at": at,
                "version": 1,
            }
        )
        self.people_made += 1
        return PersonCard(person_id, born, postcode_district(code))

    def _make_professional(self, role: ProfessionalRole, at: datetime) -> uuid.UUID:
        _, organisations, titles = PROFESSIONAL_CALLERS[role]
        organisation = self._rng.choice(organisations)
        title = self._rng.choice(titles)
        return self._make_caller("professional", role.value, organisation, title, at)

    def _make_caller(
        self,
        caller_type: str,
        role: str | None,
        organisation: str | None,
        job_title: str | None,
        at: datetime,
    ) -> uuid.UUID:
        caller_id = self._new_id()
        given, family = ids.full_name(self._rng)
        self.new_callers.append(
            {
                "id": caller_id,
                "caller_type": caller_type,
                "professional_role": role,
                "name": f"{given} {family}",
                "organisation": organisation,
                "job_title": job_title,
                "phone": ids.drama_phone(self._rng),
                "created_at": at,
            }
        )
        return caller_id
