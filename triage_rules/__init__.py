"""The two-level screening engine and the rule sets it runs (rule files are data).

Pure Python with no I/O during evaluation; knows nothing of the database or the desk.
"""

from triage_rules.evaluator import Decision, FactError, RouteDecision, TraceEntry, evaluate
from triage_rules.facts import FactSpec
from triage_rules.loader import RuleSetError, default_ruleset, load_ruleset, load_ruleset_text
from triage_rules.ruleset import RuleSet

__all__ = [
    "Decision",
    "FactError",
    "FactSpec",
    "RouteDecision",
    "RuleSet",
    "RuleSetError",
    "TraceEntry",
    "default_ruleset",
    "evaluate",
    "load_ruleset",
    "load_ruleset_text",
]
