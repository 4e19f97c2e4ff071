"""The baseline for start-up: a bare PySide6 main window with an empty table, painted and grabbed.

Does what ``spa-desk --screenshot`` does minus the desk itself, so the ratio shows the desk's cost.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

from ui.shell.startup_timing import report, report_first_paint


def main(target: str) -> int:
    """Show a bare window, paint it and save it as a PNG."""
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QTableView())
    window.statusBar().showMessage("bare window")
    window.resize(1280, 720)
    report_first_paint(window, "main window painted")
    window.show()
    app.processEvents()
    report("shift contacts shown")  # nothing to load: the same moment, for the same comparison
    ok = window.grab().save(target, "PNG")
    window.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
