"""Times that are true (issue 11 item 11): wrap-up time stops while the desk is closed, and the
notes refuse more than the record keeps, in words."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from spa_desk.calls.draft import (
    NOTES_LIMIT,
    SEEN_EVERY,
    reopened,
    save_draft,
    seen_in_wrap_up,
    wrap_up_seconds,
)
from spa_desk.calls.save import save_call
from spa_desk.database import Database
from spa_desk.errors import InvalidInput
from spa_desk.interop.contacts_csv import export_contacts
from spa_desk.vocabulary import Role
from tests.spa_desk.calls.helpers import (
    ENDED,
    RULES,
    START,
    contact_row,
    new_draft,
    signed_in,
    snapshot,
)

SILENT = {"call_kind": "silent"}


def test_wrap_up_runs_from_the_end_of_the_call_less_the_time_the_desk_was_closed() -> None:
    talking = new_draft(ended_at=None)
    assert wrap_up_seconds(talking, ENDED) == 0
    assert seen_in_wrap_up(talking, ENDED) is None  # nothing to note while the call goes on
    assert reopened(talking, ENDED + timedelta(hours=1)) == talking

    ended = new_draft()
    assert wrap_up_seconds(ended, ENDED + timedelta(seconds=95)) == 95
    seen = seen_in_wrap_up(ended, ENDED + timedelta(seconds=1))
    assert seen is not None and seen.seen_at == ENDED + timedelta(seconds=1)
    assert seen_in_wrap_up(seen, ENDED + SEEN_EVERY) is None  # not yet due again
    assert seen_in_wrap_up(seen, ENDED + SEEN_EVERY + timedelta(seconds=1)) is not None

    # The desk last had the call open 2 minutes into wrap-up; it opened again an hour later.
    last_open = ended.model_copy(update={"seen_at": ENDED + timedelta(minutes=2)})
    back = reopened(last_open, ENDED + timedelta(hours=1, minutes=2))
    assert back.wrap_up_paused_seconds == 3600
    assert wrap_up_seconds(back, ENDED + timedelta(hours=1, minutes=3)) == 180
    # Closed a second time: both absences are left out.
    again = reopened(
        back.model_copy(update={"seen_at": ENDED + timedelta(hours=1, minutes=4)}),
        ENDED + timedelta(hours=3, minutes=4),
    )
    assert again.wrap_up_paused_seconds == 3600 + 7200
    assert wrap_up_seconds(again, ENDED + timedelta(hours=3, minutes=5)) == 5 * 60


def test_the_saved_wrap_up_time_leaves_out_the_time_the_desk_was_closed(
    database: Database,
) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    draft = new_draft(answers=SILENT, seen_at=ENDED + timedelta(seconds=40))
    save_draft(database, handler, draft, now=ENDED)
    later = ENDED + timedelta(hours=2, seconds=40)  # the desk was down for two hours
    back = reopened(draft, later)
    saved = save_call(database, handler, back, RULES, now=later + timedelta(seconds=20))
    contact = contact_row(database, draft.contact_id)
    assert saved.wrap_seconds == contact.wrap_up_seconds == 60
    assert contact.wrap_up_ended_at == later + timedelta(seconds=20)  # when it was saved
    out = io.StringIO()
    export_contacts(database, date(2026, 3, 2), date(2026, 3, 2), out)
    [row] = csv.DictReader(io.StringIO(out.getvalue()))
    assert row["wrap_seconds"] == "60"


def test_notes_hold_at_most_ten_thousand_characters(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    longest = "a" * NOTES_LIMIT
    draft = new_draft(answers=SILENT, notes=longest + "b")
    save_draft(database, handler, draft, now=START)
    before = snapshot(database)
    with pytest.raises(
        InvalidInput,
        match=r"^Notes: 10,001 characters is more than the 10,000 the record keeps: shorten "
        r"them by 1$",
    ):
        save_call(database, handler, draft, RULES, now=ENDED)
    assert snapshot(database) == before
    save_call(database, handler, draft.model_copy(update={"notes": longest}), RULES, now=ENDED)
    assert contact_row(database, draft.contact_id).notes == longest
