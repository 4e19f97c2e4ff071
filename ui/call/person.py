"""Finding the person a call is about (SPEC 2 step 3): search as the handler types, consent
before a record opens, the new-person form, and the record shown at once with its flags, open
referrals and previous contacts."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from spa_desk.errors import KnownError
from spa_desk.local_time import LONDON
from spa_desk.people.consent import ConsentGiven
from spa_desk.people.records import PersonRecord, create_person, open_person
from spa_desk.people.search import PersonMatch, PersonSearch, search_people
from spa_desk.vocabulary import ConsentBasis
from ui.call.person_dialogs import ConsentDialog, NewPersonDialog
from ui.call.views import age_text
from ui.kit.asyncio_qt import async_slot
from ui.kit.dialogs import run_dialog

if TYPE_CHECKING:
    from ui.call.context import CallContext
    from ui.call.views import PersonView

PURPOSE = "Screening this call"


class PersonFinder(QObject):
    """The person column of the call screen, for one call."""

    def __init__(self, call: CallContext, view: PersonView, dialog_parent: QWidget) -> None:
        super().__init__(view)
        self.call = call
        self.view = view
        self.dialog_parent = dialog_parent
        self.person: PersonRecord | None = None
        self.matches: tuple[PersonMatch, ...] = ()
        self._search_running = False
        self._search_again = False
        self.view.search_edit.textEdited.connect(self.search_edited)
        self.view.picked.connect(self.pick)
        self.view.new_button.clicked.connect(self.new_person)
        self.view.change_button.clicked.connect(self.change_person)

    def search(self) -> None:
        """Search for the draft's search text (a new call's number, say)."""
        self.call.spawn(self._search())

    def focus_search(self) -> None:
        """F3: the keyboard goes to the person search."""
        if self.person is None:
            self.view.search_edit.setFocus()
            self.view.search_edit.selectAll()

    def search_edited(self, text: str) -> None:
        self.call.update(search_text=text)
        self.call.spawn(self._search())

    async def _search(self) -> None:
        if self._search_running:
            self._search_again = True
            return
        self._search_running = True
        try:
            while True:
                self._search_again = False
                text = self.call.draft.search_text
                try:
                    found: PersonSearch = await self.call.backend.run(
                        search_people, self.call.user, text
                    )
                except KnownError as error:
                    self.view.show_results(str(error), [])
                    return
                if not self._search_again:
                    self._show_found(found)
                    return
        finally:
            self._search_running = False

    def _show_found(self, found: PersonSearch) -> None:
        self.matches = found.people
        today = self.call.now().astimezone(LONDON).date()
        rows = [
            f"{p.name} · {age_text(p.date_of_birth, today)}\n"
            f"    {p.postcode or 'no postcode'} · NHS {p.nhs_label} · {p.phone_primary or ''}"
            for p in found.people
        ]
        if found.kind is None:
            note = "Type at least two characters."
        elif not found.people:
            note = f"Nobody found by {found.kind.value}. Ctrl+N adds a new person."
        else:
            more = " (more: type more to narrow)" if found.more else ""
            note = (
                f"{len(found.people)} found by {found.kind.value}{more}. "
                "↓ then Enter opens the record with consent."
            )
        self.view.show_results(note, rows)

    @async_slot()
    async def pick(self, row: int) -> None:
        """Open the chosen person's record, after recording consent."""
        if not 0 <= row < len(self.matches):
            return
        match = self.matches[row]
        dialog = ConsentDialog(f"{match.given_name} {match.family_name}", self.dialog_parent)
        if await run_dialog(dialog) != dialog.DialogCode.Accepted.value:
            self.dialog_parent.window().activateWindow()
            self.view.results.setFocus()
            return
        consent = ConsentGiven(
            basis=dialog.basis,
            purpose=PURPOSE,
            reason=dialog.reason_edit.text().strip() or None,
        )
        await self.open_with_consent(match.id, consent)

    async def open_with_consent(self, person_id: uuid.UUID, consent: ConsentGiven) -> None:
        """Open the person's record on this call with the consent given; show it."""
        await self.call.write_draft_now()  # the consent refers to the contact row
        try:
            record = await self.call.backend.run(
                open_person,
                self.call.user,
                person_id,
                consent,
                contact_id=self.call.draft.contact_id,
            )
        except KnownError as error:
            self.view.show_results(str(error), [])
            return
        self._show_person(record, consent.basis)

    def _show_person(self, record: PersonRecord, basis: ConsentBasis) -> None:
        self.person = record
        today = self.call.now().astimezone(LONDON).date()
        self.view.show_record(record_html(record, today))
        changes: dict[str, Any] = {
            "person_id": record.id,
            "consent_basis": basis,
        }
        if record.date_of_birth and "age" in self.call.ruleset.facts:
            born = record.date_of_birth
            age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
            changes["answers"] = {**self.call.draft.answers, "age": age}
        self.call.update(**changes)
        self.call.refocus()

    async def reopen_person(self) -> None:
        draft = self.call.draft
        assert draft.person_id is not None
        basis = draft.consent_basis or ConsentBasis.GIVEN_BY_PERSON
        consent = ConsentGiven(
            basis=basis,
            purpose="Carrying on the same call after the desk restarted",
            reason="Consent recorded earlier on this call"
            if basis is ConsentBasis.LAWFUL_BASIS
            else None,
        )
        await self.open_with_consent(draft.person_id, consent)

    def change_person(self) -> None:
        self.person = None
        self.view.show_searching()
        self.call.update(person_id=None, consent_basis=None)
        self.focus_search()

    @async_slot()
    async def new_person(self) -> None:
        """Ctrl+N: the new-person form, with the search text put where it belongs."""
        if self.person is not None:
            return
        prefill = prefill_new_person(self.call.draft.search_text)
        dialog: NewPersonDialog | None = None

        async def create(fields: dict[str, Any]) -> PersonRecord:
            assert dialog is not None
            picker = dialog.consent
            consent = ConsentGiven(
                basis=picker.basis,
                purpose=PURPOSE,
                reason=picker.reason.text().strip() or None,
            )
            await self.call.write_draft_now()
            record: PersonRecord = await self.call.backend.run(
                create_person,
                self.call.user,
                fields,
                consent,
                contact_id=self.call.draft.contact_id,
            )
            return record

        dialog = NewPersonDialog(create, prefill, self.dialog_parent)
        if await run_dialog(dialog) == dialog.DialogCode.Accepted.value:
            assert isinstance(dialog.created, PersonRecord)
            self._show_person(dialog.created, dialog.consent.basis)
        else:
            self.call.refocus()


