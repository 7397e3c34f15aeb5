"""The returns model's contract: metric declarations, Time Release Study flows, headline
KPIs and model page, in one frozen `ModelSpec`.

Chinese labels use the customs terms of CBEC returns: 退货申请 (return application),
退货监管仓 (return centre), 跨关区退货 (cross-district returns), 查验 (inspection),
放行 (release), 干线运输 (line-haul), 年度交易限值 (the buyer's annual quota).
"""

from __future__ import annotations

from pathlib import Path

from models.returns.metrics import metrics
from models.returns.model import build
from models.returns.params import Params
from models.returns.validation import validate
from sim import model_page
from sim.metrics_registry import Metric, MetricRegistry, distribution_family
from sim.spec import ModelSpec, StageFlow

FACILITY = {"facility": "[^.]+"}
STAGE = {"stage": "receipt|review|inspection|reshelving|sorting"}
POOL = {"pool": "receipt|review|inspection|reshelving|sorting|declaration"}
PORT = {"port": "[^.]+"}


def _days(prefix: str, label_en: str, label_zh: str, definition: str) -> tuple[Metric, ...]:
    return distribution_family(prefix, label_en, label_zh, definition, unit="d", practical_threshold=0.5,
                               with_count=False)


def _hours(prefix: str, label_en: str, label_zh: str, definition: str) -> tuple[Metric, ...]:
    return distribution_family(prefix, label_en, label_zh, definition, unit="h", practical_threshold=1.0,
                               with_count=False)


#: old metric name -> new: money is spelled cny (accepted for one release; CHANGELOG.md)
RENAMED = {
    "import.noncompliant.value_yuan": "import.lost_tax_free.value_cny",
    "import.quota_restored.value_yuan": "import.quota_restored.value_cny",
    "import.cost.reverse_transit_per_item_yuan": "import.cost.reverse_transit_per_item_cny",
    "import.cost.reverse_transit_yuan_per_day": "import.cost.reverse_transit_per_day_cny",
    "export.noncompliant.value_yuan": "export.noncompliant.value_cny",
    "export.cost.domestic_per_parcel_yuan": "export.cost.domestic_per_parcel_cny",
}

