"""``spa-desk phone simulate`` (SPEC 10): a real SIP call to a desk that plays a WAV or a sample
call's voices as the caller; bad input exits 2 in words; ``phone clean-recordings``."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import wave
from pathlib import Path

import pytest

from spa_desk.telephony.softphone import SoftphoneConfig, spare_ports, write_config
from tests.cli_process import run_spa_desk
from tests.phones import needs_baresip, tone


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["--to", "desk@127.0.0.1", "--wav", "{wav}"], "give a SIP address"),
        (["--to", "sip:desk@127.0.0.1", "--wav", "{missing}"], "no such file"),
        (["--to", "sip:desk@127.0.0.1", "--wav", "{notwav}"], "not a WAV file"),
        (["--to", "sip:desk@127.0.0.1", "--sample", "no-such-call"], "no sample call has"),
        (["--to", "sip:desk@127.0.0.1", "--wav", "{wav}", "--from", "Jane"], "telephone number"),
    ],
)
def test_bad_input_exits_2_in_words(tmp_path: Path, arguments: list[str], words: str) -> None:
    wav = tone(tmp_path / "tone.wav", 0.5)
    notwav = tmp_path / "notes.wav"
    notwav.write_text("not a sound", encoding="utf-8")
    given = [a.format(wav=wav, missing=tmp_path / "gone.wav", notwav=notwav) for a in arguments]
    done = run_spa_desk("phone", "simulate", *given, home=tmp_path / "home")
    assert done.returncode == 2, done.stderr
    assert words in done.stderr and "Traceback" not in done.stderr


@needs_baresip
def test_a_simulated_caller_rings_a_desk_and_plays_its_audio(tmp_path: Path) -> None:
    first = spare_ports(3)  # the desk's SIP port (two) and its control port
    sip = f"127.0.0.1:{first}"
    recordings = tmp_path / "recordings"
    desk = SoftphoneConfig(folder=tmp_path / "desk", sip_listen=sip, control_port=first + 2,
                           account=f"<sip:desk@{sip}>;regint=0;answermode=auto",
                           recordings=recordings)  # fmt: skip
    write_config(desk)
    baresip = shutil.which("baresip")
    assert baresip is not None
    process = subprocess.Popen([baresip, "-4", "-f", str(desk.folder)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        time.sleep(0.3)
        wav = tmp_path / "caller.wav"  # as espeak-ng speaks: 22,050 Hz, converted by sox
        with wave.open(str(wav), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(22_050)
            out.writeframes(b"\x00\x10\x00\xf0" * (22_050 * 3 // 2))
        done = run_spa_desk("phone", "simulate", "--to", f"sip:desk@{sip}", "--wav", str(wav),
                            "--from", "07700 900123", home=tmp_path / "home")  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "Answered" in done.stderr and "Ended after" in done.stderr
    finally:
        process.terminate()
        process.wait(10)
    [heard] = recordings.glob("dump-*-dec.wav")
    with wave.open(str(heard)) as sound:
        seconds = sound.getnframes() / sound.getframerate()
    assert 2.0 < seconds < 5.0  # the caller's three seconds, heard at the desk


def test_clean_recordings_applies_the_retention_setting(tmp_path: Path) -> None:
    home = tmp_path / "home"
    folder = home / ".local" / "share" / "spa-desk" / "recordings"
    folder.mkdir(parents=True)
    old, new = folder / "old-caller.wav", folder / "new-caller.wav"
    for path in (old, new):
        tone(path, 0.1)
    long_ago = time.time() - 91 * 86_400
    os.utime(old, (long_ago, long_ago))
    done = run_spa_desk("phone", "clean-recordings", home=home)
    assert done.returncode == 0, done.stderr
    assert "Deleted 1 recording file older than 90 days." in done.stdout
    assert not old.exists() and new.exists()
