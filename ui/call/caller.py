"""Who is calling (SPEC 2 step 2): the caller section of a call, kept in step with the draft.

Who is calling is the rules' own question (``caller_type``, ``professional_role``), so choosing it
here answers that question; the caller's name, relationship to the person (family and carers),
organisation and job (professionals) and call-back number go into the draft as they are typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from spa_desk.calls.draft import CallerDetails, caller_of

if TYPE_CHECKING:
    from ui.call.context import CallContext
    from ui.call.views import CallerView

Answer = Callable[[str, object], None]
"""Records the answer to one of the rules' questions (fact name, value)."""


class CallerEditor(QObject):
    """The caller section of one call."""

    def __init__(self, call: CallContext, view: CallerView, answer: Answer) -> None:
        super().__init__(view)
        self.call = call
        self.view = view
        view.caller_type_chosen.connect(lambda value: answer("caller_type", value))
        view.professional_role_chosen.connect(lambda value: answer("professional_role", value))
        for edit in (
            view.name_edit,
            view.relationship_edit,
            view.organisation_edit,
            view.job_edit,
            view.phone_edit,
        ):
            edit.textEdited.connect(self.edited)
        # A relationship picked from the suggestions is not an edit, but it is the answer.
        completer = view.relationship_edit.completer()
        if completer is not None:
            completer.activated.connect(lambda _text: self.edited())

    def load(self) -> None:
        """Fill the caller's details from the draft (a new call from the telephone system, a call
        restored)."""
        details = self.call.draft.caller
        self.view.name_edit.setText(details.name)
        self.view.relationship_edit.setText(details.relationship)
        self.view.organisation_edit.setText(details.organisation)
        self.view.job_edit.setText(details.job_title)
        self.view.phone_edit.setText(details.phone)

    def show(self) -> None:
        """Who is calling, as the screening's answers have it."""
        caller, role = caller_of(self.call.draft)
        self.view.show_caller(caller.value, role.value if role else None)

    def edited(self) -> None:
        """A caller's detail was typed: keep it in the draft."""
        view = self.view
        self.call.update(
            caller=CallerDetails(
                name=view.name_edit.text(),
                relationship=view.relationship_edit.text(),
                organisation=view.organisation_edit.text(),
                job_title=view.job_edit.text(),
                phone=view.phone_edit.text(),
            )
        )
