"""Run the benchmarks: ``python -m bench [NAME ...]`` (``./dev.sh bench``).

Each benchmark prints its figures and a verdict against its target; results are also written as
JSON to ``bench/results/`` so runs can be compared.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import call_desk, demo_rate, desks, phone, reports, screening, startup, training

BENCHMARKS: dict[str, Callable[[], dict[str, Any]]] = {
    "startup": startup.run,
    "demo-data": demo_rate.run,
    "screening": screening.run,
    "call-desk": call_desk.run,
    "desks": desks.run,
    "reports": reports.run,
    "training": training.run,
    "phone": phone.run,
}
ON_REQUEST = ("desks", "reports", "training", "phone")
"""Benchmarks run only when named (they take minutes; desks needs a PostgreSQL server)."""


def main(argv: list[str] | None = None) -> int:
    """Run the named benchmarks (all by default); exit 1 when one misses its target."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", metavar="NAME", help=", ".join(BENCHMARKS))
    parser.add_argument(
        "--people", type=int, default=call_desk.PEOPLE, help="call-desk: people to generate"
    )
    parser.add_argument(
        "--contacts", type=int, default=call_desk.CONTACTS, help="call-desk: contacts to generate"
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="call-desk: fail unless PostgreSQL is given (SPA_DESK_TEST_POSTGRES_URL)",
    )
    parser.add_argument("--desks", type=int, default=40, help="desks: how many desks")
    parser.add_argument("--minutes", type=float, default=10, help="desks: how long they work")
    parser.add_argument(
        "--restart-db", action="store_true", help="desks: restart PostgreSQL halfway through"
    )
    args = parser.parse_args(argv)
    runners = dict(BENCHMARKS)
    runners["call-desk"] = functools.partial(
        call_desk.run, people=args.people, contacts=args.contacts, require_postgres=args.postgres
    )
    runners["desks"] = functools.partial(
        desks.run, desks=args.desks, minutes=args.minutes, restart_db=args.restart_db
    )
    names = args.names or [name for name in BENCHMARKS if name not in ON_REQUEST]
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {unknown[0]!r}; choose from {', '.join(BENCHMARKS)}")
    results_dir = Path(__file__).parent / "results"
    results_dir.mkdir(exist_ok=True)
    all_met = True
    for name in names:
        print(f"== {name}", flush=True)
        result = runners[name]()
        result["when"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        (results_dir / f"{name}.json").write_text(json.dumps(result, indent=2))
        all_met = all_met and bool(result.get("target_met", True))
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
