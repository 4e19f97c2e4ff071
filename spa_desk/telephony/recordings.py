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
import wave
from datetime import datetime
from pathlib import Path

FOLDER = "recordings"
"""The recordings' folder in the SPA's data folder."""
HEARD, SENT = "caller", "desk"
"""The two sides of a recording: what the desk heard (the caller) and what it sent."""


def recordings_folder(data_dir: Path) -> Path:
    """Where the desk's softphone records, in the SPA's data folder ``data_dir``."""
    return data_dir / FOLDER


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


def both_sides(folder: Path, name: str) -> Path | None:
    """The recording ``name`` with both sides mixed into one WAV (made once, beside them) for
    playing back; None when its files are gone (deleted after the retention days)."""
    import array

    heard, sent = recording_files(folder, name)
    if not heard.is_file():
        return None
    mixed = folder / f"{name}-both.wav"
    if mixed.is_file() and mixed.stat().st_mtime >= heard.stat().st_mtime:
        return mixed
    sides: list[array.array[int]] = []
    for path in (heard, sent):
        if path.is_file():
            repair_wav_header(path)
            with wave.open(str(path), "rb") as sound:
                samples = array.array("h")
                samples.frombytes(sound.readframes(sound.getnframes()))
                sides.append(samples)
    length = max(len(samples) for samples in sides)
    out = array.array("h", bytes(2 * length))
    for samples in sides:
        for index, value in enumerate(samples):
            out[index] = max(-32768, min(32767, out[index] + value))
    with wave.open(str(mixed), "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(2)
        target.setframerate(8000)
        target.writeframes(out.tobytes())
    return mixed
