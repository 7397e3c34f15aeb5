"""The bonded model's contract: its metric declarations, Time Release Study flow,
headline KPIs and model page, in one frozen `ModelSpec`.

Chinese labels use the customs terms of the 1210 process: 申报清单 (declaration list),
查验 (inspection), 放行 (release), 核放单 / 卡口 (gate release at the second line).
"""

from __future__ import annotations

from pathlib import Path

from models.bonded.build import build
from models.bonded.metrics import metrics
from models.bonded.params import Params, validate
from sim import model_page
from sim.metrics_registry import Metric, MetricRegistry, distribution_family
from sim.spec import ClassRule, ModelSpec, StageFlow

CHANNEL = {"channel": "green|yellow|red"}
FLEET = {"fleet": "zone|outside"}
DATE = {"date": r"\d{4}-\d{2}-\d{2}"}
COST_PART = {"part": "packaging|trucking|last_mile"}

REGISTRY = MetricRegistry([
    Metric("orders.paid", "Orders paid", "已支付订单数", "count", None, "count", "orders paid in the window", 0.0),
    Metric("orders.paid_per_day", "Orders paid per day", "日均支付订单数", "orders/d", None, "rate",
           "orders paid per day in the window", 100.0),
    Metric("orders.released_per_day", "Declaration lists released per day", "日均放行申报清单数", "lists/d", "higher",
           "rate", "declaration lists released by customs per day in the window", 100.0),
    Metric("orders.left_zone_per_day", "Orders out of the zone per day", "日均出区订单数", "orders/d", "higher", "rate",
           "orders whose bonded parcel passed the second-line gate, per day", 100.0),
    Metric("orders.delivered", "Orders delivered", "已妥投订单数", "count", "higher", "count",
           "orders complete (every parcel delivered) in the window", 0.0),
    Metric("orders.seized", "Orders seized", "查扣订单数", "count", None, "count",
           "orders seized in the window (non-compliant at red inspection or unpacking)", 0.0),
    Metric("orders.parcels_per_order", "Parcels per order", "每单包裹数", "parcels/order", "lower", "ratio",
           "parcels the orders paid in the window ship in (1, or 2 when the domestic part ships on its own)", 0.02),
    Metric("orders.mixed_share_realised", "Share of mixed baskets", "混合订单占比", "share", None, "share",
           "share of orders paid in the window whose basket holds domestic goods", 0.01),
    Metric("orders.same_parcel_share", "Share packed in one mixed parcel", "同包集拼订单占比", "share", None, "share",
           "share of orders paid in the window packed as one mixed parcel", 0.01),
    Metric("channel.{channel}.share", "Share of orders in the {channel} channel", "{channel}通道订单占比", "share", None,
           "share", "share of orders paid in the window assigned to the risk channel", 0.005, CHANNEL),
    Metric("xray.selected_share", "Share selected for X-ray", "机检布控比例", "share", None, "share",
           "share of orders paid in the window whose parcel is selected for X-ray", 0.005),
    *distribution_family("clearance.{channel}", "Clearance time of {channel} lists", "{channel}申报清单通关时间",
                         "customs clearance time (list filed to release) of lists released in the window, by channel",
                         parts={"channel": "green|yellow|red|all"}, practical_threshold=0.25),
    *distribution_family("zone_dwell", "Dwell in the zone", "区内停留时间",
                         "order paid to its bonded parcel's gate exit, of orders leaving the zone in the window"),
    *distribution_family("order_to_delivery", "Order to delivery", "下单至妥投时间",
                         "order paid to its last parcel delivered, of orders whose last parcel left the zone or the "
                         "outside warehouse in the window (delivery legs are not congested)", practical_threshold=1.0),
    Metric("zone.wip_mean", "Orders in the zone, time average", "区内在途订单（时间平均）", "orders", "lower", "level",
           "time-averaged orders paid and not yet out of the zone (nor seized)", 100.0),
    Metric("zone.exits_per_h", "Orders leaving the zone's books per hour", "每小时出区（含查扣）订单数", "orders/h",
           None, "rate", "orders leaving the zone's books (gate exit or seizure) per hour", 10.0),
    Metric("trucks.departures_per_day", "Truck departures per day", "日均车辆发车次数", "trucks/d", "lower", "rate",
           "truck departures per day, zone and outside warehouse together", 1.0),
    Metric("trucks.load_factor", "Truck load factor", "车辆装载率", "share", "higher", "share",
           "parcels carried / (departures × truck capacity), zone and outside together", 0.02),
    Metric("trucks.{fleet}.departures_per_day", "Truck departures per day ({fleet})", "日均发车次数（{fleet}）",
           "trucks/d", "lower", "rate", "truck departures per day from the zone / the outside warehouse", 1.0, FLEET),
    Metric("trucks.{fleet}.load_factor", "Truck load factor ({fleet})", "车辆装载率（{fleet}）", "share", "higher",
           "share", "parcels carried / (departures × capacity), zone / outside trucks", 0.02, FLEET),
    Metric("trucks.{fleet}.skipped_per_day", "Scheduled departures held back per day ({fleet})",
           "日均因装载不足取消的班次（{fleet}）", "trucks/d", None, "rate",
           "scheduled truck departures per day held back because the truck had less than its minimum load (its "
           "parcels wait for the next)", 1.0, FLEET),
    Metric("trucks.{fleet}.max_wait_share", "Share of departures sent by the maximum wait ({fleet})",
           "因最长等待发车的比例（{fleet}）", "share", None, "share",
           "share of departures sent by the maximum wait rather than by a full truck or the timetable (a fleet kept "
           "running by its service bound, not by its cargo)", 0.05, FLEET),
    Metric("gate.passages_per_day", "Gate passages per day", "卡口日均过车次数", "trucks/d", None, "rate",
           "truck passages of the second-line gate per day (outbound and replenishment)", 1.0),
    Metric("gate.inbound_trucks_per_day", "Replenishment trucks per day", "日均入区补货车次", "trucks/d", None, "rate",
           "replenishment trucks bringing domestic goods into the zone per day", 1.0),
    *distribution_family("gate.wait", "Truck wait at the gate", "卡口候检时间",
                         "time a truck waits for a free gate lane", practical_threshold=0.1),
    Metric("wait.{station}.mean_h", "Mean wait at {station} (h)", "{station}平均排队时间（小时）", "h", "lower", "time",
           "mean queue wait at the station (document_review, physical_inspection, picking, packing, xray, "
           "image_judgement, unpacking, gate)", 0.1),
    Metric("utilization.{pool}", "Utilisation of {pool}", "{pool}利用率", "share", None, "share",
           "busy server-hours / on-duty server-hours of the pool (officers, pickers, pack_stations, xray_lines, "
           "gate_lanes)", 0.05),
    Metric("daily.{date}.paid", "Orders paid on {date}", "{date}支付订单数", "count", None, "count",
           "orders paid on the date (days wholly inside the window)", 0.0, DATE),
    Metric("daily.{date}.released", "Lists released on {date}", "{date}放行申报清单数", "count", "higher", "count",
           "declaration lists released on the date", 0.0, DATE),
    Metric("daily.{date}.backlog_end", "Backlog at the end of {date}", "{date}日终积压订单", "orders", "lower", "level",
           "orders paid and not yet out of the zone at the date's midnight", 0.0, DATE),
    Metric("daily.{date}.same_day_exit_share", "Same-day exit share on {date}", "{date}当日出区比例", "share", "higher",
           "share", "share of the date's orders that left the zone the same date", 0.02, DATE),
    Metric("orders.backlog_end_of_day.mean", "Backlog at the end of the day, mean", "日终积压订单（均值）", "orders",
           "lower", "level", "backlog at the end of each day in the window, mean over the days", 100.0),
    Metric("orders.backlog_end_of_day.max", "Backlog at the end of the day, maximum", "日终积压订单（最大值）", "orders",
           "lower", "level", "backlog at the end of each day in the window, maximum over the days", 100.0),
    Metric("orders.released_per_full_day.max", "Most lists released in one day", "单日最多放行申报清单数", "lists/d",
           None, "rate", "most lists released on one day of the window", 100.0),
    Metric("orders.same_day_exit_share", "Share of orders out of the zone the same day", "当日出区订单比例", "share",
           "higher", "share", "share of orders paid on window days that left the zone the same day", 0.02),
    Metric("cost.per_order_cny", "Cost per order (CNY)", "每单成本（元）", "cny", "lower", "money",
           "packaging + trucking + last mile per order paid (unit costs of params.costs)", 0.1),
    Metric("cost.{part}_per_order_cny", "Cost per order: {part} (CNY)", "每单成本：{part}（元）", "cny", "lower",
           "money", "one part of the cost per order paid (packaging, trucking or last mile)", 0.1, COST_PART),
])

