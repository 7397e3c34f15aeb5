"""Cross-border e-commerce returns: import (1210) and export (9610) returns, and the
pilot that lets them be handled in a customs district other than the original one.

The model page is docs/returns.md. This package provides what `sim.run.run` needs:
`NAME`, `Params`, `validate`, `build`, `metrics`, `describe_metrics` and `STAGES`.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.returns.exports import ExportFlow, build_exports
from models.returns.imports import ImportFlow, build_imports
from models.returns.metrics import describe_metrics, metrics
from models.returns.params import Params
from models.returns.validation import validate
from sim.context import Context

__all__ = ["EXPORT_STAGES", "NAME", "STAGES", "Built", "Params", "build", "describe_metrics", "metrics", "validate"]

NAME = "returns"

#: Time Release Study stages of an import return (milestones in order; see docs/returns.md)
STAGES = ("import.applied", "import.handed_over", "import.arrived", "import.received", "import.reviewed",
          "import.inspected", "import.refunded")
#: the same for an export return
EXPORT_STAGES = ("export.handed_over", "export.consolidated", "export.entered", "export.entry_released",
                 "export.delivered")


@dataclass(frozen=True, eq=False)
class Built:
    imports: ImportFlow | None
    exports: ExportFlow | None


def build(context: Context, params: Params) -> Built:
    """Wire the enabled flows into `context`."""
    imports = build_imports(context, params.imports, params.deadlines) if params.imports.enabled else None
    exports = build_exports(context, params.exports, params.deadlines) if params.exports.enabled else None
    return Built(imports, exports)
