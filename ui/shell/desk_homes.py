"""Every role has a home (SPEC 1): what the desk opens on after log-in, and what it takes away at
log-out or when someone else takes the desk over.

Call handlers, practitioners and SPA managers open on the shift list (managers with the
Governance menu); trainers on a page with no live record on it (SPEC 7); administrators on the
user accounts. Someone with several roles gets the home of the first role, in the SPEC's order,
that they hold. Enter on a contact in the shift list opens it to read (:mod:`ui.contact`).

:class:`DeskHomes` is a base of :class:`ui.shell.session.DeskSession`, after
:class:`ui.shell.desk_calls.DeskCalls`.
"""

from __future__ import annotations

import functools
from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut

from spa_desk.vocabulary import Presence, Role
from ui.shell.desk_calls import DeskCalls

if TYPE_CHECKING:
    from spa_desk.domain import ContactSummary, CurrentUser
    from ui.contact.controller import ContactViewController
    from ui.kit.coalesce import Coalesced
    from ui.room.controller import RoomController
    from ui.shell.home_pages import HomePage
    from ui.shell.idle_lock import IdleWatcher
    from ui.shell.live_bridge import LiveBridge
    from ui.shell.presence_keeper import PresenceKeeper
    from ui.shift.controller import ShiftContactsController


class Home(Enum):
    """Where a role's work starts on this desk."""

    SHIFT_LIST = "shift list"
    TRAINING = "training"
    ADMINISTRATION = "administration"


HOMES = {
    Role.CALL_HANDLER: Home.SHIFT_LIST,
    Role.PRACTITIONER: Home.SHIFT_LIST,
    Role.SPA_MANAGER: Home.SHIFT_LIST,
    Role.TRAINER: Home.TRAINING,
    Role.ADMINISTRATOR: Home.ADMINISTRATION,
}


def home_for(user: CurrentUser) -> Home:
    """The home of the first of ``user``'s roles in the SPEC's order."""
    return HOMES[user.main_role]


