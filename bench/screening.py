"""Screening engine speed: decisions per second and p99 latency over the default rule set's cases
and over 100,000 random fact sets, and the time to load and validate the rule file.

The baseline, measured in the same run over the same fact sets, is the hand-coded reading of
SPEC 4 that the tests use as an oracle: what the decision would cost if it were written in code.
Targets: p99 under 0.5 ms a decision, load under 150 ms.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from typing import Any

import yaml

from tests.triage_rules.reference import reference_decision
from triage_rules import evaluate, load_ruleset
from triage_rules.loader import default_ruleset_path
from triage_rules.ruleset import RuleSet

RANDOM_FACT_SETS = 100_000
LOAD_RUNS = 20
P99_TARGET_MS = 0.5
LOAD_TARGET_MS = 150.0


def random_facts(ruleset: RuleSet, rng: random.Random) -> dict[str, Any]:
    """A fact set drawn over the rule set's vocabulary: each fact given with chance 0.2."""
    facts: dict[str, Any] = {}
    for name, spec in ruleset.facts.items():
        if rng.random() >= 0.2:
            continue
        if spec.type == "bool":
            facts[name] = rng.random() < 0.5
        elif spec.type == "integer":
            facts[name] = rng.choice([None, rng.randint(18, 104)])
        elif spec.type == "enum":
            facts[name] = rng.choice(sorted(spec.values))
        else:
            facts[name] = rng.sample(sorted(spec.values), rng.randint(0, 2))
    return facts


def _latencies(
    decide: Callable[[dict[str, Any]], Any], fact_sets: list[dict[str, Any]]
) -> list[int]:
    clock = time.perf_counter_ns
    spent = []
    for facts in fact_sets:
        start = clock()
        decide(facts)
        spent.append(clock() - start)
    return spent


def _summary(name: str, spent: list[int]) -> dict[str, float]:
    ordered = sorted(spent)
    p99 = ordered[int(len(ordered) * 0.99) - 1] / 1e6
    total = sum(spent) / 1e9
    figures = {
        "decisions": len(spent),
        "per_second": round(len(spent) / total),
        "median_ms": round(statistics.median(ordered) / 1e6, 4),
        "p99_ms": round(p99, 4),
    }
    print(
        f"{name:>34}: {figures['per_second']:>9,} decisions/s, median "
        f"{figures['median_ms']:.3f} ms, p99 {figures['p99_ms']:.3f} ms"
    )
    return figures


def run() -> dict[str, Any]:
    """Measure and print the screening figures."""
    path = default_ruleset_path()
    loads = []
    for _ in range(LOAD_RUNS):
        start = time.perf_counter()
        ruleset = load_ruleset(path)
        loads.append((time.perf_counter() - start) * 1000)
    load_ms = statistics.median(loads)
    print(
        f"load and validate {path.name}: median {load_ms:.1f} ms over {LOAD_RUNS} "
        f"(target < {LOAD_TARGET_MS:.0f} ms)"
    )

    cases_file = path.with_name("spa-default.cases.yaml")
    cases = [case["facts"] for case in yaml.safe_load(cases_file.read_text())["cases"]]
    rng = random.Random(2026)
    fact_sets = [random_facts(ruleset, rng) for _ in range(RANDOM_FACT_SETS)]
    case_sets = cases * max(1, 20_000 // len(cases))

    def engine(facts: dict[str, Any]) -> Any:
        return evaluate(ruleset, facts)

    result: dict[str, Any] = {"load_ms": round(load_ms, 1)}
    result["cases_engine"] = _summary(
        f"engine, {len(cases)} cases x{len(case_sets) // len(cases)}", _latencies(engine, case_sets)
    )
    result["random_engine"] = _summary(
        f"engine, {RANDOM_FACT_SETS:,} random fact sets", _latencies(engine, fact_sets)
    )
    result["random_baseline"] = _summary(
        "baseline: SPEC 4 hand-coded, same sets", _latencies(reference_decision, fact_sets)
    )
    worst_p99 = max(result["cases_engine"]["p99_ms"], result["random_engine"]["p99_ms"])
    result["target_met"] = worst_p99 < P99_TARGET_MS and load_ms < LOAD_TARGET_MS
    print(
        f"p99 {worst_p99:.3f} ms (target < {P99_TARGET_MS} ms), load {load_ms:.1f} ms "
        f"(target < {LOAD_TARGET_MS:.0f} ms): {'met' if result['target_met'] else 'MISSED'}"
    )
    return result
