"""Rewrite the generated part of every model page: ``python -m models.pages``.

Each model's spec renders its own page (`ModelSpec.document`, through `sim.model_page`);
this writes the result back to docs/<model>.md. ``--check`` only says which are stale.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from models import MODELS, get_spec

DOCS = Path(__file__).resolve().parents[1] / "docs"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the model pages in docs/")
    parser.add_argument("--check", action="store_true", help="only report stale pages (exit 1 if any)")
    args = parser.parse_args(argv)
    stale = []
    for name in MODELS:
        spec = get_spec(name)
        if spec.document is None:
            continue
        path = DOCS / f"{name}.md"
        page = spec.document()
        if path.read_text(encoding="utf-8") != page:
            stale.append(str(path))
            if not args.check:
                path.write_text(page, encoding="utf-8")
    for path in stale:
        print(f"{'stale' if args.check else 'rewrote'}: {path}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
