"""Call recordings (SPEC 12): baresip's sndfile writes two WAVs for each answered call into the
SPA's recordings folder (``dump-YYYY-MM-DD-HH-MM-SS-dec.wav``, what the desk heard, and
``...-enc.wav``, what it sent), named by the second and not by the call. When the call ends the
desk renames them after the call (:func:`keep_recording`), so each belongs to its contact; the
database keeps only the name. Recordings never leave the folder: not in the database, not in
exports. :func:`delete_old_recordings` applies the retention setting.
"""

from __future__ import annotations

import hashlib
import time
from datetime import datetime
from pathlib import Path

HEARD, SENT = "caller", "desk"
"""The two sides of a recording: what the desk heard (the caller) and what it sent."""


def recording_name(call_ref: str, rang_at: datetime) -> str:
    """The name a call's recording is kept under: when it rang, and a digest of its call id
    (never the caller's number)."""
    digest = hashlib.sha256(call_ref.encode("utf-8")).hexdigest()[:12]
    return f"{rang_at:%Y%m%d-%H%M%S}-{digest}"


def recording_files(folder: Path, name: str) -> tuple[Path, Path]:
    """The caller's side and the desk's side of the recording ``name``."""
    return folder / f"{name}-{HEARD}.wav", folder / f"{name}-{SENT}.wav"


def repair_wav_header(path: Path) -> float:
    """Make the sizes in the RIFF header of ``path`` agree with the file (baresip's sndfile
    writes them only when it closes the file, which may be long after the call); the sound's
    length in seconds (0 when the file is not a plain PCM WAV)."""
    size = path.stat().st_size
    with path.open("r+b") as wav:
        head = wav.read(512)
        if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return 0.0
        offset, rate, block = 12, 0, 0
        while offset + 8 <= len(head):
            chunk, length = (
                head[offset : offset + 4],
                int.from_bytes(head[offset + 4 : offset + 8], "little"),
            )
            if chunk == b"fmt ":
                rate = int.from_bytes(head[offset + 12 : offset + 16], "little")
                block = int.from_bytes(head[offset + 20 : offset + 22], "little")
            if chunk == b"data":
                data = size - (offset + 8)
                data -= data % block if block else 0
                wav.seek(4)
                wav.write((size - 8).to_bytes(4, "little"))
                wav.seek(offset + 4)
                wav.write(data.to_bytes(4, "little"))
                return data / block / rate if rate and block else 0.0
            offset += 8 + length + (length % 2)
    return 0.0


def keep_recording(folder: Path, call_ref: str, rang_at: datetime) -> str | None:
    """Rename the newest unclaimed sndfile pair in ``folder`` after the call; its name, or
    None when there is none (nothing was answered, or recording is off)."""
    heard = sorted(folder.glob("dump-*-dec.wav"), key=lambda p: p.stat().st_mtime)
    if not heard:
        return None
    newest = heard[-1]
    name = recording_name(call_ref, rang_at)
    caller_side, desk_side = recording_files(folder, name)
    newest.replace(caller_side)
    sent = newest.with_name(newest.name.removesuffix("-dec.wav") + "-enc.wav")
    if sent.exists():
        sent.replace(desk_side)
    for side in (caller_side, desk_side):
        if side.exists():
            repair_wav_header(side)
    return name


def delete_old_recordings(folder: Path, days: int, now: float | None = None) -> int:
    """Delete recordings older than ``days`` days in ``folder``; how many files went."""
    if not folder.is_dir():
        return 0
    cutoff = (now if now is not None else time.time()) - days * 86_400
    gone = 0
    for path in folder.glob("*.wav"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            gone += 1
    return gone