#: the KPIs a summary and the report's scorecard lead with, in order
HEADLINE = ("orders.parcels_per_order", "trucks.departures_per_day", "trucks.load_factor", "zone_dwell.mean_h",
            "clearance.yellow.p90_h", "order_to_delivery.mean_h", "orders.same_day_exit_share", "cost.per_order_cny",
            "utilization.pickers", "utilization.officers")

#: Time Release Study milestones of an order, in process order; classes by risk channel:
#: an order that was inspected is red, reviewed yellow, else green
ORDER_FLOW = StageFlow(
    "order", "Order", "订单",
    ("order_paid", "documents_matched", "list_filed", "channel_decided", "released", "picked", "packed", "loaded",
     "gate_out", "delivered"),
    (ClassRule("red", has="inspection_in"), ClassRule("yellow", has="review_in"), ClassRule("green")),
)

MILESTONES = (*ORDER_FLOW.milestones, "review_in", "review_out", "inspection_in", "inspection_out", "xray_in",
              "xray_out", "unpacking_in", "unpacking_out", "gate_in")

PAGE = Path(__file__).resolve().parents[2] / "docs" / "bonded.md"


def document() -> str:
    """docs/bonded.md with its generated part current."""
    return model_page.document(PAGE, Params, REGISTRY, (ORDER_FLOW,))


SPEC = ModelSpec(
    name="bonded",
    summary="Bonded-zone retail import (1210) and the same-parcel / same-truck consolidation pilot.",
    params_type=Params,
    build=build,
    metrics=metrics,
    validate=validate,
    registry=REGISTRY,
    headline=HEADLINE,
    document=document,
    stage_flows=(ORDER_FLOW,),
    needs_log=False,  # the metrics read the model's own books, not the milestone log
    milestones=MILESTONES,
)
