"""Many desks, one SPA (issue 12): ``python -m bench desks --desks 40 --minutes 10
[--restart-db]`` on the PostgreSQL server ``SPA_DESK_DATABASE_URL`` names (``./dev.sh bench desks``
starts one). Each desk is a process of its own with its own connections and its own listener,
running the real services: whole calls with an autosave every second, person searches as a
handler types, about half the data calls handed off, claims and call-backs, at ten times the
reference SPA's peak hour. It prints JSON: calls completed, contacts stored, lost, duplicated,
double claims (all three must be 0), notification latency p50/p95/p99 (target p95 < 250 ms),
autosave p95 and the final save's p95 (each < 20 ms) and claim p95, beside one desk alone
measured in the same run.
"""

from bench.desks.main import run

__all__ = ["run"]
