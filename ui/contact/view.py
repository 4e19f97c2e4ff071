"""The read-only contact view's layout: a heading with the way back, the contact in words, and a
panel for the person that stays empty until consent is recorded.

Views hold layout only; :class:`ui.contact.controller.ContactViewController` fills this one and
gives its keys (Escape, Ctrl+O) their behaviour.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

BACK_KEY = "Esc"
PERSON_KEY = "Ctrl+O"
RECORDING_KEY = "Ctrl+P"


def _reader(name: str, accessible_name: str) -> QTextBrowser:
    text = QTextBrowser()
    text.setObjectName(name)
    text.setAccessibleName(accessible_name)
    text.setOpenLinks(False)
    text.setTabChangesFocus(True)  # Tab moves on to the buttons; arrows scroll
    return text


class ContactView(QWidget):
    """A contact to read: ``contact_text`` beside the person panel, and the way back."""

    def __init__(self, heading: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactView")
        self.title = QLabel(heading)
        self.title.setObjectName("contactTitle")
        self.title.setAccessibleName("Contact shown")
        self.title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        note = QLabel("Read only: nothing here changes the contact.")
        note.setStyleSheet("color: #555;")
        self.back_button = QPushButton(f"Back to the shift list  ({BACK_KEY})")
        self.back_button.setObjectName("contactBack")
        self.back_button.setAccessibleName("Back to the shift list")

        self.recording_button = QPushButton(f"Play the call's recording  ({RECORDING_KEY})")
        self.recording_button.setObjectName("contactRecording")
        self.recording_button.setAccessibleName("Play the call's recording")
        self.recording_button.hide()
        self.recording_label = QLabel()
        self.recording_label.setObjectName("contactRecordingState")
        self.recording_label.setStyleSheet("color: #555;")

        self.contact_text = _reader("contactText", "The contact")
        self.contact_text.setHtml("<p>Loading…</p>")

        self.person_note = QLabel()
        self.person_note.setObjectName("contactPersonNote")
        self.person_note.setAccessibleName("About the person")
        self.person_note.setWordWrap(True)
        self.person_button = QPushButton(f"Open the person's record with consent  ({PERSON_KEY})")
        self.person_button.setObjectName("contactPersonOpen")
        self.person_button.setAccessibleName("Open the person's record, after recording consent")
        self.person_button.hide()
        self.person_text = _reader("contactPerson", "The person's record")
        self.person_text.hide()
        person = QGroupBox("The person")
        person_layout = QVBoxLayout(person)
        person_layout.addWidget(self.person_note)
        person_layout.addWidget(self.person_button, 0, Qt.AlignmentFlag.AlignLeft)
        person_layout.addWidget(self.person_text, 1)
        person_layout.addStretch(0)

        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(note)
        header.addLayout(titles, 1)
        header.addWidget(self.recording_label, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.recording_button, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        body = QHBoxLayout()
        body.addWidget(self.contact_text, 3)
        body.addWidget(person, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(body, 1)
        self.setTabOrder(self.contact_text, self.person_button)
        self.setTabOrder(self.person_button, self.person_text)
        self.setTabOrder(self.person_text, self.back_button)

    def show_contact(self, html: str) -> None:
        """The contact in words (or what stops it being shown)."""
        self.contact_text.setHtml(html)

    def show_person_note(self, text: str, *, may_open: bool) -> None:
        """Words about the person, and whether the record may be opened from here."""
        self.person_note.setText(text)
        self.person_button.setVisible(may_open)

    def show_person(self, html: str) -> None:
        """The person's record, opened with consent: the button has done its work."""
        self.person_text.setHtml(html)
        self.person_text.show()
        self.person_button.hide()
        self.person_note.setText("Opened with consent; the opening is recorded in the audit log.")
