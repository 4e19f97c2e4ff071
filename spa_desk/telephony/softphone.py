"""The desk's own baresip process (SPEC 12), when the settings ask the desk to start one.

:func:`write_config` writes baresip's configuration folder (``config`` and ``accounts``) for a
SIP account, a control port and a recordings folder; :class:`Softphone` starts ``baresip -4 -f
FOLDER``, starts it again when it stops on its own (:meth:`Softphone.keep_running`) and stops
it. A missing baresip or a port already taken is refused in words before anything starts, so the
desk can say so and work on without a phone.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import shutil
import socket
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from spa_desk.errors import KnownError

MODULES = "/usr/lib/baresip/modules"
"""Where Debian's baresip-core puts its modules."""


class SoftphoneUnavailable(KnownError):
    """The desk's softphone cannot be started (not installed, a port taken, it died)."""


@dataclass(frozen=True)
class SoftphoneConfig:
    """What the desk's baresip needs: its account, addresses and folders."""

    folder: Path
    """baresip's configuration folder (written by :func:`write_config`)."""
    account: str
    """The SIP account line, e.g. ``<sip:desk@127.0.0.1:5070>;regint=0;answermode=manual``."""
    sip_listen: str = "127.0.0.1:5070"
    control_host: str = "127.0.0.1"
    control_port: int = 4444
    rtp_ports: str = "20000-20099"
    recordings: Path | None = None
    """Where sndfile writes each answered call (None: no recording)."""
    audio_source: Path | None = None
    """A WAV the desk plays into calls (8 kHz mono 16-bit); None: a silent one is written."""
    audio_player: str = "aufile"
    """``aufile`` writes what the desk hears to a file (no sound card); ``alsa`` plays it."""
    output: Path | None = None
    """Where baresip's own messages are written; None: nowhere, as at a desk (they name callers'
    numbers, which are personal data). Tests keep them to say why a phone did not start."""


def write_config(config: SoftphoneConfig) -> Path:
    """Write baresip's ``config`` and ``accounts`` into ``config.folder``; the folder."""
    folder = config.folder
    folder.mkdir(parents=True, exist_ok=True)
    source = config.audio_source or _silence(folder / "silence.wav")
    player = (
        f"aufile,{folder / 'heard.wav'}" if config.audio_player == "aufile" else config.audio_player
    )
    modules = ["g711.so", "aufile.so"]
    if config.audio_player.startswith("alsa"):
        modules.append("alsa.so")
    lines = [
        f"sip_listen {config.sip_listen}",
        f"net_interface {config.sip_listen.rsplit(':', 1)[0]}",
        "dns_server 127.0.0.1:53",
        f"rtp_ports {config.rtp_ports}",
        f"audio_source aufile,{source}",
        f"audio_player {player}",
        f"module_path {MODULES}",
        *(f"module {name}" for name in modules),
    ]
    if config.recordings is not None:
        config.recordings.mkdir(parents=True, exist_ok=True)
        lines += ["module sndfile.so", f"snd_path {config.recordings}"]
    lines += [
        "module_tmp account.so",
        "module_app menu.so",
        "module_app ctrl_tcp.so",
        f"ctrl_tcp_listen {config.control_host}:{config.control_port}",
        "statmode_default off",
    ]
    (folder / "config").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "accounts").write_text(config.account.strip() + "\n", encoding="utf-8")
    return folder


def _silence(path: Path) -> Path:
    """A 30-second silent 8 kHz WAV (aufile cannot read /dev/null)."""
    if not path.exists():
        import wave

        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(8000)
            out.writeframes(b"\0\0" * 8000 * 30)
    return path


def port_free(host: str, port: int, kind: int = socket.SOCK_STREAM) -> bool:
    """True when nothing listens on ``host:port`` (TCP, or UDP with SOCK_DGRAM)."""
    with socket.socket(socket.AF_INET, kind) as probe:
        if kind == socket.SOCK_STREAM:  # a closed connection waiting out TIME_WAIT is no owner
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def sip_ports_taken(host: str, port: int) -> list[str]:
    """What baresip 1.0 needs for ``sip_listen HOST:PORT`` and another program holds: it listens
    on UDP and TCP ``PORT`` and, for TLS, TCP ``PORT + 1`` (it cannot be told not to)."""
    wanted = (("UDP", port, socket.SOCK_DGRAM), ("TCP", port, socket.SOCK_STREAM),
              ("TCP", port + 1, socket.SOCK_STREAM))  # fmt: skip
    return [f"{name} {at}" for name, at, kind in wanted if not port_free(host, at, kind)]


