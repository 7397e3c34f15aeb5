"""The example event logs shipped with the README calibrate their models."""

from __future__ import annotations

from pathlib import Path

import pytest

from cbecsim.cli import main
from scenarios.loader import load_scenario

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.parametrize(("log", "model", "baseline"), [
    ("desk_log.csv", "queue_network", "desk.toml"),
    ("mail_log.parquet", "mail", None),
])
def test_an_example_log_calibrates_its_model(tmp_path: Path, log: str, model: str, baseline: str | None) -> None:
    overlay = tmp_path / "fitted.toml"
    arguments = ["calibrate", str(EXAMPLES / log), "--model", model, "--out", str(overlay)]
    if baseline:
        arguments += ["--baseline", str(EXAMPLES / baseline)]
    assert main(arguments) == 0
    assert load_scenario(overlay).model == model
    assert (EXAMPLES / log).stat().st_size < 500_000


def test_the_example_scenarios_load() -> None:
    for path in EXAMPLES.glob("*.toml"):
        load_scenario(path)
