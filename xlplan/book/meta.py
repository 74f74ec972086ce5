"""The hidden ``_xlplan`` sheet through openpyxl: read it, add, change and drop rows.

Key/value rows, label in column A (see :mod:`xlplan.core.meta` for the labels and the
pure reading). Used by the round trip (master ID, issue and merge logs, stamps) and by
the report writer (each report sheet's fingerprint).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from xlplan.core.layout import META_SHEET, TEMPLATE_VERSION
from xlplan.core.meta import place_rows


def meta_ws(wb: Workbook) -> Worksheet:
    """The ``_xlplan`` sheet, created (hidden, with the template version) when missing."""
    if META_SHEET in wb.sheetnames:
        return wb[META_SHEET]
    ws = wb.create_sheet(META_SHEET)
    ws["A1"], ws["B1"] = "template_version", TEMPLATE_VERSION
    ws.sheet_state = "hidden"
    return ws


def meta_grid(wb: Workbook) -> list[tuple[object, ...]]:
    """Every value of ``_xlplan`` as rows ([] when the sheet is missing)."""
    return list(wb[META_SHEET].iter_rows(values_only=True)) if META_SHEET in wb.sheetnames else []


def meta_drop(ws: Worksheet, labels: Callable[[str], bool]) -> None:
    """Delete every row whose column-A label matches (bottom up, so indexes hold)."""
    for r in range(ws.max_row, 0, -1):
        v = ws.cell(r, 1).value
        if isinstance(v, str) and labels(v.strip()):
            ws.delete_rows(r, 1)


def meta_append(ws: Worksheet, values: Sequence[object]) -> None:
    """One more row after the last row that holds something in columns A–C."""
    r = ws.max_row + 1
    while r > 1 and all(ws.cell(r - 1, c).value is None for c in range(1, 4)):
        r -= 1
    for c, v in enumerate(values, start=1):
        set_text(ws.cell(r, c), v)


def meta_set(ws: Worksheet, label: str, value: str) -> None:
    """Column B of the first row labelled ``label``, or a new row."""
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value == label:
            ws.cell(r, 2).value = value
            return
    meta_append(ws, [label, value])


def meta_put(ws: Worksheet, entries: Mapping[str, str]) -> None:
    """Set several labels at once, placed as :func:`xlplan.core.meta.place_rows` says
    (the same rows the xlwings adapter writes as one block)."""
    first, rows = place_rows(list(ws.iter_rows(values_only=True)), entries)
    for i, line in enumerate(rows):
        for j, v in enumerate(line, start=1):
            set_text(ws.cell(first + i, j), v)


# Report fingerprints were once stored as defined names with constant values; xlwings'
# VBA client does not send such names, so the ribbon could not read them.
LEGACY_FP_PREFIX = "xlplan_report_fp_"


def drop_legacy_fingerprints(wb: Workbook) -> None:
    """Remove the ``xlplan_report_fp_*`` defined names an older xlplan wrote."""
    for name in [n for n in wb.defined_names if n.startswith(LEGACY_FP_PREFIX)]:
        del wb.defined_names[name]


def set_text(cell: Any, v: object) -> None:
    """Write a value; text that starts with '=' stays text, never becomes a formula."""
    cell.value = v
    if isinstance(v, str) and v.startswith("="):
        cell.data_type = "s"
