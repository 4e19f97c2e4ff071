"""Finding the person a call is about (SPEC 2 step 3): search as the handler types, consent
before a record opens, the new-person form, and the record shown at once with its flags, open
referrals and previous contacts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from spa_desk.calls.screening import record_facts
from spa_desk.errors import KnownError
from spa_desk.local_time import LONDON
from spa_desk.people.consent import (
    ConsentGiven,
    ConsentSuggestion,
    consent_on_call,
    suggested_consent,
)
from spa_desk.people.records import PersonRecord, create_person, open_person, update_person
from spa_desk.people.search import PersonMatch, PersonSearch, last_contacts, search_people
from spa_desk.vocabulary import ConsentBasis
from ui.call.person_dialogs import ConsentDialog, NewPersonDialog
from ui.call.views import age_text
from ui.kit.asyncio_qt import async_slot
from ui.kit.dialogs import fit_to_screen, run_dialog

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
        self.view.edit_button.clicked.connect(self.edit_person)

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
                    if self.call.draft.telephony_ref is not None and found.people:
                        await self._show_last_contacts(found)  # a ringing call's screen pop
                    return
        finally:
            self._search_running = False

    async def _show_last_contacts(self, found: PersonSearch) -> None:
        """Each person's last contact beside them, once the people are on screen."""
        ids = [person.id for person in found.people]
        try:
            last = await self.call.backend.run(last_contacts, self.call.user, ids)
        except KnownError:
            return
        if self.matches == found.people and self.person is None:
            self._show_found(found, last)

    def _show_found(
        self, found: PersonSearch, last: dict[uuid.UUID, datetime] | None = None
    ) -> None:
        self.matches = found.people
        today = self.call.now().astimezone(LONDON).date()
        rows = [
            f"{p.name} · {age_text(p.date_of_birth, today)}\n"
            f"    {p.postcode or 'no postcode'} · NHS {p.nhs_label} · {p.phone_primary or ''}"
            + (
                f"\n    last contact {last[p.id].astimezone(LONDON):%a %d %b %Y %H:%M}"
                if last and p.id in last
                else ""
            )
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
        consent = await self._ask_consent(f"{match.given_name} {match.family_name}", PURPOSE)
        if consent is None:
            self.dialog_parent.window().activateWindow()
            self.view.results.setFocus()
            return
        await self.open_with_consent(match.id, consent)

    def suggestion(self) -> ConsentSuggestion | None:
        """The consent basis likely from who is calling (shown, never chosen for the handler)."""
        return suggested_consent(self.call.draft.answers.get("caller_type"))

    async def _ask_consent(self, person_words: str, purpose: str) -> ConsentGiven | None:
        """The consent the handler chooses in the consent dialog; None when they cancel."""
        dialog = ConsentDialog(person_words, purpose, self.suggestion(), self.dialog_parent)
        if await run_dialog(dialog) != dialog.DialogCode.Accepted.value:
            return None
        return dialog.consent

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
            # Never asked: shown as "from the record", and the handler can change them.
            "from_record": record_facts(self.call.ruleset, record, today),
        }
        self.call.update(**changes)
        self.call.refocus()

    async def reopen_person(self) -> None:
        """A call carried on after a restart: its person's record opens again on the consent
        recorded on this call, exactly as recorded; with none recorded, the handler is asked."""
        draft = self.call.draft
        assert draft.person_id is not None
        purpose = (
            "Carrying on a call handed off by a colleague"
            if draft.handoff_id is not None
            else "Carrying on the same call after the desk restarted"
        )
        try:
            recorded = await self.call.backend.run(
                consent_on_call, self.call.user, draft.contact_id, draft.person_id
            )
        except KnownError as error:
            self.view.show_results(str(error), [])
            return
        if recorded is not None:
            consent = recorded.model_copy(update={"purpose": purpose})
        else:
            asked = await self._ask_consent("the person chosen earlier on this call", purpose)
            if asked is None:
                self.change_person()
                return
            consent = asked
        await self.open_with_consent(draft.person_id, consent)

    @async_slot()
    async def edit_person(self) -> None:
        """Ctrl+E: change the record opened on this call (never over another desk's change)."""
        from ui.call.person_edit import EditPersonDialog

        record = self.person
        if record is None:
            return

        async def save(changes: dict[str, Any], seen: PersonRecord) -> PersonRecord:
            return await self.call.backend.run(
                update_person,
                self.call.user,
                seen.id,
                changes,
                seen.version,
                seen=seen.model_dump(),
                now=self.call.now(),
            )

        dialog = EditPersonDialog(record, save, parent=self.view.window())
        fit_to_screen(dialog, 560, 720)
        await run_dialog(dialog)
        if dialog.saved is not None:
            basis = self.call.draft.consent_basis
            assert basis is not None
            self._show_person(dialog.saved, basis)
        else:
            self.call.refocus()

    def change_person(self) -> None:
        self.person = None
        self.view.show_searching()
        self.call.update(person_id=None, consent_basis=None, from_record={})
        self.focus_search()

    @async_slot()
    async def new_person(self) -> None:
        """Ctrl+N: the new-person form, with the search text put where it belongs."""
        if self.person is not None:
            return
        prefill = prefill_new_person(self.call.draft.search_text)
        dialog: NewPersonDialog | None = None
        stored: list[ConsentGiven] = []

        async def create(fields: dict[str, Any]) -> PersonRecord:
            assert dialog is not None
            consent = dialog.consent.consent(PURPOSE)  # None until chosen: the service says so
            await self.call.write_draft_now()
            record: PersonRecord = await self.call.backend.run(
                create_person,
                self.call.user,
                fields,
                consent,
                contact_id=self.call.draft.contact_id,
            )
            assert consent is not None  # the service refuses a person without consent
            stored.append(consent)
            return record

        today = self.call.now().astimezone(LONDON).date()
        dialog = NewPersonDialog(create, prefill, today, self.suggestion(), self.dialog_parent)
        if await run_dialog(dialog) == dialog.DialogCode.Accepted.value:
            assert isinstance(dialog.created, PersonRecord)
            self._show_person(dialog.created, stored[-1].basis)
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
