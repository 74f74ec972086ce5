"""One visible workbook comparator: everything the template relies on, as plain data.

``dump_workbook`` turns a workbook into JSON-able data (cell values and styles, merges,
validations, conditional formats, tables, defined names, protection, print settings,
column widths, charts). Tests compare dumps: the committed template against a fresh
build, a workbook before and after a load/save round trip, a golden report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet


def _cells(ws: Worksheet) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is None and c.style == "Normal" and not c.has_style:
                continue
            entry: dict[str, Any] = {}
            if c.value is not None:
                entry["v"] = c.value if isinstance(c.value, (str, int, float, bool)) else str(c.value)
            if c.has_style:
                entry["style"] = c.style
                if c.number_format != "General":
                    entry["fmt"] = c.number_format
                if c.protection.locked is False:
                    entry["unlocked"] = True
                if c.alignment.text_rotation:
                    entry["rot"] = c.alignment.text_rotation
            if c.hyperlink is not None:
                entry["link"] = c.hyperlink.location or c.hyperlink.target
            if entry:
                out[c.coordinate] = entry
    return out


def dump_sheet(ws: Worksheet, *, cells: bool = True) -> dict[str, Any]:
    ps = ws.page_setup
    d: dict[str, Any] = {
        "state": ws.sheet_state,
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "validations": sorted(
            (str(dv.sqref), dv.type or "", dv.formula1 or "") for dv in ws.data_validations.dataValidation
        ),
        "conditional_formats": sorted(
            (str(cf.sqref), r.type or "", r.operator or "", tuple(r.formula or ()))
            for cf in ws.conditional_formatting for r in cf.rules
        ),
        "tables": sorted((t.displayName, t.ref) for t in ws.tables.values()),
        "freeze": ws.freeze_panes,
        "print_titles": ws.print_title_rows,
        "print_area": ws.print_area,
        "page": {
            "orientation": ps.orientation,
            "paper": ps.paperSize,
            "fit_width": ps.fitToWidth,
            "fit_height": ps.fitToHeight,
            "fit_to_page": ws.sheet_properties.pageSetUpPr.fitToPage
            if ws.sheet_properties.pageSetUpPr else None,
            "footer": ws.oddFooter.center.text,
        },
        "row_breaks": sorted(b.id for b in ws.row_breaks.brk),
        "protection": {
            "sheet": bool(ws.protection.sheet),
            "format_cells_locked": bool(ws.protection.formatCells),
            "insert_rows_locked": bool(ws.protection.insertRows),
        },
        "widths": {k: round(v.width, 2) for k, v in sorted(ws.column_dimensions.items()) if v.width},
        "charts": [type(c).__name__ for c in ws._charts],
    }
    if cells:
        d["cells"] = _cells(ws)
    return d


def dump_workbook(wb: Workbook | Path | str, *, cells: bool = True) -> dict[str, Any]:
    if not isinstance(wb, Workbook):
        wb = load_workbook(wb)
    return {
        "sheets": list(wb.sheetnames),
        "named_styles": sorted(str(s) for s in wb.named_styles),
        "defined_names": sorted((n, dn.attr_text) for n, dn in wb.defined_names.items()),
        "by_sheet": {ws.title: dump_sheet(ws, cells=cells) for ws in wb.worksheets},
    }
