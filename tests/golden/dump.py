"""What the golden test compares: the report sheets of a rendered workbook, as plain JSON.

One dump holds, per report sheet, every non-empty cell value, the merged ranges, the
cells printed vertically, the marks' colours, column widths, row heights and the print
settings; for 集計 also the chart as written in the file. The same function produces the
committed file (``python -m tests.golden.update``) and what the test compares with it.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from xlplan.core.report import REPORT_NAMES
from xlplan.files import render_file

TEMPLATE = Path(__file__).resolve().parents[2] / "workbook" / "資料4_template.xlsx"
GOLDEN = Path(__file__).resolve().parent / "report_sheets.json"
REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"
REFERENCE_PNG = REFERENCE_DIR / "report_page1.png"
REFERENCE_DPI = 24


def rendered_template(folder: Path) -> Path:
    """The shipped master (workbook/資料4_template.xlsx), rendered."""
    path = folder / "資料4.xlsx"
    shutil.copy2(TEMPLATE, path)
    render_file(path)
    return path


def _colour(c: Any) -> str | None:
    rgb = getattr(c, "rgb", None)
    return rgb if isinstance(rgb, str) else None


def dump_workbook(path: Path) -> dict[str, Any]:
    wb = load_workbook(path)
    out: dict[str, Any] = {"sheet_order": wb.sheetnames}
    for name in REPORT_NAMES:
        ws = wb[name]
        values: dict[str, Any] = {}
        stacked: list[str] = []
        colours: dict[str, list[str | None]] = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None and c.value != "":
                    values[c.coordinate] = c.value
                if c.alignment is not None and c.alignment.textRotation == 255:
                    stacked.append(c.coordinate)
                if c.fill is not None and c.fill.fill_type == "solid" and c.value is not None:
                    colours[c.coordinate] = [_colour(c.fill.fgColor), _colour(c.font.color)]
        ps = ws.page_setup
        m = ws.page_margins
        out[name] = {
            "values": values,
            "merges": sorted(str(r) for r in ws.merged_cells.ranges),
            "stacked": stacked,
            "fills": colours,
            "widths": {k: v.width for k, v in sorted(ws.column_dimensions.items()) if v.width},
            "heights": {str(k): v.height for k, v in sorted(ws.row_dimensions.items())
                        if v.height is not None},
            "print": {
                "orientation": ps.orientation,
                "paper_size": ps.paperSize,
                "fit_to_page": ws.sheet_properties.pageSetUpPr.fitToPage,
                "fit_to_width": ps.fitToWidth,
                "fit_to_height": ps.fitToHeight,
                "first_page_number": ps.firstPageNumber,
                "print_title_rows": ws.print_title_rows,
                "print_area": ws.print_area,
                "footer": ws.oddFooter.center.text,
                "row_breaks": [b.id for b in ws.row_breaks.brk],
                "margins": [m.left, m.right, m.top, m.bottom, m.header, m.footer],
                "horizontal_centered": ws.print_options.horizontalCentered,
            },
            "freeze_panes": ws.freeze_panes,
        }
    out["charts"] = chart_xml(path)
    return out


def chart_xml(path: Path) -> list[dict[str, Any]]:
    """The charts in the file, read from their XML (what Excel and LibreOffice read)."""
    charts = []
    with zipfile.ZipFile(path) as zf:
        for name in sorted(n for n in zf.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n)):
            xml = zf.read(name).decode("utf-8")
            charts.append({
                "bar_dir": re.findall(r'<(?:c:)?barDir val="(\w+)"', xml),
                "grouping": re.findall(r'<(?:c:)?grouping val="(\w+)"', xml),
                "series": len(re.findall(r"<(?:c:)?ser>", xml)),
                "refs": re.findall(r"<(?:c:)?f>([^<]+)</(?:c:)?f>", xml),
                "category_kind": sorted(set(re.findall(r"<(?:c:)?cat><(?:c:)?(\w+)>", xml))),
            })
    return charts


def column_letters(n: int) -> list[str]:
    return [get_column_letter(i) for i in range(1, n + 1)]
