"""The SPA manager's dashboard and reports on the desk (F9): opened in place of the list, read
again within a second of a contact being saved on this desk or (PostgreSQL) any other, and taken
away at log-out or when someone else takes the desk over.

:class:`DeskReports` is a base of :class:`ui.shell.session.DeskSession`, after
:class:`ui.shell.desk_homes.DeskHomes`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.shell.desk_homes import DeskHomes

if TYPE_CHECKING:
    from spa_desk.calls.journal import JournalEntry
    from spa_desk.calls.save import SavedCall
    from spa_desk.domain import CurrentUser
    from spa_desk.handoff.queue import QueueItem
    from ui.kit.coalesce import Coalesced
    from ui.reports.controller import DashboardController


class DeskReports(DeskHomes):
    """The dashboard of the logged-in user, when their roles allow reports."""

    dashboard: DashboardController | None
    _dashboard_news: Coalesced | None
    _reports_connected: bool

    def enable_calls(self) -> None:
        from spa_desk.permissions import Action, allowed

        super().enable_calls()
        may = self.user is not None and allowed(self.user, Action.VIEW_REPORTS)
        self.window.reports_action.setEnabled(may)
        self.window.reports_action.setVisible(may)
        if not self._reports_connected:
            self.window.reports_action.triggered.connect(self.open_dashboard)
            self._reports_connected = True

    def start_live(self) -> None:
        from ui.kit.coalesce import Coalesced

        super().start_live()
        if self._dashboard_news is None and self.live is not None:
            self._dashboard_news = Coalesced(self._reread_dashboard)
            self.live.contacts.connect(self._dashboard_news.request)
            self.live.queues.connect(self._dashboard_news.request)

    def stop_live(self) -> None:
        super().stop_live()
        if self._dashboard_news is not None:
            self._dashboard_news.cancel()

    def _call_finished(self, saved: SavedCall | JournalEntry | QueueItem | None) -> None:
        super()._call_finished(saved)
        if saved is not None and self._dashboard_news is not None:  # this desk saved a call
            self._dashboard_news.request()

    async def _reread_dashboard(self) -> None:
        board = self.dashboard
        if board is not None and board.page.isVisible() and not self.ended and not self.locked:
            await board.refresh()

    def open_dashboard(self) -> None:
        """F9: the shift so far and the reports, in place of the list."""
        from spa_desk.permissions import Action, allowed
        from ui.reports.controller import DashboardController

        user = self.user
        if user is None or self.locked or not allowed(user, Action.VIEW_REPORTS):
            return
        if self.call is not None:  # one call at a time: the call stays in front
            self.window.show_page(self.call.screen)
            return
        if self.dashboard is None or self.dashboard.user != user:
            self.close_dashboard()
            board = DashboardController(self.backend, user, self.clock, self.options.settings)
            board.page.back_requested.connect(self._dashboard_back)
            self.window.refresh_action.triggered.connect(board.refresh_if_shown)
            self.window.closed.connect(board.stop)
            self.dashboard = board
        self.window.show_page(self.dashboard.page)
        self.dashboard.start()
        self.dashboard.page.preview_button.setFocus()

    def _dashboard_back(self) -> None:
        self.window.open_shift_list()

    def close_dashboard(self) -> None:
        """Take the dashboard away (log-out, someone else at the desk)."""
        board, self.dashboard = self.dashboard, None
        if board is None:
            return
        board.stop()
        self.window.refresh_action.triggered.disconnect(board.refresh_if_shown)
        self.window.remove_page(board.page)

    def close_home(self) -> None:
        self.close_dashboard()
        super().close_home()

    async def switch_user(self, user: CurrentUser) -> None:
        self.close_dashboard()
        await super().switch_user(user)
