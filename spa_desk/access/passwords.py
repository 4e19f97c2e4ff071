"""Password hashing with argon2id, at OWASP's recommended cost (19 MiB, 2 passes, 1 lane).

That costs about 30 ms a check here: slow enough to make guessing expensive, quick enough that
logging in (and unlocking an idle desk) does not keep a call handler waiting.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` with a fresh salt."""
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``; never raises for a wrong password."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def decoy_hash() -> str:
    """A hash to check against when a user name is unknown, so that costs as much as a real one."""
    return hash_password("not anyone's password")