class DeskHomes(DeskCalls):
    """The logged-in user's home on the desk (see the module's words)."""

    home_page: HomePage | None
    contact: ContactViewController | None
    live: LiveBridge | None
    room: RoomController | None
    presence: PresenceKeeper | None
    _queue_news: Coalesced | None
    _contact_news: Coalesced | None
    _room_news: Coalesced | None
    watcher: IdleWatcher | None
    locked: bool
    ended: bool
    _new_call_connected: bool

    def begin_work(self, user: CurrentUser) -> None:
        """``user`` has logged in: their home, their menus and keys, their unfinished call."""
        self.open_home(user)
        self.start_live()
        self.spawn(self.prepare_for_calls())
        self.spawn(self.offer_unfinished_calls())
        if self.watcher is not None:
            self.watcher.start()

    def open_home(self, user: CurrentUser, *, first_screen: bool = True) -> None:
        """Show ``user`` as logged in and open their home, with the menus their roles allow;
        an administrator's accounts open over it unless ``first_screen`` is False."""
        home = home_for(user)
        if home is Home.SHIFT_LIST:
            self.start_shift_list(user).start()
            self.enable_calls()
            return
        from ui.shell.home_pages import (
            REPLAY_KEY,
            RESULTS_KEY,
            AdministratorHome,
            trainer_home,
        )

        self.user = user
        self.window.show_user(user)
        lock, log_out = self.window.lock_action, self.window.log_out_action
        if home is Home.TRAINING:
            page = trainer_home(user.display_name, lock=lock, log_out=log_out)
        else:
            page = AdministratorHome(user.display_name, lock=lock, log_out=log_out)
        self.home_page = page
        self.window.show_page(page)
        page.setFocus()
        self.enable_calls()
        if page.replay_button is not None:
            page.replay_button.clicked.connect(self.open_replay)
            shortcut = QShortcut(QKeySequence(REPLAY_KEY), page)
            shortcut.activated.connect(self.open_replay)
        if page.results_button is not None:
            page.results_button.clicked.connect(self.open_results)
            shortcut = QShortcut(QKeySequence(RESULTS_KEY), page)
            shortcut.activated.connect(self.open_results)
        if isinstance(page, AdministratorHome):
            page.users_button.clicked.connect(lambda: self.spawn(self._governance("users")))
            page.audit_button.clicked.connect(lambda: self.spawn(self._governance("audit")))
            if first_screen:  # the administrator's work opens on the accounts
                self.spawn(self._governance("users"))

    async def _governance(self, screen: str) -> None:
        """Open the user accounts or the audit log, as the Governance menu does; when it
        closes, the keyboard is back on the home's button for it."""
        from ui.governance.menu import governance_menu
        from ui.shell.home_pages import AdministratorHome

        menu, page = governance_menu(self.window), self.home_page
        if menu is None or not isinstance(page, AdministratorHome):
            return
        if screen == "users" and menu.users_action is not None:
            await menu.open_users()
            button = page.users_button
        elif screen == "audit" and menu.audit_action is not None:
            await menu.open_audit()
            button = page.audit_button
        else:
            return
        if self.home_page is page and not self.locked and not self.ended:
            self.window.activateWindow()
            button.setFocus()

    def start_shift_list(self, user: CurrentUser) -> ShiftContactsController:
        """Show ``user`` as logged in and attach the shift list to the window."""
        from ui.shift.controller import ShiftContactsController

        self.user = user
        self.window.show_user(user)
        self.controller = ShiftContactsController(
            self.window.shift_page,
            self.window,
            load_contacts=functools.partial(self.backend.contacts_between, user),
            shifts=self.options.settings.shifts,
            refresh_seconds=self.options.settings.contact_list_refresh_seconds,
            clock=self.clock,
        )
        self.controller.contact_opened.connect(self.open_contact)
        self.window.closed.connect(self.controller.stop)
        self.window.open_shift_list()
        self._keep_journal()
        return self.controller

    def enable_calls(self) -> None:
        """Give the logged-in user what their roles allow: F2 for a new call (the button and
        the Desk menu too) and the Governance menu for administrators and managers."""
        from spa_desk.permissions import Action, allowed
        from ui.governance.menu import add_governance_menu

        if self.user is not None:
            add_governance_menu(self.window, self.backend, self.user, clock=self.clock)

        may = self.user is not None and allowed(self.user, Action.LOG_CONTACT)
        self.window.new_call_action.setEnabled(may)
        practitioner = self.user is not None and allowed(self.user, Action.TRIAGE_LEVEL2)
        manager = self.user is not None and allowed(self.user, Action.VIEW_ROOM)
        self.window.queue_action.setEnabled(practitioner or manager)
        self.window.queue_action.setVisible(practitioner or manager)
        self.window.queue_action.setText("Hand-off &queue" if practitioner else "The &room")
        self.window.away_action.setEnabled(self.user is not None)
        if not self._new_call_connected:
            self.window.new_call_action.triggered.connect(lambda: self.spawn(self.start_call()))
            self.window.queue_action.triggered.connect(self.open_queue)
            self._new_call_connected = True

    def start_live(self) -> None:
        """Hear the other desks (PostgreSQL): queues and lists read again when they change."""
        from ui.kit.coalesce import Coalesced
        from ui.shell.live_bridge import LiveBridge

        if self.live is None:
            live = LiveBridge(self.window)
            self._queue_news = Coalesced(self._reread_queue)
            self._contact_news = Coalesced(self._reread_contacts)
            self._room_news = Coalesced(self._reread_room)
            live.queues.connect(self._queue_news.request)
            live.queues.connect(self._room_news.request)
            live.presence.connect(self._room_news.request)
            live.contacts.connect(self._contact_news.request)
            live.state.connect(self._live_state)
            self.window.closed.connect(self.stop_live)
            self.live = live
        self.live.start(self.options.database_url)
        if self.presence is None:
            from ui.shell.presence_keeper import PresenceKeeper

            self.presence = PresenceKeeper(
                self.backend, lambda: self.user, self._desk_presence, self.clock, self.window
            )
            self.window.away_action.toggled.connect(lambda _: self.presence_changed())
            self.window.closed.connect(self.presence.stop)
        self.presence.start()

    def presence_changed(self) -> None:
        """The call, the lock or "away" changed: say so now rather than at the next tick."""
        if self.presence is not None and not self.ended:
            self.presence.check()

    async def _reread_room(self) -> None:
        room = self.room
        if room is not None and room.page.isVisible() and not self.ended:
            await room.refresh()

    def stop_live(self) -> None:
        """Stop hearing the other desks (the desk is closing)."""
        if self.live is not None:
            self.live.stop()
        for news in (self._queue_news, self._contact_news, self._room_news):
            if news is not None:
                news.cancel()

    async def _reread_queue(self) -> None:
        queue = self.queue
        if queue is not None and queue.page.isVisible() and not self.ended:
            await queue.refresh()

    async def _reread_contacts(self) -> None:
        if self.controller is not None and not self.locked and not self.ended:
            await self.controller.refresh()

    def _live_state(self, listening: bool, words: str) -> None:
        self.window.show_live(listening, words)

    def open_queue(self) -> None:
        """F6: the hand-off queue of the practitioner's streams (the SPA manager: the room),
        in place of the list."""
        from spa_desk.permissions import Action, allowed
        from ui.queue.controller import open_queue

        user = self.user
        if user is None or self.locked:
            return
        if not allowed(user, Action.TRIAGE_LEVEL2):
            if allowed(user, Action.VIEW_ROOM):
                self.open_room()
            return
        if self.call is not None:  # one call at a time: the call stays in front
            self.window.show_page(self.call.screen)
            return
        if self.queue is None or self.queue.user != user:
            self.close_queue()
            queue = open_queue(self.backend, user, self.clock, busy=lambda: self.call is not None)
            queue.call_claimed.connect(lambda draft: self.spawn(self._carry_on(draft)))
            queue.page.back_requested.connect(self._queue_back)
            self.window.closed.connect(queue.stop)
            self.window.refresh_action.triggered.connect(queue.refresh_if_shown)
            self.queue = queue
        self.window.show_page(self.queue.page)
        self.queue.start()
        self.queue.page.table.setFocus()

    async def _carry_on(self, draft: object) -> None:
        """A claimed hand-off: the call opens on this desk exactly where it was left."""
        from spa_desk.calls.draft import CallDraft

        assert isinstance(draft, CallDraft)
        if self.queue is not None:
            self.queue.stop()
        call = await self.start_call(draft, restored=True)  # as it was left, person reopened
        if call is not None:
            call.refocus()  # the keyboard on the next question, the window in front

    def _queue_back(self) -> None:
        if self.queue is not None:
            self.queue.stop()
        self.window.show_page(self.window.shift_page)
        self.window.shift_page.table.setFocus()

    def open_room(self) -> None:
        """F6 for the SPA manager: the room, in place of the list."""
        from ui.room.controller import RoomController

        user = self.user
        if user is None:
            return
        if self.room is None or self.room.user != user:
            self.close_room()
            room = RoomController(self.backend, user, self.clock)
            room.page.back_requested.connect(self._room_back)
            self.window.refresh_action.triggered.connect(room.refresh_if_shown)
            self.window.closed.connect(room.stop)
            self.room = room
        self.window.show_page(self.room.page)
        self.room.start()
        self.room.page.escalated.setFocus()

    def _room_back(self) -> None:
        if self.room is not None:
            self.room.stop()
        self.window.show_page(self.window.shift_page)
        self.window.shift_page.table.setFocus()

    def close_room(self) -> None:
        """Take the room away (log-out, someone else at the desk)."""
        room, self.room = self.room, None
        if room is None:
            return
        room.stop()
        self.window.refresh_action.triggered.disconnect(room.refresh_if_shown)
        self.window.remove_page(room.page)

    def _desk_presence(self) -> Presence:
        from spa_desk.room.presence import presence_of

        call = self.call
        return presence_of(
            call_open=call is not None,
            call_ended=call is not None and call.draft.ended_at is not None,
            away=self.window.away_action.isChecked(),
            locked=self.locked,
        )

    def close_queue(self) -> None:
        """Take the queue away (log-out, someone else at the desk)."""
        queue, self.queue = self.queue, None
        if queue is None:
            return
        queue.stop()
        self.window.refresh_action.triggered.disconnect(queue.refresh_if_shown)
        self.window.remove_page(queue.page)

    def open_replay(self) -> None:
        """The trainer's replay window (F7), over their home; it goes when the home does."""
        from ui.training.replay import open_replay

        if self.home_page is not None:
            open_replay(self.home_page)

    def open_results(self) -> None:
        """The trainer's results window (F8), over their home; it goes when the home does."""
        from ui.training.results import ResultsDialog

        if self.home_page is None or self.user is None:
            return
        dialog = self.home_page.findChild(ResultsDialog)
        if dialog is None:
            dialog = ResultsDialog(self.backend, self.user, self.home_page)
            dialog.setWindowFlag(Qt.WindowType.Window, True)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        self.spawn(dialog.load())

    def close_home(self) -> None:
        """The user logged out: their home, menus, keys and any contact opened go."""
        from ui.governance.menu import remove_governance_menu

        self.close_contact()
        self.close_queue()
        self.close_room()
        if self.user is not None and self.presence is not None:
            self.spawn(self.presence.leave(self.user))
        if self.controller is not None:
            self.controller.detach()
            self.controller = None
        if self.home_page is not None:
            self.window.remove_page(self.home_page)
            self.home_page = None
        remove_governance_menu(self.window)
        self.user = None
        self.window.show_logged_out()

    async def switch_user(self, user: CurrentUser) -> None:
        """Someone else unlocked the desk: it is theirs now, a call in progress included.

        A contact opened to read goes (its person was opened on the last user's consent); the
        shift list stays as it stood for someone of the same home, else their own home opens.
        """
        assert self.user is not None
        self.close_contact()
        self.close_queue()
        self.close_room()
        if self.presence is not None:
            self.spawn(self.presence.leave(self.user))
        call = self.call
        if call is not None:
            call.user = user
            call.changed()
        if home_for(user) is Home.SHIFT_LIST and self.controller is not None:
            self.user = user
            self.window.show_user(user)
            self.enable_calls()
            self.controller.use_loader(functools.partial(self.backend.contacts_between, user))
            await self.controller.refresh()
            return
        self.close_home()
        self.open_home(user)
        if call is not None:
            self.window.show_page(call.screen)

    def open_contact(self, contact: ContactSummary) -> None:
        """Enter on a contact in the shift list: open it to read, in place of the list."""
        from ui.contact.controller import open_contact_view

        if self.user is None or self.locked:
            return
        self.close_contact()
        from spa_desk.telephony.recordings import recordings_folder

        recordings = recordings_folder(self.options.data_dir)
        viewer = open_contact_view(self.backend, self.user, contact, self.clock, recordings)
        viewer.closed.connect(self.close_contact)
        self.contact = viewer
        self.window.show_page(viewer.view)
        viewer.start()

    def close_contact(self) -> None:
        """Take the contact opened to read away; the shift list has the keyboard again."""
        viewer, self.contact = self.contact, None
        if viewer is None:
            return
        viewer.stop()
        showing = self.window.pages.currentWidget() is viewer.view
        self.window.remove_page(viewer.view)
        if showing:
            self.window.shift_page.table.setFocus()
