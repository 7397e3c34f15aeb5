"""A stored milestone log written for process-mining tools.

* `flat_log`: one row per event, columns case_id, activity, timestamp (ISO 8601, the
  scenario's local clock), resource — `analysis.eventlog.DEFAULT_COLUMNS`, so
  ``cbecsim calibrate`` reads an export without options. Rows are in time order, as a
  real system's export would be.
* `ocel`: OCEL 2.0 JSON (object-centric event log; https://www.ocel-standard.org/
  specification/formats/json/, accessed 2026-12-03): every entity is an object of the
  model's case type (item, order, entity), and a resource column that identifies an
  object (a receptacle, a truck) makes one more object related to the event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from analysis.eventlog import DEFAULT_COLUMNS

_NO_RESOURCE = -1


def _stamped(events: pd.DataFrame, start: dt.datetime) -> pd.DataFrame:
    """The log in time order (ties keep the logged order) with clock timestamps to the second."""
    ordered = events.reset_index(drop=True)
    ordered = ordered.iloc[np.argsort(ordered["time"].to_numpy(), kind="stable")]
    stamps = pd.Timestamp(start) + pd.to_timedelta(ordered["time"].to_numpy(), unit="h")
    return ordered.assign(timestamp=pd.DatetimeIndex(stamps).round("s").strftime("%Y-%m-%dT%H:%M:%S"))


def _case_ids(events: pd.DataFrame) -> pd.Series:
    return (events["scenario"].astype(str) + "-r" + events["replication"].astype(str) + "-"
            + events["entity"].astype(str)).rename("case")


def _resource_ids(events: pd.DataFrame, resource_objects: Mapping[str, str]) -> pd.Series:
    """The object id a row's resource names, or "" (server counts and hold codes are no objects)."""
    kinds = events["milestone"].astype(str).map(lambda milestone: resource_objects.get(milestone, ""))
    has = (kinds != "") & (events["resource"].to_numpy() != _NO_RESOURCE)
    ids = (kinds + ":" + events["scenario"].astype(str) + "-r" + events["replication"].astype(str) + "-"
           + events["resource"].astype(str))
    return ids.where(has, "")


def flat_log(events: pd.DataFrame, start: dt.datetime, resource_objects: Mapping[str, str]) -> pd.DataFrame:
    """`events` (scenario, replication, entity, milestone, time, resource) as a flat log."""
    ordered = _stamped(events, start)
    return pd.DataFrame({
        DEFAULT_COLUMNS["case"]: _case_ids(ordered).to_numpy(),
        DEFAULT_COLUMNS["activity"]: ordered["milestone"].astype(str).to_numpy(),
        DEFAULT_COLUMNS["timestamp"]: ordered["timestamp"].to_numpy(),
        DEFAULT_COLUMNS["resource"]: _resource_ids(ordered, resource_objects).to_numpy(),
    })


def ocel(events: pd.DataFrame, start: dt.datetime, case_object: str,
         resource_objects: Mapping[str, str]) -> dict[str, Any]:
    """The log as an OCEL 2.0 JSON document (a dict ready for `json.dump`)."""
    ordered = _stamped(events, start)
    cases = (f"{case_object}:" + _case_ids(ordered)).to_numpy()
    resources = _resource_ids(ordered, resource_objects).to_numpy()
    activities = ordered["milestone"].astype(str).to_numpy()
    stamps = ordered["timestamp"].to_numpy()
    event_list = []
    for index in range(len(ordered)):
        relationships = [{"objectId": cases[index], "qualifier": case_object}]
        if resources[index]:
            relationships.append({"objectId": resources[index], "qualifier": resources[index].split(":", 1)[0]})
        event_list.append({"id": f"e{index + 1}", "type": activities[index], "time": stamps[index],
                           "attributes": [], "relationships": relationships})
    objects = [{"id": object_id, "type": case_object, "attributes": [], "relationships": []}
               for object_id in pd.unique(cases)]
    objects += [{"id": object_id, "type": object_id.split(":", 1)[0], "attributes": [], "relationships": []}
                for object_id in pd.unique(resources[resources != ""])]
    object_types = [case_object, *dict.fromkeys(resource_objects.values())]
    used_types = {o["type"] for o in objects}
    return {
        "objectTypes": [{"name": name, "attributes": []} for name in object_types if name in used_types],
        "eventTypes": [{"name": name, "attributes": []} for name in pd.unique(activities)],
        "objects": objects,
        "events": event_list,
    }
