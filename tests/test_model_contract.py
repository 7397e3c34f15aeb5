"""The model contract: every model's spec declares exactly the metrics it emits.

For each model, every shipped scenario runs on a short horizon; every emitted metric must
be declared in the model's registry, every declaration must be emitted by at least one
shipped scenario, and the headline metrics must be declared. Nothing outside a model
may probe model modules for attributes: the spec is the only way in.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from models import MODELS, get_spec
from scenarios.loader import load_scenario
from sim.run import run

ROOT = Path(__file__).resolve().parents[1]

#: overrides that make a shipped scenario short while it still emits every metric it can
#: (bonded: one whole day, for the per-date KPIs, at a tenth of the volume)
SHORT: dict[str, list[tuple[str, object]]] = {
    "queue_network": [("run.horizon", 200.0), ("run.warmup", 20.0)],
    "bonded": [("run.horizon", 24.0), ("run.warmup", 0.0), ("params.orders.daily_volume", 3000.0)],
    "mail": [("run.horizon", 96.0), ("run.warmup", 24.0)],
    "returns": [("run.horizon", 120.0), ("run.warmup", 0.0)],
}


@functools.cache
def emitted(model: str) -> dict[str, frozenset[str]]:
    """Metric names of each shipped scenario of `model`, run briefly."""
    files = sorted((ROOT / "scenarios" / model).glob("*.toml"))
    return {path.stem: frozenset(run(load_scenario(path, SHORT[model]), 0).metrics) for path in files}


@pytest.mark.parametrize("model", sorted(MODELS))
def test_every_emitted_metric_is_declared(model: str) -> None:
    registry = get_spec(model).registry
    for scenario, names in emitted(model).items():
        assert registry.undeclared(sorted(names)) == [], f"{model}/{scenario} emits undeclared metrics"


@pytest.mark.parametrize("model", sorted(MODELS))
def test_every_declaration_is_emitted_by_a_shipped_scenario(model: str) -> None:
    everything = set().union(*emitted(model).values())
    unused = [metric.name for metric in get_spec(model).registry.unused(everything)]
    assert unused == [], f"{model}: declared but emitted by no shipped scenario"


@pytest.mark.parametrize("model", sorted(MODELS))
def test_declarations_are_complete_and_headlines_declared(model: str) -> None:
    spec = get_spec(model)
    assert spec.name == model
    assert spec.headline or model == "queue_network", f"{model}: no headline metrics"  # a generic network has none
    for metric in spec.registry:
        for text in (metric.label_en, metric.label_zh, metric.unit, metric.definition):
            assert text.strip(), f"{model}: {metric.name} has an empty label, unit or definition"
    assert spec.registry.undeclared(spec.headline) == []
    for old, new in spec.registry.renamed.items():
        assert spec.registry.lookup(new) is not None, f"{model}: {old} renamed to undeclared {new}"
        assert spec.registry.resolve(old)[0] == new


@pytest.mark.parametrize("model", sorted(MODELS))
def test_headline_metrics_are_emitted(model: str) -> None:
    everything = set().union(*emitted(model).values())
    assert set(get_spec(model).headline) <= everything


def test_units_are_spelled_one_way() -> None:
    """Money in cny, times with their unit as the name's suffix (_h, _d)."""
    for model in MODELS:
        for metric in get_spec(model).registry:
            if metric.kind == "money":
                assert metric.unit.startswith("cny") and "cny" in metric.name, metric.name
                assert "yuan" not in metric.name, metric.name
            if metric.kind == "time":
                assert metric.unit in ("h", "d") and re.search(rf"_{metric.unit}(\.|$)", metric.name), metric.name


@pytest.mark.parametrize("model", sorted(MODELS))
def test_model_page_is_current(model: str) -> None:
    spec = get_spec(model)
    assert spec.document is not None
    page = (ROOT / "docs" / f"{model}.md").read_text(encoding="utf-8")
    assert spec.document() == page, "the model page is stale: run python -m models.pages"
    for metric in spec.registry:
        assert f"`{metric.name}`" in page


def test_no_module_probing_outside_the_spec() -> None:
    """The runner, report, CLI and docs read models only through `get_spec`."""
    pattern = re.compile(r"\b(getattr|hasattr)\((module|model)\b|\bdir\((module|model)\b|get_model\(")
    offenders = []
    for path in ROOT.rglob("*.py"):
        if ".git" in path.parts or path == Path(__file__):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_old_metric_names_are_accepted_with_a_deprecation_message(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """A study written before the renames still loads: its headline and sweep metrics are
    read under their new names, with one line on stderr per old name."""
    from scenarios.study import load_study

    registry = get_spec("queue_network").registry
    assert registry.resolve("station.desk.wait_mean")[0] == "station.desk.wait_mean_h"
    assert registry.resolve("station.desk.wait_mean_h") == ("station.desk.wait_mean_h", None)
    assert get_spec("returns").registry.resolve("export.cost.domestic_per_parcel_yuan")[0] == \
        "export.cost.domestic_per_parcel_cny"
    scenario = ROOT / "scenarios" / "queue_network" / "mm1.toml"
    study = tmp_path / "old.toml"
    study.write_text(f"""
name = "old"
[run]
replications = 2
[[groups]]
baseline = "{scenario}"
headline = {{"system.sojourn_mean" = "time in the system", "station.server.wait_mean" = "wait"}}
""", encoding="utf-8")
    loaded = load_study(study)
    assert dict(loaded.groups[0].headline) == {"system.sojourn_mean_h": "time in the system",
                                               "station.server.wait_mean_h": "wait"}
    lines = [line for line in capsys.readouterr().err.splitlines() if "deprecated" in line]
    assert len(lines) == 2 and "'system.sojourn_mean' was renamed 'system.sojourn_mean_h'" in lines[0]
