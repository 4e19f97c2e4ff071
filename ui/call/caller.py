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
from spa_desk.errors import KnownError
from spa_desk.local_time import LONDON

if TYPE_CHECKING:
    from spa_desk.calls.known_callers import KnownCaller
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
        self.answer = answer
        self.known: list[KnownCaller] = []
        """Professionals who rang from this call's number before, the most recent first."""
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

    async def look_up(self) -> None:
        """A call from the telephone system: the professionals who rang from its number
        before, shown with their last contact (Ctrl+K takes the first one's details)."""
        from spa_desk.calls.known_callers import known_callers

        number = self.call.draft.caller_number
        if not number:
            return
        try:
            self.known = await self.call.backend.run(known_callers, self.call.user, number)
        except KnownError:
            return  # the pop of people says what is wrong with the database
        if not self.known:
            return
        lines = []
        for known in self.known:
            when = known.last_contact_at.astimezone(LONDON).strftime("%a %d %b %Y %H:%M")
            who = ", ".join(p for p in (known.name, known.job_title, known.organisation) if p)
            lines.append(f"{who or 'a professional'} (last contact {when})")
        self.view.known_label.setText(
            "This number is a professional on record: "
            + "; ".join(lines)
            + ". Ctrl+K fills in the first one's details."
        )
        self.view.known_label.show()

    def use_known(self) -> None:
        """Ctrl+K: the caller is the professional last on record for this number."""
        if not self.known:
            return
        known = self.known[0]
        self.answer("caller_type", "professional")
        if known.professional_role:
            self.answer("professional_role", known.professional_role)
        view = self.view
        view.name_edit.setText(known.name)
        view.organisation_edit.setText(known.organisation)
        view.job_edit.setText(known.job_title)
        if not view.phone_edit.text():
            view.phone_edit.setText(known.phone)
        self.edited()
