"""Real baresip softphones for telephony tests (RECIPES.md): the desk's and a caller's, on
loopback with ports nobody else holds, the caller playing a WAV as its voice."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import subprocess
import wave
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from spa_desk.settings import TelephonySettings
from spa_desk.telephony.baresip import BaresipControl, close_quietly
from spa_desk.telephony.events import TelephonyFeed
from spa_desk.telephony.softphone import Softphone, SoftphoneConfig, spare_ports

CALLER_NUMBER = "07700900123"  # an Ofcom drama number

needs_baresip = pytest.mark.skipif(
    shutil.which("baresip") is None, reason="baresip is not installed (./dev.sh installs it)"
)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing holds now, where no outgoing connection will take
    it meanwhile (``spare_ports``)."""
    return spare_ports(1)


def tone(path: Path, seconds: float) -> Path:
    """An 8 kHz mono 16-bit WAV of a quiet tone, ``seconds`` long: the caller's voice."""
    if shutil.which("sox"):
        subprocess.run(
            ["sox", "-n", "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", str(path),
             "synth", str(seconds), "sine", "440", "vol", "0.3"],
            check=True,
        )  # fmt: skip
        return path
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x10" * int(8000 * seconds))
    return path


@dataclass
class Phones:
    """The desk's softphone and a caller's, and where the desk's records its calls."""

    desk: Softphone
    caller: Softphone
    desk_sip: str
    recordings: Path

    @property
    def desk_uri(self) -> str:
        """Where the caller dials."""
        return f"sip:desk@{self.desk_sip}"

    def desk_settings(self, **more: Any) -> TelephonySettings:
        """The desk's telephone settings for its own softphone here (``more`` adds lines,
        the dial format and the like)."""
        desk = self.desk.config
        return TelephonySettings(
            enabled=True,
            start_softphone=True,
            account=desk.account,
            sip_listen=desk.sip_listen,
            control=f"{desk.control_host}:{desk.control_port}",
            rtp_ports=desk.rtp_ports,
            **more,
        )


def make_phones(
    folder: Path, *, caller_seconds: float = 30.0, caller_number: str = CALLER_NUMBER
) -> Phones:
    """Two softphones' configurations (not started)."""
    folder.mkdir(parents=True, exist_ok=True)
    # One block of six ports, so the four cannot collide: each SIP port takes two.
    first = spare_ports(6)
    desk_sip, caller_sip = f"127.0.0.1:{first}", f"127.0.0.1:{first + 2}"
    recordings = folder / "recordings"
    desk = Softphone(
        SoftphoneConfig(
            folder=folder / "desk",
            account=f"<sip:desk@{desk_sip}>;regint=0;answermode=manual",
            sip_listen=desk_sip,
            control_port=first + 4,
            rtp_ports="20000-20099",
            recordings=recordings,
            output=folder / "desk.log",
        )
    )
    caller = Softphone(
        SoftphoneConfig(
            folder=folder / "caller",
            account=f'"Jane Caller" <sip:{caller_number}@{caller_sip}>;regint=0',
            sip_listen=caller_sip,
            control_port=first + 5,
            rtp_ports="20100-20199",
            audio_source=tone(folder / "caller.wav", caller_seconds),
            output=folder / "caller.log",
        )
    )
    return Phones(desk=desk, caller=caller, desk_sip=desk_sip, recordings=recordings)


def control(phone: Softphone, feed: TelephonyFeed | None = None) -> BaresipControl:
    """A ctrl_tcp client for ``phone`` (not yet running)."""
    config = phone.config
    return BaresipControl(
        config.control_host, config.control_port, feed or TelephonyFeed(), retry_seconds=0.2
    )


def what_it_said(phone: Softphone) -> str:
    """Whether ``phone``'s baresip runs, and the last lines it printed: why it did not answer."""
    process, log = phone.process, phone.config.output
    state = "not started" if process is None else (
        "running" if process.returncode is None else f"ended with code {process.returncode}"
    )  # fmt: skip
    lines = log.read_text(errors="replace").splitlines()[-15:] if log and log.exists() else []
    return f"baresip {state}; it printed:\n" + "\n".join(lines)


async def started(phone: Softphone, client: BaresipControl) -> asyncio.Task[None]:
    """Start ``phone`` and ``client``'s reading; the task, once connected (within 30 s, for a
    loaded machine). A phone that does not answer is stopped and what it printed is shown."""
    await phone.start()
    task = asyncio.ensure_future(client.run())
    if not await client.wait_connected(30):
        said = what_it_said(phone)
        await close_quietly(task, client)
        await phone.stop()
        raise AssertionError(f"the softphone's control port never answered: {said}")
    return task


@contextlib.asynccontextmanager
async def both_running(
    phones: Phones, desk: BaresipControl, caller: BaresipControl
) -> AsyncIterator[None]:
    """The desk's and the caller's softphones and their control connections running, all of it
    stopped afterwards, however the test inside ends (nothing left for the next test)."""
    reading: list[tuple[asyncio.Task[None], BaresipControl]] = []
    try:
        reading.append((await started(phones.desk, desk), desk))
        reading.append((await started(phones.caller, caller), caller))
        yield
    finally:
        for task, client in reading:
            await close_quietly(task, client)
        await phones.desk.stop()
        await phones.caller.stop()
