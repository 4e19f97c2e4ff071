"""The demo services directory: invented Saltmarsh services for every route a contact can take.

Contacts are referred to these services and signposted to them; telephone numbers are drama ones.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from typing import Any, NamedTuple

from spa_desk.fictional.identities import drama_phone
from spa_desk.vocabulary import Route, Urgency

URGENCIES = tuple(u.value for u in Urgency)


class DemoService(NamedTuple):
    """One directory entry: the route it serves, its name, who runs it and what it does.

    ``urgencies``, when not empty, are the only urgencies it takes referrals at.
    """

    route: Route
    name: str
    organisation: str
    description: str
    urgencies: tuple[str, ...] = ()


_COUNCIL = "Saltmarsh Council"
_HEALTH = "Saltmarsh Community Health"
_MIND = "Estuary Mental Health Partnership"

DEMO_SERVICES: tuple[DemoService, ...] = (
    DemoService(
        Route.ADULT_SOCIAL_CARE,
        "Adult Social Care Front Door",
        _COUNCIL,
        "Assessments, care packages and care home placements.",
    ),
    DemoService(
        Route.ADULT_SOCIAL_CARE,
        "Reablement Team",
        _COUNCIL,
        "Up to six weeks of help to regain daily living skills.",
    ),
    DemoService(
        Route.ADULT_SOCIAL_CARE,
        "Carers' Assessment Team",
        _COUNCIL,
        "Assessments and support plans for unpaid carers.",
    ),
    DemoService(
        Route.MENTAL_HEALTH,
        "Talking Therapies Saltmarsh",
        _MIND,
        "Self-referral talking therapies for anxiety and low mood.",
        ("routine",),
    ),
    DemoService(
        Route.MENTAL_HEALTH,
        "Community Mental Health Team",
        _MIND,
        "Assessment and care for people with serious mental illness.",
        ("soon", "routine"),
    ),
    DemoService(
        Route.MENTAL_HEALTH,
        "Crisis Resolution and Home Treatment",
        _MIND,
        "Urgent mental health assessment, 24 hours a day.",
        ("emergency", "urgent"),
    ),
    DemoService(
        Route.COMMUNITY_THERAPY,
        "Community Therapy Team",
        _HEALTH,
        "Occupational therapy, physiotherapy and rehabilitation at home.",
    ),
    DemoService(
        Route.COMMUNITY_THERAPY,
        "Falls Prevention Service",
        _HEALTH,
        "Falls risk assessment, strength and balance classes.",
    ),
    DemoService(
        Route.COMMUNITY_THERAPY,
        "Equipment and Adaptations Store",
        _HEALTH,
        "Loan equipment and minor adaptations.",
    ),
    DemoService(
        Route.COMMUNITY_NURSING,
        "District Nursing, North",
        _HEALTH,
        "Wounds, continence, catheters, injections and palliative care.",
    ),
    DemoService(
        Route.COMMUNITY_NURSING,
        "District Nursing, South",
        _HEALTH,
        "Wounds, continence, catheters, injections and palliative care.",
    ),
    DemoService(
        Route.VCS,
        "Saltmarsh Good Neighbours",
        "Saltmarsh Good Neighbours",
        "Befriending, shopping and practical help from volunteers.",
    ),
    DemoService(
        Route.VCS,
        "Money and Benefits Advice Saltmarsh",
        "Saltmarsh Advice Network",
        "Benefits checks, debt and housing advice.",
    ),
    DemoService(
        Route.VCS,
        "Social Prescribing Link Workers",
        "Saltmarsh Advice Network",
        "Connecting people with community groups and activities.",
    ),
    DemoService(
        Route.VCS,
        "Saltmarsh Carers' Centre",
        "Saltmarsh Carers' Centre",
        "Information, breaks and groups for unpaid carers.",
    ),
    DemoService(
        Route.SAFEGUARDING,
        "Safeguarding Adults Team",
        _COUNCIL,
        "Adult safeguarding concerns and enquiries.",
    ),
    DemoService(
        Route.CRISIS_RESPONSE,
        "Rapid Response and Intermediate Care",
        _HEALTH,
        "Home-based or bed-based care within 2 to 4 hours.",
    ),
    DemoService(
        Route.OWN_GP,
        "Own GP practice",
        "Saltmarsh GP practices",
        "The person's registered GP practice.",
    ),
    DemoService(
        Route.HOSPICE_EOL,
        "Foreshore Hospice",
        "Foreshore Hospice",
        "End of life care at home and in the hospice.",
    ),
    DemoService(
        Route.EMERGENCY_999,
        "Emergency ambulance (999)",
        "Ambulance service",
        "Immediate risk to life.",
    ),
    DemoService(
        Route.NHS_111, "NHS 111", "NHS 111", "Urgent medical advice outside the SPA's scope."
    ),
)
"""One or more services for every route except ``resolved``."""


class ServiceDirectory:
    """The demo services once inserted: service ids by route, to refer and signpost to."""

    def __init__(self, new_id: Callable[[], uuid.UUID], rng: random.Random) -> None:
        self.rows: list[dict[str, Any]] = []
        self.by_route: dict[str, list[uuid.UUID]] = {}
        self.names: dict[uuid.UUID, str] = {}
        self._by_urgency: dict[tuple[str, str | None], list[uuid.UUID]] = {}
        for service in DEMO_SERVICES:
            service_id = new_id()
            self.rows.append(
                {
                    "id": service_id,
                    "name": service.name,
                    "route": service.route.value,
                    "organisation": service.organisation,
                    "phone": drama_phone(rng),
                    "description": service.description,
                    "active": True,
                }
            )
            self.by_route.setdefault(service.route.value, []).append(service_id)
            self.names[service_id] = service.name
            for urgency in (*URGENCIES, None):
                if not service.urgencies or urgency in service.urgencies:
                    key = (service.route.value, urgency)
                    self._by_urgency.setdefault(key, []).append(service_id)

    def pick(self, rng: random.Random, route: str, urgency: str | None = None) -> uuid.UUID | None:
        """A service for ``route`` that takes ``urgency`` (None: one that takes any urgency).

        None when the directory has no such service, as for ``resolved``.
        """
        choices = self._by_urgency.get((route, urgency))
        return rng.choice(choices) if choices else None
