"""Workbooks for the Excel tests, made from the real template the way people change it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from xlplan.core.layout import HEADER_ROW, INPUT_SHEET, Kind, columns_for, heading_key, heading_keys


def columns(ws: Worksheet, sheet: str) -> dict[str, int]:
    keys = heading_keys(sheet)
    return {keys[heading_key(c.value)]: c.column for c in ws[HEADER_ROW]
            if heading_key(c.value) in keys}


def staff_edits(path: Path, *, new_row: bool = True) -> Path:
    """What staff do before pressing a button: new figures, a typo, stale marks, a new row."""
    wb = load_workbook(path)
    ws = wb[INPUT_SHEET["4-2"]]
    col = columns(ws, "4-2")
    ws.cell(HEADER_ROW + 1, col["projection"]).value = "50%"  # 60.76% → 50%: ◎ becomes △
    ws.cell(HEADER_ROW + 2, col["actual"]).value = "延15,3728人"  # digit-grouping typo
    ws41 = wb[INPUT_SHEET["4-1"]]
    c41 = columns(ws41, "4-1")
    ws41.cell(HEADER_ROW + 2, c41["projection"]).value = "－"  # falls back to the actual
    ws43 = wb[INPUT_SHEET["4-3"]]
    c43 = columns(ws43, "4-3")
    computed = [c43[c.key] for c in columns_for("4-3") if c.kind is Kind.COMPUTED]
    last = ws43.max_row
    for r in range(HEADER_ROW + 1, last + 1):  # marks nobody recomputed yet
        for c in computed:
            ws43.cell(r, c).value = None
    if new_row:
        for c in columns_for("4-3"):
            if c.kind is not Kind.COMPUTED and c.key != "id":
                ws43.cell(last + 1, c43[c.key]).value = ws43.cell(last, c43[c.key]).value
        ws43.cell(last + 1, c43["indicator"]).value = "オープンデータの公開件数（新規の指標）"
        ws43.cell(last + 1, c43["projection"]).value = "12件"
    wb.save(path)
    return path


def copy_of(path: Path, dest: Path) -> Path:
    shutil.copy2(path, dest)
    return dest


def roundtrip_json(data: Any) -> Any:
    """What the payload looks like after travelling as JSON (ints stay ints, as from VBA)."""
    return json.loads(json.dumps(data, ensure_ascii=False))


def grow(path: Path, total: int) -> Path:
    """Repeat the template's indicators until the input sheets hold ``total`` rows.

    Each sheet keeps its share of the 68 (12/48/8); copies get fresh IDs. The copies are
    real rows of the seed, so parsing, marks, checks and the report do their full work.
    """
    from xlplan.core.layout import SHEETS

    wb = load_workbook(path)
    shares = {"4-1": 12, "4-2": 48, "4-3": 8}
    want = {s: total * n // 68 for s, n in shares.items()}
    want["4-2"] += total - sum(want.values())
    for sheet in SHEETS:
        ws = wb[INPUT_SHEET[sheet]]
        col = columns(ws, sheet)
        first = HEADER_ROW + 1
        base = [[c.value for c in row] for row in ws.iter_rows(min_row=first, max_row=ws.max_row)]
        for i in range(len(base), want[sheet]):
            line = list(base[i % len(base)])
            line[col["id"] - 1] = f"{sheet}-{i + 1:05d}"
            ws.append(line)
        for i in range(len(base)):
            ws.cell(first + i, col["id"]).value = f"{sheet}-{i + 1:05d}"
    wb.save(path)
    return path
