"""The bonded model's contract: its metric declarations, Time Release Study flow,
headline KPIs and model page, in one frozen `ModelSpec`.

Chinese labels use the customs terms of the 1210 process: 申报清单 (declaration list),
查验 (inspection), 放行 (release), 核放单 / 卡口 (gate release at the second line).
"""

from __future__ import annotations

from pathlib import Path

from models.bonded.build import build
from models.bonded.metrics import COST_PARTS, metrics
from models.bonded.params import Params, validate
from sim import model_page
from sim.metrics_registry import Metric, MetricRegistry, distribution_family
from sim.spec import ClassRule, ModelSpec, StageFlow

CHANNEL = {"channel": "green|yellow|red"}
STAFFED = {"pool": "officers|pickers|pack_stations|xray_lines"}
DATE = {"date": r"\d{4}-\d{2}-\d{2}"}
COST_PART = {"part": "|".join(COST_PARTS)}

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
    Metric("xray.mixed_selected_share", "Share of mixed parcels selected for X-ray", "混装包裹机检布控比例", "share",
           None, "share", "share of mixed parcels (bonded + domestic goods) selected for X-ray", 0.005),
    Metric("trucks.departures_per_day", "Truck trips per day, fleet", "日均车辆趟次（合计）", "trucks/d", "lower", "rate",
           "truck trips per day of the fleet the shipper runs or shares: carriers' zone trucks, its volume share of the "
           "outside pickups' trucks, replenishment trucks", 1.0),
    Metric("trucks.load_factor", "Truck load factor", "车辆装载率", "share", "higher", "share",
           "m³ carried / m³ of room run over the same fleet (a shared pickup counts with its own load factor, every "
           "shipper's cargo included)", 0.02),
    Metric("trucks.km_per_day", "Truck-km per day, fleet", "日均车辆行驶里程（合计）", "km/d", "lower", "distance",
           "truck-km per day of the same fleet (pickup rounds allocated by volume share)", 20.0),
    Metric("trucks.km_per_order", "Truck-km per order", "每单车辆行驶里程", "km/order", "lower", "distance",
           "truck-km of the same fleet per order paid", 0.001),
    Metric("trucks.co2_kg_per_order", "Truck CO₂ per order (kg)", "每单车辆二氧化碳排放（千克）", "kg/order", "lower",
           "mass", "CO₂ of the same fleet per order paid: km × diesel per km × CO₂ per litre of diesel", 0.001),
    Metric("trucks.zone.departures_per_day", "Zone truck departures per day", "日均出区车辆发车次数", "trucks/d", "lower",
           "rate", "carriers' truck departures per day from the zone", 1.0),
    Metric("trucks.zone.load_factor", "Zone truck load factor by volume", "出区车辆容积装载率", "share", "higher",
           "share", "m³ carried / m³ of room of the carriers' zone trucks", 0.02),
    Metric("trucks.zone.parcels_per_departure", "Parcels per zone truck", "每车出区包裹数", "parcels/truck", "higher",
           "ratio", "parcels per zone truck departure", 50.0),
    Metric("trucks.zone.km_per_day", "Zone truck-km per day", "出区车辆日均里程", "km/d", "lower", "distance",
           "km per day of the carriers' zone trucks (round trips to their hubs)", 20.0),
    Metric("trucks.zone.skipped_per_day", "Zone departures held back per day", "日均因装载不足取消的出区班次",
           "trucks/d", None, "rate", "timetabled zone departures per day held back because the truck had less than "
           "its minimum m³ (its parcels wait for the carrier's next)", 1.0),
    Metric("trucks.zone.max_wait_share", "Share of zone departures sent by the maximum wait", "因最长等待发车的比例",
           "share", None, "share", "share of zone departures sent by the maximum wait rather than by a full truck or "
           "the timetable", 0.05),
    Metric("trucks.zone.full_share", "Share of zone departures sent full", "满载即发车的比例", "share", None, "share",
           "share of zone departures sent because the truck was full (m³ or parcels)", 0.05),
    Metric("carrier.{carrier}.departures_per_day", "Zone departures per day of {carrier}", "{carrier}日均出区发车次数",
           "trucks/d", None, "rate", "zone truck departures per day of one carrier", 1.0),
    Metric("carrier.{carrier}.load_factor", "Load factor by volume of {carrier}", "{carrier}容积装载率", "share",
           "higher", "share", "m³ carried / m³ of room of one carrier's zone trucks", 0.02),
    Metric("trucks.outside.pickups_per_day", "Shared pickups taking our parcels per day", "日均承运商揽收（含本企业货物）趟次",
           "pickups/d", None, "rate", "carriers' regular pickups per day at the outside warehouse that took our "
           "parcels", 1.0),
    Metric("trucks.outside.parcels_per_pickup", "Our parcels per shared pickup", "每趟揽收本企业包裹数",
           "parcels/pickup", None, "ratio", "our parcels per pickup that took any", 50.0),
    Metric("trucks.outside.load_factor", "Shared pickup load factor by volume", "揽收车辆容积装载率", "share", "higher",
           "share", "every shipper's m³ / m³ of room of the pickups' trucks", 0.02),
    Metric("trucks.outside.volume_share", "Our share of the pickups' volume", "本企业货物占揽收容积比例", "share", None,
           "share", "our share of the m³ the pickups carried", 0.02),
    Metric("trucks.outside.allocated_trucks_per_day", "Pickup trucks allocated to us per day", "按容积分摊的日均揽收车次",
           "trucks/d", "lower", "rate", "pickup trucks per day allocated to us by volume share", 0.1),
    Metric("trucks.outside.km_per_day", "Pickup km allocated to us per day", "按容积分摊的日均揽收里程", "km/d", "lower",
           "distance", "pickup km per day allocated to us by volume share", 10.0),
    Metric("trucks.replenishment.trips_per_day", "Replenishment trips into the zone per day", "日均入区补货车次",
           "trucks/d", "lower", "rate", "trucks per day bringing domestic goods into the zone", 0.5),
    Metric("trucks.replenishment.load_factor", "Replenishment truck load factor by volume", "补货车辆容积装载率", "share",
           "higher", "share", "m³ carried / m³ of room of the replenishment trucks", 0.02),
    Metric("trucks.replenishment.km_per_day", "Replenishment km per day", "补货车辆日均里程", "km/d", "lower",
           "distance", "km per day of the replenishment trucks (round trips)", 10.0),
    Metric("gate.passages_per_day", "Gate passages per day", "卡口日均过车次数", "trucks/d", None, "rate",
           "truck passages of the second-line gate per day (outbound and replenishment)", 1.0),
    Metric("gate.inbound_trucks_per_day", "Replenishment trucks per day", "日均入区补货车次", "trucks/d", None, "rate",
           "replenishment trucks bringing domestic goods into the zone per day", 1.0),
    *distribution_family("gate.wait", "Truck wait at the gate", "卡口候检时间",
                         "time a truck waits for a free gate lane", practical_threshold=0.1),
    Metric("wait.{station}.mean_h", "Mean wait at {station} (h)", "{station}平均排队时间（小时）", "h", "lower", "time",
           "mean queue wait at the station (document_review, physical_inspection, entry_check, picking, packing, "
           "xray, image_judgement, unpacking, gate)", 0.1),
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
    Metric("opening.paid", "Orders paid in the opening hours", "开售时段支付订单数", "count", None, "count",
           "orders paid during the first opening surge (kickoff hours) wholly inside the window", 0.0),
    Metric("opening.left_zone", "Orders out of the zone in the opening hours", "开售时段出区订单数", "count", "higher",
           "count", "orders whose parcel passed the gate during that surge", 0.0),
    Metric("opening.left_zone_per_h", "Release rate in the opening hours", "开售时段每小时出区订单数", "orders/h",
           "higher", "rate", "orders out of the zone per hour during that surge", 200.0),
    Metric("opening.backlog_end", "Backlog at the end of the opening hours", "开售时段结束时积压订单", "orders", "lower",
           "level", "orders paid and not yet out of the zone at the end of that surge", 1_000.0),
    Metric("inventory.zone_items_per_day", "Domestic items taken from zone stock per day", "日均区内国内货物出库件数",
           "items/d", None, "rate", "domestic items taken from the zone's stock per day", 100.0),
    Metric("inventory.zone_units", "Domestic items held in the zone", "区内国内货物库存件数", "items", None, "level",
           "domestic items held in the zone: days of cover × items taken per day", 1_000.0),
    Metric("inventory.zone_value_cny", "Value of domestic stock in the zone", "区内国内货物库存价值（元）", "cny", None,
           "money", "value of the domestic items held in the zone", 10_000.0),
    Metric("inventory.zone_volume_m3", "Volume of domestic stock in the zone (m³)", "区内国内货物库存体积（立方米）",
           "m3", None, "level", "m³ of the domestic items held in the zone", 10.0),
    Metric("staff.{pool}.hours_per_day", "Staff-hours per day: {pool}", "{pool}日均排班工时", "h/d", None, "rate",
           "scheduled staff-hours per day of a staffed pool, overtime past a shift's end included", 8.0,
           STAFFED),
    Metric("staff.{pool}.cost_per_day_cny", "Staff cost per day: {pool} (CNY)", "{pool}日均人工成本（元）", "cny/d",
           "lower", "money", "staff-hours × cost per staff-hour, per day", 500.0, STAFFED),
    Metric("staff.cost_per_day_cny", "Staff cost per day (CNY)", "日均人工成本（元）", "cny/d", "lower", "money",
           "staff cost per day of every staffed pool (officers, pickers, pack stations, X-ray operators)", 1_000.0),
    Metric("cost.per_order_cny", "Cost per order (CNY)", "每单成本（元）", "cny", "lower", "money",
           "the sum of the parts of the cost per order paid: simulated quantities × ranged unit costs", 0.1),
    Metric("cost.{part}_per_order_cny", "Cost per order: {part} (CNY)", "每单成本：{part}（元）", "cny", "lower",
           "money", "one part of the cost per order paid: packaging and last mile (parcels × cost per parcel), zone "
           "trucking (km × cost per km), outside pickup (parcels × the carrier's charge), replenishment (km and entry "
           "handling), inventory (stock value × carrying rate), space (stock m³ × space cost), staff (staff-hours × "
           "cost per staff-hour)", 0.05, COST_PART),
])

#: the KPIs a summary and the report's scorecard lead with, in order
HEADLINE = ("orders.parcels_per_order", "trucks.load_factor", "trucks.km_per_order", "trucks.co2_kg_per_order",
            "trucks.departures_per_day", "zone_dwell.mean_h", "clearance.yellow.p90_h", "order_to_delivery.mean_h",
            "orders.same_day_exit_share", "cost.per_order_cny", "utilization.pickers", "utilization.officers")

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
