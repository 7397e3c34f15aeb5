"""The report being written: HTML parts, and the figures and tables saved beside it.

Sections of the report append to one `Document`, which writes each table as
``tables/<name>.csv`` and each figure as ``figures/<name>.png`` as it goes, and embeds them.
A figure that cannot be drawn (a degenerate table) becomes a note in the report and an
entry in `problems` rather than the loss of the whole report after a long study.

`ModelInfo` is what the report needs to know of a model: the command line gathers it from
the model's spec, so the analysis package never imports a model (it knows the contract's
types in `sim.metrics_registry` and `sim.spec`, not any model).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import html
from analysis.headlines import Finding
from sim.metrics_registry import Language, MetricRegistry
from sim.spec import StageFlow


@dataclass(frozen=True)
class ModelInfo:
    """A model's report-relevant declarations."""

    name: str
    summary: str = ""
    #: the model's metric declarations: labels (en, zh), units, better direction, definitions
    registry: MetricRegistry | None = None
    #: the KPIs the report's scorecard and findings lead with, in order
    headline: tuple[str, ...] = ()
    #: Time Release Study flows: milestones in order and class rules
    stage_flows: tuple[StageFlow, ...] = ()
    #: `sim.parameters.describe(params_type)` rows as dicts (key, default, unit, range,
    #: provenance, doc, plausible)
    parameters: tuple[Mapping[str, str], ...] = ()

    def label(self, metric: str, language: Language = "en") -> str:
        """The registry's label of `metric`, or the name itself when undeclared."""
        return self.registry.label(metric, language) if self.registry is not None else metric

    def definition(self, metric: str) -> str:
        found = self.registry.lookup(metric) if self.registry is not None else None
        return found.definition if found is not None else ""


def slug(text: str) -> str:
    """A file-name-safe form of `text`."""
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower()[:90] or "x"


class Document:
    """HTML parts in order, with the files they refer to."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.figures_folder = folder / "figures"
        self.tables_folder = folder / "tables"
        for own, pattern in ((self.figures_folder, "*.png"), (self.tables_folder, "*.csv")):
            own.mkdir(parents=True, exist_ok=True)
            for stale in own.glob(pattern):  # a report's folders hold that report's files only
                stale.unlink()
        self.parts: list[str] = []
        self.contents: list[tuple[str, str]] = []
        self.figures: list[Path] = []
        self.tables: list[Path] = []
        self.problems: list[str] = []
        self.findings: list[Finding] = []  # headline findings, for the command line to print
        self._anchors: set[str] = set()

    def heading(self, level: int, title: str, anchor: str | None = None) -> None:
        anchor = self._anchor(anchor or title)
        if level <= 2:
            self.contents.append((anchor, title))
        self.parts.append(f'<h{level} id="{html.text(anchor)}">{html.text(title)}</h{level}>')

    def _anchor(self, text: str) -> str:
        base = slug(text)
        anchor, count = base, 1
        while anchor in self._anchors:
            count += 1
            anchor = f"{base}_{count}"
        self._anchors.add(anchor)
        return anchor

    def paragraph(self, text: str, css: str | None = None, escaped: bool = False) -> None:
        content = text if escaped else html.text(text)
        self.parts.append(f'<p class="{css}">{content}</p>' if css else f"<p>{content}</p>")

    def raw(self, fragment: str) -> None:
        self.parts.append(fragment)

    def table(self, frame: pd.DataFrame, name: str, shown: pd.DataFrame | None = None,
              formats: dict[str, Callable[[Any], str]] | None = None, limit: int | None = None,
              caption: str | None = None) -> Path:
        """Write `frame` to ``tables/<name>.csv`` and show `shown` (default: `frame`)."""
        path = self.tables_folder / f"{slug(name)}.csv"
        frame.to_csv(path, index=False)
        self.tables.append(path)
        self.parts.append(html.table(frame if shown is None else shown, formats=formats, limit=limit, caption=caption))
        self.parts.append(f'<p class="note">Table: tables/{html.text(path.name)}</p>')
        return path

    def figure(self, draw: Callable[[Path], Any], name: str, caption: str) -> Path | None:
        """Draw through `draw(path)` into ``figures/<name>.png`` and embed it."""
        path = self.figures_folder / f"{slug(name)}.png"
        try:
            draw(path)
        except Exception as error:  # noqa: BLE001 - one failed chart must not lose the report
            self.problems.append(f"figure {path.name}: {type(error).__name__}: {error}")
            self.paragraph(f"(The figure {path.name} could not be drawn: {error})", "note")
            return None
        self.figures.append(path)
        self.parts.append(html.figure(path, caption))
        return path

    def html(self, title: str, meta: str) -> str:
        return html.page(title, meta, self.contents, "\n".join(self.parts))
