"""Consent before the person of a contact is named: the call screen's own consent dialog, so
consent is asked the same way everywhere (SPEC 2 step 3)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from spa_desk.people.consent import ConsentGiven
from ui.call.person_dialogs import ConsentDialog
from ui.kit.dialogs import run_dialog

PURPOSE = "Reading a saved contact from the shift list"
PERSON_WORDS = "the person this contact is about"


async def ask_consent(parent: QWidget) -> ConsentGiven | None:
    """The consent the member of staff records in the consent dialog; None when they cancel."""
    dialog = ConsentDialog(PERSON_WORDS, PURPOSE, None, parent)
    if await run_dialog(dialog) != dialog.DialogCode.Accepted.value:
        return None
    return dialog.consent
