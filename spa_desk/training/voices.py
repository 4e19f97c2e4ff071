"""Voices for sample calls (SPEC 7): each call's transcript spoken by espeak-ng, a British English
voice per speaker, made on this machine, cached, never committed.

:func:`call_audio` gives a call's WAV (16-bit mono) and when each line starts in it: a line
starts at its ``at`` in the transcript, or just after the line before ends with a pause
(:data:`PAUSE`) if that line is still being spoken then. The file is cached under the user's
cache directory by a digest of what is spoken and by whom, so a changed transcript makes a new
one and replaying a call twice costs nothing the second time. A sample call that names its own
``audio`` file beside the YAML is played from that file with the transcript's own times.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_cache_dir

from spa_desk.errors import KnownError
from spa_desk.training.sample_calls import SampleCall

VOICES = (
    "en-gb-x-rp",
    "en-gb+f3",
    "en-gb-x-gbclan",
    "en-gb-scotland+f2",
    "en-gb-x-gbcwmd",
    "en-gb+m3",
)
"""British English voices, one per speaker in the order they first speak: the handler's
Received Pronunciation, then a woman's voice, Lancashire, a Scottish woman, West Midlands."""
SPEED = 165
"""Words a minute, a calm telephone pace."""
PAUSE = 0.6
"""Seconds of silence between one speaker finishing and the next line."""
RATE = 22050
"""Samples a second of espeak-ng's output, and so of every call's audio."""
CACHE_VERSION = "1"


class NoVoices(KnownError):
    """espeak-ng is not on this machine, or failed."""


@dataclass(frozen=True)
class CallAudio:
    """A call's audio and where each transcript line starts in it (seconds)."""

    path: Path
    starts: tuple[float, ...]
    duration: float


def voice_of(call: SampleCall) -> dict[str, str]:
    """The voice of each speaker of ``call``: a different one each, in order of speaking."""
    return {speaker: VOICES[i % len(VOICES)] for i, speaker in enumerate(call.speakers)}


def cache_dir() -> Path:
    """Where generated voices are kept (outside the project, never committed)."""
    return Path(user_cache_dir("spa-desk")) / "voices"


def _digest(call: SampleCall) -> str:
    voices = voice_of(call)
    spoken = [(line.speaker, voices[line.speaker], line.text, line.at) for line in call.transcript]
    text = json.dumps([CACHE_VERSION, SPEED, PAUSE, spoken], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def call_audio(call: SampleCall, library: Path | None = None) -> CallAudio:
    """The call's audio, from its own file beside it in ``library`` or spoken (and cached);
    NoVoices in words when espeak-ng is missing or fails."""
    if call.audio is not None and library is not None and (library / call.audio).is_file():
        own = library / call.audio
        with wave.open(str(own), "rb") as found:
            duration = found.getnframes() / found.getframerate()
        return CallAudio(own, tuple(line.at for line in call.transcript), duration)
    folder = cache_dir()
    key = f"{call.id}-{_digest(call)}"
    wav, timing = folder / f"{key}.wav", folder / f"{key}.json"
    if wav.is_file() and timing.is_file():
        known = json.loads(timing.read_text(encoding="utf-8"))
        return CallAudio(wav, tuple(known["starts"]), float(known["duration"]))
    starts, duration = _speak(call, wav)
    timing.write_text(json.dumps({"starts": starts, "duration": duration}), encoding="utf-8")
    return CallAudio(wav, tuple(starts), duration)


def _speak(call: SampleCall, target: Path) -> tuple[list[float], float]:
    program = shutil.which("espeak-ng")
    if program is None:
        raise NoVoices(
            "espeak-ng is not installed, so sample calls have no voices: the transcript plays "
            "on its own. ./dev.sh setup installs it."
        )
    voices = voice_of(call)
    target.parent.mkdir(parents=True, exist_ok=True)
    frames = bytearray()
    starts: list[float] = []
    with tempfile.TemporaryDirectory(prefix="spa-desk-voice-") as scratch:
        for number, line in enumerate(call.transcript):
            piece = Path(scratch) / f"{number}.wav"
            done = subprocess.run(  # noqa: S603 (a list, no shell; the text comes after --)
                [program, "-v", voices[line.speaker], "-s", str(SPEED), "-w", str(piece),
                 "--", line.text],
                capture_output=True,
                check=False,
                timeout=60,
            )  # fmt: skip
            if done.returncode != 0 or not piece.is_file():
                raise NoVoices(f"espeak-ng could not speak a line of {call.id}.")
            with wave.open(str(piece), "rb") as spoken:
                if spoken.getframerate() != RATE or spoken.getsampwidth() != 2:
                    raise NoVoices("espeak-ng spoke at an unexpected rate.")
                audio = spoken.readframes(spoken.getnframes())
            earliest = len(frames) // 2 / RATE + (PAUSE if frames else 0.0)
            start = max(line.at, earliest)
            frames.extend(b"\x00\x00" * (round(start * RATE) - len(frames) // 2))
            starts.append(round(start, 3))
            frames.extend(audio)
    frames.extend(b"\x00\x00" * round(PAUSE * RATE))
    partial = target.with_name(target.name + ".part")
    with wave.open(str(partial), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(bytes(frames))
    partial.replace(target)
    return starts, len(frames) / 2 / RATE
