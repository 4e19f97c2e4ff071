"""The SPA's own words: roles, callers, lines, streams, routes, urgencies, outcomes (SPEC 1-4).

Values are the identifiers of SPEC.md; ``label`` gives the words a person reads on screen.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A role a member of staff may hold; a user may hold several."""

    CALL_HANDLER = "call_handler"
    PRACTITIONER = "practitioner"
    SPA_MANAGER = "spa_manager"
    TRAINER = "trainer"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        """The role as staff say it."""
        return {
            "call_handler": "Call handler",
            "practitioner": "Practitioner",
            "spa_manager": "SPA manager",
            "trainer": "Trainer",
            "administrator": "Administrator",
        }[self.value]


class CallerType(StrEnum):
    """Who is calling (SPEC 9 ``caller_type``)."""

    SELF = "self"
    FAMILY = "family"
    CARER = "carer"
    PROFESSIONAL = "professional"

    @property
    def label(self) -> str:
        """Words for the screen."""
        return {
            "self": "Person themself",
            "family": "Family or friend",
            "carer": "Unpaid carer",
            "professional": "Professional",
        }[self.value]


class ProfessionalRole(StrEnum):
    """What kind of professional is calling (SPEC 9 ``professional_role``)."""

    GP = "gp"
    HOSPITAL = "hospital"
    AMBULANCE = "ambulance"
    POLICE = "police"
    CARE_HOME = "care_home"
    VCS = "vcs"
    OTHER = "other"
    NONE = "none"


class Line(StrEnum):
    """The telephony line or queue a call came in on (SPEC 9 ``line``)."""

    GENERAL = "general"
    HEALTH = "health"
    SOCIAL_CARE = "social_care"
    MENTAL_HEALTH = "mental_health"
    PROFESSIONAL = "professional"
    HOSPITAL_DISCHARGE = "hospital_discharge"


class CallKind(StrEnum):
    """Level-1 non-data detection (SPEC 9 ``call_kind``)."""

    DATA = "data"
    SILENT = "silent"
    WRONG_NUMBER = "wrong_number"
    HANG_UP = "hang_up"
    ABUSIVE = "abusive"
    TEST = "test"


class Level1(StrEnum):
    """The outcome of the level-1 telephony filter."""

    NON_DATA = "non_data"
    EMERGENCY = "emergency"
    INFORMATION = "information"
    STREAM = "stream"

    @property
    def label(self) -> str:
        """Words for the screen."""
        return {
            "non_data": "Not a data call",
            "emergency": "Emergency",
            "information": "Information only",
            "stream": "To a stream",
        }[self.value]


class Stream(StrEnum):
    """The level-2 screening stream a data call is given."""

    SOCIAL_CARE = "social_care"
    HEALTH = "health"
    MENTAL_HEALTH = "mental_health"
    HOSPITAL_DISCHARGE = "hospital_discharge"

    @property
    def label(self) -> str:
        """Words for the screen."""
        return self.value.replace("_", " ").capitalize()


class Route(StrEnum):
    """Where a contact ends (SPEC 3)."""

    ADULT_SOCIAL_CARE = "adult_social_care"
    MENTAL_HEALTH = "mental_health"
    COMMUNITY_THERAPY = "community_therapy"
    COMMUNITY_NURSING = "community_nursing"
    VCS = "vcs"
    SAFEGUARDING = "safeguarding"
    CRISIS_RESPONSE = "crisis_response"
    OWN_GP = "own_gp"
    HOSPICE_EOL = "hospice_eol"
    EMERGENCY_999 = "emergency_999"
    NHS_111 = "nhs_111"
    RESOLVED = "resolved"

    @property
    def label(self) -> str:
        """Words for the screen."""
        return {
            "adult_social_care": "Adult social care",
            "mental_health": "Mental health",
            "community_therapy": "Community therapy",
            "community_nursing": "Community nursing",
            "vcs": "Voluntary and community sector",
            "safeguarding": "Safeguarding",
            "crisis_response": "Crisis response",
            "own_gp": "Own GP",
            "hospice_eol": "Hospice / end of life care",
            "emergency_999": "999",
            "nhs_111": "NHS 111",
            "resolved": "Resolved at first contact",
        }[self.value]


