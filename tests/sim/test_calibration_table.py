"""The model page's calibration table lists every entry of a model's map."""

from __future__ import annotations

from models.mail.calibration import CALIBRATION as MAIL
from models.queue_network_calibration import CALIBRATION as NETWORK
from models.queue_network_calibration import PAGE_EXAMPLE
from sim.calibration_table import calibration_table


def test_each_entry_is_one_row_naming_its_parameter() -> None:
    lines = calibration_table(NETWORK, PAGE_EXAMPLE)
    entries = NETWORK.stages(PAGE_EXAMPLE)
    assert len(lines) == 2 + len(entries) + 1  # header, rows, the total
    for entry, line in zip(entries, lines[2:]):
        assert f"`params.{entry.parameter}`" in line and f"`{entry.begin}`" in line


def test_the_mail_map_reads_upu_events() -> None:
    text = "\n".join(calibration_table(MAIL, None))
    assert "`params.outbound.hold_rate`" in text and "`EXA`, `EXB`" in text
