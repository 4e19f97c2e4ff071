"""Facts a rule set reasons over: their types, allowed values and defaults, and the checking of
fact values handed to the evaluator (an unknown name or a wrong type is an error naming the fact).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from triage_rules.conditions import ConditionError

FactType = Literal["bool", "enum", "enum_set", "integer"]


class FactError(ValueError):
    """Fact values that cannot be screened: an unknown fact or a value of the wrong type."""

    def __init__(self, fact: str, problem: str) -> None:
        super().__init__(f"fact {fact!r}: {problem}")
        self.fact = fact
        self.problem = problem


class Choice(BaseModel):
    """One allowed value of an enum or set fact, with the words the desk shows for it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: str
    label: str


class FactSpec(BaseModel):
    """A fact: name, type, allowed values (with labels), default, and a short label for the desk."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: FactType
    label: str
    choices: tuple[Choice, ...] = ()
    default: Any = None

    @model_validator(mode="after")
    def _choices_match_type(self) -> FactSpec:
        if self.type in ("enum", "enum_set") and not self.choices:
            raise ValueError(f"an {self.type} fact needs choices")
        if self.type in ("bool", "integer") and self.choices:
            raise ValueError(f"a {self.type} fact takes no choices")
        values = [choice.value for choice in self.choices]
        if len(set(values)) != len(values):
            raise ValueError("choices must not repeat a value")
        if self.type == "enum" and self.default is not None and self.default not in values:
            raise ValueError(f"default {self.default!r} is not one of the choices")
        if self.type == "bool" and self.default not in (None, False, True):
            raise ValueError("a bool fact's default must be true or false")
        return self

    @property
    def values(self) -> frozenset[str]:
        """The allowed values of an enum or set fact."""
        return frozenset(choice.value for choice in self.choices)

    @property
    def empty(self) -> Any:
        """The value of this fact when it is not given (SPEC 9)."""
        if self.type == "bool":
            return bool(self.default)
        if self.type == "enum_set":
            return frozenset()
        return self.default

    def label_of(self, value: str) -> str:
        """The words for one of this fact's values."""
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return value

    def check_test(self, name: str, test: str, value: Any, path: tuple[str | int, ...]) -> None:
        """Refuse a condition test that does not fit this fact's type, naming the problem."""
        problem = self._test_problem(test, value)
        if problem:
            raise ConditionError(path, f"fact {name!r} ({self.type}): {problem}")

    def _test_problem(self, test: str, value: Any) -> str | None:
        if test == "is":
            if self.type == "enum_set":
                return "use 'has' to test a set"
            if self.type == "bool" and not isinstance(value, bool):
                return f"{value!r} is not true or false"
            if self.type == "enum" and value not in self.values:
                return f"{value!r} is not one of {sorted(self.values)}"
            if self.type == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
                return f"{value!r} is not a whole number"
        elif test == "in":
            if self.type != "enum":
                return "'in' tests an enum fact"
            if not isinstance(value, list) or not value:
                return "'in' needs a non-empty list"
            unknown = [item for item in value if item not in self.values]
            if unknown:
                return f"{unknown[0]!r} is not one of {sorted(self.values)}"
        elif test == "has":
            if self.type != "enum_set":
                return "'has' tests a set fact"
            if value not in self.values:
                return f"{value!r} is not one of {sorted(self.values)}"
        elif self.type != "integer" or isinstance(value, bool) or not isinstance(value, int):
            return f"'{test}' needs an integer fact and a whole number"
        return None

    def coerce(self, value: Any) -> Any:
        """The checked value of this fact; FactError in words when it is of the wrong type.

        Only an integer fact (age) may be null (SPEC 9); a fact that is not known is left out.
        """
        if value is None:
            if self.type == "integer":
                return None
            raise FactError(
                self.name, "null is not allowed (leave the fact out when it is not known)"
            )
        if self.type == "bool":
            if not isinstance(value, bool):
                raise FactError(self.name, f"{value!r} is not true or false")
            return value
        if self.type == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                raise FactError(self.name, f"{value!r} is not a whole number")
            return value
        if self.type == "enum":
            if not isinstance(value, str) or value not in self.values:
                raise FactError(self.name, f"{value!r} is not one of {sorted(self.values)}")
            return value
        if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset)):
            raise FactError(self.name, f"{value!r} is not a list of {sorted(self.values)}")
        unknown = [item for item in value if not isinstance(item, str) or item not in self.values]
        if unknown:
            raise FactError(self.name, f"{unknown[0]!r} is not one of {sorted(self.values)}")
        return frozenset(value)


def complete_facts(specs: Mapping[str, FactSpec], given: Mapping[str, Any]) -> dict[str, Any]:
    """Every fact of the rule set: the given ones checked, the rest at their defaults."""
    if not isinstance(given, Mapping):
        raise FactError("(facts)", "the facts must be a JSON object of fact names and values")
    unknown = [name for name in given if name not in specs]
    if unknown:
        raise FactError(str(unknown[0]), "unknown fact")
    facts = {name: spec.empty for name, spec in specs.items()}
    for name, value in given.items():
        facts[name] = specs[name].coerce(value)
    return facts
