"""The report's section on observed data: parameters fitted from an event log (with their
provenance) and, in a folder written by ``cbecsim check``, simulated against observed stage
times with the verdict per stage and ECDF figures.

Reads only aggregates: the overlay's ``.provenance.csv`` beside each scenario file and the
folder's ``check.csv`` / ``check_quantiles.csv``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.document import Document
from analysis.results import Results
from analysis.validation import ecdf_figure


def observed_section(document: Document, results: Results) -> None:
    fitted = _fitted(results)
    check = results.folder / "check.csv"
    if fitted.empty and not check.is_file():
        return
    document.heading(2, "Observed data", "observed")
    if not fitted.empty:
        document.heading(3, "Parameters fitted from event logs")
        document.paragraph("Each value was fitted by `cbecsim calibrate`: durations by maximum likelihood over the "
                           "scenario families, the lowest AIC chosen, with the Kolmogorov-Smirnov distance D as the "
                           "goodness of fit; rates and shares with 95% intervals. Parameters the log could not "
                           "inform (too few observations) keep the baseline's value.")
        document.table(fitted, "fitted_parameters")
    if check.is_file():
        table = pd.read_csv(check)
        document.heading(3, "Simulated against observed stage times")
        document.paragraph("Observed and simulated entities are counted the same way: stages begun in the window and "
                           "completed. A stage is within tolerance when its mean, median and p90 all differ by at "
                           "most the tolerance shown (a share of the observed value, with a floor in hours): an "
                           "effect size, not a significance test. W1 is the Wasserstein distance between the two "
                           "distributions, in hours.")
        document.table(table, "observed_against_simulated")
        quantiles_path = results.folder / "check_quantiles.csv"
        if quantiles_path.is_file():
            quantiles = pd.read_csv(quantiles_path)
            overall = quantiles[quantiles["class"] == "all"]
            for (flow, _, stage), part in overall.groupby(["flow", "class", "stage"], sort=False):
                title = stage if flow == "stages" else f"{flow}: {stage}"
                document.figure(lambda path, part=part, title=title: ecdf_figure(part, title, path),
                                f"observed_ecdf_{flow}_{stage}", f"{title}: distribution functions, observed and "
                                "simulated")


def _fitted(results: Results) -> pd.DataFrame:
    """Provenance tables of the fitted overlays among the results' scenario files."""
    frames = []
    for info in results.scenarios.values():
        if not info.path:
            continue
        table = Path(info.path).with_suffix(".provenance.csv")
        if table.is_file():
            frames.append(pd.read_csv(table).assign(scenario=info.name))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
