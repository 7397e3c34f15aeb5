"""KPIs of the mail office and their definitions.

Every value covers the observation window (after the warm-up). Stage times are in hours
and given as mean, median, p90 and p95 over the items dispatched in the window; an item
still in the office at the horizon is not in them (see the backlog and in-office counts).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from models.mail.items import CLASSES
from sim.context import Context
from sim.log import EventTable

STATISTICS = ("mean", "median", "p90", "p95")

INBOUND_STAGES = {
    "emd_edb": ("emd", "edb", "item scan (EMD) to presentation to customs (EDB)"),
    "edb_edc": ("edb", "edc", "presentation to customs (EDB) to release (EDC): elapsed customs time"),
    "emd_emf": ("emd", "emf", "item scan (EMD) to departure to the domestic network (EMF)"),
    "customs_hold": ("eme", "edc", "held by customs (EME) to release (EDC): customs time as UPU counts it"),
}
OUTBOUND_STAGES = {
    "emb_exa": ("emb", "exa", "arrival at the outward office (EMB) to presentation to export customs (EXA)"),
    "exa_exc": ("exa", "exc", "presentation to export customs (EXA) to release (EXC)"),
    "emb_emc": ("emb", "emc", "arrival at the outward office (EMB) to departure (EMC)"),
}
OUTBOUND_CLASSES = ("not_held", "held")


def summarize(values: np.ndarray, prefix: str, out: dict[str, float]) -> None:
    """mean, median, p90 and p95 of `values` (hours) as `<prefix>.<statistic>_h`."""
    if len(values) == 0:
        for statistic in STATISTICS:
            out[f"{prefix}.{statistic}_h"] = float("nan")
        return
    median, p90, p95 = np.percentile(values, [50, 90, 95])
    out[f"{prefix}.mean_h"] = float(values.mean())
    out[f"{prefix}.median_h"] = float(median)
    out[f"{prefix}.p90_h"] = float(p90)
    out[f"{prefix}.p95_h"] = float(p95)


def share(mask: np.ndarray) -> float:
    return float(mask.mean()) if len(mask) else float("nan")


def inbound_metrics(network: Any, out: dict[str, float]) -> None:
    recorder = network.recorder
    columns = {name: np.frombuffer(getattr(recorder, name), dtype=np.float64) for name in ("emd", "edb", "eme", "edc", "emf")}
    hold = np.frombuffer(recorder.hold, dtype=np.int8)
    masks = {"all": np.ones(len(hold), dtype=bool)} | {name: hold == code for code, name in enumerate(CLASSES)}
    for class_name, mask in masks.items():
        out[f"inbound.{class_name}.dispatched"] = float(mask.sum())
        for stage, (begin, end, _) in INBOUND_STAGES.items():
            if stage == "customs_hold" and class_name == "not_held":
                continue
            selected = mask & (hold != 0) if stage == "customs_hold" else mask
            summarize(columns[end][selected] - columns[begin][selected], f"inbound.{class_name}.{stage}", out)
    elapsed = columns["emf"] - columns["emd"]
    out["inbound.within_24h_share"] = share(elapsed <= 24.0)
    out["inbound.within_48h_share"] = share(elapsed <= 48.0)
    decision = network.decision
    decided = decision.decided
    for code, class_name in enumerate(CLASSES):
        if code:
            out[f"inbound.hold_rate.{class_name}"] = decision.held_by_class[code] / decided if decided else float("nan")
    out["inbound.hold_rate"] = (decided - decision.held_by_class[0]) / decided if decided else float("nan")
    out["inbound.arrived"] = float(network.arrived.count)
    out["inbound.dispatched"] = float(len(hold))
    out["inbound.seized"] = float(network.seized.count)
    out["inbound.returned"] = float(network.returned.count)


def outbound_metrics(network: Any, out: dict[str, float]) -> None:
    recorder = network.recorder
    columns = {name: np.frombuffer(getattr(recorder, name), dtype=np.float64) for name in ("emb", "exa", "exc", "emc")}
    hold = np.frombuffer(recorder.hold, dtype=np.int8)
    masks = {"all": np.ones(len(hold), dtype=bool), "not_held": hold == 0, "held": hold != 0}
    for class_name, mask in masks.items():
        out[f"outbound.{class_name}.dispatched"] = float(mask.sum())
        for stage, (begin, end, _) in OUTBOUND_STAGES.items():
            summarize(columns[end][mask] - columns[begin][mask], f"outbound.{class_name}.{stage}", out)
    route = np.frombuffer(recorder.route, dtype=np.int32)
    modes = np.array(network.route_modes)
    for mode in ("air", "sea"):
        mask = modes[route] == mode if len(route) else np.zeros(0, dtype=bool)
        summarize(columns["emc"][mask] - columns["emb"][mask], f"outbound.{mode}.emb_emc", out)
    first = np.frombuffer(recorder.first, dtype=np.float64)
    out["outbound.first_departure_share"] = share(np.abs(columns["emc"] - first) < 1e-6)
    elapsed = columns["emc"] - columns["emb"]
    out["outbound.within_24h_share"] = share(elapsed <= 24.0)
    out["outbound.within_48h_share"] = share(elapsed <= 48.0)
    decision = network.decision
    out["outbound.hold_rate"] = decision.held_count / decision.decided if decision.decided else float("nan")
    out["outbound.arrived"] = float(network.arrived.count)
    out["outbound.dispatched"] = float(len(hold))
    out["outbound.refused"] = float(network.refused.count)


def resource_metrics(built: Any, out: dict[str, float]) -> None:
    for key, pool in built.pools.items():
        out[f"resource.{key}.utilization"] = pool.utilization()
    for key, station in built.stations.items():
        out[f"station.{key}.wait_mean_h"] = station.wait_mean()


def backlog_metrics(built: Any, out: dict[str, float]) -> None:
    for name, samples in built.backlog.samples.items():
        values = np.asarray(samples)
        out[f"{name}.backlog_eod_mean"] = float(values.mean()) if len(values) else float("nan")
        out[f"{name}.backlog_eod_max"] = float(values.max()) if len(values) else float("nan")


def metrics(context: Context, params: Any, built: Any) -> dict[str, float]:
    out: dict[str, float] = {}
    inbound_metrics(built.inbound, out)
    outbound_metrics(built.outbound, out)
    resource_metrics(built, out)
    backlog_metrics(built, out)
    days = (context.horizon - context.warmup) / 24.0
    out["inbound.in_office_end"] = float(built.inbound_in_office())
    out["outbound.in_office_end"] = float(built.outbound_in_office())
    out["system.throughput_per_day"] = (out["inbound.dispatched"] + out["outbound.dispatched"]) / days
    out["system.arrivals_per_day"] = (out["inbound.arrived"] + out["outbound.arrived"]) / days
    return out


def hold_classes(events: EventTable) -> dict[str, np.ndarray]:
    """The hold class of every inbound item in a milestone log, for Time Release Study
    tables by channel (`analysis.stages.stage_table(..., classes=pandas.DataFrame(this))`):
    columns `entity` and `class` (not_held, inspection, documents, duty), the class read
    from the reason of the item's EME row."""
    emd_entities, _ = events.times_of("EMD")
    classes = np.full(len(emd_entities), CLASSES[0], dtype=object)
    if "EME" in events.names:
        rows = events.milestone == events.names.index("EME")
        reason = dict(zip(events.entity[rows].tolist(), events.resource[rows].tolist()))
        classes = np.array([CLASSES[reason.get(entity, 0)] for entity in emd_entities.tolist()], dtype=object)
    return {"entity": emd_entities, "class": classes}
