"""Who may do what: the matrix of roles and actions (SPEC 1), enforced by the services
themselves, so a call that goes round the desk's screens is refused just the same.

The matrix follows least privilege: call handlers find people and log calls; practitioners also
screen at level 2 and override; SPA managers own reports, rules and the audit log but do not
browse personal records; trainers keep the anonymised training library; administrators manage
accounts and may read the audit log to investigate them.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from spa_desk.domain import CurrentUser
from spa_desk.errors import KnownError
from spa_desk.vocabulary import Role


class Action(StrEnum):
    """Something a member of staff may be allowed to do."""

    VIEW_PERSON = "view_person"
    EDIT_PERSON = "edit_person"
    LOG_CONTACT = "log_contact"
    TRIAGE_LEVEL2 = "triage_level2"
    OVERRIDE = "override"
    SIGN_REPORT = "sign_report"
    VIEW_REPORTS = "view_reports"
    MANAGE_RULES = "manage_rules"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"
    TRAINING_LIBRARY = "training_library"
    VIEW_ROOM = "view_room"
    ANONYMISE_CALLS = "anonymise_calls"
    PLAY_RECORDING = "play_recording"

    @property
    def words(self) -> str:
        """The action as a sentence fragment: ``open a person's record``."""
        return _WORDS[self]


_WORDS = {
    Action.VIEW_PERSON: "open a person's record",
    Action.EDIT_PERSON: "change a person's record",
    Action.LOG_CONTACT: "log a call",
    Action.TRIAGE_LEVEL2: "run level-2 screening",
    Action.OVERRIDE: "override the screening recommendation",
    Action.SIGN_REPORT: "sign a shift report",
    Action.VIEW_REPORTS: "view reports",
    Action.MANAGE_RULES: "change the screening rules",
    Action.MANAGE_USERS: "manage user accounts",
    Action.VIEW_AUDIT: "read the audit log",
    Action.TRAINING_LIBRARY: "manage the training library",
    Action.VIEW_ROOM: "see the room: the desks and the hand-off queues",
    Action.ANONYMISE_CALLS: "turn real contacts into anonymised sample calls",
    Action.PLAY_RECORDING: "play a call's recording",
}

PERMISSIONS: Mapping[Role, frozenset[Action]] = {
    Role.CALL_HANDLER: frozenset({Action.VIEW_PERSON, Action.EDIT_PERSON, Action.LOG_CONTACT}),
    Role.PRACTITIONER: frozenset(
        {
            Action.VIEW_PERSON,
            Action.EDIT_PERSON,
            Action.LOG_CONTACT,
            Action.TRIAGE_LEVEL2,
            Action.OVERRIDE,
        }
    ),
    Role.SPA_MANAGER: frozenset(
        {
            Action.SIGN_REPORT,
            Action.VIEW_REPORTS,
            Action.MANAGE_RULES,
            Action.VIEW_AUDIT,
            Action.VIEW_ROOM,
            Action.ANONYMISE_CALLS,
            Action.PLAY_RECORDING,  # quality review (SPEC 12); every playback is audited
        }
    ),
    Role.TRAINER: frozenset(
        {Action.TRAINING_LIBRARY, Action.ANONYMISE_CALLS}
    ),  # never live records (SPEC 7)
    Role.ADMINISTRATOR: frozenset({Action.MANAGE_USERS, Action.VIEW_AUDIT}),
}


class PermissionDenied(KnownError):
    """The user's roles do not allow the action."""


def allowed(user: CurrentUser, action: Action) -> bool:
    """True when any of the user's roles allows ``action``."""
    return any(action in PERMISSIONS[role] for role in user.roles)


def require(user: CurrentUser, action: Action) -> None:
    """Refuse, in words, unless one of the user's roles allows ``action``."""
    if not allowed(user, action):
        raise PermissionDenied(
            f"{user.display_name} ({user.roles_label}) may not {action.words}. "
            "Ask an administrator if your roles should allow it."
        )


def require_any(user: CurrentUser, *actions: Action) -> None:
    """Refuse unless the user's roles allow at least one of ``actions``."""
    if not any(allowed(user, action) for action in actions):
        require(user, actions[0])
