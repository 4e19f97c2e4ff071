"""Real bugs get a crash report, not silence (STYLE 9: only real bugs get a traceback).

:class:`CrashHandler` is the one place every unexpected exception ends up while the desk runs: a
plain Qt slot's (``sys.excepthook``), an async slot's (qasync hands those to ``sys.excepthook``
too), an asyncio task's or callback's (the loop's exception handler) and a worker thread's
(``threading.excepthook``, brought over to the GUI thread). For each one it

1. writes a crash report in the desk's data folder (``crash-reports/crash-<UTC time>Z.txt``): what
   happened, the traceback as files, lines, functions and code, and the versions of SPA Desk,
   Python, Qt and the platform. Never the exception's message, its notes or any variable's value:
   those may hold a caller's name, NHS number or phone number, and no pattern can tell a name from
   other words. As a second guard, a line that looks like it holds an NHS or phone number
   (:func:`spa_desk.identifiers.looks_like_nhs_or_phone_number`) is left out of the file;
2. asks the session to keep the call on screen (its draft is written to the database now);
3. says so in a modal dialog, in words, with the report's path; the handler carries on or
   restarts the desk.

A :class:`spa_desk.errors.KnownError` is never a crash: it is said in words where it happens. A
crash while a report is on screen is added to that report (no second dialog), and a failure of
the handler itself writes one line to standard error instead of coming back to the handler: it
never loops.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import threading
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from spa_desk.errors import KnownError
from ui.kit.dialogs import run_dialog
from ui.shell.crash_report import (
    add_to_report,
    last_words,
    short_path,
    type_name,
    write_crash_report,
)

KEEP_CALL_SECONDS = 10.0
"""How long the handler waits for the call's draft to be written before saying it was not."""


MAX_LATER_CRASHES = 10
"""Further crashes noted in the report on screen; any more are only counted."""


SysHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


ThreadHook = Callable[[threading.ExceptHookArgs], object]


LoopHandler = Callable[[asyncio.AbstractEventLoop, dict[str, Any]], object]


_log = logging.getLogger(__name__)


def restart_desk_process() -> None:
    """Replace this process with a fresh desk, started as this one was (the same interpreter
    and arguments). Call it once the desk has closed: nothing after it runs."""
    with contextlib.suppress(Exception):
        sys.stdout.flush()
        sys.stderr.flush()
    # The program and its arguments are this process's own, never outside input.
    os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])  # noqa: S606


class CrashDialog(QMessageBox):
    """Says in words that something went wrong, what became of the call and where the report
    is; the handler carries on (Enter, Esc) or restarts the desk."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(
            QMessageBox.Icon.Critical,
            "SPA Desk: something went wrong",
            text,
            QMessageBox.StandardButton.NoButton,
            parent,
        )
        self.setObjectName("crashReport")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.carry_on_button: QPushButton = self.addButton(
            "&Carry on", QMessageBox.ButtonRole.AcceptRole
        )
        self.carry_on_button.setAccessibleName("Carry on working")
        self.restart_button: QPushButton = self.addButton(
            "&Restart SPA Desk", QMessageBox.ButtonRole.DestructiveRole
        )
        self.restart_button.setAccessibleName("Restart SPA Desk")
        self.setDefaultButton(self.carry_on_button)
        self.setEscapeButton(self.carry_on_button)

    @property
    def restart_chosen(self) -> bool:
        """True once the handler has chosen Restart."""
        return self.clickedButton() is self.restart_button


@dataclass(frozen=True)
class KeptCall:
    """What became of the call on screen after a crash: in words for the dialog (``said``) and
    without personal data for the report (``noted``)."""

    kept: bool
    said: str
    noted: str


def crash_words(report: Path | None, report_problem: str, kept: KeptCall) -> str:
    """The dialog's text: what happened, what became of the call, where the report is."""
    sentences = ["Something went wrong in SPA Desk.", kept.said]
    if report is not None:
        sentences.append(f"A report was saved to {report}; please give it to your administrator.")
    else:
        sentences.append(
            f"A report could not be saved ({report_problem}); please tell your administrator "
            "what you were doing when this happened."
        )
    if kept.kept:
        sentences.append("Carry on, or restart SPA Desk: the call is offered back when you log in.")
    else:
        sentences.append("Carry on, or restart SPA Desk.")
    return " ".join(sentence for sentence in sentences if sentence)


