"""Hand edits and stale report sheets, decided without a workbook (pure core).

``xlplan.core.report.report_findings`` is what both ``xlplan check`` and the ribbon's
check call; ``xlplan.core.meta`` places and reads the fingerprint rows of ``_xlplan``.
The report comes from the real template's rows.
"""

from __future__ import annotations

import pytest

from tests.helpers import master_of_workbook, report_items
from xlplan.core.findings import Level
from xlplan.core.meta import (
    last_used_row,
    meta_value,
    place_rows,
    report_fingerprints,
    report_fp_label,
)
from xlplan.core.report import (
    MAX_EDIT_FINDINGS,
    REPORT_NAMES,
    Reports,
    build_all,
    fingerprint,
    fingerprint_rows,
    report_findings,
)
from xlplan.engines.template import build_template


@pytest.fixture(scope="module")
def reports() -> Reports:
    master = master_of_workbook(build_template())
    return build_all(report_items(master), master.settings)


def _grids(reports: Reports) -> dict[str, list[list[object]]]:
    out: dict[str, list[list[object]]] = {
        rep.name: [list(r) for r in rep.grid()] for rep in reports.sheets.values()}
    out[reports.summary_sheet.name] = [list(r) for r in reports.summary_sheet.grid()]
    return out


def _stored(reports: Reports) -> dict[str, str | None]:
    return {label.removeprefix("report_fp."): fp for label, fp in fingerprint_rows(reports).items()}


def test_fingerprint_rows_name_every_report_sheet(reports: Reports) -> None:
    rows = fingerprint_rows(reports)
    assert list(rows) == [f"report_fp.{n}" for n in REPORT_NAMES]
    assert all(len(v) == 32 and int(v, 16) >= 0 for v in rows.values())


def test_fresh_report_sheets_give_no_finding(reports: Reports) -> None:
    assert report_findings(_grids(reports), _stored(reports), reports) == []
    assert report_findings({}, {}, reports) == []  # no report sheet in the workbook


def test_a_hand_edit_is_reported_per_cell_with_the_input_cell_to_fix(reports: Reports) -> None:
    current = _grids(reports)
    rep = reports.sheets["4-2"]
    row = rep.rows[4]
    col = rep.column_index("mark")
    current["資料4-2"][row.row - 1][col - 1] = "○"
    found = report_findings(current, _stored(reports), reports)
    assert len(found) == 1
    f = found[0]
    assert (f.code, f.level, f.sheet, f.row_id) == ("report_edited", Level.WARNING, "資料4-2", row.id)
    assert f.cell.endswith(str(row.row)) and "「○」" in f.message
    assert row.source_tab in f.fix


def test_many_hand_edits_are_counted_in_one_more_finding(reports: Reports) -> None:
    current = _grids(reports)
    current["資料4-1"] = [["手入力"] * 3 for _ in range(8)]
    found = report_findings(current, _stored(reports), reports)
    assert [f.code for f in found] == ["report_edited"] * MAX_EDIT_FINDINGS + ["report_edited_more"]
    assert found[-1].cell == "" and "ほかに" in found[-1].message


def test_a_sheet_that_matches_its_fingerprint_is_only_stale(reports: Reports) -> None:
    old = [list(r) for r in reports.sheets["4-3"].grid()]
    old[3][5] = "前回の値"  # what render wrote last time, from the input as it was then
    current = {"資料4-3": old}
    found = report_findings(current, {"資料4-3": fingerprint(old)}, reports)
    assert [(f.code, f.level, f.sheet, f.cell) for f in found] == \
        [("report_stale", Level.INFO, "資料4-3", "")]
    # Without a fingerprint the same sheet can only be compared cell by cell.
    assert [f.code for f in report_findings(current, {"資料4-3": None}, reports)] == ["report_edited"]
    assert [f.code for f in report_findings(current, {}, reports)] == ["report_edited"]


def test_findings_follow_the_workbook_order_of_the_report_sheets(reports: Reports) -> None:
    current = _grids(reports)
    current["集計"][0][0] = "x"
    current["資料4-1"][0][0] = "y"
    found = report_findings(dict(reversed(current.items())), {}, reports)
    assert [f.sheet for f in found] == ["資料4-1", "集計"]


# ------------------------------------------------------------------ _xlplan rows

ENTRIES = {report_fp_label("資料4-1"): "aa", report_fp_label("集計"): "bb"}
BASE: list[list[object]] = [["template_version", "xlplan-template-1"], ["note", "…"]]


def test_new_fingerprint_rows_go_after_the_last_used_row() -> None:
    grid = [*BASE, [None, None], ["master_id", "m"], [None], []]
    assert last_used_row(grid) == 4
    assert place_rows(grid, ENTRIES) == (5, [["report_fp.資料4-1", "aa"], ["report_fp.集計", "bb"]])
    assert place_rows([], ENTRIES)[0] == 1


def test_existing_fingerprint_rows_are_rewritten_in_place() -> None:
    grid = [*BASE, ["report_fp.集計", "old2"], ["report_fp.資料4-1", "old1"], ["issue", "x"]]
    assert place_rows(grid, ENTRIES) == (3, [["report_fp.集計", "bb"], ["report_fp.資料4-1", "aa"]])


def test_scattered_or_partial_rows_are_appended_and_the_last_wins() -> None:
    scattered = [*BASE, ["report_fp.資料4-1", "old1"], ["issue", "x"], ["report_fp.集計", "old2"]]
    first, rows = place_rows(scattered, ENTRIES)
    assert first == 6
    after = [*scattered, *rows]
    assert report_fingerprints(after) == {"資料4-1": "aa", "集計": "bb"}
    partial = [*BASE, ["report_fp.資料4-1", "old1"]]
    assert place_rows(partial, ENTRIES)[0] == 4


def test_reading_fingerprints_and_values() -> None:
    grid: list[list[object]] = [*BASE, [" report_fp.資料4-2 ", " cafe "], ["report_fp.資料4-3", None],
                                ["master_id", "m1"], ["master_id", "m2"]]
    assert report_fingerprints(grid) == {"資料4-2": "cafe"}
    assert meta_value(grid, "master_id") == "m1"  # other labels: the first row
    assert meta_value(grid, "missing") is None
