"""Bonded-zone retail import (customs code 1210) and the same-parcel / same-truck
consolidation pilot (同包同车集拼出区).

Consumer orders arrive as a non-homogeneous Poisson stream, pass the three-document
match, list filing and risk screening (green / yellow / red), are picked, packed,
selected for X-ray, loaded on their carrier's trucks (filled by volume) and leave through
the second-line gate. The pilot's levers decide whether the domestic goods of a mixed
basket ship in the bonded parcel (same parcel) and on the same trucks (same truck), or
separately from outside the zone on the carriers' shared pickups (the baseline). See
docs/bonded.md.
"""

from __future__ import annotations

from models.bonded.build import Built, build
from models.bonded.params import Params
from models.bonded.spec import SPEC

__all__ = ["SPEC", "Built", "Params", "build"]