def prefill_new_person(text: str) -> dict[str, str]:
    """Put what was searched for into the matching field of the new-person form."""
    from spa_desk.people.search import SearchKind, read_search

    reading = read_search(text)
    if reading is None:
        return {}
    kind, _ = reading
    text = text.strip()
    if kind is SearchKind.NHS_NUMBER:
        return {"nhs_number": text}
    if kind is SearchKind.PHONE:
        return {"phone_primary": text}
    if kind is SearchKind.POSTCODE:
        return {"postcode": text.upper()}
    if kind is SearchKind.DATE_OF_BIRTH:
        return {"date_of_birth": text}
    if "," in text:
        family, _, given = text.partition(",")
        return {"family_name": family.strip(), "given_name": given.strip()}
    words = text.split()
    if len(words) > 1:
        return {"given_name": " ".join(words[:-1]), "family_name": words[-1]}
    return {"family_name": text}


def record_html(record: PersonRecord, today: Any) -> str:
    """The opened record: identity, flags, open referrals and previous contacts."""
    from html import escape

    from ui.kit.contact_text import contact_line

    nhs = record.nhs_number or "no NHS number"
    lines = [
        f"<b style='font-size:13pt'>{escape(record.given_name)} "
        f"{escape(record.family_name.upper())}</b>",
        escape(f"{age_text(record.date_of_birth, today)} · NHS {nhs}"),
        escape(", ".join(x for x in (record.address_line1, record.town, record.postcode) if x)),
        escape(f"Phone {record.phone_primary or 'not known'} · GP {record.gp_practice or '—'}"),
    ]
    for flag in record.flags:
        lines.append(f"<span style='color:#b00020; font-weight:700'>⚑ {escape(flag)}</span>")
    if record.open_referrals:
        lines.append("<b>Open referrals</b>")
        for referral in record.open_referrals[:5]:
            when = referral.made_at.astimezone(LONDON).strftime("%d %b %Y")
            urgency = f" ({referral.urgency.value})" if referral.urgency else ""
            lines.append(escape(f"• {referral.route.label}{urgency}, {when}"))
    lines.append(f"<b>Previous contacts ({len(record.previous_contacts)})</b>")
    if not record.previous_contacts:
        lines.append("None: this is the first contact.")
    for contact in record.previous_contacts[:8]:
        lines.append(escape(f"• {contact_line(contact)}"))
    return "<br>".join(lines)
