"""One simulated desk: a process of its own with its own connections and listener, running the
real services as a call handler or a practitioner would, and reporting what it did and how long
each step took. A database outage (``--restart-db``) is met as the desk meets it: the call stays
in memory and the step is tried again until the database is back."""

from __future__ import annotations

import asyncio
import functools
import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import event, select

from db.models import Person
from spa_desk.access.login import authenticate
from spa_desk.calls.draft import CallDraft, CallerDetails, new_draft, save_draft
from spa_desk.calls.save import prepare_saving, save_call
from spa_desk.calls.screening import answer_next_level1, screening, with_answer
from spa_desk.database import Database, database_errors, open_database
from spa_desk.domain import CurrentUser
from spa_desk.errors import DatabaseFailure, KnownError
from spa_desk.handoff.claims import AlreadyClaimed, claim, record_attempt
from spa_desk.handoff.queue import hand_off, queue
from spa_desk.live.events import LiveEvent, LiveKind
from spa_desk.live.listener import ListenerState, LiveListener
from spa_desk.memory import settle_memory
from spa_desk.people.consent import ConsentGiven
from spa_desk.people.records import open_person
from spa_desk.people.search import search_people
from spa_desk.vocabulary import (
    AttemptResult,
    ConsentBasis,
    HandoffKind,
    HandoffStatus,
    ResolutionMethod,
)
from triage_rules import RuleSet, default_ruleset

T = TypeVar("T")


@dataclass(frozen=True)
class DeskPlan:
    """What one desk does: who logs in, as what, for how long, at what rate."""

    index: int
    url: str
    username: str
    password: str
    practitioner: bool
    until: float
    """Epoch seconds when a handler stops taking new calls."""
    drain_until: float
    """Epoch seconds when a practitioner stops waiting for hand-offs."""
    calls_per_second: float
    talk_seconds: tuple[int, int]
    seed: int
    handoff_share: float = 0.5
    """The share of data calls handed off (the rest are information calls saved at level 1)."""


