"""Reading by meaning: columns by heading, rows by ID; what does not fit is a finding."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from tests.helpers import master_of
from xlplan.actions.export import records
from xlplan.core.layout import INPUT_SHEET


def _records(path: Path) -> dict[str, dict[str, object]]:
    return {r["id"]: r for r in records(master_of(path))}


def test_added_and_reordered_columns_and_next_years_heading_read_the_same(master: Path) -> None:
    exp = _records(master)
    wb = load_workbook(master)
    ws = wb[INPUT_SHEET["4-2"]]
    ws.protection.sheet = False
    ws.insert_cols(3)  # a column the secretariat added for its own notes
    ws.cell(3, 3, "備考（事務局メモ）")
    ws.cell(10, 3, "電話で確認済み")
    # move the 成果指標 column to the far right
    ind_col = next(c.column for c in ws[3] if c.value == "成果指標")
    last = ws.max_column + 1
    for r in range(3, ws.max_row + 1):
        ws.cell(r, last).value = ws.cell(r, ind_col).value
        ws.cell(r, ind_col).value = None
    ws.cell(3, ind_col, "空き列")
    # next year's wording of a year-dependent heading, with full-width digits
    act = next(c for c in ws[3] if c.value == "令和2年度実績値")
    act.value = "令和３年度実績値"
    del ws.tables["Input42"]
    wb.save(master)
    got = _records(master)
    assert got == exp


def test_layout_problems_are_findings_naming_sheet_and_cell(master: Path) -> None:
    wb = load_workbook(master)
    ws = wb[INPUT_SHEET["4-3"]]
    ws.protection.sheet = False
    ws["A6"] = ws["A5"].value  # duplicate ID
    base_col = next(c.column_letter for c in ws[3] if str(c.value).startswith("基準値"))
    ws[f"{base_col}7"] = "=1+1"  # a formula where a value is typed
    ws[f"{base_col}8"] = "#REF!"
    del ws.tables["Input43"]
    ws.merge_cells("E9:E10")
    del wb[INPUT_SHEET["4-1"]]
    wb.save(master)
    m = master_of(master)
    by_code = {(f.code, f.sheet, f.cell) for f in m.findings}
    assert ("duplicate_id", "4-3入力", "A6") in by_code
    assert ("formula_in_input", "4-3入力", f"{base_col}7") in by_code
    assert ("excel_error", "4-3入力", f"{base_col}8") in by_code
    assert ("merged_cells", "4-3入力", "E9:E10") in by_code
    assert ("sheet_missing", "4-1入力", "") in by_code
    assert all(f.message and f.fix for f in m.findings)


def test_missing_heading_is_an_error(master: Path) -> None:
    wb = load_workbook(master)
    ws = wb[INPUT_SHEET["4-2"]]
    for c in ws[3]:
        if c.value == "最終目標（令和3年度）":
            c.value = "目標"
    del ws.tables["Input42"]
    wb.save(master)
    m = master_of(master)
    missing = [f for f in m.findings if f.code == "heading_missing"]
    assert len(missing) == 1 and "最終目標" in missing[0].message
    assert missing[0].level.value == "error"
