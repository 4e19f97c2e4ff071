"""The Rules screen, driven as an SPA manager drives it: open a rule file, see its problems in
words or its preview, put it in force; the next call on a practitioner's desk screens with it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from spa_desk.database import Database
from spa_desk.rules.in_force import put_in_force, rules_in_force
from spa_desk.vocabulary import Role
from tests.factories import add_user
from tests.spa_desk.calls.helpers import signed_in
from tests.spa_desk.rules.edited_rules import with_chiropody, with_unknown_route
from tests.ui.call_desk import LEVEL1_SELF, DeskFactory
from tests.ui.governance.helpers import NOW, PASSWORD, log_in, run
from ui.governance.menu import add_governance_menu
from ui.kit.backend import DeskBackend
from ui.rules.controller import RulesController
from ui.shell.main_window import MainWindow


def _open_rules(qtbot: QtBot, database: Database, backend: DeskBackend) -> RulesController:
    add_user(database, "morgan", PASSWORD, roles=("spa_manager",), display_name="Morgan Achebe")
    manager = log_in(database, "morgan", PASSWORD)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)  # so the keys reach it
    menu = add_governance_menu(window, backend, manager, clock=lambda: NOW)
    assert menu is not None and menu.rules_action is not None
    assert menu.rules_action.shortcut().toString() == "Ctrl+Shift+R"
    qtbot.keyClick(
        window,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: menu.rules_dialog is not None, timeout=10_000)
    dialog = menu.rules_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: "In force:" in dialog.in_force_label.text(), timeout=10_000)
    controller = dialog.findChild(RulesController)
    assert isinstance(controller, RulesController)
    return controller


def test_a_manager_checks_previews_and_puts_rules_in_force(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    tmp_path: Path,
) -> None:
    backend = DeskBackend(database.url)
    try:
        controller = _open_rules(qtbot, database, backend)
        view = controller.view
        assert "shipped with the desk" in view.in_force_label.text()

        broken = tmp_path / "podiatry.yaml"
        broken.write_bytes(with_unknown_route())
        assert run(qtbot, controller.open_file(broken)) is None
        assert "cannot be used" in view.verdict_label.text()
        assert view.problems_list.isVisible()
        problem = view.problems_list.item(0).text()
        assert problem.startswith(f"{broken}:14: vocabulary.routes[0]: the route 'podiatry'")
        assert not view.put_button.isEnabled()

        sound = tmp_path / "chiropody.yaml"
        sound.write_bytes(with_chiropody())
        preview = run(qtbot, controller.open_file(sound))
        assert preview is not None
        assert "is sound" in view.verdict_label.text()
        assert "no cases file" in view.verdict_label.text()
        assert "Adds: chiropody_need, row-12-chiropody, sc-chiropody." in view.changes_label.text()
        assert view.preview_label.text().startswith("Of 0 contacts in the last 30 days")
        assert view.put_button.isEnabled()

        asked: list[str] = []

        async def yes(title: str, question: str) -> bool:
            asked.append(question)
            return True

        controller.confirm = yes
        info = run(qtbot, controller.put_in_force())
        assert info is not None and info.version == "9.2.0"
        assert "in force from now" in view.message_label.text()
        assert asked and "9.2.0" in asked[0]
        qtbot.waitUntil(lambda: "9.2.0" in view.in_force_label.text(), timeout=5_000)
        assert rules_in_force(database).version == "9.2.0"
        assert view.kept_model.rowCount() == 1
        view.reject()
    finally:
        backend.close()


def test_the_next_call_is_screened_with_the_rules_in_force(
    desk_for: DeskFactory, database: Database
) -> None:
    manager = signed_in(database, "morgan", Role.SPA_MANAGER)
    put_in_force(database, manager, with_chiropody(), "chiropody.yaml")
    desk = desk_for("practitioner")
    call = desk.new_call()
    assert call.ruleset.version == "9.2.0"
    desk.screen({**LEVEL1_SELF, "chiropody_need": "Y"}, until="practical_or_financial")
    assert call.draft.answers["chiropody_need"] is True
    assert "Voluntary and community sector" in call.screen.recommendation.routes_label.text()
