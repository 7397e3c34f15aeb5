"""Cross-border e-commerce returns: import (1210) and export (9610) returns, and the
pilot that lets them be handled in a customs district other than the original one.

The model page is docs/returns.md; the rest of cbecsim reads the model through `SPEC`.
"""

from __future__ import annotations

from models.returns.model import Built, build
from models.returns.params import Params
from models.returns.spec import SPEC

__all__ = ["SPEC", "Built", "Params", "build"]
