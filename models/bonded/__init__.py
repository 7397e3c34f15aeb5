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
from models.bonded.metrics import describe_metrics, metrics
from models.bonded.params import Params, validate

NAME = "bonded"

#: the metrics read the model's own books, not the milestone log
NEEDS_LOG = False

#: Time Release Study milestones of an order, in process order
STAGES = (
    "order_paid",
    "documents_matched",
    "list_filed",
    "channel_decided",
    "released",
    "picked",
    "packed",
    "loaded",
    "gate_out",
    "delivered",
)

#: stage tables by risk channel: an order that was inspected is red, reviewed yellow, else green
STAGE_CLASSES = (("red", "inspection_in", None), ("yellow", "review_in", None), ("green", None, None))

#: the KPIs a summary leads with, in plain words
HEADLINE_METRICS = {
    "orders.parcels_per_order": "parcels per order",
    "trucks.load_factor": "truck load factor by volume, fleet",
    "trucks.km_per_order": "truck-km per order",
    "trucks.co2_kg_per_order": "truck CO₂ per order (kg)",
    "trucks.departures_per_day": "truck trips per day, fleet",
    "zone_dwell.mean_h": "dwell in the zone, mean (h)",
    "clearance.yellow.p90_h": "clearance time of reviewed lists, p90 (h)",
    "order_to_delivery.mean_h": "order to delivery, mean (h)",
    "orders.same_day_exit_share": "share of orders out of the zone the same day",
    "cost.per_order_cny": "cost per order (CNY)",
    "utilization.pickers": "picker utilisation",
    "utilization.officers": "officer utilisation",
}

__all__ = ["HEADLINE_METRICS", "NAME", "NEEDS_LOG", "STAGES", "STAGE_CLASSES", "Built", "Params", "build",
           "describe_metrics", "metrics", "validate"]
