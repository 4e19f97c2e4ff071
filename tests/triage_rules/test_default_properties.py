"""Properties of the shipped default rule set over random fact objects in the SPEC 9 vocabulary.

The engine must decide every fact set as the independent oracle (``reference``) reads SPEC 4, and
a few safety properties are checked on their own so a failure says plainly what went wrong.
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from random import Random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.triage_rules.reference import (
    ALL_FACTS,
    BOOL_FACTS,
    ENUM_FACTS,
    INTEGER_FACTS,
    SET_FACTS,
    reference_decision,
)
from triage_rules import Decision, FactError, default_ruleset, evaluate

RULESET = default_ruleset()
PROPERTY = settings(max_examples=400, deadline=None)

SPEC_10_KEYS = {"level1", "stream", "routes", "resolvable_at_first_contact", "trace", "ruleset"}
ROUTES_NEEDING_REFERRAL = {
    "adult_social_care", "community_nursing", "safeguarding", "crisis_response", "hospice_eol",
    "emergency_999", "nhs_111",
}  # fmt: skip


def value_of(name: str) -> st.SearchStrategy[Any]:
    """A value of the right type for fact ``name``."""
    if name in BOOL_FACTS:
        return st.booleans()
    if name in SET_FACTS:
        return st.lists(st.sampled_from(sorted(SET_FACTS[name])), unique=True)
    if name == "call_kind":
        # Half data calls, or most examples would end at level 1.
        return st.one_of(st.just("data"), st.sampled_from(sorted(ENUM_FACTS[name])))
    if name in ENUM_FACTS:
        return st.sampled_from(sorted(ENUM_FACTS[name]))
    assert name in INTEGER_FACTS
    return st.one_of(st.none(), st.integers(min_value=0, max_value=120))


def wrong_value_of(name: str) -> st.SearchStrategy[Any]:
    """A value of the wrong type (or outside the allowed values) for fact ``name``.

    JSON may put an array or an object anywhere, so those are wrong values for every fact.
    """
    words = st.text(min_size=1, max_size=12)
    objects = st.dictionaries(words, st.integers(), max_size=2)
    if name in BOOL_FACTS:
        return st.one_of(st.integers(), words, st.lists(st.booleans(), min_size=1), objects)
    if name in SET_FACTS:
        members = sorted(SET_FACTS[name])
        return st.one_of(
            st.sampled_from(members),  # a bare string, not a list
            st.booleans(),
            st.integers(),
            st.lists(words.filter(lambda w: w not in members), min_size=1, max_size=3),
            st.lists(st.integers(), min_size=1, max_size=3),
            st.lists(st.lists(st.sampled_from(members), max_size=2), min_size=1, max_size=2),
            st.lists(objects, min_size=1, max_size=2),
            objects,
        )
    if name in ENUM_FACTS:
        return st.one_of(
            words.filter(lambda w: w not in ENUM_FACTS[name]),
            st.booleans(),
            st.integers(),
            st.lists(st.sampled_from(sorted(ENUM_FACTS[name])), min_size=1, max_size=2),
            objects,
        )
    assert name in INTEGER_FACTS
    return st.one_of(
        st.booleans(),
        words,
        st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not x.is_integer()),
        st.lists(st.integers(), min_size=1, max_size=2),
        objects,
    )


facts = st.fixed_dictionaries({}, optional={name: value_of(name) for name in sorted(ALL_FACTS)})
"""Any subset of the SPEC 9 facts, each with a random value of the right type."""

data_call_facts = facts.map(lambda f: {**f, "call_kind": "data"})


def decide(given_facts: Mapping[str, Any]) -> Decision:
    return evaluate(RULESET, given_facts)


def as_tuple(decision: Decision) -> tuple[str, str | None, list[tuple[str, str | None]], bool]:
    return (
        decision.level1,
        decision.stream,
        [(r.route, r.urgency) for r in decision.routes],
        decision.resolvable_at_first_contact,
    )


@PROPERTY
@given(facts)
def test_engine_decides_as_the_oracle_reads_spec_section_4(f: dict[str, Any]) -> None:
    assert as_tuple(decide(f)) == reference_decision(f)


@PROPERTY
@given(data_call_facts, st.sampled_from(["risk_to_life", "fall_with_serious_injury"]))
def test_risk_to_life_goes_to_999_and_nothing_else_but_safeguarding(
    f: dict[str, Any], trigger: str
) -> None:
    if trigger == "risk_to_life":
        f = {**f, "risk_to_life": True}
    else:
        f = {**f, "fall_recent": True, "serious_injury": True}
    decision = decide(f)
    assert decision.level1 == "emergency"
    assert decision.stream is None
    routes = [(r.route, r.urgency) for r in decision.routes]
    assert routes[0] == ("emergency_999", "emergency")
    if f.get("abuse_or_neglect"):
        assert [route for route, _ in routes] == ["emergency_999", "safeguarding"]
    else:
        assert routes == [("emergency_999", "emergency")]
    assert decision.resolvable_at_first_contact is False


@PROPERTY
@given(data_call_facts)
def test_abuse_or_neglect_on_a_data_call_always_raises_safeguarding(f: dict[str, Any]) -> None:
    decision = decide({**f, "abuse_or_neglect": True})
    safeguarding = [r for r in decision.routes if r.route == "safeguarding"]
    assert len(safeguarding) == 1
    assert safeguarding[0].urgency in ("urgent", "soon")
    assert decision.resolvable_at_first_contact is False


@PROPERTY
@given(facts)
def test_a_decision_never_both_resolves_and_refers(f: dict[str, Any]) -> None:
    decision = decide(f)
    names = [r.route for r in decision.routes]
    assert len(names) == len(set(names))
    if "resolved" in names:
        assert names == ["resolved"]
        assert decision.routes[0].urgency is None
        assert decision.resolvable_at_first_contact is True
    urgencies = {r.urgency for r in decision.routes}
    if urgencies & {"emergency", "urgent"} or set(names) & ROUTES_NEEDING_REFERRAL:
        assert decision.resolvable_at_first_contact is False
    if decision.level1 == "stream":
        assert decision.stream is not None
        assert decision.routes
    else:
        assert decision.stream is None


@PROPERTY
@given(facts, st.randoms(use_true_random=False))
def test_same_facts_give_the_identical_decision(f: dict[str, Any], rng: Random) -> None:
    first = decide(f)
    assert decide(f) == first
    shuffled_names = list(f)
    rng.shuffle(shuffled_names)
    shuffled = {name: f[name] for name in shuffled_names}
    reversed_order = {name: f[name] for name in reversed(list(f))}
    for reordered in (shuffled, reversed_order):
        again = decide(reordered)
        assert again == first
        assert again.as_json() == first.as_json()


@PROPERTY
@given(facts)
def test_every_decision_explains_itself_in_sentences(f: dict[str, Any]) -> None:
    decision = decide(f)
    assert decision.trace
    for entry in decision.trace:
        assert isinstance(entry.rule, str)
        assert entry.rule.strip()
        assert isinstance(entry.reason, str)
        reason = entry.reason.strip()
        assert len(reason.split()) >= 3, entry
        assert reason[0].isupper(), entry
        assert reason[-1] in ".!?", entry


@PROPERTY
@given(facts)
def test_as_json_has_exactly_the_spec_section_10_shape(f: dict[str, Any]) -> None:
    decision = decide(f)
    document = decision.as_json()
    assert set(document) == SPEC_10_KEYS
    assert json.loads(json.dumps(document)) == document
    assert document["level1"] == decision.level1
    assert document["stream"] == decision.stream
    assert document["routes"] == [{"route": r.route, "urgency": r.urgency} for r in decision.routes]
    assert document["resolvable_at_first_contact"] is decision.resolvable_at_first_contact
    assert document["trace"] == [{"rule": t.rule, "reason": t.reason} for t in decision.trace]
    assert set(document["ruleset"]) == {"id", "version", "sha256"}
    assert document["ruleset"]["id"] == "spa-default"


unknown_names = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=20).filter(
    lambda name: name not in ALL_FACTS
)


@PROPERTY
@given(facts, unknown_names, st.one_of(st.booleans(), st.integers(), st.text(), st.none()))
def test_an_unknown_fact_is_refused_by_name(f: dict[str, Any], name: str, value: Any) -> None:
    with pytest.raises(FactError) as refused:
        decide({**f, name: value})
    assert repr(name) in str(refused.value)


@PROPERTY
@given(st.data())
def test_a_value_of_the_wrong_type_is_refused_naming_the_fact(data: st.DataObject) -> None:
    f = data.draw(facts)
    name = data.draw(st.sampled_from(sorted(ALL_FACTS)))
    value = data.draw(wrong_value_of(name))
    with pytest.raises(FactError) as refused:
        decide({**f, name: value})
    assert repr(name) in str(refused.value)


@pytest.mark.parametrize("name", sorted(ALL_FACTS - INTEGER_FACTS))
def test_null_is_refused_for_every_fact_but_age(name: str) -> None:
    """SPEC 9 allows null only for age; a fact that is not given is simply left out."""
    with pytest.raises(FactError) as refused:
        decide({name: None})
    assert repr(name) in str(refused.value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("call_kind", ["data"]),
        ("line", {"queue": "general"}),
        ("caller_type", []),
        ("nursing_need", "wound"),
        ("nursing_need", [["wound"]]),
        ("practical_or_financial", [{"kind": "debt"}]),
        ("practical_or_financial", {"debt": True}),
        ("isolation", []),
        ("isolation", 1),
        ("age", {"years": 80}),
        ("age", "80"),
        ("age", True),
    ],
    ids=repr,
)
def test_json_arrays_objects_and_strings_in_the_wrong_place_are_refused(
    name: str, value: Any
) -> None:
    with pytest.raises(FactError) as refused:
        decide({name: value})
    assert repr(name) in str(refused.value)


def test_fact_error_is_a_value_error() -> None:
    assert issubclass(FactError, ValueError)
