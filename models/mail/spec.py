"""The mail model's contract: metric declarations, Time Release Study flows (UPU item
events), headline KPIs and model page, in one frozen `ModelSpec`.

Chinese labels use the terms of the international mail exchange office (国际邮件互换局):
申报 (presentation to customs), 查验 (inspection), 放行 (release), 扣留 (hold), 行邮税
(the postal article tax paid before release), 总包 / 邮袋 (receptacles).
"""

from __future__ import annotations

from pathlib import Path

from models.mail.calibration import CALIBRATION
from models.mail.metrics import hold_classes, metrics
from models.mail.model import build, validate
from models.mail.params import Params
from sim import model_page
from sim.metrics_registry import Metric, MetricRegistry, distribution_family
from sim.spec import ClassRule, ModelSpec, StageFlow

INBOUND_CLASS = {"class": "all|not_held|inspection|documents|duty"}
OUTBOUND_CLASS = {"class": "all|not_held|held"}
NAMED = {"name": r".+"}  # station and pool names hold dots (inbound.xray)


def _stage(prefix: str, label_en: str, label_zh: str, definition: str, parts: dict[str, str]) -> tuple[Metric, ...]:
    return distribution_family(prefix, label_en, label_zh, definition, parts=parts, with_count=False,
                               practical_threshold=0.5)


REGISTRY = MetricRegistry([
    *_stage("inbound.{class}.emd_edb", "Inbound scan to presentation to customs ({class})",
            "进口邮件扫描至向海关申报（{class}）",
            "item scan (EMD) to presentation to customs (EDB), over inbound items of the class dispatched (EMF) in "
            "the window", INBOUND_CLASS),
    *_stage("inbound.{class}.edb_edc", "Inbound customs time, presentation to release ({class})",
            "进口邮件申报至海关放行（{class}）",
            "presentation to customs (EDB) to release (EDC), elapsed customs time, over inbound items of the class "
            "dispatched in the window", INBOUND_CLASS),
    *_stage("inbound.{class}.emd_emf", "Inbound scan to dispatch ({class})", "进口邮件扫描至发运（{class}）",
            "item scan (EMD) to departure to the domestic network (EMF), over inbound items of the class dispatched "
            "in the window", INBOUND_CLASS),
    *_stage("inbound.{class}.customs_hold", "Inbound customs hold to release ({class})", "进口邮件海关扣留至放行（{class}）",
            "held by customs (EME) to release (EDC), customs time as UPU counts it, over held items of the class "
            "dispatched in the window", INBOUND_CLASS),
    Metric("inbound.{class}.dispatched", "Inbound items dispatched ({class})", "进口邮件发运量（{class}）", "count",
           None, "count", "inbound items of the class dispatched (EMF) in the window", 0.0, INBOUND_CLASS),
    Metric("inbound.within_24h_share", "Inbound items out within 24 h", "进口邮件24小时内发运比例", "share", "higher",
           "share", "share of inbound items dispatched in the window with EMD to EMF <= 24 h", 0.02),
    Metric("inbound.within_48h_share", "Inbound items out within 48 h", "进口邮件48小时内发运比例", "share", "higher",
           "share", "share of inbound items dispatched in the window with EMD to EMF <= 48 h", 0.02),
    Metric("inbound.hold_rate", "Inbound hold rate", "进口邮件扣留率", "share", None, "share",
           "share of items decided in the window that customs held (EME), any reason", 0.005),
    Metric("inbound.hold_rate.{reason}", "Inbound hold rate: {reason}", "进口邮件扣留率：{reason}", "share", None,
           "share", "share of items decided in the window held first for the reason (inspection, documents, duty "
           "— the postal article tax 行邮税)", 0.005, {"reason": "inspection|documents|duty"}),
    Metric("inbound.arrived", "Inbound items arrived", "进口邮件到达量", "count", None, "count",
           "inbound items arriving in the window", 0.0),
    Metric("inbound.dispatched", "Inbound items dispatched", "进口邮件发运量", "count", "higher", "count",
           "inbound items dispatched (EMF) in the window", 0.0),
    Metric("inbound.seized", "Inbound items seized", "进口邮件查扣量", "count", None, "count",
           "inbound items seized after inspection in the window", 0.0),
    Metric("inbound.returned", "Inbound items returned unpaid", "进口邮件未缴税退运量", "count", "lower", "count",
           "inbound items returned to sender unpaid after retention, in the window", 0.0),
    Metric("inbound.in_office_end", "Inbound items in the office at the end", "期末互换局内进口邮件", "count", "lower",
           "count", "inbound items in the office at the horizon (any state)", 0.0),
    Metric("{flow}.backlog_eod_mean", "Midnight backlog, mean ({flow})", "日终积压量均值（{flow}）", "items", "lower",
           "level", "items awaiting the office's or customs' own work at midnight (queues and service, release "
           "instructions, rehandling; not items waiting for an addressee, a truck or a flight), mean over the days "
           "of the window", 100.0, {"flow": "inbound|outbound"}),
    Metric("{flow}.backlog_eod_max", "Midnight backlog, maximum ({flow})", "日终积压量最大值（{flow}）", "items", "lower",
           "level", "largest midnight backlog of the flow in the window", 100.0, {"flow": "inbound|outbound"}),
    *_stage("outbound.{class}.emb_exa", "Outbound arrival to presentation to export customs ({class})",
            "出口邮件到达至向海关申报（{class}）",
            "arrival at the outward office (EMB) to presentation to export customs (EXA), over outbound items of the "
            "class dispatched (EMC) in the window", OUTBOUND_CLASS),
    *_stage("outbound.{class}.exa_exc", "Outbound export customs time ({class})", "出口邮件申报至海关放行（{class}）",
            "presentation to export customs (EXA) to release (EXC), over outbound items of the class dispatched in "
            "the window", OUTBOUND_CLASS),
    *_stage("outbound.{class}.emb_emc", "Outbound arrival to departure ({class})", "出口邮件到达至发运（{class}）",
            "arrival at the outward office (EMB) to departure (EMC), over outbound items of the class dispatched in "
            "the window", OUTBOUND_CLASS),
    *_stage("outbound.{mode}.emb_emc", "Outbound arrival to departure, {mode} mail", "出口{mode}邮件到达至发运",
            "EMB to EMC of outbound items on air or sea routes", {"mode": "air|sea"}),
    Metric("outbound.{class}.dispatched", "Outbound items dispatched ({class})", "出口邮件发运量（{class}）", "count",
           None, "count", "outbound items of the class dispatched (EMC) in the window", 0.0, OUTBOUND_CLASS),
    Metric("outbound.first_departure_share", "Outbound items on their first departure", "出口邮件首班发运比例",
           "share", "higher", "share",
           "share of outbound items dispatched in the window that left on the first departure of their route whose "
           "cut-off was at or after their arrival at the office (EMB)", 0.02),
    Metric("outbound.within_24h_share", "Outbound items out within 24 h", "出口邮件24小时内发运比例", "share", "higher",
           "share", "share of outbound items with EMB to EMC <= 24 h", 0.02),
    Metric("outbound.within_48h_share", "Outbound items out within 48 h", "出口邮件48小时内发运比例", "share", "higher",
           "share", "share of outbound items with EMB to EMC <= 48 h", 0.02),
    Metric("outbound.hold_rate", "Outbound hold rate", "出口邮件扣留率", "share", None, "share",
           "share of outbound items decided in the window held by export customs (EXB)", 0.005),
    Metric("outbound.arrived", "Outbound items arrived", "出口邮件到达量", "count", None, "count",
           "outbound items arriving (EMB) in the window", 0.0),
    Metric("outbound.dispatched", "Outbound items dispatched", "出口邮件发运量", "count", "higher", "count",
           "outbound items dispatched (EMC) in the window", 0.0),
    Metric("outbound.refused", "Outbound items refused export", "出口邮件不予放行量", "count", None, "count",
           "held outbound items refused export in the window", 0.0),
    Metric("outbound.in_office_end", "Outbound items in the office at the end", "期末互换局内出口邮件", "count",
           "lower", "count", "outbound items in the office at the horizon (any state)", 0.0),
    Metric("resource.{name}.utilization", "Utilisation of {name}", "{name}利用率", "share", None, "share",
           "busy server-hours / available server-hours in the window; pools: officers, inbound_xray, outbound_xray "
           "(lines), postal_staff, data_clerks, acceptance_staff", 0.05, NAMED),
    Metric("station.{name}.wait_mean_h", "Mean wait at {name} (h)", "{name}平均等待时间（小时）", "h", "lower", "time",
           "mean hours waiting for service, of services started in the window", 0.1, NAMED),
    Metric("system.throughput_per_day", "Items dispatched per day", "日均发运邮件量", "items/d", "higher", "rate",
           "inbound plus outbound items dispatched per day in the window", 100.0),
    Metric("system.arrivals_per_day", "Items arriving per day", "日均到达邮件量", "items/d", None, "rate",
           "inbound plus outbound items arriving per day in the window", 100.0),
])

