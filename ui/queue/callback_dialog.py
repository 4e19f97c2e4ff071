"""Ringing a call-back's caller: the number to ring, the attempts so far, and how this one went
(1 no answer, 2 message left, 3 reached); Esc puts the call-back back in the queue untouched."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from spa_desk.vocabulary import AttemptResult
from ui.kit.dialogs import run_dialog

RESULTS = (AttemptResult.NO_ANSWER, AttemptResult.MESSAGE_LEFT, AttemptResult.REACHED)


class CallbackDialog(QDialog):
    """How the attempt to ring a call-back's caller went."""

    def __init__(
        self, *, number: str, caller: str, tried: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("callbackDialog")
        self.setWindowTitle("Call back")
        self.result_chosen: AttemptResult | None = None
        who = f" ({caller})" if caller else ""
        ring = QLabel(f"Ring <b>{number}</b>{who}, then say how it went.")
        ring.setObjectName("callbackNumber")
        layout = QVBoxLayout(self)
        layout.addWidget(ring)
        earlier = QLabel(
            "Tried before:\n" + "\n".join(tried) if tried else "This is the first attempt."
        )
        earlier.setObjectName("callbackTried")
        layout.addWidget(earlier)
        for number_key, result in enumerate(RESULTS, start=1):
            button = QPushButton(f"{number_key}  {result.words.capitalize()}")
            button.setAutoDefault(False)
            button.setAccessibleName(result.words)
            button.clicked.connect(lambda _=False, chosen=result: self._choose(chosen))
            layout.addWidget(button)
            key = QShortcut(QKeySequence(str(number_key)), self)
            key.activated.connect(lambda chosen=result: self._choose(chosen))
        put_back = QPushButton("Put it back in the queue  (Esc)")
        put_back.setAutoDefault(False)
        put_back.clicked.connect(self.reject)
        layout.addWidget(put_back)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """The number keys answer at once: the dialog takes the keyboard as it opens."""
        super().showEvent(event)
        self.raise_()
        self.activateWindow()

    def _choose(self, result: AttemptResult) -> None:
        self.result_chosen = result
        self.accept()

    async def ask(self) -> AttemptResult | None:
        """Open, and wait for the result (None: put back in the queue)."""
        if await run_dialog(self) != QDialog.DialogCode.Accepted.value:
            return None
        return self.result_chosen
