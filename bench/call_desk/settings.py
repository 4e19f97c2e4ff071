"""The call-desk benchmark's sizes, targets and fixed inputs (seed, cache folder, clock), in
one place so that generating, caching and measuring agree on them."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

PEOPLE = 1_000_000
CONTACTS = 5_000_000
SEARCH_P95_TARGET_MS = 50.0
SAVE_P95_TARGET_MS = 20.0
STALL_TARGET_MS = 50.0
PROBE_INTERVAL_MS = 5

GENERATOR_VERSION = 2
"""Part of the cache key: change it whenever the generated rows change."""
SEED = 2026
CACHE_DIR = Path(tempfile.gettempdir()) / "spa-desk-bench"
END = datetime(2026, 11, 1, tzinfo=UTC)
"""Generated contacts started over the five years before this (fixed, so reruns match)."""
YEARS = 5
CHUNK = 50_000

WARM_UP = ("Zz", "Sam Zz", "Zz, Sam", "999 000", "07700 900000", "ZY9 9", "01/01/1950")
"""Searches made before the timing starts, so each kind of statement is compiled once."""
TYPED_PEOPLE = 64
"""People whose details the handler types in the search benchmark (8 ways of typing)."""
SAVED_CALLS = 300
GUI_CALLS = 60
