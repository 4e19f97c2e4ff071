"""The override grid, driven by keys in the real desk as a practitioner drives it: a recommended
route keeps its recommended urgency, an added route has none until one is chosen (and says so
beside it), a problem appearing or going never moves the grid under the pointer, and the grid fits
the screen at 1366x768 without a horizontal scroll bar.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from tests.ui.call_desk import LEVEL1_SELF, Desk, DeskFactory, referrals, saved_one
from ui.call.controller import CallController
from ui.call.outcome_view import OverrideRow

ALT = Qt.KeyboardModifier.AltModifier


def _override_mobility_call(desk_for: DeskFactory) -> tuple[Desk, CallController]:
    """A practitioner's call at 1366x768 whose rules recommend community therapy (soon), with
    the person found and Alt+O pressed to override."""
    desk = desk_for("practitioner")
    desk.window.resize(1366, 768)
    call = desk.new_call()
    desk.screen({**LEVEL1_SELF, "mobility_decline": "Y"})
    desk.find_and_open("Testperson")
    desk.qtbot.keyClick(call.screen, "O", ALT)
    desk.qtbot.waitUntil(lambda: call.draft.override)
    return desk, call


def _row(call: CallController, route: str) -> OverrideRow:
    return next(r for r in call.screen.outcome.override_rows if r.route.value == route)


def _tab_to(desk: Desk, target: QWidget) -> None:
    """Press Tab until ``target`` has the keyboard, as the practitioner moves through the grid."""
    for _ in range(40):
        if QApplication.focusWidget() is target:
            return
        desk.keys(Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target.accessibleName()}")


def _places(desk: Desk, call: CallController) -> dict[str, QRect]:
    """Where each control of the grid is in the window."""
    places: dict[str, QRect] = {}
    outcome = call.screen.outcome
    widgets: dict[str, QWidget] = {
        "accept": outcome.accept_radio,
        "override": outcome.override_radio,
        "reason": outcome.override_reason,
    }
    for row in outcome.override_rows:
        widgets[row.check.accessibleName()] = row.check
        widgets[row.urgency.accessibleName()] = row.urgency
    for name, widget in widgets.items():
        places[name] = QRect(widget.mapTo(desk.window, QPoint(0, 0)), widget.size())
    return places


def test_recommended_routes_keep_their_urgency_and_an_added_one_has_none_until_chosen(
    desk_for: DeskFactory,
) -> None:
    desk, call = _override_mobility_call(desk_for)
    therapy, own_gp = _row(call, "community_therapy"), _row(call, "own_gp")
    assert therapy.check.isChecked() and therapy.urgency.currentText() == "soon"
    # No route shows an urgency nobody chose.
    for row in call.screen.outcome.override_rows:
        if row is not therapy:
            assert not row.check.isChecked()
            shown = row.urgency.currentText() if row.urgency.isVisible() else None
            assert shown is None, f"{row.route.label} shows {shown!r}"

    # Own GP added by keys: it has no urgency, and says so beside it.
    _tab_to(desk, own_gp.check)
    desk.keys(Qt.Key.Key_Space)
    assert own_gp.check.isChecked()
    assert own_gp.urgency.isVisible() and own_gp.urgency.currentText() == "choose…"
    assert own_gp.note.isVisible() and own_gp.note.text() == "needs an urgency"
    assert [(c.route.value, c.urgency) for c in call.draft.override_routes] == [
        ("community_therapy", "soon"),
        ("own_gp", None),
    ]

    # Community therapy taken off and put back: its recommended urgency again, not another.
    therapy.check.setFocus()
    desk.keys(Qt.Key.Key_Space)
    assert not therapy.check.isChecked() and not therapy.urgency.isVisible()
    desk.keys(Qt.Key.Key_Space)
    assert therapy.check.isChecked() and therapy.urgency.currentText() == "soon"

    # It cannot be saved without an urgency: the save says so, in words, and stores nothing.
    desk.qtbot.keyClicks(call.screen.outcome.override_reason, "Her GP is reviewing her mobility")
    desk.save()
    problem = call.screen.outcome.problem_label
    desk.qtbot.waitUntil(problem.isVisible, timeout=5_000)
    assert problem.text() == "Override: give Own GP an urgency: a route is not saved without one"
    assert desk.stored() == []

    # Tab to its urgency and type the first letter of routine.
    own_gp.check.setFocus()
    desk.keys(Qt.Key.Key_Tab)
    assert own_gp.urgency.hasFocus()
    desk.keys("r")
    assert own_gp.urgency.currentText() == "routine" and not own_gp.note.isVisible()
    contact = saved_one(desk)
    assert contact.final_routes == [
        {"route": "community_therapy", "urgency": "soon"},
        {"route": "own_gp", "urgency": "routine"},
    ]
    assert referrals(desk.database, contact.id) == [
        ("community_therapy", "soon"),
        ("own_gp", "routine"),
    ]


def test_a_problem_appearing_or_going_never_moves_the_grid(desk_for: DeskFactory) -> None:
    desk, call = _override_mobility_call(desk_for)
    outcome = call.screen.outcome
    own_gp = _row(call, "own_gp")
    own_gp.check.setFocus()
    desk.keys(Qt.Key.Key_Space)
    before = _places(desk, call)
    aim = before["Urgency for Own GP"].center()

    desk.save()  # no reason yet
    desk.qtbot.waitUntil(outcome.problem_label.isVisible, timeout=5_000)
    assert outcome.problem_label.text().startswith("Override reason")
    assert _places(desk, call) == before
    # The pointer aimed at Own GP's urgency before the problem showed is still on it.
    assert desk.window.childAt(aim) in (own_gp.urgency, *own_gp.urgency.findChildren(QWidget))

    desk.qtbot.keyClicks(outcome.override_reason, "Her GP is reviewing her mobility")
    assert not outcome.problem_label.isVisible()  # typing clears it
    assert _places(desk, call) == before

    # A long problem scrolls inside its own place; still nothing moves.
    outcome.show_problem("Not saved: " + "a long explanation of what went wrong " * 12)
    assert _places(desk, call) == before


def test_the_grid_fits_at_1366x768_without_a_horizontal_scroll_bar(desk_for: DeskFactory) -> None:
    desk, call = _override_mobility_call(desk_for)
    outcome = call.screen.outcome
    for route in ("own_gp", "vcs"):  # added: each shows its urgency and "needs an urgency"
        _row(call, route).check.setFocus()
        desk.keys(Qt.Key.Key_Space)
    desk.save()
    desk.qtbot.waitUntil(outcome.problem_label.isVisible, timeout=5_000)
    column = next(
        area for area in call.screen.findChildren(QScrollArea) if area.isAncestorOf(outcome)
    )
    assert desk.window.size().width() == 1366
    assert not column.horizontalScrollBar().isVisible()
    viewport = column.viewport()
    right_edge = viewport.mapTo(desk.window, QPoint(viewport.width(), 0)).x()
    for row in outcome.override_rows:
        for widget in (row.check, row.urgency, row.note):
            right = widget.mapTo(desk.window, QPoint(widget.width(), 0)).x()
            assert right <= right_edge, widget.accessibleName()
