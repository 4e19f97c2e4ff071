"""A desk's memory, settled once it has loaded what it works with (SPEC 8: quick under a
caller's pressure)."""

from __future__ import annotations

import gc


def settle_memory() -> None:
    """Collect once, then freeze what is loaded (libraries, services, rules) out of the
    garbage collector's sight. A full collection of the desk's ~90,000 long-lived objects takes
    about 50 ms and holds the GIL on whichever thread starts it: the GUI would freeze for that
    long in the middle of a search, and a save would wait as long. ``bench/call_desk/``
    measures it; every desk does it after log-in, the simulated desks of ``bench/desks/`` too."""
    gc.collect()
    gc.freeze()
