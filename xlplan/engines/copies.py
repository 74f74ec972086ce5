"""The copies split sends out, written from the master file with openpyxl.

Each copy is the master itself (same template version, styles, validation, protection)
holding only its group's rows, its 設定 and its rows' 過去実績, stamped in ``_xlplan``
with the master's ID, the issue time and a fingerprint of every issued row. The printed
reports, 集計, 変更履歴, チェック結果 and the secretariat's own sheets stay behind.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.styles import Protection
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.worksheet.worksheet import Worksheet

from xlplan.core import merge as core
from xlplan.core.layout import (
    HISTORY_SHEET,
    INPUT_SHEET,
    META_SHEET,
    SETTINGS_SHEET,
    SHEETS,
    TABLE_NAME,
    Kind,
    columns_for,
)
from xlplan.core.logs import HISTORY
from xlplan.core.meta import is_report_fp, meta_label
from xlplan.core.sheetread import locate, rows_of
from xlplan.core.texts import GROUP_WORDS, refuse, say
from xlplan.engines.returned import ISSUER
from xlplan.engines.xlsx import atomic_write, openpyxl_bytes, read_sheet
from xlplan.ooxml import Package

# Sheets a copy keeps; everything else stays in the master.
COPY_SHEETS = (*INPUT_SHEET.values(), SETTINGS_SHEET, HISTORY_SHEET, META_SHEET)
# _xlplan rows a copy must not carry over from its master.
MASTER_ONLY = (core.MASTER_ID, core.ISSUE_LOG, core.MERGE_LOG, core.RETURN_LOG, core.ROLLED_FROM)


def not_carried(pkg: Package) -> list[str]:
    """What the copies (written through openpyxl) do not carry of what the master holds on
    the sheets a copy keeps, in words for a finding: "テキストボックス・図形（4-2入力）"."""
    from xlplan.core.texts import UI

    seen: dict[str, None] = {}
    for item in pkg.inventory():
        if not item.openpyxl_drops or item.what == "rich text":  # rich text is loaded as such
            continue
        if item.sheet is not None and item.sheet not in COPY_SHEETS:
            continue  # that sheet stays behind anyway
        what = UI.get(f"part.{item.what}", item.what)
        seen.setdefault(say("part.where", what=what, sheet=item.sheet) if item.sheet else what)
    return list(seen)


def copy_bytes(master: bytes, keep: set[str], stamp: core.Stamp, label: str) -> bytes:
    """The copy for one group (rows ``keep``), as file bytes; made before anything is
    written, so that a master the copies cannot be made from changes nothing."""
    try:
        wb = load_workbook(io.BytesIO(openpyxl_bytes(master)), rich_text=True)
    except Exception as e:  # openpyxl cannot load what Excel could not have saved
        raise refuse("corrupt", label, what=say("file.copy_unmakeable"),
                     detail=f"{type(e).__name__}: {str(e)[:200]}") from e
    make_copy(wb, keep, stamp)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_copy(data: bytes, path: Path) -> None:
    """Write a copy made by :func:`copy_bytes` to ``path``, atomically."""
    atomic_write(path, lambda tmp: Path(tmp).write_bytes(data))


def make_copy(wb: Workbook, keep: set[str], stamp: core.Stamp) -> None:
    """Turn a fresh load of the master into the copy for one group."""
    for ws in [*wb.worksheets, *wb.chartsheets]:
        if ws.title not in COPY_SHEETS or not isinstance(ws, Worksheet):
            wb.remove(ws)
    for name in list(wb.defined_names):
        if _removed_names(wb, wb.defined_names[name].attr_text or ""):
            del wb.defined_names[name]
    first_with_rows = None
    for key in SHEETS:
        tab = INPUT_SHEET[key]
        if tab not in wb.sheetnames:
            continue
        ws = wb[tab]
        read = read_sheet(ws)
        lay, _ = locate(key, tab, read.values, dict(read.tables))
        if lay is None:
            continue
        rows, _ = rows_of(lay, read)
        kept = [r for r in rows if r.id in keep]
        if kept and first_with_rows is None:
            first_with_rows = ws
        heights = [ws.row_dimensions[r.row].height for r in kept]
        drop = sorted((r.row for r in rows if r.id not in keep), reverse=True)
        for start, n in runs(drop):
            delete_rows(ws, start, n)
        first = lay.header_row + 1
        last = first + len(kept) - 1
        for i, h in enumerate(heights):
            ws.row_dimensions[first + i].height = h
        for r in list(ws.row_dimensions):
            if r > last:
                del ws.row_dimensions[r]
        locked = [c for c in columns_for(key)
                  if c.kind is not Kind.COMPUTED and not c.editable_by_staff and c.key in lay.cols]
        for i in range(len(kept)):
            for c in locked:
                ws.cell(first + i, lay.cols[c.key]).protection = Protection(locked=True)
        _fit_table(ws, key, max(last, first))
    if HISTORY_SHEET in wb.sheetnames:
        ws = wb[HISTORY_SHEET]
        recs = HISTORY.records(read_sheet(ws).values)
        drop = sorted((int(str(r["_row"])) for r in recs if str(r.get("id") or "") not in keep),
                      reverse=True)
        for start, n in runs(drop):
            delete_rows(ws, start, n)
    meta = wb[META_SHEET]
    _drop_meta(meta, lambda s: s in MASTER_ONLY or s.startswith(core.STAMP_PREFIX)
               or is_report_fp(s))
    for line in core.stamp_rows(stamp):
        _append(meta, line)
    meta.sheet_state = "veryHidden"
    meta.protection = SheetProtection(sheet=True)
    wb.properties.lastModifiedBy = ISSUER
    wb.properties.subject = f"{GROUP_WORDS.get(stamp.group_by, stamp.group_by)}：{stamp.group}"
    wb.properties.keywords = f"xlplan issue {stamp.issue_id}"
    if first_with_rows is not None:
        wb.active = wb.worksheets.index(first_with_rows)
        for ws in wb.worksheets:
            ws.sheet_view.tabSelected = ws is first_with_rows


def _drop_meta(ws: Worksheet, labels: Callable[[str], bool]) -> None:
    for r in range(ws.max_row, 0, -1):
        if labels(meta_label([ws.cell(r, 1).value])):
            delete_rows(ws, r, 1)


def _append(ws: Worksheet, values: Sequence[object]) -> None:
    from xlplan.engines.xlsx import put

    r = ws.max_row + 1
    while r > 1 and all(ws.cell(r - 1, c).value is None for c in range(1, 4)):
        r -= 1
    for c, v in enumerate(values, start=1):
        put(ws, r, c, v)


def _removed_names(wb: Workbook, text: str) -> list[str]:
    """Sheet names a defined name refers to that the copy no longer has."""
    refs = re.findall(r"'((?:[^']|'')+)'!|([^\s'!=,()]+)!", text)
    names = [a.replace("''", "'") or b for a, b in refs]
    return [n for n in names if n not in wb.sheetnames]


def delete_rows(ws: Worksheet, idx: int, amount: int) -> None:
    """Delete rows ``idx`` … ``idx + amount - 1``, moving the cells below up.

    openpyxl's own ``delete_rows`` visits every cell of the used rectangle, so one stray
    value in ``XFD1048576`` makes it build billions of cells; this moves only the cells the
    sheet holds (formulas are not translated, as there)."""
    kept: dict[tuple[int, int], Any] = {}
    for (r, c), cell in ws._cells.items():
        if r < idx:
            kept[(r, c)] = cell
        elif r >= idx + amount:
            cell.row = r - amount
            kept[(r - amount, c)] = cell
    ws._cells = kept
    ws._current_row = max((r for r, _ in kept), default=0)


def runs(rows_desc: Sequence[int]) -> list[tuple[int, int]]:
    """Descending row numbers → (start, count) runs, bottom first, for delete_rows."""
    out: list[tuple[int, int]] = []
    for r in rows_desc:
        if out and out[-1][0] == r + 1:
            out[-1] = (r, out[-1][1] + 1)
        else:
            out.append((r, 1))
    return out


def _fit_table(ws: Worksheet, sheet: str, last_row: int) -> None:
    table = ws.tables.get(TABLE_NAME[sheet])
    if table is None:
        return
    start, end = table.ref.split(":")
    col = re.match(r"[A-Z]+", end)
    assert col is not None
    table.ref = f"{start}:{col.group(0)}{last_row}"
    if table.autoFilter is not None:
        table.autoFilter.ref = table.ref