class Urgency(StrEnum):
    """How soon a route must act, most urgent first (SPEC 3)."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    SOON = "soon"
    ROUTINE = "routine"

    @property
    def rank(self) -> int:
        """0 for the most urgent; smaller is more urgent."""
        return list(Urgency).index(self)


class Outcome(StrEnum):
    """How a contact ended, as exported (SPEC 10)."""

    RESOLVED = "resolved"
    REFERRED = "referred"
    NON_DATA = "non_data"
    EMERGENCY = "emergency"


class ContactStatus(StrEnum):
    """A contact is a draft until saved complete."""

    DRAFT = "draft"
    COMPLETE = "complete"


class HandoffKind(StrEnum):
    """How a call goes to a practitioner (SPEC 11): the caller holds, or is rung back."""

    WARM = "warm"
    CALL_BACK = "call-back"


class HandoffStatus(StrEnum):
    """Where a hand-off stands: in its queue, taken by a practitioner, with the SPA manager
    after three unanswered call-back attempts, or finished (saved, or passed on)."""

    WAITING = "waiting"
    CLAIMED = "claimed"
    ESCALATED = "escalated"
    DONE = "done"


OPEN_HANDOFF = (
    HandoffStatus.WAITING.value,
    HandoffStatus.CLAIMED.value,
    HandoffStatus.ESCALATED.value,
)
"""The statuses of a hand-off not yet finished: its call belongs to the queue, not the handler."""


class Presence(StrEnum):
    """Where a desk is (SPEC 11): set by the call on screen, or by its user (away)."""

    AVAILABLE = "available"
    ON_CALL = "on_call"
    WRAP_UP = "wrap_up"
    AWAY = "away"

    @property
    def label(self) -> str:
        """Words for the screen."""
        return {
            "available": "Available",
            "on_call": "On a call",
            "wrap_up": "In wrap-up",
            "away": "Away",
        }[self.value]


class AttemptResult(StrEnum):
    """How one try at ringing a call-back's caller went."""

    NO_ANSWER = "no_answer"
    MESSAGE_LEFT = "message_left"
    REACHED = "reached"

    @property
    def words(self) -> str:
        """The result in words."""
        return {
            "no_answer": "no answer",
            "message_left": "message left",
            "reached": "reached: talking now",
        }[self.value]


class ConsentBasis(StrEnum):
    """The basis on which a person's record was opened (SPEC 2 step 3)."""

    GIVEN_BY_PERSON = "given_by_person"
    GIVEN_BY_REPRESENTATIVE = "given_by_representative"
    LAWFUL_BASIS = "lawful_basis"


class ResolutionMethod(StrEnum):
    """How a contact was resolved at first contact (SPEC 2 step 7)."""

    INFORMATION_ADVICE = "information_advice"
    SIGNPOSTING = "signposting"
    SELF_CARE = "self_care"
    EQUIPMENT_PRACTICAL = "equipment_practical"
    OWN_ASSETS = "own_assets"


DESK_VOCABULARY = {
    "level1": frozenset(item.value for item in Level1),
    "streams": frozenset(item.value for item in Stream),
    "routes": frozenset(item.value for item in Route),
    "urgencies": frozenset(item.value for item in Urgency),
}
"""What the desk can show and store: a rule set naming any other level-1 outcome, stream, route
or urgency is refused, in words, before it is used (``rules check`` and putting rules in force)."""


TRAINING_MARK = "TRAINING"
"""The word every screen, window title and printed page of training mode carries (SPEC 7)."""


def decision_words(key: str) -> str:
    """A level 1, stream or route of a decision in the words of its label (SPEC's own words for
    a key that is none of them, underscores read as spaces)."""
    for kind in (Level1, Stream, Route):
        try:
            return kind(key).label
        except ValueError:
            continue
    return key.replace("_", " ")