REGISTRY = MetricRegistry([
    Metric("import.returns_applied", "Import returns applied for", "进口退货申请量", "count", None, "count",
           "import returns applied for in the window (entering the model)", 0.0),
    Metric("import.applied_per_day", "Import returns applied for per day", "日均进口退货申请量", "returns/d", None,
           "rate", "import returns applied for per day of the window", 10.0),
    Metric("import.share_tax_free", "Share of returns keeping their tax-free treatment", "退货免税（恢复限值）比例",
           "share", "higher", "share",
           "of returns judged in the window (rejected at application, or checked on arrival), the share meeting both "
           "windows: tax-free return, quota restored", 0.01),
    Metric("import.noncompliant.count", "Returns rejected", "不合规退货量", "count", "lower", "count",
           "own returns rejected in the window (late application + late arrival); dropped with that reason", 0.0),
    Metric("import.noncompliant.late_application.count", "Returns applied for too late", "逾期申请退货量", "count",
           "lower", "count", "own returns applied for after the 30-day window", 0.0),
    Metric("import.noncompliant.late_arrival.count", "Returns arriving too late", "逾期运抵退货量", "count", "lower",
           "count", "own returns entering the zone (the return site) after the 45-day window", 0.0),
    Metric("import.quota_restored.count", "Return declarations accepted", "退货申报放行量（恢复年度交易限值）", "count",
           "higher", "count", "return declarations accepted by customs in the window (annual quota restored)", 0.0),
    Metric("import.quota_restored.value_cny", "Value restored to annual quotas (CNY)", "恢复年度交易限值金额（元）",
           "cny", "higher", "money", "value restored to buyers' annual quotas in the window", 1000.0),
    Metric("import.refunds", "Refunds paid", "退款笔数", "count", None, "count", "refunds paid in the window", 0.0),
    *_days("import.cycle.request_to_refund", "Return request to refund", "退货申请至退款",
           "days from the return application to the refund, of the own returns' refunds paid in the window"),
    *_days("import.transit", "Reverse transit", "逆向运输时间",
           "days from hand-over to the carrier (its collection round included) to delivery at the facility (at its "
           "out-of-zone warehouse when it has one: the time there is import.facility.<facility>.staging.time_mean_h), "
           "of returns entering the zone in the window"),
    *_hours("import.review", "Return declaration review", "退货申报审核时间",
            "hours from arrival at the facility to customs accepting the return declaration"),
    *_hours("import.restock.arrival_to_sellable", "Arrival to back on sale", "运抵至重新上架",
            "hours from arrival at the first facility to the goods being back on a shelf (after line-haul to the "
            "origin if resold there)"),
    Metric("import.cost.reverse_transit_per_item_cny", "Reverse transit cost per item (CNY)", "单件逆向运输成本（元）",
           "cny", "lower", "money",
           "(reverse parcel costs of arrivals + line-haul trip costs) / items arriving, in the window", 0.5),
    Metric("import.cost.reverse_transit_per_day_cny", "Reverse transit cost per day (CNY/d)", "日均逆向运输成本（元/日）",
           "cny/d", "lower", "money", "reverse parcel plus line-haul costs per day of the window", 1000.0),
    Metric("import.line_haul.trips", "Line-haul trips to the original zone", "返回原区干线运输车次", "count", "lower",
           "count", "line-haul trucks leaving return centres for the original zone in the window", 0.0),
    Metric("import.line_haul.load_factor", "Line-haul load factor", "干线运输装载率", "share", "higher", "share",
           "returns carried / truck capacity, over the window's trips", 0.02),
    Metric("import.outcome.restocked", "Returns restocked", "退货重新上架量", "count", None, "count",
           "returns back on a shelf in the window", 0.0),
    Metric("import.outcome.destroyed", "Returns destroyed", "退货销毁量", "count", None, "count",
           "damaged returns destroyed in the window", 0.0),
    Metric("import.outcome.reexported", "Returns re-exported", "退货复运出境量", "count", None, "count",
           "damaged returns re-exported in the window", 0.0),
    Metric("import.facility.{facility}.arrivals", "Arrivals at {facility}", "{facility}退货运抵量", "count", None,
           "count", "returns arriving at the facility in the window (late ones included)", 0.0, FACILITY),
    Metric("import.facility.{facility}.entries", "Entries into {facility}", "{facility}入仓量", "count", None, "count",
           "returns entering the facility (on-time arrivals, and line-haul deliveries at the origin)", 0.0, FACILITY),
    Metric("import.facility.{facility}.backlog_mean", "Returns inside {facility}, time average",
           "{facility}在仓退货（时间平均）", "returns", "lower", "level",
           "time-averaged returns inside the facility (receipt to leaving on a shelf, on a truck or to disposal)",
           10.0, FACILITY),
    Metric("import.facility.{facility}.backlog_max", "Most returns inside {facility}", "{facility}在仓退货最大值",
           "returns", "lower", "level", "most returns inside the facility at once", 10.0, FACILITY),
    Metric("import.facility.{facility}.backlog_end", "Returns inside {facility} at the end", "{facility}期末在仓退货",
           "returns", "lower", "level", "returns inside the facility at the horizon", 10.0, FACILITY),
    Metric("import.facility.{facility}.time_in_facility_mean_h", "Mean time inside {facility} (h)",
           "{facility}平均在仓时间（小时）", "h", "lower", "time",
           "mean hours inside the facility, of returns leaving in the window", 1.0, FACILITY),
    Metric("import.facility.{facility}.utilization.{stage}", "Utilisation of {stage} at {facility}",
           "{facility}{stage}人员利用率", "share", None, "share",
           "busy / on-duty person-hours of the stage's crew (receipt, review = officers, inspection, reshelving; "
           "sorting at the out-of-zone warehouse)",
           0.05, {**FACILITY, **STAGE}),
    Metric("import.facility.{facility}.wait_mean_h.{stage}", "Mean wait for {stage} at {facility} (h)",
           "{facility}{stage}平均等待时间（小时）", "h", "lower", "time", "mean hours waiting for the stage's crew",
           0.5, {**FACILITY, **STAGE}),
    Metric("import.late_application_share", "Late return applications", "逾期申请退货占比", "share", "lower", "share",
           "Of the model's own returns applied for in the window, the share applied for after the 30-day window "
           "(GACC 2020 No. 45): tax-free status lost.", 0.005),
    Metric("import.late_arrival_share", "Late return arrivals", "逾期运抵退货占比", "share", "lower", "share",
           "Of the model's own returns entering a return site (the zone) in the window, the share after the 45-day "
           "window: tax-free status lost.", 0.001),
    Metric("import.lost_tax_free.value_cny", "Value that lost tax-free status", "丧失免税资格的退货货值", "cny", "lower",
           "money", "Value of the own returns rejected in the window for a late application or arrival.", 50000.0),
    Metric("import.lost_tax_free.tax_cny", "Tax due on late returns", "逾期退货应缴税款", "cny", "lower", "money",
           "Lost tax-free value x the composite CBEC import tax rate (`tax_rate`).", 5000.0),
    Metric("import.cost.staff_per_day_cny", "Staff cost per day", "人员日成本", "cny/d", "lower", "money",
           "Scheduled staff-hours of every crew of the facilities in use x its cost per staff-hour, per day.", 1000.0),
    Metric("import.cost.facility_fixed_per_day_cny", "Facility fixed cost per day", "场所固定日成本", "cny/d", "lower",
           "money", "Fixed costs of the facilities in use and their out-of-zone warehouses, per day.", 1000.0),
    Metric("import.cost.handling_per_day_cny", "Handling cost per day", "退货处理耗材日成本", "cny/d", "lower", "money",
           "Items arriving at each facility x its handling cost per item, per day.", 500.0),
    Metric("import.cost.total_per_day_cny", "Total returns cost per day", "退货总日成本", "cny/d", "lower", "money",
           "Staff + fixed + handling + reverse transit, per day.", 2000.0),
    Metric("import.cost.total_per_item_cny", "Total cost per returned item", "单件退货总成本", "cny", "lower", "money",
           "Total cost / items arriving at the facilities.", 1.0),
    Metric("import.outcome.destroyed_value_cny", "Value destroyed", "销毁货值", "cny", "lower", "money",
           "Value of the damaged returns destroyed in the window.", 50000.0),
    Metric("import.outcome.reexported_value_cny", "Value re-exported", "退运出境货值", "cny", None, "money",
           "Value of the damaged returns re-exported in the window.", 50000.0),
    Metric("import.direction.own_at_origin.arrivals", "Own returns at the original zone", "本关区退货在原区域到货数",
           "returns", None, "count", "Own returns arriving at the original zone's facility in the window.", 100.0),
    Metric("import.direction.outbound.arrivals", "Own returns sent to other districts' centres", "发往其他关区退货中心的退货数",
           "returns", None, "count", "Own returns arriving at other districts' return centres in the window.", 100.0),
    Metric("import.direction.inbound.arrivals", "Other districts' returns received", "接收其他关区退货数", "returns",
           None, "count", "Other districts' returns arriving at the original zone's facility in the window.", 100.0),
    Metric("import.direction.inbound.share_of_origin_load", "Inbound share of the origin's load",
           "外关区退货占本地场所到货比例", "share", None, "share",
           "Other districts' returns / all arrivals at the original zone's facility.", 0.02),
    Metric("import.direction.inbound.returns_applied", "Other districts' returns applied for", "外关区退货申请数",
           "returns", None, "count", "Other districts' returns applied for in the window (when received).", 100.0),
    Metric("import.direction.inbound.late_application_share", "Late applications (other districts' returns)",
           "外关区退货逾期申请占比", "share", "lower", "share",
           "As import.late_application_share, of other districts' returns received.", 0.005),
    Metric("import.direction.inbound.late_arrival_share", "Late arrivals (other districts' returns)",
           "外关区退货逾期运抵占比", "share", "lower", "share",
           "As import.late_arrival_share, of other districts' returns received.", 0.001),
    *_days("import.direction.inbound.cycle.request_to_refund", "Request to refund (other districts' returns)",
           "外关区退货申请至退款", "days from application to refund of other districts' returns received"),
    Metric("import.facility.{facility}.staging.backlog_mean", "Returns waiting outside the zone at {facility}",
           "{facility}区外退货仓平均在库量", "returns", "lower", "level",
           "Time-averaged returns docked at the out-of-zone warehouse, not yet in the zone.", 100.0),
    Metric("import.facility.{facility}.staging.time_mean_h", "Time outside the zone at {facility}",
           "{facility}区外退货仓平均停留时间", "h", "lower", "time",
           "Mean hours from docking at the out-of-zone warehouse to leaving it on a re-entry truck.", 4.0),
    Metric("import.facility.{facility}.staging.re_entry_trucks", "Re-entry trucks at {facility}",
           "{facility}退货入区车次(核注清单/核放单)", "trucks", None, "count",
           "Consolidated re-entry trucks, one 核注清单 and one 核放单 each, in the window.", 1.0),
    Metric("import.facility.{facility}.staff_hours_per_day.{pool}", "Scheduled staff-hours per day, {pool} at {facility}",
           "{facility}{pool}排班工时/日", "staff-h/d", None, "rate",
           "Scheduled staff-hours per day of the pool (0 when the facility is not used).", 8.0, {**FACILITY, **POOL}),
    Metric("import.facility.{facility}.staff_cost_per_day_cny.{pool}", "Staff cost per day, {pool} at {facility}",
           "{facility}{pool}人员日成本", "cny/d", "lower", "money", "Staff-hours x cost per staff-hour, per day.", 500.0,
           {**FACILITY, **POOL}),
    Metric("import.facility.{facility}.staff_cost_per_day_cny", "Staff cost per day at {facility}",
           "{facility}人员日成本", "cny/d", "lower", "money", "All the facility's pools, per day.", 1000.0),
    Metric("import.facility.{facility}.fixed_cost_per_day_cny", "Fixed cost per day at {facility}",
           "{facility}固定日成本", "cny/d", "lower", "money", "Fixed cost per day, with its out-of-zone warehouse.", 500.0),
    Metric("export.cost.international_per_parcel_cny", "International freight per parcel", "国际段单件运费", "cny",
           "lower", "money", "Mean international freight of parcels entering in the window.", 1.0),
    Metric("export.cost.per_parcel_cny", "Return cost per parcel", "出口退货单件成本", "cny", "lower", "money",
           "International freight + domestic leg, per parcel.", 1.0),
    Metric("export.port.{port}.share_within_6_months", "Tax-exempt share at {port}", "{port}口岸六个月内复运进境占比",
           "share", "higher", "share", "Of entries at the port, the share within six months of export release.", 0.01),
    Metric("export.port.{port}.international_per_parcel_cny", "International freight per parcel via {port}",
           "经{port}口岸国际段单件运费", "cny", "lower", "money", "Mean international freight of parcels entering there.",
           1.0),
    Metric("export.port.{port}.cycle_mean_d", "Export return cycle via {port}", "经{port}口岸出口退货周期", "d",
           "lower", "time", "Mean days from hand-over abroad to the seller, of parcels entering there.", 0.5),
    Metric("export.returns_handed_over", "Export returns handed over abroad", "出口退货境外交运量", "count", None,
           "count", "export returns handed to an overseas consolidation point in the window", 0.0),
    Metric("export.entries", "Export returns declared on re-entry", "出口退货入境申报量", "count", None, "count",
           "export returns declared at a port of re-entry in the window", 0.0),
    Metric("export.share_within_6_months", "Returned within 6 months (tax-exempt)", "6个月内复运进境（免税）比例",
           "share", "higher", "share",
           "of entries in the window, the share within six months of export release (tax-exempt)", 0.01),
    Metric("export.share_within_1_year", "Returned within 1 year", "1年内复运进境比例", "share", "higher", "share",
           "of entries in the window, the share within one year (allowed to return)", 0.01),
    Metric("export.noncompliant.count", "Export returns rejected", "不合规出口退货量", "count", "lower", "count",
           "entries after one year, rejected (dropped with that reason)", 0.0),
    Metric("export.noncompliant.value_cny", "Value of the export returns rejected (CNY)", "不合规出口退货货值（元）",
           "cny", "lower", "money", "value of the rejected export returns", 1000.0),
    Metric("export.delivered", "Export returns delivered to sellers", "出口退货交付卖家量", "count", "higher", "count",
           "export returns delivered to the seller in the window", 0.0),
    Metric("export.cost.domestic_per_parcel_cny", "Domestic cost per returned parcel (CNY)", "单件境内段成本（元）",
           "cny", "lower", "money", "mean domestic-leg cost of parcels delivered to sellers", 0.5),
    Metric("export.consolidation.shipments", "Consolidated shipments", "境外集货发运批次", "count", None, "count",
           "consolidated shipments leaving overseas points in the window", 0.0),
    Metric("export.consolidation.load_factor", "Consolidation load factor", "集货装载率", "share", "higher", "share",
           "parcels shipped / shipment capacity, over the window's shipments", 0.02),
    *_days("export.cycle", "Export return cycle", "出口退货周期",
           "days from hand-over abroad to delivery to the seller, of deliveries in the window"),
    Metric("export.port.{port}.entries", "Entries at {port}", "{port}入境申报量", "count", None, "count",
           "returns declared at the port in the window", 0.0, PORT),
    Metric("export.port.{port}.utilization", "Inspection utilisation at {port}", "{port}查验关员利用率", "share", None,
           "share", "busy / on-duty officer-hours of the port's entry inspection", 0.05, PORT),
    Metric("export.port.{port}.wait_mean_h", "Mean wait for inspection at {port} (h)", "{port}平均候检时间（小时）",
           "h", "lower", "time", "mean hours waiting for an entry inspection officer", 0.5, PORT),
], renamed=RENAMED)

