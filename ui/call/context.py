"""What a column of the call screen may know of its call and do to it.

The person column (:mod:`ui.call.person`) and the outcome column (:mod:`ui.call.outcome`) are
given a :class:`CallContext`, their own view and a parent for their dialogs; the controller
(:mod:`ui.call.controller`) is the one object that satisfies it. The columns never import the
controller, so the screen's parts do not depend on each other in a circle.
"""

from __future__ import annotations

from collections.abc import Coroutine
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from spa_desk.calls.draft import CallDraft
    from spa_desk.domain import CurrentUser
    from spa_desk.rules.screening import RuleSet, ScreeningSession
    from ui.kit.backend import DeskBackend


class CallContext(Protocol):
    """One call as its columns see it: the draft, who is at the desk, and the few things a
    column may do (change the draft, run a job, keep the draft safe, give the keyboard back)."""

    @property
    def draft(self) -> CallDraft:
        """The call as it stands: the one truth the screen is rebuilt from."""

    @property
    def user(self) -> CurrentUser:
        """Who is at the desk now (it may change when the desk is unlocked by someone else)."""

    @property
    def backend(self) -> DeskBackend:
        """The way to the services; every job runs on the database thread."""

    @property
    def ruleset(self) -> RuleSet:
        """The rules the call is screened with."""

    @property
    def updating(self) -> bool:
        """True while the screen is being rebuilt from the draft (its signals are not edits)."""

    def now(self) -> datetime:
        """The desk's clock."""

    def update(self, **changes: Any) -> None:
        """Change the draft, show it, and write it to the database within a second."""

    def spawn(self, job: Coroutine[Any, Any, None]) -> None:
        """Run ``job`` in the background for as long as the call is on screen."""

    async def write_draft_now(self) -> None:
        """Write the draft to the database now (a row is about to refer to it)."""

    def refocus(self) -> None:
        """After a dialog: the keyboard goes back where the handler's eyes are."""

    def session(self) -> ScreeningSession:
        """The screening of the call as the draft stands."""
