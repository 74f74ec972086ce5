"""The master workbook through openpyxl: read by meaning, write computed columns only."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from xlplan.book.settings_sheet import read_settings
from xlplan.core.compute import COMPUTED_KEYS, RowResult, compute_row
from xlplan.core.findings import Finding, Level
from xlplan.core.layout import INPUT_SHEET, SHEETS
from xlplan.core.model import RowData
from xlplan.core.settings import Settings
from xlplan.core.sheetread import SheetLayout, locate, next_ids, rows_from_grid


@dataclass
class MasterSheet:
    layout: SheetLayout
    ws: Worksheet
    rows: list[RowData]


@dataclass
class Master:
    wb: Workbook
    settings: Settings
    sheets: dict[str, MasterSheet]
    findings: list[Finding] = field(default_factory=list)
    path: Path | None = None

    def all_rows(self) -> list[RowData]:
        return [r for s in self.sheets.values() for r in s.rows]


def grid_of(ws: Worksheet) -> list[tuple[object, ...]]:
    """The whole sheet as one block of values (formulas as their text)."""
    return list(ws.iter_rows(values_only=True))


def _merged_in_data(ws: Worksheet, layout: SheetLayout) -> list[Finding]:
    out = []
    lo, hi = min(layout.cols.values()), max(layout.cols.values())
    for rng in ws.merged_cells.ranges:
        if rng.max_row > layout.header_row and rng.min_col <= hi and rng.max_col >= lo:
            out.append(Finding(
                "merged_cells", Level.ERROR, ws.title, rng.coord,
                f"データ範囲に結合セル（{rng.coord}）があります。1行1指標で読めません。",
                "「セルを結合して中央揃え」を解除し、各行に値を入れてください。"))
    return out


def read_master(wb: Workbook, path: Path | None = None) -> Master:
    settings, findings = read_settings(wb)
    sheets: dict[str, MasterSheet] = {}
    for key in SHEETS:
        tab = INPUT_SHEET[key]
        if tab not in wb.sheetnames:
            findings.append(Finding(
                "sheet_missing", Level.ERROR, tab, "",
                f"シート「{tab}」がありません。",
                "シートを削除・改名していないか確認し、テンプレートの名前に戻してください。"))
            continue
        ws = wb[tab]
        grid = grid_of(ws)
        layout, f1 = locate(key, tab, grid)
        findings += f1
        if layout is None:
            continue
        findings += _merged_in_data(ws, layout)
        rows, f2 = rows_from_grid(layout, grid)
        findings += f2
        sheets[key] = MasterSheet(layout, ws, rows)
    return Master(wb, settings, sheets, findings, path)


@dataclass
class RecomputeResult:
    master: Master
    results: dict[tuple[str, int], RowResult]  # (sheet, row) → result
    changed_cells: int
    assigned_ids: list[str]


def compute_all(master: Master) -> dict[tuple[str, int], RowResult]:
    return {(r.sheet, r.row): compute_row(r.sheet, r.values, master.settings)
            for r in master.all_rows()}


def recompute(master: Master) -> RecomputeResult:
    """Write the computed columns (and IDs of new rows); typed cells are never touched.

    Everything is computed before anything is written, and a cell is only written when
    its value changes, so running twice changes nothing the second time.
    """
    results = compute_all(master)
    changed = 0
    assigned: list[str] = []
    for key, sheet in master.sheets.items():
        lay = sheet.layout
        ws = sheet.ws
        writable = [k for k in COMPUTED_KEYS if k in lay.cols]
        missing_id = [r for r in sheet.rows if not r.id]
        if missing_id and "id" in lay.cols:
            new = next_ids(key, [r.id for r in sheet.rows], len(missing_id))
            for r, nid in zip(missing_id, new, strict=True):
                ws.cell(r.row, lay.cols["id"]).value = nid
                assigned.append(nid)
                changed += 1
        for r in sheet.rows:
            values = results[(key, r.row)].values
            for k in writable:
                cell = ws.cell(r.row, lay.cols[k])
                new_v = values[k]
                if new_v == "":
                    new_v = None
                if cell.value != new_v:
                    cell.value = new_v
                    changed += 1
                if k == "progress" and cell.number_format == "General":
                    cell.number_format = "0.0%"
    return RecomputeResult(master, results, changed, assigned)


def recompute_workbook(wb: Workbook) -> RecomputeResult:
    return recompute(read_master(wb))
