"""Files a desk keeps on its own disk until the database takes what they hold (SPEC 8): written
readable by the desk's user only, fsync'd and renamed into place, so a power cut leaves the old
copy or the new, never half of one; removed durably once the database has them. The call
journal (:mod:`spa_desk.calls.journal`) and the phone's (:mod:`spa_desk.telephony.phone_journal`)
both keep their files here.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def write_durably(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` (its folder made, for this user only); OSError if the disk
    cannot take it."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = target.with_suffix(".part")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    temporary.replace(target)
    sync_folder(target.parent)


def remove_durably(target: Path) -> None:
    """Remove ``target`` (gone already is fine), the removal surviving a power cut."""
    target.unlink(missing_ok=True)
    if target.parent.is_dir():
        sync_folder(target.parent)


def sync_folder(folder: Path) -> None:
    """Make a rename or removal in ``folder`` survive a power cut (where the system allows)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