def _exception_handler_of(loop: asyncio.AbstractEventLoop) -> LoopHandler | None:
    """The loop's exception handler. qasync keeps its own copy, which its
    ``get_exception_handler()`` does not see (it always answers None)."""
    handler: LoopHandler | None = getattr(
        loop, "_QEventLoop__exception_handler", loop.get_exception_handler()
    )
    return handler


def _from_async_slot(tb: TracebackType | None) -> bool:
    """True when qasync's async-slot error path passed the exception on."""
    return tb is not None and "qasync" in Path(tb.tb_frame.f_code.co_filename).parts


class CrashHandler:
    """The one place unexpected exceptions end up while the desk runs (see the module).

    ``keep_call`` writes the draft of the call on screen now and says whether there was one (it
    raises when the draft cannot be written); ``restart`` is what the Restart button does.
    """

    def __init__(
        self,
        folder: Path,
        *,
        keep_call: Callable[[], Awaitable[bool]],
        restart: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        self.folder = folder
        self.keep_call = keep_call
        self.restart = restart
        self.parent = parent
        self.dialog: CrashDialog | None = None
        """The dialog on screen, if any."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._previous_sys: SysHook = sys.__excepthook__
        self._previous_thread: ThreadHook = threading.__excepthook__
        self._previous_loop: LoopHandler | None = None
        self._handling = False
        self._report: Path | None = None
        self._on_screen = False
        self._later = 0
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def installed(self) -> bool:
        """True while the handler catches exceptions."""
        return self._loop is not None

    def install(self) -> None:
        """Catch every unexpected exception from now on: call it on the GUI thread, from a
        coroutine on the desk's loop."""
        if self._loop is not None:
            return
        self._loop = loop = asyncio.get_running_loop()
        self._previous_sys, sys.excepthook = sys.excepthook, self._sys_hook
        self._previous_thread, threading.excepthook = threading.excepthook, self._thread_hook
        self._previous_loop = _exception_handler_of(loop)
        loop.set_exception_handler(self._loop_handler)

    def uninstall(self) -> None:
        """Put back the hooks found at :meth:`install` (one set since then is left alone) and
        close a crash dialog still open."""
        loop, self._loop = self._loop, None
        if loop is None:
            return
        if sys.excepthook == self._sys_hook:
            sys.excepthook = self._previous_sys
        if threading.excepthook == self._thread_hook:
            threading.excepthook = self._previous_thread
        if _exception_handler_of(loop) == self._loop_handler:
            loop.set_exception_handler(self._previous_loop)
        for task in self._tasks:
            task.cancel()

    # Where exceptions come from ----------------------------------------------------------

    def _sys_hook(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        if not issubclass(kind, Exception):  # Ctrl+C, exit: not a crash
            self._previous_sys(kind, error, tb)
            return
        where = "an async slot" if _from_async_slot(tb) else "a Qt slot or event handler"
        self.handle(kind, error, tb, where)

    def _loop_handler(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        error = context.get("exception")
        if not isinstance(error, Exception):  # a message, or a cancellation: not a crash
            if self._previous_loop is not None:
                self._previous_loop(loop, context)
            else:
                loop.default_exception_handler(context)
            return
        # Not context["message"]: it can carry a callback's arguments.
        self.handle(type(error), error, error.__traceback__, "an asyncio task or callback")

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        """On the worker thread: pass the exception to the GUI thread."""
        error = args.exc_value
        if error is None or not isinstance(error, Exception):
            self._previous_thread(args)
            return
        name = args.thread.name if args.thread is not None else "unnamed"
        loop = self._loop
        try:
            if loop is None:
                raise RuntimeError("the crash handler was uninstalled")
            loop.call_soon_threadsafe(
                self.handle, type(error), error, args.exc_traceback, f"the thread {name!r}"
            )
        except RuntimeError:  # the desk's loop has closed
            last_words(type(error), "in a worker thread after the desk had closed")

    # Handling one --------------------------------------------------------------------------

    def handle(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None, where: str
    ) -> None:
        """Report one exception (on the GUI thread): write the report, keep the call, say so."""
        if issubclass(kind, KnownError):
            _log.warning("A %s reached %s; it is not a crash.", kind.__name__, where)
            return
        if self._handling:  # the handler itself failed while at work: never come back
            last_words(kind, "inside the crash handler")
            return
        self._handling = True
        try:
            if self._on_screen:
                self._note_later_crash(kind, tb, where)
                return
            self._on_screen = True
            report_problem = ""
            try:
                self._report = write_crash_report(self.folder, kind, error, tb, where)
            except OSError as problem:
                self._report = None
                report_problem = problem.strerror or type_name(type(problem))
            task = asyncio.ensure_future(self._aftermath(report_problem))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        except Exception as failure:
            self._on_screen = False
            last_words(type(failure), f"while reporting an unexpected {type_name(kind)}")
        finally:
            self._handling = False

    def _note_later_crash(
        self, kind: type[BaseException], tb: TracebackType | None, where: str
    ) -> None:
        """Another crash while one is on screen: a line in its report, no second dialog."""
        self._later += 1
        if self._report is None or self._later > MAX_LATER_CRASHES:
            return
        frames = traceback.extract_tb(tb)
        at = (
            f" at {short_path(frames[-1].filename)}, line {frames[-1].lineno}, in {frames[-1].name}"
            if frames
            else ""
        )
        add_to_report(
            self._report,
            [f"Then, while this report was on screen: {type_name(kind)} in {where}{at}."],
        )

    async def _keep_call(self) -> KeptCall:
        try:
            kept = await asyncio.wait_for(self.keep_call(), KEEP_CALL_SECONDS)
        except KnownError as problem:
            reason, noted = str(problem), type_name(type(problem))
        except TimeoutError:
            reason = f"the database did not answer within {KEEP_CALL_SECONDS:.0f} seconds"
            noted = "no answer in time"
        except Exception as problem:
            reason, noted = "writing it went wrong too", type_name(type(problem))
        else:
            if not kept:
                return KeptCall(kept=False, said="", noted="none was open.")
            return KeptCall(
                kept=True,
                said="Your call has been kept.",
                noted="kept (its draft was written to the database after the crash).",
            )
        return KeptCall(
            kept=False,
            said=f"Your call could NOT be kept: {reason}. Note down what you need from the "
            "screen before you restart.",
            noted=f"NOT kept: writing its draft failed too ({noted}).",
        )

    async def _aftermath(self, report_problem: str) -> None:
        """Keep the call, then show the dialog; carry on or restart as the handler chooses."""
        report = self._report
        dialog: CrashDialog | None = None
        try:
            kept = await self._keep_call()
            if report is not None:
                add_to_report(report, [f"The call on screen: {kept.noted}"])
            dialog = self.dialog = CrashDialog(
                crash_words(report, report_problem, kept), self.parent
            )
            await run_dialog(dialog)
            restart = dialog.restart_chosen
            if report is not None:
                choice = "restart the desk" if restart else "carry on"
                add_to_report(report, [f"The handler chose to {choice}."])
            if restart:
                self.restart()
            elif self.parent is not None:  # the keyboard goes back where the handler was
                self.parent.activateWindow()
        except Exception as failure:
            last_words(type(failure), "while showing a crash report")
        finally:
            if dialog is not None:
                with contextlib.suppress(RuntimeError):  # its window may be gone already
                    if dialog.isVisible():
                        dialog.done(0)
                    dialog.deleteLater()
            self.dialog = None
            self._report = None
            self._on_screen = False
            self._later = 0
