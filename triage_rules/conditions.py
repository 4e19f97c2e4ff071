"""Conditions over facts: parsed from the rule file, compiled to fast predicates, and checked for
contradictions (a rule whose condition can never hold can never fire).

In the file a condition is one of::

    {fact: NAME}                      the fact is set (true, a non-empty set, a number)
    {fact: NAME, is: VALUE}           the fact equals VALUE (enum, bool or integer)
    {fact: NAME, in: [V1, V2]}        the enum fact is one of these
    {fact: NAME, has: VALUE}          the set fact contains VALUE
    {fact: NAME, at_least: N}         the integer fact is N or more
    {fact: NAME, below: N}            the integer fact is less than N
    {any_fact_in: GROUP}              any fact of a named group is set
    {nothing_at_level2: true}         no level-2 rule applies
    {all: [C, ...]}, {any: [C, ...]}, {not: C}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import product
from typing import Any

Facts = Mapping[str, Any]
Predicate = Callable[[Facts, "Context"], bool]

FACT_TESTS = ("is", "in", "has", "at_least", "below")
MAX_TERMS = 4096


class Context:
    """What a condition may need beyond the facts: whether level 2 has anything to say."""

    __slots__ = ("level2_routes",)

    def __init__(self) -> None:
        self.level2_routes = False


@dataclass(frozen=True)
class Literal:
    """One test on one fact (or on level 2), maybe negated: the unit of the contradiction check."""

    fact: str
    test: str  # "set", "is", "in", "has", "at_least", "below", "level2"
    value: Any
    positive: bool


@dataclass(frozen=True)
class Condition:
    """A parsed condition: its predicate, the facts it reads, and its disjunctive normal form."""

    predicate: Predicate
    facts: frozenset[str]
    terms: tuple[tuple[Literal, ...], ...] | None  # None: too large to expand

    def __call__(self, facts: Facts, context: Context) -> bool:
        return self.predicate(facts, context)

    @property
    def satisfiable(self) -> bool:
        """False when the condition can never hold, whatever the facts."""
        if self.terms is None:
            return True
        return any(_consistent(term) for term in self.terms)


class ConditionError(ValueError):
    """A condition written wrongly; ``path`` says where inside the condition."""

    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.path = path


ALWAYS = Condition(lambda _f, _c: True, frozenset(), ((),))


def parse_condition(
    raw: Any,
    fact_types: Mapping[str, Any],
    groups: Mapping[str, tuple[str, ...]],
    path: tuple[str | int, ...] = (),
) -> Condition:
    """Parse and compile ``raw``; ConditionError names the problem and where it is."""
    if not isinstance(raw, Mapping) or not raw:
        raise ConditionError(path, "a condition must be a mapping such as {fact: NAME}")
    keys = set(raw)
    if "fact" in keys:
        return _fact_condition(raw, fact_types, path)
    if len(keys) != 1:
        raise ConditionError(
            path, f"a condition needs one of all, any, not, any_fact_in, fact: got {sorted(keys)}"
        )
    (key,) = keys
    value = raw[key]
    if key in ("all", "any"):
        if not isinstance(value, list) or not value:
            raise ConditionError((*path, key), f"'{key}' needs a non-empty list of conditions")
        parts = [
            parse_condition(item, fact_types, groups, (*path, key, index))
            for index, item in enumerate(value)
        ]
        return _combine(key, parts)
    if key == "not":
        inner = parse_condition(value, fact_types, groups, (*path, "not"))
        return Condition(
            lambda f, c: not inner.predicate(f, c), inner.facts, _negate_terms(inner.terms)
        )
    if key == "any_fact_in":
        if value not in groups:
            raise ConditionError((*path, key), f"unknown fact group {value!r}")
        parts = [
            _fact_condition({"fact": name}, fact_types, (*path, key)) for name in groups[value]
        ]
        return _combine("any", parts)
    if key == "nothing_at_level2":
        if value is not True:
            raise ConditionError((*path, key), "'nothing_at_level2' takes the value true")
        literal = Literal("", "level2", None, False)
        return Condition(lambda _f, c: not c.level2_routes, frozenset(), ((literal,),))
    raise ConditionError((*path, key), f"unknown condition {key!r}")


def _fact_condition(
    raw: Mapping[str, Any], fact_types: Mapping[str, Any], path: tuple[str | int, ...]
) -> Condition:
    name = raw["fact"]
    if not isinstance(name, str) or name not in fact_types:
        raise ConditionError((*path, "fact"), f"unknown fact {name!r}")
    spec = fact_types[name]
    tests = [key for key in raw if key != "fact"]
    unknown = [key for key in tests if key not in FACT_TESTS]
    if unknown:
        raise ConditionError((*path, unknown[0]), f"unknown test {unknown[0]!r} on fact {name!r}")
    if len(tests) > 1:
        raise ConditionError(path, f"one test per condition, got {', '.join(tests)}")
    if not tests:
        literal = Literal(name, "set", None, True)
        return Condition(lambda f, _c: bool(f[name]), frozenset({name}), ((literal,),))
    test = tests[0]
    value = raw[test]
    spec.check_test(name, test, value, (*path, test))
    literal = Literal(name, test, tuple(value) if test == "in" else value, True)
    predicate: Predicate
    if test == "is":
        predicate = lambda f, _c: f[name] == value  # noqa: E731
    elif test == "in":
        allowed = frozenset(value)
        predicate = lambda f, _c: f[name] in allowed  # noqa: E731
    elif test == "has":
        predicate = lambda f, _c: value in f[name]  # noqa: E731
    elif test == "at_least":
        predicate = lambda f, _c: f[name] is not None and f[name] >= value  # noqa: E731
    else:
        predicate = lambda f, _c: f[name] is not None and f[name] < value  # noqa: E731
    return Condition(predicate, frozenset({name}), ((literal,),))


def _combine(kind: str, parts: list[Condition]) -> Condition:
    predicates = tuple(part.predicate for part in parts)
    facts = frozenset().union(*(part.facts for part in parts))
    if kind == "all":
        predicate: Predicate = lambda f, c: all(p(f, c) for p in predicates)  # noqa: E731
        terms = _and_terms([part.terms for part in parts])
    else:
        predicate = lambda f, c: any(p(f, c) for p in predicates)  # noqa: E731
        terms = _or_terms([part.terms for part in parts])
    return Condition(predicate, facts, terms)


Terms = tuple[tuple[Literal, ...], ...] | None


def _or_terms(parts: list[Terms]) -> Terms:
    if any(part is None for part in parts):
        return None
    joined = tuple(term for part in parts if part is not None for term in part)
    return joined if len(joined) <= MAX_TERMS else None


def _and_terms(parts: list[Terms]) -> Terms:
    if any(part is None for part in parts):
        return None
    size = 1
    for part in parts:
        assert part is not None
        size *= len(part)
        if size > MAX_TERMS:
            return None
    return tuple(
        tuple(literal for term in combination for literal in term)
        for combination in product(*(part for part in parts if part is not None))
    )


def _negate_terms(terms: Terms) -> Terms:
    if terms is None:
        return None
    # not (t1 or t2 ...) = (not t1) and (not t2) ...; not (a and b) = (not a) or (not b)
    negated = [
        tuple((Literal(lit.fact, lit.test, lit.value, not lit.positive),) for lit in term)
        for term in terms
    ]
    return _and_terms(list(negated))


def _consistent(term: tuple[Literal, ...]) -> bool:
    """Whether a conjunction of literals can hold: no fact asked to be two things at once."""
    by_fact: dict[str, list[Literal]] = {}
    for literal in term:
        by_fact.setdefault(literal.fact, []).append(literal)
    return all(_fact_consistent(literals) for literals in by_fact.values())


def _fact_consistent(literals: list[Literal]) -> bool:
    seen = {(lit.test, _hashable(lit.value), lit.positive) for lit in literals}
    for test, value, positive in seen:
        if (test, value, not positive) in seen:
            return False
    equal = {lit.value for lit in literals if lit.test == "is" and lit.positive}
    if len(equal) > 1:
        return False
    for lit in literals:
        if lit.test == "in" and lit.positive and equal and not equal & set(lit.value):
            return False
        if lit.test == "in" and not lit.positive and equal and equal <= set(lit.value):
            return False
    unset = any(lit.test == "set" and not lit.positive for lit in literals)
    if unset and any(lit.test == "has" and lit.positive for lit in literals):
        return False
    if unset and any(lit.test in ("at_least", "below") and lit.positive for lit in literals):
        return False
    lows = [lit.value for lit in literals if lit.test == "at_least" and lit.positive]
    highs = [lit.value for lit in literals if lit.test == "below" and lit.positive]
    return not (lows and highs and max(lows) >= min(highs))


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
