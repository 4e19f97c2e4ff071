"""The desk's telephone (SPEC 12): starts the desk's own baresip when the settings say so (or
uses one already running), keeps the ctrl_tcp connection on the desk's event loop, feeds its
events to the desk, and carries the handler's answer, hold and hang-up keys to the phone.

The phone's state is on the status bar in words; without a phone (none configured, baresip
missing, a port taken, the softphone gone) the desk works on as before and says so. The desk's own
softphone is started again when it stops on its own (three times a minute at most).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from spa_desk.errors import KnownError
from spa_desk.settings import TelephonySettings
from spa_desk.telephony.baresip import BaresipControl, PhoneState, close_quietly
from spa_desk.telephony.baresip_messages import LineMap
from spa_desk.telephony.events import (
    CallAnswered,
    CallEnded,
    IncomingCall,
    TelephonyEvent,
    TelephonyFeed,
)
from spa_desk.telephony.recordings import (
    delete_old_recordings,
    keep_recording,
    recordings_folder,
)
from spa_desk.telephony.softphone import Softphone, SoftphoneConfig


class PhoneLink(QObject):
    """One desk's phone: the softphone (when the desk starts it) and the control connection.

    Signals:
        state_changed(bool, str): connected or not, and why in words.
        problem(str): a command the phone refused or could not take, in words.
    """

    state_changed = Signal(bool, str)
    problem = Signal(str)

    def __init__(
        self,
        settings: TelephonySettings,
        data_dir: Path,
        clock: Callable[[], datetime],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.feed = TelephonyFeed()
        self.recordings = recordings_folder(data_dir)
        """Where the desk's own softphone writes each answered call."""
        host, port = settings.control_address
        self.control = BaresipControl(
            host,
            port,
            self.feed,
            LineMap(lines=dict(settings.lines), default=settings.default_line),
            on_state=self._state,
            clock=clock,
        )
        self.softphone: Softphone | None = None
        if settings.start_softphone:
            self.softphone = Softphone(
                SoftphoneConfig(
                    folder=data_dir / "softphone",
                    account=settings.account or "<sip:desk@127.0.0.1>;regint=0;answermode=manual",
                    sip_listen=settings.sip_listen,
                    control_host=host,
                    control_port=port,
                    rtp_ports=settings.rtp_ports,
                    recordings=self.recordings,
                )
            )
        self._task: asyncio.Task[None] | None = None
        self._keeping: asyncio.Task[None] | None = None
        self._rang: dict[str, datetime] = {}
        self._answered: set[str] = set()
        self.recordings_named: dict[str, str] = {}
        """The recording each answered call was kept under, by call id (see recordings)."""
        self.feed.subscribe(self._heard)  # first, so a recording is named before the desk asks

    def _heard(self, event: TelephonyEvent) -> None:
        """Note rings and answers; when an answered call ends, keep its recording."""
        if isinstance(event, IncomingCall):
            self._rang[event.call_ref] = event.at
        elif isinstance(event, CallAnswered):
            self._answered.add(event.call_ref)
        elif isinstance(event, CallEnded):
            rang_at = self._rang.pop(event.call_ref, event.at)
            if event.call_ref in self._answered and self.softphone is not None:
                self._answered.discard(event.call_ref)
                try:
                    name = keep_recording(self.recordings, event.call_ref, rang_at)
                except OSError as error:
                    self.problem.emit(f"The call's recording could not be kept: {error}.")
                    return
                if name is not None:
                    self.recordings_named[event.call_ref] = name

    @property
    def connected(self) -> bool:
        """The phone answers the desk now."""
        return self.control.state is PhoneState.CONNECTED

    async def start(self) -> None:
        """Start the softphone (if the desk owns one) and begin listening; never raises."""
        if self.softphone is not None:
            try:
                await self.softphone.start()
            except KnownError as error:
                self.state_changed.emit(False, str(error))
                return
            self._keeping = asyncio.ensure_future(self.softphone.keep_running(self._not_ready))
        self._task = asyncio.ensure_future(self.control.run())

    async def stop(self) -> None:
        """Stop listening and the desk's own softphone."""
        keeping, self._keeping = self._keeping, None
        if keeping is not None:
            keeping.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeping
        task, self._task = self._task, None
        await close_quietly(task, self.control)
        if self.softphone is not None:
            await self.softphone.stop()

    def _not_ready(self, words: str) -> None:
        self.state_changed.emit(False, words)

    def _state(self, state: PhoneState, words: str) -> None:
        self.state_changed.emit(state is PhoneState.CONNECTED, words)

    async def _command(self, job: Callable[[], object]) -> None:
        try:
            result = job()
            if asyncio.iscoroutine(result):
                await result
        except KnownError as error:
            self.problem.emit(str(error))

    async def answer(self) -> None:
        """Pick up the ringing call."""
        await self._command(self.control.answer)

    async def hang_up(self) -> None:
        """End the call."""
        await self._command(self.control.hang_up)

    async def hold(self, on: bool) -> None:
        """Put the caller on hold (``on``) or take them off it."""
        await self._command(lambda: self.control.hold(on))

    async def dial(self, number: str) -> bool:
        """Call ``number`` back (as the settings' ``dial`` says); False when it could not."""
        try:
            await self.control.dial(self.settings.dial.format(number=number))
        except KnownError as error:
            self.problem.emit(str(error))
            return False
        return True

    def clear_old_recordings(self) -> int:
        """Delete recordings older than the retention setting; how many files went."""
        return delete_old_recordings(self.recordings, self.settings.recording_days)
