"""Shared helpers for the round-trip tests (split, merge, rollover): no tests here.

The template is built once per test session from the real seed transcription
(:func:`xlplan.engines.template.build_template`); every test copies its bytes. Returned
copies are edited the way staff edit them, cell by cell through openpyxl, and saved
with a ``lastModifiedBy`` as Excel would write it.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from functools import cache
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from xlplan.core.layout import INPUT_SHEET, columns_for
from xlplan.core.sheetread import locate

T0 = datetime(2021, 1, 15, 9, 0, 0)  # issue time used by the tests
T1 = datetime(2021, 2, 1, 17, 30, 0)  # merge time

CellMap = dict[tuple[str, str], object]


@cache
def template_bytes() -> bytes:
    from xlplan.engines.template import build_template

    buf = io.BytesIO()
    build_template().save(buf)
    return buf.getvalue()


def new_master(folder: Path, name: str = "資料4_master.xlsx") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(template_bytes())
    return path


def cells(path_or_wb: Path | Workbook, *, skip_sheets: Iterable[str] = ()) -> CellMap:
    """Every non-empty cell of a workbook, keyed (sheet, coordinate)."""
    wb = path_or_wb if isinstance(path_or_wb, Workbook) else load_workbook(path_or_wb)
    skip = set(skip_sheets)
    out: CellMap = {}
    for ws in wb.worksheets:
        if ws.title in skip:
            continue
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    out[(ws.title, c.coordinate)] = c.value
    return out


def diff(before: CellMap, after: CellMap) -> dict[tuple[str, str], tuple[object, object]]:
    """(sheet, cell) → (before, after) for every cell that differs."""
    keys = set(before) | set(after)
    return {k: (before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)}


def computed_cells(path_or_wb: Path | Workbook) -> set[tuple[str, str]]:
    """The cells of computed columns (recompute may rewrite them)."""
    wb = path_or_wb if isinstance(path_or_wb, Workbook) else load_workbook(path_or_wb)
    out = set()
    for sheet, tab in INPUT_SHEET.items():
        ws = wb[tab]
        lay = layout_of(ws, sheet)
        keys = [c.key for c in columns_for(sheet) if c.kind.value == "computed"]
        for k in keys:
            col = lay.cols[k]
            for r in range(lay.header_row + 1, ws.max_row + 1):
                out.add((tab, ws.cell(r, col).coordinate))
    return out


def layout_of(ws: Worksheet, sheet: str):  # type: ignore[no-untyped-def]
    grid = list(ws.iter_rows(values_only=True))
    lay, _ = locate(sheet, ws.title, grid)
    assert lay is not None
    return lay


def row_of(ws: Worksheet, sheet: str, row_id: str) -> int:
    lay = layout_of(ws, sheet)
    for r in range(lay.header_row + 1, ws.max_row + 1):
        if ws.cell(r, lay.cols["id"]).value == row_id:
            return r
    raise KeyError(row_id)


def addr(ws: Worksheet, sheet: str, row_id: str, key: str) -> str:
    lay = layout_of(ws, sheet)
    return ws.cell(row_of(ws, sheet, row_id), lay.cols[key]).coordinate


def sheet_of(row_id: str) -> str:
    return row_id.rsplit("-", 1)[0]


def value_at(path_or_wb: Path | Workbook, row_id: str, key: str) -> object:
    wb = path_or_wb if isinstance(path_or_wb, Workbook) else load_workbook(path_or_wb)
    sheet = sheet_of(row_id)
    ws = wb[INPUT_SHEET[sheet]]
    return ws[addr(ws, sheet, row_id, key)].value


def edit(src: Path, dest: Path | None = None, values: Mapping[tuple[str, str], object] = {},
         *, by: str = "山田 花子",
         also: Callable[[Workbook], None] | None = None) -> Path:
    """Edit a copy as staff would: type values into cells found by ID and column, save.

    ``values``: (row ID, column key) → new value.
    """
    wb = load_workbook(src)
    for (rid, key), v in values.items():
        sheet = sheet_of(rid)
        ws = wb[INPUT_SHEET[sheet]]
        ws[addr(ws, sheet, rid, key)].value = v
    if also is not None:
        also(wb)
    wb.properties.lastModifiedBy = by
    out = dest or src
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def edit_master(path: Path, values: Mapping[tuple[str, str], object]) -> None:
    """The secretariat typing into the master after the copies went out."""
    edit(path, None, values, by="事務局")


def copy_to(src: Path, folder: Path, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / (name or src.name)
    shutil.copyfile(src, dest)
    return dest


@cache
def _issued_by_sheet() -> tuple[bytes, tuple[tuple[str, bytes], ...]]:
    import tempfile

    from xlplan.files import split_file as split_master

    with tempfile.TemporaryDirectory() as d:
        master = new_master(Path(d))
        res = split_master(master, Path(d) / "out", by="sheet", now=T0)
        return master.read_bytes(), tuple((f.group, f.path.read_bytes()) for f in res.files)


def issued(folder: Path) -> tuple[Path, dict[str, Path]]:
    """A master split by sheet at T0, and its three copies ("4-1", "4-2", "4-3")."""
    master_bytes, copies = _issued_by_sheet()
    folder.mkdir(parents=True, exist_ok=True)
    master = folder / "資料4_master.xlsx"
    master.write_bytes(master_bytes)
    out = {}
    for group, data in copies:
        p = folder / "sent" / f"資料4_master_{group}.xlsx"
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(data)
        out[group] = p
    return master, out


def changed_outside(before: CellMap, after: CellMap, allowed: Iterable[tuple[str, str]],
                    computed: set[tuple[str, str]]) -> dict[tuple[str, str], tuple[object, object]]:
    """Cells that changed other than ``allowed``, computed cells, 変更履歴, _xlplan and the
    回収状況 sheet rebuilt from it."""
    from xlplan.core.layout import CHANGES_SHEET, META_SHEET, STATUS_SHEET

    ok = set(allowed) | computed
    return {k: v for k, v in diff(before, after).items()
            if k not in ok and k[0] not in (CHANGES_SHEET, META_SHEET, STATUS_SHEET)}
