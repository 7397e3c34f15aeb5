"""Plausible ranges: every ASSUMPTION has one (or says why not), and each is sound."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from models import MODELS, get_spec
from sim.assumptions import assumptions, range_problems
from sim.distributions import Distribution
from sim.parameters import Plausible, describe, param

CUSTOMS = ("bonded", "returns", "mail")


@dataclass(frozen=True)
class Inner:
    handling_h: Distribution = param(Distribution("lognormal", mean=2.0, cv=0.5), unit="h",
                                     provenance="ASSUMPTION: test", doc="handling time; per parcel",
                                     plausible=Plausible(1.0, 4.0, "test"))


@dataclass(frozen=True)
class Sound:
    share: float = param(0.05, unit="share", low=0.0, high=1.0, provenance="ASSUMPTION: test",
                         doc="stock-out share", plausible=Plausible(0.0, 0.1, "test"))
    trucks: int = param(4, low=1, provenance="ASSUMPTION: test", doc="trucks",
                        plausible=Plausible(2, 6, "test"))
    switch: bool = param(False, provenance="ASSUMPTION: test", plausible=Plausible(exempt="defines the scenario"))
    sourced: float = param(1.0, provenance="a public source")
    inner: Inner = param(Inner())


@dataclass(frozen=True)
class Faulty:
    unranged: float = param(1.0, provenance="ASSUMPTION: test")
    outside: float = param(0.5, provenance="ASSUMPTION: test", plausible=Plausible(0.6, 0.9, "test"))
    mean_outside: Distribution = param(Distribution("exponential", mean=5.0), provenance="ASSUMPTION: test",
                                       plausible=Plausible(1.0, 2.0, "test"))
    beyond: float = param(0.5, low=0.0, high=1.0, provenance="ASSUMPTION: test",
                          plausible=Plausible(0.2, 1.5, "test"))
    text: str = param("a", provenance="ASSUMPTION: test", plausible=Plausible(0.0, 1.0, "test"))
    # a percent where a fraction belongs
    percent: float = param(5.0, unit="share", provenance="ASSUMPTION: test", plausible=Plausible(2.0, 10.0, "test"))


def test_sound_ranges_are_listed_with_label_unit_and_default() -> None:
    assert range_problems(Sound) == []
    found = {a.path: a for a in assumptions(Sound)}
    assert set(found) == {"params.share", "params.trucks", "params.inner.handling_h"}
    assert found["params.share"].label == "stock-out share" and found["params.share"].unit == "share"
    assert found["params.trucks"].integer and not found["params.trucks"].distribution
    handling = found["params.inner.handling_h"]
    assert handling.distribution and handling.default == 2.0 and handling.label == "handling time"


def test_each_faulty_declaration_is_one_line_naming_its_key() -> None:
    problems = range_problems(Faulty)
    assert len(problems) == 6
    assert problems[0].startswith("params.unranged: an ASSUMPTION needs a plausible range")
    assert problems[1] == "params.outside: default 0.5 lies outside its plausible range 0.6 – 0.9"
    assert problems[2] == "params.mean_outside: default mean 5 lies outside its plausible range 1 – 2"
    assert problems[3].startswith("params.beyond: plausible range 0.2 – 1.5 leaves the allowed range")
    assert problems[4].startswith("params.text: a plausible range needs a number or a distribution")
    assert problems[5] == "params.percent: plausible range 2 – 10 leaves the allowed range [0.0, 1.0]"


def test_a_range_must_run_from_low_to_high_and_give_a_reason() -> None:
    with pytest.raises(ValueError, match="low 2.0 > high 1.0"):
        Plausible(2.0, 1.0, "reason")
    with pytest.raises(ValueError, match="reason"):
        Plausible(0.0, 1.0)


def test_describe_shows_the_range() -> None:
    rows = {row.key: row.plausible for row in describe(Sound)}
    assert rows["params.share"] == "0 – 0.1: test"
    assert rows["params.switch"] == "exempt: defines the scenario"


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_assumption_of_every_model_has_a_sound_range_or_an_exemption(name: str,
                                                                           request: pytest.FixtureRequest) -> None:
    params = get_spec(name).params_type
    problems = range_problems(params)
    if name in CUSTOMS and problems:
        request.applymarker(pytest.mark.xfail(reason="ranges being added by the model work", strict=False))
    assert problems == [], "\n".join(problems)