HEADLINE = ("inbound.all.emd_emf.mean_h", "inbound.all.emd_emf.p90_h", "inbound.within_24h_share",
            "inbound.all.edb_edc.mean_h", "resource.officers.utilization", "station.inbound.xray.wait_mean_h")

#: UPU item events of an inbound item in order (EME, the hold, is not a stage: only held
#: items have it; it decides the class)
INBOUND_FLOW = StageFlow("inbound", "Inbound item", "进口邮件", ("EMD", "EDB", "EDC", "EMF"),
                         (ClassRule("held", has="EME"), ClassRule("not_held")))
#: UPU item events of an outbound item in order (EXB: held by export customs)
OUTBOUND_FLOW = StageFlow("outbound", "Outbound item", "出口邮件", ("EMB", "EXA", "EXC", "EMC"),
                          (ClassRule("held", has="EXB"), ClassRule("not_held")))
FLOWS = (INBOUND_FLOW, OUTBOUND_FLOW)

MILESTONES = ("EMD", "EDB", "EME", "EDC", "EMF", "EMB", "EXA", "EXB", "EXC", "EMC", "seized", "returned_to_sender",
              "refused_export")

PAGE = Path(__file__).resolve().parents[2] / "docs" / "mail.md"


def document() -> str:
    """docs/mail.md with its generated part current."""
    return model_page.document(PAGE, Params, REGISTRY, FLOWS, CALIBRATION)


SPEC = ModelSpec(
    name="mail",
    summary="The international mail exchange office (国际邮件互换局): inbound and outbound postal items.",
    params_type=Params,
    build=build,
    metrics=metrics,
    validate=validate,
    registry=REGISTRY,
    headline=HEADLINE,
    document=document,
    stage_flows=FLOWS,
    needs_log=False,  # the KPIs come from the items' own times, not from the milestone log
    milestones=MILESTONES,
    calibration=CALIBRATION,
)

__all__ = ["FLOWS", "HEADLINE", "REGISTRY", "SPEC", "hold_classes"]
