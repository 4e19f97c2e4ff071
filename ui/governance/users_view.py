"""The user accounts dialog's layout: the list of accounts, the buttons that act on the selected
one, the one-time password panel, the messages and the form for adding a user.

Views hold layout only; :class:`ui.governance.users_controller.UserAdminController` gives this
one its behaviour (it also forgets a one-time password on show when the dialog closes).
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from spa_desk.vocabulary import Role, Stream
from ui.governance.users_model import UserTableModel
from ui.kit.dialogs import fit_to_screen, form_button

_ROLE_MNEMONICS = {
    Role.CALL_HANDLER: "&Call handler",
    Role.PRACTITIONER: "&Practitioner",
    Role.SPA_MANAGER: "&SPA manager",
    Role.TRAINER: "&Trainer",
    Role.ADMINISTRATOR: "Adm&inistrator",
}
PROBLEM_STYLE = "color: #b00020; font-weight: 600;"


class UserAdminView(QDialog):
    """The accounts (``table`` over ``model``), with adding a user, disabling one and resetting
    a password. Enter in the form presses Add; Close (and Escape) rejects the dialog.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("SPA Desk - user accounts")
        self.setObjectName("userAdminDialog")
        fit_to_screen(self, 900, 660)

        self.model = UserTableModel()
        self.table = QTableView()
        self.table.setObjectName("userAccounts")
        self.table.setAccessibleName("User accounts")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab moves on to the buttons
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table_label = QLabel("Acc&ounts")
        table_label.setStyleSheet("font-weight: 600;")
        table_label.setBuddy(self.table)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #555;")
        self.count_label.setAccessibleName("Number of accounts")

        self.disable_button = form_button("&Disable user", "Disable the selected user")
        self.streams_button = form_button(
            "Str&eams…", "The streams the selected practitioner works"
        )
        self.reset_button = form_button("&Reset password", "Reset the selected user's password")
        self.refresh_button = form_button("Re&fresh", "Refresh the list of accounts")

        add_group = self._build_add_form()
        self._build_password_panel()
        self._build_messages()

        self.close_button = form_button("C&lose", "Close user accounts")
        self.close_button.clicked.connect(self.reject)

        list_header = QHBoxLayout()
        list_header.addWidget(table_label)
        list_header.addStretch(1)
        list_header.addWidget(self.count_label)
        account_buttons = QHBoxLayout()
        for button in (
            self.disable_button,
            self.reset_button,
            self.streams_button,
            self.refresh_button,
        ):
            account_buttons.addWidget(button)
        account_buttons.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(list_header)
        layout.addWidget(self.table, 1)
        layout.addLayout(account_buttons)
        layout.addWidget(self.error_label)
        layout.addWidget(self.note_label)
        layout.addWidget(self.password_frame)
        layout.addWidget(add_group)
        layout.addLayout(bottom)

        chain: list[QWidget] = [
            self.table,
            self.disable_button,
            self.reset_button,
            self.streams_button,
            self.refresh_button,
            self.password_label,
            self.username_edit,
            self.name_edit,
            *self.role_boxes.values(),
            *self.stream_boxes.values(),
            self.add_button,
            self.close_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _build_add_form(self) -> QGroupBox:
        """The "Add a user" group: user name, full name, a box for each role, the Add button."""
        self.username_edit = QLineEdit()
        self.username_edit.setAccessibleName("New user's user name")
        self.username_edit.setPlaceholderText("lower-case, for example jo.bloggs")
        self.username_edit.setMaxLength(32)
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("New user's full name")
        self.name_edit.setPlaceholderText("as colleagues see it, for example Jo Bloggs")
        self.role_boxes: dict[Role, QCheckBox] = {}
        roles_row = QHBoxLayout()
        for role in Role:
            box = QCheckBox(_ROLE_MNEMONICS.get(role, role.label))
            box.setAccessibleName(f"Role: {role.label}")
            self.role_boxes[role] = box
            roles_row.addWidget(box)
        roles_row.addStretch(1)
        self.stream_boxes: dict[Stream, QCheckBox] = {}
        streams_row = QHBoxLayout()
        for stream in Stream:
            box = QCheckBox(stream.label)
            box.setAccessibleName(f"Stream: {stream.label}")
            box.setEnabled(False)  # a practitioner's, ticked with the role
            self.stream_boxes[stream] = box
            streams_row.addWidget(box)
        streams_hint = QLabel("(a practitioner; none ticked: every stream)")
        streams_hint.setStyleSheet("color: #555;")
        streams_row.addWidget(streams_hint)
        streams_row.addStretch(1)
        practitioner = self.role_boxes[Role.PRACTITIONER]
        for box in self.stream_boxes.values():
            practitioner.toggled.connect(box.setEnabled)
        self.add_button = form_button("&Add user", "Add the user")
        self.username_edit.returnPressed.connect(self.add_button.click)
        self.name_edit.returnPressed.connect(self.add_button.click)
        form = QFormLayout()
        username_label = QLabel("User &name")
        username_label.setBuddy(self.username_edit)
        name_label = QLabel("Full na&me")
        name_label.setBuddy(self.name_edit)
        form.addRow(username_label, self.username_edit)
        form.addRow(name_label, self.name_edit)
        form.addRow("Roles", roles_row)
        form.addRow("Streams", streams_row)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_button)
        add_hint = QLabel("A one-time password is made and shown above, once.")
        add_hint.setStyleSheet("color: #555;")
        add_row.addWidget(add_hint)
        add_row.addStretch(1)
        form.addRow("", add_row)
        add_group = QGroupBox("Add a user")
        add_group.setLayout(form)
        return add_group

    def _build_password_panel(self) -> None:
        """The panel that shows a one-time password (hidden until there is one)."""
        self.password_frame = QFrame()
        self.password_frame.setObjectName("oneTimePassword")
        self.password_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.password_frame.setStyleSheet(
            "#oneTimePassword { background: #eef6ee; border: 1px solid #2e7d32; }"
        )
        self.password_heading = QLabel()
        self.password_heading.setTextFormat(Qt.TextFormat.PlainText)
        self.password_heading.setWordWrap(True)
        self.password_label = QLabel()
        self.password_label.setObjectName("oneTimePasswordText")
        self.password_label.setAccessibleName("One-time password")
        self.password_label.setTextFormat(Qt.TextFormat.PlainText)
        self.password_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.password_label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.password_label.setStyleSheet(
            "font-family: monospace; font-size: 15pt; font-weight: 600; padding: 2px 6px;"
        )
        password_hint = QLabel(
            "Give it to them in person now: it is not shown again. Select it to copy it."
        )
        password_layout = QVBoxLayout(self.password_frame)
        password_layout.addWidget(self.password_heading)
        password_layout.addWidget(self.password_label)
        password_layout.addWidget(password_hint)
        self.password_frame.hide()

    def _build_messages(self) -> None:
        """The problem (red) and done labels, both hidden until there is something to say."""
        self.error_label = QLabel()
        self.error_label.setObjectName("userAdminProblem")
        self.error_label.setAccessibleName("Problem")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(PROBLEM_STYLE)
        self.error_label.hide()
        self.note_label = QLabel()
        self.note_label.setObjectName("userAdminNote")
        self.note_label.setAccessibleName("Done")
        self.note_label.setTextFormat(Qt.TextFormat.PlainText)
        self.note_label.setWordWrap(True)
        self.note_label.hide()


class StreamsDialog(QDialog):
    """The streams a practitioner works: a box each, ticked as they are now."""

    def __init__(
        self, name: str, streams: tuple[Stream, ...], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Streams: {name}")
        self.setObjectName("streamsDialog")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"The streams {name} works (their queue shows these):"))
        self.boxes: dict[Stream, QCheckBox] = {}
        for number, stream in enumerate(Stream, start=1):
            box = QCheckBox(f"&{number}  {stream.label}")
            box.setChecked(stream in streams)
            self.boxes[stream] = box
            layout.addWidget(box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> tuple[Stream, ...]:
        """The streams ticked, in the vocabulary's order."""
        return tuple(stream for stream, box in self.boxes.items() if box.isChecked())
