"""The decision and outcome column of a call (SPEC 2 steps 6-8): accept or override, resolve or
refer (only what the routes allow), the service signposted to, service gaps and notes.

An override starts from the recommendation. A route ticked later takes its recommended urgency
when the rules recommended it, and none at all when it is added (the practitioner chooses one;
until then the grid says it is needed and the save refuses it): no route is ever given an
urgency nobody chose."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QButtonGroup, QWidget

from spa_desk.calls.draft import GAP_REASONS, GapNote
from spa_desk.calls.screening import chosen_routes, decision_routes, resolvable, screening
from spa_desk.directory.services import ServiceEntry, list_services
from spa_desk.domain import RouteChoice
from spa_desk.errors import KnownError
from spa_desk.permissions import Action, allowed
from spa_desk.rules.screening import ScreeningSession
from spa_desk.vocabulary import Level1, ResolutionMethod, Route, Urgency
from ui.call.outcome_view import select_data

if TYPE_CHECKING:
    from ui.call.context import CallContext
    from ui.call.outcome_view import OutcomeView


def _with_urgencies(
    chosen: list[tuple[Route, Urgency | None]],
    before: tuple[RouteChoice, ...],
    recommended: tuple[RouteChoice, ...],
) -> tuple[RouteChoice, ...]:
    """The routes ticked, each with the urgency shown; a route ticked just now (not chosen
    ``before``) that shows none takes its recommended urgency, or none when it was not
    recommended."""
    was_chosen = {choice.route for choice in before}
    suggested = {choice.route: choice.urgency for choice in recommended}
    return tuple(
        RouteChoice(
            route=route,
            urgency=urgency if urgency is not None or route in was_chosen else suggested.get(route),
        )
        for route, urgency in chosen
    )


def set_group(group: QButtonGroup, checked: QWidget | None) -> None:
    """Check one button of an exclusive group (or none), without signalling."""
    group.setExclusive(False)
    for button in group.buttons():
        button.blockSignals(True)
        button.setChecked(button is checked)
        button.blockSignals(False)
    group.setExclusive(True)


class OutcomeEditor(QObject):
    """Keeps the outcome column and the draft in step, for one call."""

    def __init__(self, call: CallContext, view: OutcomeView) -> None:
        super().__init__(view)
        self.call = call
        self.view = view
        self.services: list[ServiceEntry] = []
        self.view.changed.connect(self.edited)
        self.view.gap_add.clicked.connect(self.add_gap)
        self.view.gap_need.returnPressed.connect(self.add_gap)
        for value, words in GAP_REASONS.items():
            self.view.gap_reason.addItem(words, value)

    async def load_services(self) -> None:
        try:
            self.services = await self.call.backend.run(list_services, self.call.user)
        except KnownError:
            return
        combo = self.view.service_combo
        for service in self.services:
            combo.addItem(f"{service.name} ({service.route.label})", str(service.id))
        select_data(combo, str(self.call.draft.signposted_service_id or "") or None)

    def show(self, level1: str, session: ScreeningSession, *, complete: bool) -> None:
        view = self.view
        draft = self.call.draft
        non_data = level1 == Level1.NON_DATA.value
        emergency = level1 == Level1.EMERGENCY.value and not draft.override
        view.decision_box.setVisible(not non_data)
        view.outcome_box.setVisible(not non_data and not emergency)
        view.outcome_box.setEnabled(complete)
        view.gap_box.setEnabled(not non_data)
        may_override = allowed(self.call.user, Action.OVERRIDE)
        view.override_radio.setEnabled(may_override)
        view.override_radio.setToolTip(
            "" if may_override else "Only a practitioner may override the recommendation."
        )
        set_group(view.decision_group, view.override_radio if draft.override else view.accept_radio)
        view.override_box.setVisible(draft.override)
        if draft.override:
            view.set_overrides({c.route: c.urgency for c in draft.override_routes})
        if view.override_reason.text() != draft.override_reason:
            view.override_reason.setText(draft.override_reason)
        final = chosen_routes(draft, session)
        may_resolve = resolvable(self.call.ruleset, level1, final)
        view.resolve_radio.setEnabled(may_resolve)
        view.resolve_radio.setToolTip(
            ""
            if may_resolve
            else "These routes need a referral: urgent, safeguarding or a service."
        )
        checked = None
        if draft.resolve is not None:
            checked = view.resolve_radio if draft.resolve else view.refer_radio
        set_group(view.outcome_group, checked)
        view.resolve_box.setVisible(draft.resolve is True)
        select_data(
            view.method_combo, draft.resolution_method.value if draft.resolution_method else None
        )
        select_data(
            view.service_combo,
            str(draft.signposted_service_id) if draft.signposted_service_id else None,
        )
        view.gap_list.clear()
        for gap in draft.gaps:
            service = f" ({gap.service_requested})" if gap.service_requested else ""
            view.gap_list.addItem(f"{gap.need}{service}: {GAP_REASONS.get(gap.reason, gap.reason)}")
        if non_data:
            view.summary_label.setText("Non-data call: no person record. Ctrl+S closes it.")
        elif emergency:
            routes = ", ".join(c.route.label for c in final)
            view.summary_label.setText(f"Emergency: saved as sent to {routes}.")
        elif not complete:
            view.summary_label.setText("Screening in progress: the outcome opens when it is done.")
        elif not may_resolve:
            view.summary_label.setText("Refer to the routes (cannot be resolved at first contact).")
        else:
            view.summary_label.setText("Can be resolved now, or referred.")

    def edited(self) -> None:
        if self.call.updating:
            return
        view = self.view
        override = view.override_radio.isChecked()
        routes: tuple[RouteChoice, ...] = self.call.draft.override_routes
        if override:
            chosen = view.chosen_overrides()
            recommended = decision_routes(screening(self.call.ruleset, self.call.draft).decision())
            if not self.call.draft.override and not chosen:  # start from the recommendation
                routes = tuple(r for r in recommended if r.route is not Route.RESOLVED)
            else:
                routes = _with_urgencies(chosen, self.call.draft.override_routes, recommended)
        resolve: bool | None = None
        if view.resolve_radio.isChecked():
            resolve = True
        elif view.refer_radio.isChecked():
            resolve = False
        method = view.method_combo.currentData()
        service = view.service_combo.currentData()
        self.call.update(
            override=override,
            override_routes=routes,
            override_reason=view.override_reason.text(),
            resolve=resolve,
            resolution_method=ResolutionMethod(method) if method else None,
            signposted_service_id=uuid.UUID(service) if service else None,
            notes=view.notes.toPlainText(),
        )
        view.show_problem(None)

    def add_gap(self) -> None:
        view = self.view
        need = view.gap_need.text().strip()
        if not need:
            view.show_problem("Service gap: say what was needed.")
            view.gap_need.setFocus()
            return
        gap = GapNote(need=need, reason=str(view.gap_reason.currentData()))
        view.gap_need.clear()
        self.call.update(gaps=(*self.call.draft.gaps, gap))
