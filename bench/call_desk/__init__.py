"""The call desk on a big database (issue 5): finding a person while the handler types, saving a
call, and the GUI staying responsive meanwhile.

The database is generated: 1,000,000 fictional people and 5,000,000 complete contacts by
default (``--people N --contacts M`` to scale down), loaded in bulk into the real schema (made
by the migrations, so the indexes are the real ones). The SQLite file is kept under
``/tmp/spa-desk-bench/`` keyed by the sizes, so a second run reuses it; PostgreSQL (when
``SPA_DESK_TEST_POSTGRES_URL`` is set, as under ``scripts/with-postgres.sh``) is loaded from the
same generator, so both hold the same rows.

Measured on each database:

- search while typing: a handler types names, NHS numbers, phone numbers, postcodes and dates
  of birth of people who exist, one character at a time; every keystroke that searches is one
  ``search_people`` call. Baselines in the same run: a ``SELECT 1`` round trip and a
  primary-key read of one person through the same session factory;
- saving: ``save_call`` of non-data calls, information calls resolved at first contact and
  stream calls a practitioner refers (consent recorded beforehand, outside the timing), and the
  per-second autosave ``save_draft``. Baseline: a one-row UPDATE and its commit;
- the GUI: in a Qt application on a qasync loop, a 5 ms timer probe records the gaps between its
  firings while the same typing and saving run through ``DeskBackend`` on its database thread;
  the baseline is the probe over as long with nothing running. What ran during the longest
  stall is named, and the cost of a full garbage collection (which stalls the GUI whichever
  thread triggers it) is measured as well.

Each database is generated and measured before the next one is loaded, so no measurement shares
the disk with a bulk load's write-back.

Targets: search p95 under 50 ms, save p95 under 20 ms, longest GUI stall under 50 ms.
"""

from bench.call_desk.main import run
from bench.call_desk.settings import CONTACTS, PEOPLE

__all__ = ["CONTACTS", "PEOPLE", "run"]
