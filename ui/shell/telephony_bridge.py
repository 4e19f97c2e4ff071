"""Telephony events reach the desk on the GUI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from spa_desk.telephony.events import TelephonyFeed


class TelephonyBridge(QObject):
    """Brings telephony events (published on the adapter's thread) to the GUI thread.

    Signals:
        arrived(object): a TelephonyEvent, delivered on the GUI thread.
    """

    arrived = Signal(object)

    def __init__(self, feed: TelephonyFeed, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stop_listening = feed.subscribe(self.arrived.emit)