HEADLINE = ("import.cycle.request_to_refund.mean_d", "import.cycle.request_to_refund.p90_d",
            "import.late_application_share", "import.late_arrival_share", "import.lost_tax_free.value_cny",
            "import.transit.mean_d", "import.share_tax_free", "import.cost.total_per_item_cny",
            "import.cost.reverse_transit_per_item_cny", "export.cycle.mean_d", "export.cycle.p90_d",
            "export.share_within_6_months", "export.cost.per_parcel_cny")

#: Time Release Study stages of an import return and of an export return (docs/returns.md)
IMPORT_FLOW = StageFlow("import", "Import return", "进口退货",
                        ("import.applied", "import.handed_over", "import.arrived", "import.received", "import.reviewed",
                         "import.inspected", "import.refunded"))
EXPORT_FLOW = StageFlow("export", "Export return", "出口退货",
                        ("export.handed_over", "export.consolidated", "export.entered", "export.entry_released",
                         "export.delivered"))
FLOWS = (IMPORT_FLOW, EXPORT_FLOW)

PAGE = Path(__file__).resolve().parents[2] / "docs" / "returns.md"


def document() -> str:
    """docs/returns.md with its generated part current."""
    return model_page.document(PAGE, Params, REGISTRY, FLOWS)


SPEC = ModelSpec(
    name="returns",
    summary="Cross-border e-commerce returns: import (1210) and export (9610) returns, and cross-district handling.",
    params_type=Params,
    build=build,
    metrics=metrics,
    validate=validate,
    registry=REGISTRY,
    headline=HEADLINE,
    document=document,
    stage_flows=FLOWS,
    needs_log=False,
)
