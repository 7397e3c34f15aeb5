"""One figure style for every chart of the report.

Figures are built on `matplotlib.figure.Figure` with the Agg canvas, never through pyplot,
so no global figure state or GUI backend is involved and figures can be drawn from worker
processes. The style is applied with `matplotlib.rc_context` around the drawing, so it
never leaks into a user's own plots in a notebook.

Sizes: 7 × 4 in at 120 dpi (840 × 480 px) is read comfortably in an HTML report and on a
slide; fonts are sized for that. Colours: Okabe & Ito (2008) colour-blind-safe palette.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import Any, ParamSpec, TypeVar

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

WIDTH_IN = 7.0
HEIGHT_IN = 4.0
DPI = 120

#: Okabe-Ito palette: blue, orange, bluish green, vermillion, reddish purple, sky blue, yellow, black
PALETTE: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
BAND_ALPHA = 0.22
NEUTRAL = "#555555"

RC: MappingProxyType[str, Any] = MappingProxyType({
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.labelsize": 9.5,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "legend.fontsize": 8.5,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.6,
    "axes.prop_cycle": matplotlib.cycler(color=list(PALETTE)),
    "lines.linewidth": 1.6,
    "errorbar.capsize": 3,
    "savefig.dpi": DPI,
    "figure.dpi": DPI,
})

P = ParamSpec("P")
R = TypeVar("R")


def styled(function: Callable[P, R]) -> Callable[P, R]:
    """Draw inside the report style (decorator for figure functions)."""
    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with matplotlib.rc_context(dict(RC)):
            return function(*args, **kwargs)
    return wrapper


def new_figure(width: float = WIDTH_IN, height: float = HEIGHT_IN, **subplots: Any) -> tuple[Figure, Any]:
    """A Figure on the Agg canvas and its axes (`subplots` as for `Figure.subplots`)."""
    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.subplots(**subplots)


def label(axes: Axes, title: str, xlabel: str = "", ylabel: str = "", across: bool = False) -> None:
    """Title and axis labels; labels carry units in brackets, e.g. "clearance time [h]".

    `across` puts the title at the figure's left edge instead of the axes' (charts with
    long category labels on the left, whose axes start far right, so a long title would
    run off the figure)."""
    if across:
        axes.figure.suptitle(title, x=0.01, ha="left", fontsize=RC["axes.titlesize"], fontweight="bold")
    else:
        axes.set_title(title, loc="left")
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)


def bottom_legend(axes: Axes, title: str, labels: list[str], max_columns: int = 3) -> None:
    """The legend below the plot, centred on the figure (not the axes, which long labels on
    the left push right), with as many columns as the longest label allows."""
    longest = max((len(text) for text in labels), default=0)
    columns = max(1, min(max_columns, len(labels), 3 if longest <= 24 else 2 if longest <= 44 else 1))
    handles, names = axes.get_legend_handles_labels()
    axes.figure.legend(handles, names, loc="outside lower center", ncols=columns, title=title)


def with_unit(name: str, unit: str) -> str:
    return f"{name} [{unit}]" if unit else name


def save(figure: Figure, path: str | Path) -> Figure:
    """Write the figure (format from the suffix, PNG for the report) and return it."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(target, dpi=DPI)
    return figure


def color(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def colors(count: int) -> list[str]:
    """`count` distinct colours: the Okabe-Ito palette up to 8, matplotlib's tab20 beyond
    (long stage lists), so no two stacked segments share a colour."""
    if count <= len(PALETTE):
        return list(PALETTE[:count])
    cmap = matplotlib.colormaps["tab20"]
    return [matplotlib.colors.to_hex(cmap(i % 20)) for i in range(count)]