@dataclass
class DeskReport:
    """What one desk did and how long it took."""

    index: int
    practitioner: bool
    started: list[str] = field(default_factory=list)
    """telephony refs of the calls a handler started."""
    saved: list[str] = field(default_factory=list)
    handed: list[str] = field(default_factory=list)
    wins: list[tuple[str, int]] = field(default_factory=list)
    """(hand-off id, attempts before the claim) for each claim won."""
    refused_claims: int = 0
    autosave_ms: list[float] = field(default_factory=list)
    save_ms: list[float] = field(default_factory=list)
    claim_ms: list[float] = field(default_factory=list)
    search_ms: list[float] = field(default_factory=list)
    heard: list[tuple[str, float]] = field(default_factory=list)
    """(hand-off id, epoch seconds) of each hand-off announcement heard."""
    retries: int = 0
    lost_listening: int = 0
    errors: list[str] = field(default_factory=list)
    statements: dict[Any, list[int]] = field(default_factory=dict)
    """Statements sent by each timed step, keyed by the step's list (named when reported)."""

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class Desk:
    """One desk's work (see the module's words)."""

    def __init__(self, plan: DeskPlan) -> None:
        self.plan = plan
        self.rng = random.Random(plan.seed)
        self.report = DeskReport(plan.index, plan.practitioner)
        self.database: Database = self._retry(lambda: open_database(plan.url, upgrade_schema=False))
        self.user: CurrentUser = self._retry(
            lambda: authenticate(self.database, plan.username, plan.password)
        )
        self.rules: RuleSet = default_ruleset()
        self.names: list[str] = self._retry(self._family_names)
        # As the desk prepares for calls after log-in (DeskCalls.prepare_for_calls).
        self._retry(lambda: prepare_saving(self.database, self.user, self.rules))
        settle_memory()
        self.news = threading.Event()
        self._listener: LiveListener | None = None
        self._count_statements()

    def _family_names(self) -> list[str]:
        """Family names of people on the database, for the handler to type."""
        with self.database.sessions() as session:
            rows = session.scalars(select(Person.family_name).limit(400)).all()
        return [name for name in rows if len(name) >= 4] or ["Smith"]

    # Steps that survive a database outage ------------------------------------------------------

    def _retry(self, step: Callable[[], T]) -> T:
        """Run ``step``; while the database is out of reach, wait and try again."""
        while True:
            try:
                with database_errors(self.plan.url):  # as the desk's backend runs every job
                    return step()
            except DatabaseFailure:
                self.report.retries += 1
                time.sleep(0.5)

    def _timed(self, into: list[float], step: Callable[[], T]) -> T:
        def measured() -> T:
            began, sent = time.perf_counter(), self._statements
            result = step()
            into.append((time.perf_counter() - began) * 1000)
            self.report.statements.setdefault(id(into), []).append(self._statements - sent)
            return result

        return self._retry(measured)

    def _count_statements(self) -> None:
        """Count the statements each step sends (each one a round trip to the server, besides
        the transaction's BEGIN and COMMIT)."""

        def sent(*_: object) -> None:
            self._statements += 1

        self._statements = 0
        event.listen(self.database.engine, "before_cursor_execute", sent)

    def statements_of(self) -> dict[str, list[int]]:
        """The statements each timed step sent, by step."""
        named = {
            id(self.report.autosave_ms): "autosave",
            id(self.report.save_ms): "save",
            id(self.report.claim_ms): "claim",
            id(self.report.search_ms): "search",
        }
        return {named[key]: counts for key, counts in self.report.statements.items()}

    # Listening -----------------------------------------------------------------------------

    def listen(self) -> threading.Thread:
        """The desk's listener on a thread of its own (its own event loop and connection)."""

        def heard(event: LiveEvent) -> None:
            if event.kind is LiveKind.HANDOFF:
                self.report.heard.append((event.id, time.time()))
            if event.kind in (LiveKind.HANDOFF, LiveKind.CLAIM, LiveKind.RESYNC):
                self.news.set()

        def state(now: ListenerState) -> None:
            if not now.listening:
                self.report.lost_listening += 1

        self._listener = LiveListener(self.plan.url, heard, state)

        def run() -> None:
            assert self._listener is not None
            asyncio.run(self._listen_until_done(self._listener))

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread

    async def _listen_until_done(self, listener: LiveListener) -> None:
        task = asyncio.ensure_future(listener.run())
        while time.time() < self.plan.drain_until + 2:
            await asyncio.sleep(0.2)
        listener.stop()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    # A call handler -----------------------------------------------------------------------

    def take_calls(self) -> None:
        """Take calls as they arrive until the run's end."""
        sequence = 0
        next_at = time.time() + self.rng.expovariate(self.plan.calls_per_second)
        while next_at < self.plan.until:
            time.sleep(max(0.0, next_at - time.time()))
            sequence += 1
            try:
                self.one_call(f"bench-{self.plan.index}-{sequence}")
            except KnownError as error:
                self.report.errors.append(type(error).__name__)
            next_at = max(time.time(), next_at) + self.rng.expovariate(self.plan.calls_per_second)

    def _now(self) -> datetime:
        return datetime.now(UTC)

    def _autosave(self, draft: CallDraft) -> None:
        self._timed(
            self.report.autosave_ms,
            lambda: save_draft(self.database, self.user, draft, now=self._now()),
        )

    def _talk(
        self, draft: CallDraft, seconds: int, steps: list[Callable[[CallDraft], CallDraft]]
    ) -> CallDraft:
        """Talk for ``seconds``, one step of the call each second where there is one, the draft
        written every second."""
        for second in range(seconds):
            began = time.time()
            if second < len(steps):
                draft = steps[second](draft)
            self._autosave(draft)
            time.sleep(max(0.0, 1.0 - (time.time() - began)))
        return draft

    def one_call(self, ref: str) -> None:
        """One whole call: search as typed, the record opened with consent, level 1 answered a
        step a second with the draft written every second; then saved at level 1 (an
        information call) or handed off, warm or for a call-back (about half the calls)."""
        number = f"07700900{self.rng.randrange(100, 999)}"
        draft = new_draft(self._now(), caller_number=number, telephony_ref=ref).model_copy(
            update={"caller": CallerDetails(name="Bench Caller", relationship="daughter",
                                            phone=number)}
        )  # fmt: skip
        self.report.started.append(str(draft.contact_id))
        self._autosave(draft)
        name = self.rng.choice(self.names)
        typed = [name[:2], name[:3], name[:4], name]  # searched as it is typed
        found = None
        for text in typed:
            result = self._timed(
                self.report.search_ms,
                functools.partial(search_people, self.database, self.user, text),
            )
            if result.people:
                found = result.people[0]
        if found is not None:
            consent = ConsentGiven(basis=ConsentBasis.GIVEN_BY_REPRESENTATIVE, purpose="Bench")
            self._retry(
                lambda: open_person(
                    self.database, self.user, found.id, consent, contact_id=draft.contact_id
                )
            )
            draft = draft.model_copy(update={"person_id": found.id, "consent_basis": consent.basis})
        handed = self.rng.random() < self.plan.handoff_share and found is not None
        ticked = [self.rng.choice(["fall_recent", "low_mood_or_anxiety", "mobility_decline"])]
        about = ticked if handed else ["information_only"]
        steps = self._level1_steps(about)
        talk = self.rng.randint(*self.plan.talk_seconds)
        draft = self._talk(draft, max(talk, len(steps)), steps)
        if handed:
            kind = HandoffKind.WARM if self.rng.random() < 0.5 else HandoffKind.CALL_BACK
            final = draft
            self._retry(lambda: hand_off(self.database, self.user, final, self.rules, kind,
                                         now=self._now()))  # fmt: skip
            self.report.handed.append(str(draft.contact_id))
            return
        done = draft.model_copy(
            update={
                "ended_at": self._now(),
                "resolve": True,
                "resolution_method": ResolutionMethod.INFORMATION_ADVICE,
            }
        )
        self._save(done)

    def _save(self, draft: CallDraft) -> None:
        try:
            self._timed(
                self.report.save_ms,
                lambda: save_call(self.database, self.user, draft, self.rules, now=self._now()),
            )
        except KnownError as error:
            if "already been saved" not in str(error):
                raise
        self.report.saved.append(str(draft.contact_id))

    def _level1_steps(self, about: list[str]) -> list[Callable[[CallDraft], CallDraft]]:
        script = {"call_kind": "data", "caller_type": "family"}

        def step(draft: CallDraft) -> CallDraft:
            return answer_next_level1(self.rules, draft, about, script) or draft

        return [step] * 8

    def _level2_steps(self) -> list[Callable[[CallDraft], CallDraft]]:
        def step(draft: CallDraft) -> CallDraft:
            asked = screening(self.rules, draft).next_question()
            if asked is None:
                return draft
            fact = asked.question.fact
            empty = fact.empty
            value = sorted(empty) if isinstance(empty, frozenset) else empty
            return draft.model_copy(
                update={"answers": with_answer(self.rules, draft, fact.name, value)}
            )

        return [step] * 30

    # A practitioner -----------------------------------------------------------------------

    def work_the_queue(self) -> None:
        """Claim hand-offs as they come (woken by the listener, looking every few seconds
        anyway) until the run has drained."""
        quiet_after = self.plan.until + self.plan.talk_seconds[1] + 5
        while time.time() < self.plan.drain_until:
            self.news.wait(timeout=3.0)
            self.news.clear()
            while time.time() < self.plan.drain_until:
                waiting = self._retry(
                    lambda: queue(self.database, self.user, streams=self.user.streams,
                                  include_escalated=False)
                )  # fmt: skip
                if not waiting:
                    if time.time() > quiet_after and not self._others_waiting():
                        return
                    break
                item = waiting[0] if self.rng.random() < 0.7 else self.rng.choice(waiting)
                self._try_claim(item.id)

    def _others_waiting(self) -> bool:
        """Whether any hand-off is still waiting or being worked (the run has not drained)."""
        rows = self._retry(
            lambda: queue(self.database, self.user, include_claimed=True, include_escalated=False)
        )
        return bool(rows)

    def _try_claim(self, handoff_id: uuid.UUID) -> None:
        try:
            claimed, draft = self._timed(
                self.report.claim_ms,
                lambda: claim(self.database, self.user, handoff_id, now=self._now()),
            )
        except AlreadyClaimed:
            self.report.refused_claims += 1
            return
        # A claim is keyed by the attempts the row held when it was taken: a call-back tried,
        # put back and claimed again is a new claim; the same key twice is a double claim.
        self.report.wins.append((str(handoff_id), claimed.attempts))
        if claimed.kind is HandoffKind.CALL_BACK:
            result = AttemptResult.NO_ANSWER if self.rng.random() < 0.3 else AttemptResult.REACHED
            after, opened = self._retry(
                lambda: record_attempt(self.database, self.user, handoff_id, result,
                                       now=self._now())
            )  # fmt: skip
            if opened is None or after.status is not HandoffStatus.CLAIMED:
                return
            draft = opened
        talk = self.rng.randint(*self.plan.talk_seconds) // 2
        draft = self._talk(draft, max(talk, 3), self._level2_steps())
        done = draft.model_copy(update={"ended_at": self._now(), "resolve": False})
        try:
            self._save(done)
        except KnownError as error:
            self.report.errors.append(f"practitioner save: {error}"[:200])


def desk_main(plan: DeskPlan, results: Any) -> None:
    """A desk process: work until the run ends, then report."""
    desk = Desk(plan)
    listening = desk.listen()
    try:
        if plan.practitioner:
            desk.work_the_queue()
        else:
            desk.take_calls()
    except Exception as error:
        desk.report.errors.append(f"{type(error).__name__}: {error}"[:300])
    listening.join(timeout=10)
    desk.database.close()
    report = desk.report.as_dict()
    report["statements"] = desk.statements_of()
    results.put(report)
