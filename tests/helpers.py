"""Small helpers for tests that read workbooks cell by cell."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from xlplan.core.layout import INPUT_SHEET, SHEETS, Kind, columns_for, heading_key, heading_keys


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
