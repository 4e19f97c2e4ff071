"""The Qt table model of the audit log dialog, and audit entries in words.

:class:`AuditTableModel` lists entries newest first (local time, user, action, what it was
about, details); :func:`action_text`, :func:`details_text`, :func:`entry_text` and
:func:`entries_text` put an action, an entry's details on one line, a whole entry on as many
lines as it needs, and a count of entries in words.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from spa_desk.local_time import LONDON
from ui.kit.row_table import ItemRole, RowTableModel

if TYPE_CHECKING:
    from spa_desk.governance.search import AuditEntry

AUDIT_COLUMNS = ("Time", "User", "Action", "Entity", "Details")
EntryRole = ItemRole
"""The data role that returns the row's AuditEntry."""

_ACTION_WORDS = {
    "login_succeeded": "Logged in",
    "login_failed": "Log-in failed",
    "account_locked": "Account locked",
    "person_viewed": "Record opened",
    "person_changed": "Record changed",
    "contact_saved": "Contact saved",
    "override_made": "Screening overridden",
    "report_signed": "Report signed",
    "ruleset_changed": "Rule set changed",
    "user_changed": "Account changed",
    "audit_exported": "Audit log exported",
    "handoff_made": "Call handed off",
    "handoff_claimed": "Hand-off claimed",
    "handoff_released": "Hand-off put back",
    "callback_attempted": "Call-back attempted",
    "calls_anonymised": "Calls anonymised",
    "recording_played": "Recording played",
}


def entries_text(count: int) -> str:
    """``1 entry``, ``1,204 entries``."""
    return f"{count:,} entr{'y' if count == 1 else 'ies'}"


def action_text(action: str) -> str:
    """An audit action in words (an action this desk does not know is shown as it is stored)."""
    return _ACTION_WORDS.get(action, action.replace("_", " ").capitalize())


def _detail_parts(details: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Each detail that has a value, by name, as (name, value in words)."""
    for key in sorted(details):
        value = details[key]
        if value is None or value == "":
            continue
        if isinstance(value, list):
            shown = ", ".join(str(item) for item in value)
        elif isinstance(value, dict):
            shown = json.dumps(value, sort_keys=True)
        else:
            shown = str(value)
        yield key, shown


def details_text(details: dict[str, Any]) -> str:
    """The details of an entry on one line: ``change: added · roles: call_handler``."""
    return " · ".join(f"{key}: {shown}" for key, shown in _detail_parts(details))


def _when(entry: AuditEntry) -> str:
    return entry.occurred_at.astimezone(LONDON).strftime("%a %d %b %Y %H:%M:%S")


def _about(entry: AuditEntry) -> str:
    if entry.entity_type is None:
        return ""
    return f"{entry.entity_type.capitalize()} {entry.entity_id or ''}".strip()


def entry_text(entry: AuditEntry) -> str:
    """A whole entry to read: when, who, what and about what, then each detail on its own line
    (an override's reason in full, however long)."""
    head = [_when(entry), entry.username or "no user", action_text(entry.action), _about(entry)]
    lines = [" · ".join(part for part in head if part)]
    lines += [f"{key}: {shown}" for key, shown in _detail_parts(entry.details)]
    return "\n".join(lines)


class AuditTableModel(RowTableModel["AuditEntry"]):
    """Audit entries, newest first: local time, user, action, what it was about, details."""

    def __init__(self) -> None:
        super().__init__(AUDIT_COLUMNS)

    @property
    def entries(self) -> list[AuditEntry]:
        """The entries shown, in row order."""
        return self.items

    def set_entries(self, entries: list[AuditEntry]) -> None:
        """Show ``entries`` in place of what was there."""
        self.set_items(entries)

    def text(self, entry: AuditEntry, column: int) -> str | None:
        match column:
            case 0:
                return _when(entry)
            case 1:
                return entry.username or "—"
            case 2:
                return action_text(entry.action)
            case 3:
                return _about(entry)
            case 4:
                return details_text(entry.details)
        return None
