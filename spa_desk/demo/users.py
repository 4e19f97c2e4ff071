"""The demo staff: one login per role, and enough call handlers to cover 24/7 shifts.

Every demo user has the password ``demo`` (README lists the logins). The password is hashed once
and the hash shared, because argon2 is slow on purpose and there is nothing to protect here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

from spa_desk.access.passwords import hash_password
from spa_desk.vocabulary import Role, Stream

DEMO_PASSWORD = "demo"  # noqa: S105 - the published password of the fictional demo staff
DEMO_HANDLER_USERNAME = "handler"


class DemoUser(NamedTuple):
    """A demo login: user name, the name shown on screen, and the roles it holds."""

    username: str
    display_name: str
    roles: tuple[Role, ...]


_HANDLER = (Role.CALL_HANDLER,)
_PRACTITIONER = (Role.PRACTITIONER,)

DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(DEMO_HANDLER_USERNAME, "Sam Okafor", _HANDLER),
    DemoUser("practitioner", "Dana Whitfield", _PRACTITIONER),
    DemoUser("manager", "Morgan Achebe", (Role.SPA_MANAGER,)),
    DemoUser("trainer", "Robin Castellano", (Role.TRAINER,)),
    DemoUser("admin", "Alex Mbeki", (Role.ADMINISTRATOR,)),
    DemoUser("handler2", "Priya Ramsbottom", _HANDLER),
    DemoUser("handler3", "Tom Kettlewell", _HANDLER),
    DemoUser("handler4", "Aisha Penhaligon", _HANDLER),
    DemoUser("handler5", "Gary Thistlewood", _HANDLER),
    DemoUser("handler6", "Nkechi Bramwell", _HANDLER),
    DemoUser("handler7", "Lucy Vantongeren", _HANDLER),
    DemoUser("handler8", "Imran Featherstone", _HANDLER),
    DemoUser("handler9", "Megan Oddie", _HANDLER),
    DemoUser("handler10", "Callum Trevithick", _HANDLER),
    DemoUser("handler11", "Hannah Wolstenholme", _HANDLER),
    DemoUser("handler12", "Kwame Ashdown", _HANDLER),
    DemoUser("practitioner2", "Bethan Ravensworth", _PRACTITIONER),
    DemoUser("practitioner3", "Oliver Quansah", _PRACTITIONER),
    DemoUser("practitioner4", "Siobhan Merriweather", _PRACTITIONER),
)
"""Every demo login, ``handler`` first. Names are invented."""

ORGANISATION = "Saltmarsh Single Point of Access"

DEMO_STREAMS: dict[str, tuple[Stream, ...]] = {
    "practitioner": tuple(Stream),
    "practitioner2": (Stream.SOCIAL_CARE, Stream.HOSPITAL_DISCHARGE),
    "practitioner3": (Stream.MENTAL_HEALTH,),
    "practitioner4": (Stream.HEALTH,),
}
"""The streams each demo practitioner works (SPEC 11): the demo ``practitioner`` works all."""


def call_handlers() -> tuple[DemoUser, ...]:
    """The demo users who answer calls, ``handler`` first."""
    return tuple(u for u in DEMO_USERS if Role.CALL_HANDLER in u.roles)


def practitioners() -> tuple[DemoUser, ...]:
    """The demo users who run level-2 screening and make referrals."""
    return tuple(u for u in DEMO_USERS if Role.PRACTITIONER in u.roles)


def demo_user_rows(
    new_id: Callable[[], uuid.UUID], created_at: datetime
) -> tuple[dict[str, uuid.UUID], list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows for the users and user_roles tables, and each user name's id."""
    password_hash = hash_password(DEMO_PASSWORD)
    ids: dict[str, uuid.UUID] = {}
    users: list[dict[str, Any]] = []
    roles: list[dict[str, Any]] = []
    for user in DEMO_USERS:
        user_id = new_id()
        ids[user.username] = user_id
        users.append(
            {
                "id": user_id,
                "username": user.username,
                "display_name": user.display_name,
                "organisation": ORGANISATION,
                "password_hash": password_hash,
                "active": True,
                "failed_logins": 0,
                "locked_until": None,
                "created_at": created_at,
                "password_changed_at": created_at,
            }
        )
        roles.extend({"user_id": user_id, "role": role.value} for role in user.roles)
    return ids, users, roles


def demo_stream_rows(ids: dict[str, uuid.UUID]) -> list[dict[str, Any]]:
    """Rows for the user_streams table: the streams each demo practitioner works."""
    return [
        {"user_id": ids[username], "stream": stream.value}
        for username, streams in DEMO_STREAMS.items()
        for stream in streams
    ]
