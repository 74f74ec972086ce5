"""Small helpers for tests that read workbooks cell by cell."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from xlplan.core.layout import (
    INPUT_SHEET,
    SETTINGS_SHEET,
    SHEETS,
    Kind,
    columns_for,
    heading_key,
    heading_keys,
)


def input_cells(path: Path) -> dict[tuple[str, str], object]:
    """Every cell of every input column (typed by people) in the input sheets."""
    wb = load_workbook(path)
    out: dict[tuple[str, str], object] = {}
    for sheet in SHEETS:
        ws = wb[INPUT_SHEET[sheet]]
        keys = heading_keys(sheet)
        kinds = {c.key: c.kind for c in columns_for(sheet)}
        header = next(r for r in range(1, 10)
                      if sum(heading_key(c.value) in keys for c in ws[r]) > 5)
        for c in ws[header]:
            key = keys.get(heading_key(c.value))
            if key is None or kinds[key] is Kind.COMPUTED:
                continue
            for r in range(header, ws.max_row + 1):
                cell = ws.cell(r, c.column)
                out[(ws.title, cell.coordinate)] = cell.value
    return out


def computed_cells(path: Path, sheet: str) -> dict[str, list[object]]:
    """Computed column key → values top to bottom, for one input sheet."""
    wb = load_workbook(path)
    ws = wb[INPUT_SHEET[sheet]]
    keys = heading_keys(sheet)
    kinds = {c.key: c.kind for c in columns_for(sheet)}
    header = next(r for r in range(1, 10) if sum(heading_key(c.value) in keys for c in ws[r]) > 5)
    out: dict[str, list[object]] = {}
    for c in ws[header]:
        key = keys.get(heading_key(c.value))
        if key is not None and kinds[key] is Kind.COMPUTED:
            out[key] = [ws.cell(r, c.column).value for r in range(header + 1, ws.max_row + 1)]
    return out


def master_of(path: Path):  # type: ignore[no-untyped-def]
    """The master as every action reads it (settings, input rows, findings)."""
    from xlplan.actions.base import read_master
    from xlplan.engines.xlsx import XlsxEngine

    return read_master(XlsxEngine(path), require_version=False)


def sheet_grid(path: Path, name: str) -> list[tuple[object, ...]]:
    """One sheet's values (formulas as their text), [] when the sheet is missing."""
    wb = load_workbook(path)
    return list(wb[name].iter_rows(values_only=True)) if name in wb.sheetnames else []


def template_version_of(path: Path) -> str | None:
    from xlplan.core.layout import META_SHEET
    from xlplan.core.meta import template_version

    return template_version(sheet_grid(path, META_SHEET))


def master_of_workbook(wb):  # type: ignore[no-untyped-def]
    """The master read from an openpyxl workbook in memory."""
    from xlplan.actions.base import read_master
    from xlplan.engines.xlsx import XlsxEngine

    return read_master(XlsxEngine.of(wb, "資料4.xlsx"), require_version=False)


def report_items(master):  # type: ignore[no-untyped-def]
    """Each input sheet's rows with their computed results (what the report lays out)."""
    from xlplan.actions.base import compute_all

    results = compute_all(master)
    return {key: [(r, results[(key, r.row)]) for r in s.rows] for key, s in master.inputs.items()}


def layouts_of(master):  # type: ignore[no-untyped-def]
    from xlplan.core.report import build_all

    return build_all(report_items(master), master.settings)


def report_findings_of(wb):  # type: ignore[no-untyped-def]
    """What `xlplan check` says about the report sheets of ``wb`` (hand edits, stale)."""
    from xlplan.actions.base import read_master
    from xlplan.actions.check import report_check
    from xlplan.core.report import REPORT_NAMES
    from xlplan.engines.xlsx import XlsxEngine

    engine = XlsxEngine.of(wb, "資料4.xlsx")
    master = read_master(engine, REPORT_NAMES)
    return report_check(engine, master, lambda: layouts_of(master))


def records_of(table, source):  # type: ignore[no-untyped-def]
    """A log table's records (変更履歴, 過去実績, 目標変更履歴) in a file or workbook."""
    from openpyxl.workbook.workbook import Workbook

    wb = source if isinstance(source, Workbook) else load_workbook(source)
    if table.sheet not in wb.sheetnames:
        return []
    return table.records(list(wb[table.sheet].iter_rows(values_only=True)))


def add_table_sheet(wb, table):  # type: ignore[no-untyped-def]
    """The secretariat adding a log sheet by hand: headings in row 1."""
    ws = wb.create_sheet(table.sheet)
    for j, h in enumerate(table.headings, start=1):
        ws.cell(1, j, h)
    return ws


def set_setting(path: Path, label: str, value: object) -> str:
    """Type ``value`` into the 設定 row labelled ``label`` (as the secretariat would) and
    save; returns the cell's address."""
    wb = load_workbook(path)
    ws = wb[SETTINGS_SHEET]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label)
    ws.cell(row, 2).value = value
    wb.save(path)
    return f"B{row}"
