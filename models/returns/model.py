"""Wiring the returns model: the enabled import and export flows."""

from __future__ import annotations

from dataclasses import dataclass

from models.returns.exports import ExportFlow, build_exports
from models.returns.imports import ImportFlow, build_imports
from models.returns.params import Params
from sim.context import Context


@dataclass(frozen=True, eq=False)
class Built:
    imports: ImportFlow | None
    exports: ExportFlow | None


def build(context: Context, params: Params) -> Built:
    """Wire the enabled flows into `context`."""
    imports = build_imports(context, params.imports, params.deadlines) if params.imports.enabled else None
    exports = build_exports(context, params.exports, params.deadlines) if params.exports.enabled else None
    return Built(imports, exports)