SPARE_PORTS = range(10000, 19999)
"""Where :func:`spare_ports` looks: below the system's ports for outgoing connections (Linux's
32768 and up) and below the RTP ranges the desks use (20000 and up), so that no connection made
meanwhile takes the port before baresip binds it."""


def spare_ports(count: int, host: str = "127.0.0.1") -> int:
    """The first of ``count`` ports in a row on ``host`` that nothing holds now (UDP and TCP),
    from :data:`SPARE_PORTS`: a softphone's SIP port takes two of them (see
    :func:`sip_ports_taken`), its control port one. Ports taken from one block cannot collide
    with each other, as ports chosen one at a time could. SoftphoneUnavailable when none is
    found."""
    chooser = random.Random()
    for _ in range(200):
        first = chooser.choice(SPARE_PORTS[: len(SPARE_PORTS) - count])
        block = range(first, first + count)
        if all(port_free(host, at) and port_free(host, at, socket.SOCK_DGRAM) for at in block):
            return first
    raise SoftphoneUnavailable(f"No free ports on {host} for a softphone: too many are in use.")


ADDRESS_IN_USE = 98
"""baresip's exit code when an address it listens on is taken (Linux's EADDRINUSE)."""


class Softphone:
    """One baresip process, started and stopped by the desk."""

    def __init__(self, config: SoftphoneConfig) -> None:
        self.config = config
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Check, write the configuration and start baresip; SoftphoneUnavailable in words."""
        program = shutil.which("baresip")
        if program is None:
            raise SoftphoneUnavailable(
                "baresip is not installed on this machine (Debian: apt-get install baresip-core): "
                "the desk works without a phone."
            )
        config = self.config
        if not port_free(config.control_host, config.control_port):
            raise SoftphoneUnavailable(
                f"Port {config.control_port} on {config.control_host}, the phone's control port, "
                "is taken by another program: the desk works without a phone. Choose another "
                "port in the settings."
            )
        host, _, port = config.sip_listen.rpartition(":")
        if port.isdigit():
            taken = sip_ports_taken(host, int(port))
            if taken:
                raise SoftphoneUnavailable(
                    f"The SIP address {config.sip_listen} is taken by another program "
                    f"({', '.join(taken)} in use; baresip listens on UDP and TCP {port} and TCP "
                    f"{int(port) + 1}): the desk works without a phone."
                )
        write_config(config)
        output = subprocess.DEVNULL if config.output is None else config.output.open("ab")
        try:
            self.process = await asyncio.create_subprocess_exec(
                program,
                "-4",
                "-f",
                str(config.folder),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        finally:
            if not isinstance(output, int):
                output.close()  # the child has its own copy

    async def keep_running(
        self, said: Callable[[str], None], *, tries: int = 3, within: float = 60.0
    ) -> None:
        """Start baresip again, saying so, whenever it stops on its own; after ``tries`` stops
        within ``within`` seconds, say the desk works without a phone and stop trying.

        Returns when the desk stops the phone (:meth:`stop`), or gives up; cancel it to stop
        watching. The control connection reconnects by itself to the new process.
        """
        loop = asyncio.get_running_loop()
        stops: list[float] = []
        while (process := self.process) is not None:
            code = await process.wait()
            if self.process is not process:  # the desk stopped it
                return
            now = loop.time()
            stops = [at for at in stops if now - at < within] + [now]
            if len(stops) >= tries:
                self.process = None
                said(
                    f"The softphone keeps stopping ({_ended(code)}, {len(stops)} times in "
                    f"{round(within)} seconds): the desk works without a phone. Close the desk "
                    "and open it again to try once more."
                )
                return
            said(f"The softphone stopped ({_ended(code)}): starting it again.")
            try:
                await self.start()
            except SoftphoneUnavailable as error:
                self.process = None
                said(str(error))
                return

    @property
    def running(self) -> bool:
        """The process is alive."""
        return self.process is not None and self.process.returncode is None

    async def stop(self, timeout: float = 5.0) -> None:
        """Stop baresip (SIGTERM, then SIGKILL after ``timeout`` seconds) and wait for it."""
        process, self.process = self.process, None
        if process is None or process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        try:
            await asyncio.wait_for(process.wait(), timeout)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()


def _ended(code: int) -> str:
    """How baresip ended, in words."""
    if code == ADDRESS_IN_USE:
        return (
            f"baresip ended with code {code}: an address it listens on, the SIP or control "
            "port, is taken by another program"
        )
    return f"baresip ended with code {code}"
