"""Small HTML building blocks of the report: escaped text, tables, embedded figures, page.

The page is self-contained: figures are embedded as base64 PNG, the style sheet is inline,
and nothing is fetched from the network, so the file can be mailed or archived alone.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

STYLE = """
body { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #222;
       max-width: 1100px; margin: 2em auto; padding: 0 1.2em; line-height: 1.45; font-size: 15px; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; } h2 { border-bottom: 2px solid #0072B2; padding-bottom: 0.2em;
margin-top: 2.2em; } h3 { margin-top: 1.6em; color: #0b3d66; } h4 { margin-bottom: 0.4em; }
p.meta { color: #666; margin-top: 0; } nav ul { columns: 2; } .note { color: #555; font-size: 0.92em; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 0.86em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f6f9; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 1em 0 1.6em; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9em; } ul.findings li { margin-bottom: 0.35em; }
li.down::marker { color: #0072B2; } li.up::marker { color: #E69F00; } li.unclear::marker { color: #999; } li.flat::marker { color: #ccc; }
code { background: #f4f4f4; padding: 0 0.2em; border-radius: 3px; font-size: 0.92em; }
.scroll { overflow-x: auto; } details summary { cursor: pointer; color: #0b3d66; margin: 0.4em 0; }
"""


def text(value: Any) -> str:
    return html.escape(str(value))


def number(value: Any, digits: int = 4) -> str:
    """A number for a table cell: 4 significant digits, thousands separated; blank for NaN."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and math.isnan(value):
            return ""
        if isinstance(value, int) or float(value).is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        return f"{value:,.{digits}g}" if abs(value) < 1e5 else f"{value:,.0f}"
    return str(value)


def interval(mean: float, low: float, high: float, percent: bool = False) -> str:
    """``mean [low, high]`` (blank interval when undefined)."""
    scale, suffix = (100.0, "%") if percent else (1.0, "")
    if mean is None or (isinstance(mean, float) and math.isnan(mean)):
        return ""
    shown = f"{number(mean * scale)}{suffix}"
    if low is None or (isinstance(low, float) and math.isnan(low)):
        return shown
    return f"{shown} [{number(low * scale)}{suffix}, {number(high * scale)}{suffix}]"


def table(frame: pd.DataFrame, formats: dict[str, Callable[[Any], str]] | None = None,
          numeric: Iterable[str] = (), caption: str | None = None, limit: int | None = None) -> str:
    """An HTML table of `frame`; `formats` turn cells to text per column, `numeric` columns
    are right-aligned (numbers are formatted by `number` unless a format is given)."""
    formats = formats or {}
    numeric = set(numeric) | {c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])}
    shown = frame if limit is None else frame.head(limit)
    head = "".join(f"<th>{text(column)}</th>" for column in shown.columns)
    body = []
    for row in shown.itertuples(index=False):
        cells = []
        for column, value in zip(shown.columns, row):
            render = formats.get(column, number if column in numeric else str)
            css = ' class="num"' if column in numeric else ""
            cells.append(f"<td{css}>{text(render(value))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    note = f"<caption>{text(caption)}</caption>" if caption else ""
    more = ""
    if limit is not None and len(frame) > limit:
        more = f'<p class="note">First {limit} of {len(frame)} rows; all rows are in the CSV file.</p>'
    return f'<div class="scroll"><table>{note}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>{more}'


def figure(path: Path, caption: str) -> str:
    """The PNG at `path` embedded as base64, with a caption."""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (f'<figure><img alt="{text(caption)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{text(caption)} <span class=\"note\">(figures/{text(path.name)})</span></figcaption></figure>")


def bullets(items: Sequence[tuple[str, str]], css: str = "") -> str:
    """A list of (class, already escaped HTML) items."""
    entries = "".join(f'<li class="{kind}">{content}</li>' for kind, content in items)
    return f'<ul class="{css}">{entries}</ul>'


def page(title: str, meta: str, contents: Sequence[tuple[str, str]], body: str) -> str:
    """The whole document: title, a line of meta data, a table of contents of (anchor,
    heading) pairs, and the body."""
    toc = "".join(f'<li><a href="#{text(anchor)}">{text(heading)}</a></li>' for anchor, heading in contents)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{text(title)}</title>'
            f"<style>{STYLE}</style></head><body><h1>{text(title)}</h1><p class=\"meta\">{meta}</p>"
            f"<nav><h4>Contents</h4><ul>{toc}</ul></nav>{body}</body></html>\n")
