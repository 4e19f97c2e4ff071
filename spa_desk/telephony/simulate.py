"""``spa-desk phone simulate`` (SPEC 10, 12): a real SIP call to a desk that plays a WAV, or a
sample call's voices, as the caller. A baresip of its own on free loopback ports dials the
address, waits for the answer, lets the audio play to its end and hangs up (or stops when the
desk hangs up first). A training scenario rings a trainee's desk this way.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from spa_desk.errors import InvalidInput, KnownError
from spa_desk.identifiers import caller_number
from spa_desk.telephony.baresip import BaresipControl, close_quietly
from spa_desk.telephony.events import CallAnswered, CallEnded, TelephonyEvent, TelephonyFeed
from spa_desk.telephony.softphone import Softphone, SoftphoneConfig, spare_ports

RING_SECONDS = 60.0
"""How long the simulated caller lets the desk ring before giving up."""
SIMULATOR_NUMBER = "07700900999"
"""The caller's number when ``--from`` is not given (an Ofcom drama number)."""


@dataclass(frozen=True)
class Simulated:
    """How the simulated call went."""

    answered: bool
    rang_seconds: float
    talked_seconds: float


def phone_audio(source: Path, work: Path) -> tuple[Path, float]:
    """``source`` as the 8 kHz mono 16-bit WAV baresip's aufile plays, and its length."""
    try:
        with wave.open(str(source), "rb") as sound:
            seconds = sound.getnframes() / sound.getframerate()
            ready = (sound.getframerate(), sound.getnchannels(), sound.getsampwidth())
    except (OSError, wave.Error, EOFError) as error:
        raise InvalidInput(
            f"--wav {source}", f"not a WAV file that can be read ({error})."
        ) from None
    if ready == (8000, 1, 2):
        return source, seconds
    sox = shutil.which("sox")
    if sox is None:
        raise KnownError(
            f"{source} is not 8 kHz mono 16-bit and sox is not installed to convert it "
            "(Debian: apt-get install sox)."
        )
    target = work / "caller.wav"
    subprocess.run(  # noqa: S603 (a list, no shell, the program found by which)
        [sox, str(source), "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer",
         str(target)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return target, seconds


async def simulate_call(
    to: str,
    audio: Path,
    *,
    from_number: str | None = None,
    say: Callable[[str], None] = lambda _words: None,
    ring_seconds: float = RING_SECONDS,
) -> Simulated:
    """Ring ``to`` (a SIP address) and play ``audio`` as the caller once answered."""
    if not to.lower().startswith(("sip:", "sips:")):
        raise InvalidInput(
            "--to", f"give a SIP address, such as sip:desk@127.0.0.1:5070, not {to!r}."
        )
    number = caller_number(from_number or SIMULATOR_NUMBER)
    if not number or not number.lstrip("+").isdigit():
        raise InvalidInput("--from", f"give a telephone number, not {from_number!r}.")
    with tempfile.TemporaryDirectory(prefix="spa-desk-caller-") as folder:
        work = Path(folder)
        played, seconds = phone_audio(audio, work)
        first = spare_ports(3)  # SIP (UDP and TCP, TCP the next for TLS), then control
        sip = f"127.0.0.1:{first}"
        phone = Softphone(
            SoftphoneConfig(
                folder=work / "baresip",
                account=f'"Simulated caller" <sip:{number}@{sip}>;regint=0',
                sip_listen=sip,
                control_port=first + 2,
                rtp_ports="30000-30999",
                audio_source=played,
            )
        )
        feed = TelephonyFeed()
        heard: list[TelephonyEvent] = []
        feed.subscribe(heard.append)
        control = BaresipControl("127.0.0.1", phone.config.control_port, feed, retry_seconds=0.1)
        await phone.start()
        task = asyncio.ensure_future(control.run())
        try:
            if not await control.wait_connected(10):
                raise KnownError("The caller's softphone did not start.")
            await control.dial(to)
            began = datetime.now(UTC)
            say(f"Ringing {to} from {number} ({seconds:.0f} s of audio)…")
            answered = await _first(heard, (CallAnswered, CallEnded), ring_seconds)
            if not isinstance(answered, CallAnswered):
                rang = (datetime.now(UTC) - began).total_seconds()
                if answered is None:
                    await control.hang_up()
                    say(f"Nobody answered in {ring_seconds:.0f} s: hung up.")
                else:
                    say("The call was refused or ended before an answer.")
                return Simulated(answered=False, rang_seconds=rang, talked_seconds=0.0)
            say("Answered: playing the caller's audio…")
            ended = await _first(heard, (CallEnded,), seconds + 1.0)
            if ended is None:
                await control.hang_up()
                ended = await _first(heard, (CallEnded,), 5.0)
            stop = ended.at if ended is not None else datetime.now(UTC)
            talked = (stop - answered.at).total_seconds()
            say(f"Ended after {talked:.0f} s of talk.")
            return Simulated(
                answered=True,
                rang_seconds=(answered.at - began).total_seconds(),
                talked_seconds=talked,
            )
        finally:
            await close_quietly(task, control)
            await phone.stop()


async def _first(
    heard: list[TelephonyEvent],
    kinds: tuple[type[TelephonyEvent], ...],
    seconds: float,
) -> TelephonyEvent | None:
    """The first event of ``kinds`` heard (waiting up to ``seconds``), else None."""
    loop = asyncio.get_running_loop()
    until = loop.time() + seconds
    while loop.time() < until:
        for event in heard:
            if isinstance(event, kinds):
                heard.remove(event)
                return event
        await asyncio.sleep(0.05)
    return None
