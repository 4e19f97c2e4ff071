"""The audit key (SPEC 8): the secret that keys the audit log's hash chain and the contacts
export's ``person_ref``, kept outside the database so that someone who can write the audit table
cannot recompute the chain, and someone who reads an export cannot tell who a reference is by
trying ids.

The key is ``SPA_DESK_AUDIT_KEY`` (hex, 32 bytes or more) when that is set, else the file
``audit.key`` in the settings folder, made on first need with 32 random bytes (written as hex)
and readable by its owner only. Desks that share a database must share the key. It is loaded here
and nowhere else, once per process for each place it can come from; checking the log never makes
a key (:func:`existing_audit_key`), writing to it does (:func:`audit_key`).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
import threading
from pathlib import Path

from spa_desk.errors import KnownError
from spa_desk.settings import AUDIT_KEY_ENV, audit_key_path

KEY_BYTES = 32
"""The length of a key this desk makes, and the least it accepts."""

_KEY_ID_LABEL = b"spa-desk audit key id"


class AuditKeyProblem(KnownError):
    """The audit key cannot be read, is damaged, or is not the key the audit log is kept with."""


class AuditKey:
    """An audit key: it makes HMAC-SHA-256s and never shows its secret.

    ``key_id`` (16 hex digits of the key's HMAC of a fixed label) names the key in the log and in
    messages, so that a desk with the wrong key is told so; it gives nothing away about the key.
    ``source`` says where the key came from, for messages.
    """

    __slots__ = ("_secret", "key_id", "source")

    def __init__(self, secret: bytes, source: str) -> None:
        if len(secret) < KEY_BYTES:
            raise ValueError(f"an audit key needs at least {KEY_BYTES} bytes")
        self._secret = secret
        self.source = source
        self.key_id = self.mac(_KEY_ID_LABEL)[:16]

    def mac(self, message: bytes) -> str:
        """The HMAC-SHA-256 of ``message`` with this key, as hex."""
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def __repr__(self) -> str:
        return f"AuditKey(key_id={self.key_id!r}, source={self.source!r})"


_lock = threading.Lock()
_loaded: dict[tuple[str, str], AuditKey] = {}


def _parse(text: str) -> bytes | None:
    value = text.strip()
    if len(value) < 2 * KEY_BYTES:
        return None
    try:
        return bytes.fromhex(value)
    except ValueError:
        return None


def _from_environment(value: str) -> AuditKey:
    secret = _parse(value)
    if secret is None:
        raise AuditKeyProblem(
            f"{AUDIT_KEY_ENV} must hold at least {2 * KEY_BYTES} hex digits (a key of "
            f"{KEY_BYTES} bytes or more); it holds something else. Set it to the SPA's audit key."
        )
    return AuditKey(secret, AUDIT_KEY_ENV)


def _read_file(path: Path) -> AuditKey:
    try:
        if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
            raise AuditKeyProblem(
                f"The audit key file {path} can be read or changed by other users of this "
                f"computer. Make it its owner's alone: chmod 600 {path}"
            )
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "it is not text"
        raise AuditKeyProblem(f"The audit key file {path} cannot be read: {reason}.") from None
    secret = _parse(text)
    if secret is None:
        raise AuditKeyProblem(
            f"The audit key file {path} does not hold a key ({2 * KEY_BYTES} or more hex "
            "digits). Put the SPA's audit.key there again."
        )
    return AuditKey(secret, str(path))


def _make_file(path: Path) -> None:
    """Write a new random key to ``path``, unless another desk or thread has just done so.

    The key is written beside ``path`` and linked into place, so nobody ever reads half a key
    and two desks starting together end up with the same one.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w", encoding="ascii") as out:
                out.write(secrets.token_bytes(KEY_BYTES).hex() + "\n")
                out.flush()
                os.fsync(out.fileno())
            with contextlib.suppress(FileExistsError):  # another desk made it first: theirs
                os.link(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    except OSError as error:
        raise AuditKeyProblem(f"Cannot make the audit key file {path}: {error.strerror}.") from None


def _load(*, make: bool) -> AuditKey | None:
    value = os.environ.get(AUDIT_KEY_ENV, "")
    source = ("environment", value) if value.strip() else ("file", str(audit_key_path()))
    with _lock:
        found = _loaded.get(source)
        if found is not None:
            return found
        if source[0] == "environment":
            found = _from_environment(value)
        else:
            path = Path(source[1])
            if not path.exists():
                if not make:
                    return None
                _make_file(path)
            found = _read_file(path)
        _loaded[source] = found
        return found


def audit_key() -> AuditKey:
    """The audit key in force, made on first need (a new ``audit.key``); for writing the log."""
    key = _load(make=True)
    if key is None:
        raise AssertionError("_load(make=True) always gives a key")
    return key


def existing_audit_key() -> AuditKey | None:
    """The audit key in force, or None when this desk has none; never makes one (checking the log
    with a new key would only show that every keyed entry was keyed with another)."""
    return _load(make=False)


def where_the_key_goes() -> str:
    """Where this desk looks for the audit key, in words, for messages that ask for it."""
    return f"set {AUDIT_KEY_ENV}, or put the SPA's audit key in {audit_key_path()}"
