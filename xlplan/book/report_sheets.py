"""The printed 資料4-1/4-2/4-3 and the 集計 sheet, written with openpyxl.

The layout is decided in :mod:`xlplan.core.report`; this module copies it into a
workbook. Every run deletes the report sheets and creates them again, so what is printed
always comes from the input sheets and a hand edit on a report sheet does not survive
(:func:`report_edit_findings` says so in the check results, before it is lost).

Each report sheet's values are fingerprinted into a row of the hidden ``_xlplan`` sheet
(``report_fp.資料4-1`` in column A, the hash in column B) when it is written; the
ribbon writes the same rows (:mod:`xlplan.book.xw_book`). A later check compares
(:func:`xlplan.core.report.report_findings`, shared with the ribbon): a sheet whose
values no longer match its fingerprint was edited by hand; one that matches its
fingerprint but not the current input is merely out of date.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from copy import copy
from functools import partial

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.line import LineProperties
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

from xlplan.book import styles
from xlplan.book.master import Master, compute_all, read_master
from xlplan.book.meta import drop_legacy_fingerprints, meta_grid, meta_put, meta_ws
from xlplan.core.compute import RowResult
from xlplan.core.findings import Finding
from xlplan.core.layout import INPUT_SHEET, SHEETS
from xlplan.core.meta import report_fingerprints
from xlplan.core.model import RowData
from xlplan.core.report import (
    DATA_FONT,
    HEADER_FONT,
    LABEL_FONT,
    MARK_FONT,
    NOTE_FONT,
    OVERRIDE_MARK,
    TITLE_FONT,
    TREND_FONT,
    ColumnKind,
    Page,
    Reports,
    ReportSheet,
    SummarySheet,
    build_all,
    fingerprint_rows,
    report_findings,
)
from xlplan.core.report import REPORT_NAMES as REPORT_NAMES  # re-exported

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FILL_HEAD = PatternFill("solid", fgColor="DDEBF7")
FILL_SIDE = PatternFill("solid", fgColor="FFF2CC")
TAB_COLOUR = "2F75B5"
# The printed report uses ＭＳ Ｐゴシック, as such documents usually do: its lines are short
# (Excel fits about 1.2 × the font size per line, against 1.6 for 游ゴシック), so the row
# heights planned in xlplan.core.report (1.45 × font size, what LibreOffice needs with
# Noto Sans CJK) hold in Excel too and nothing is clipped.
REPORT_FONT = "ＭＳ Ｐゴシック"


# --------------------------------------------------------------------------- building


def report_items(master: Master, results: dict[tuple[str, int], RowResult]
                 ) -> dict[str, list[tuple[RowData, RowResult]]]:
    """Each input sheet's rows, in sheet order, with their results."""
    return {key: [(r, results[(key, r.row)]) for r in sheet.rows]
            for key, sheet in master.sheets.items()}


def build_layouts(master: Master,
                  results: dict[tuple[str, int], RowResult] | None = None) -> Reports:
    results = results if results is not None else compute_all(master)
    return build_all(report_items(master, results), master.settings)


def render(master: Master, results: dict[tuple[str, int], RowResult] | None = None,
           reports: Reports | None = None) -> Reports:
    """Recreate 資料4-1/4-2/4-3 and 集計 in ``master.wb`` from its input sheets.

    The caller brings the computed columns up to date first (``recompute``) so that the
    input sheets and the printed report show the same marks; nothing here touches an
    input sheet. ``reports`` is the layout when the caller already has it.
    """
    reports = reports if reports is not None else build_layouts(master, results)
    write_reports(master.wb, reports)
    return reports


def write_reports(wb: Workbook, reports: Reports) -> None:
    """Every report sheet, then their fingerprints (one ``_xlplan`` row each)."""
    for rep in reports.sheets.values():
        write_report_sheet(wb, rep)
    write_summary_sheet(wb, reports.summary_sheet)
    store_fingerprints(wb, fingerprint_rows(reports))
    order_sheets(wb)


def order_sheets(wb: Workbook) -> None:
    """Input sheets, 資料4-1..4-3, 集計, then the rest in their present order."""
    active = wb.active
    names = wb.sheetnames
    inputs = [INPUT_SHEET[s] for s in SHEETS if INPUT_SHEET[s] in names]
    reports = [n for n in REPORT_NAMES if n in names]
    rest = [n for n in names if n not in inputs and n not in reports]
    wb._sheets = [wb[n] for n in (*inputs, *reports, *rest)]
    if active is not None:
        wb.active = wb._sheets.index(active)
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws is wb.active


def _fresh_sheet(wb: Workbook, name: str) -> Worksheet:
    """Delete ``name`` if it exists and create it again at the same place."""
    index = None
    if name in wb.sheetnames:
        index = wb.sheetnames.index(name)
        wb.remove(wb[name])
    return wb.create_sheet(name, index)


class _Styler:
    """Applies a style once per kind, then copies its style ids (fast for big sheets)."""

    def __init__(self) -> None:
        self._cache: dict[object, object] = {}

    def __call__(self, cell: Cell, key: object, make: Callable[[Cell], None]) -> None:
        arr = self._cache.get(key)
        if arr is None:
            make(cell)
            self._cache[key] = copy(cell._style)
        else:
            cell._style = copy(arr)


def _font(size: float, *, bold: bool = False, color: str | None = None) -> Font:
    return Font(name=REPORT_FONT, size=size, bold=bold, color=color)


def _base_mark(text: str) -> str:
    return text.split(OVERRIDE_MARK, 1)[0]


def _page_setup(ws: Worksheet, page: Page, footer: str) -> None:
    ws.page_setup.orientation = page.orientation
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if page.paper == "A3" else ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_setup.firstPageNumber = 1
    ws.page_setup.useFirstPageNumber = True
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=page.margin_left, right=page.margin_right,
                                  top=page.margin_top, bottom=page.margin_bottom,
                                  header=page.margin_header, footer=page.margin_footer)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = footer
    ws.oddFooter.center.size = 9
    ws.oddFooter.center.font = f"{REPORT_FONT},Regular"
    ws.sheet_properties.tabColor = TAB_COLOUR


def write_report_sheet(wb: Workbook, rep: ReportSheet) -> Worksheet:
    ws = _fresh_sheet(wb, rep.name)
    style = _Styler()
    kinds = [c.kind for c in rep.columns]

    for j, c in enumerate(rep.columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = c.width
    ws.column_dimensions[get_column_letter(rep.id_col)].width = 9
    ws.column_dimensions[get_column_letter(rep.side_note_col)].width = 40
    for r, h in rep.heights().items():
        ws.row_dimensions[r].height = h

    title = ws.cell(rep.title_row, 1, rep.title)
    title.font = _font(TITLE_FONT, bold=True)
    title.alignment = Alignment(vertical="center")
    note = ws.cell(rep.note_row, 1, rep.note)
    note.font = _font(NOTE_FONT)
    note.alignment = Alignment(wrap_text=True, vertical="top")
    side = ws.cell(rep.title_row, rep.side_note_col, rep.cells()[(rep.title_row, rep.side_note_col)])
    side.font = _font(9, color="9C5700")
    side.fill = FILL_SIDE
    side.alignment = Alignment(wrap_text=True, vertical="top")

    for j, c in enumerate(rep.columns, start=1):
        cell = ws.cell(rep.header_row, j, c.heading)
        style(cell, "head", lambda x: _set(x, _font(HEADER_FONT, bold=True), FILL_HEAD,
                                           Alignment(horizontal="center", vertical="center",
                                                     wrap_text=True)))
    idh = ws.cell(rep.header_row, rep.id_col, "ID")
    idh.font = _font(8, color="808080")

    covered: set[tuple[int, int]] = set()
    for span in rep.merges:
        covered |= _merge(ws, span.ref, edge=lambda r, c: c == 1 or r == rep.last_data_row)
    stacked_tops = {(s.first_row, s.first_col) for s in rep.stacked}
    for row in rep.rows:
        for j, v in enumerate(row.values, start=1):
            if (row.row, j) in covered and j != 1 and row.row != rep.last_data_row:
                continue  # inside a merged block: no cell to write
            cell = _put(ws, row.row, j, v)
            kind = kinds[j - 1]
            if kind is ColumnKind.STACKED:
                if (row.row, j) in stacked_tops or v is not None:
                    style(cell, "stacked", _stacked_style)
                else:
                    style(cell, "border", lambda x: setattr(x, "border", BORDER))
            elif kind is ColumnKind.GROUP:
                style(cell, "group", lambda x: _set(x, _font(DATA_FONT), None, Alignment(
                    horizontal="left", vertical="center", wrap_text=True)))
            elif kind is ColumnKind.TEXT:
                style(cell, "text", lambda x: _set(x, _font(DATA_FONT), None, Alignment(
                    horizontal="left", vertical="top", wrap_text=True)))
            elif kind is ColumnKind.TREND:
                style(cell, "trend", _trend_style)
            else:
                base = _base_mark(str(v or ""))
                style(cell, ("mark", base), partial(_mark_style, base=base))
        idc = _put(ws, row.row, rep.id_col, row.id)
        style(idc, "id", lambda x: setattr(x, "font", _font(8, color="808080")))

    for f in rep.footnotes:
        cell = ws.cell(f.row, 1, f.text)
        style(cell, "foot", lambda x: _set(x, _font(NOTE_FONT), None, Alignment(
            wrap_text=True, vertical="top")))
        for j in range(2, rep.ncols + 1):
            style(ws.cell(f.row, j), "border", lambda x: setattr(x, "border", BORDER))

    _page_setup(ws, rep.page, rep.footer)
    ws.print_title_rows = rep.print_title_rows
    ws.print_area = rep.print_area
    ws.row_breaks = RowBreak()
    for b in rep.row_breaks:
        ws.row_breaks.append(Break(id=b))
    indicator_col = rep.column_index("indicator")
    ws.freeze_panes = f"{get_column_letter(indicator_col + 1)}{rep.first_data_row}"
    ws.sheet_view.zoomScale = 80
    return ws


def _merge(ws: Worksheet, ref: str,
           edge: Callable[[int, int], bool] = lambda r, c: True) -> set[tuple[int, int]]:
    """Merge ``ref`` before its cells are written; return the covered cells.

    Like ``ws.merge_cells`` without its costs, which grow with the sheet: openpyxl checks
    each new range against every existing one and recomputes edge borders cell by cell.
    Here the range is registered once. Covered cells exist (as MergedCells, to carry a
    border) only where ``edge`` says the block lies on the table's outer edge: inside the
    table, Excel and LibreOffice draw a block's edges from its neighbours' box borders,
    so the file stays small.
    """
    mcr = MergedCellRange(ws, ref)
    ws.merged_cells.ranges.add(mcr)
    cells = mcr.cells
    next(cells)  # the top-left cell keeps its value
    out = set()
    for row, col in cells:
        out.add((row, col))
        if edge(row, col):
            ws._cells[(row, col)] = MergedCell(ws, row, col)
    return out


def _put(ws: Worksheet, row: int, col: int, value: object) -> Cell:
    """Write a value; text always as text.

    A cell copied from an input sheet that starts with "=" stays text here, so a formula
    typed where a value belongs is printed as typed, never run or copied as a formula.
    (This also skips openpyxl's per-string character scan: the text comes from cells of
    a workbook file, which cannot hold characters XML forbids.)
    """
    cell = ws._cells.get((row, col))
    if cell is None:
        cell = ws._cells[(row, col)] = Cell(ws, row=row, column=col)
    if isinstance(value, str):
        cell._value = value
        cell.data_type = "s"
    elif value is not None:
        cell.value = value
    return cell


def _set(cell: Cell, font: Font, fill: PatternFill | None, alignment: Alignment,
         border: bool = True) -> None:
    cell.font = font
    if fill is not None:
        cell.fill = fill
    cell.alignment = alignment
    if border:
        cell.border = BORDER


def _summary_cell(cell: Cell, kind: str, bordered: bool) -> None:
    numeric = kind != "text"
    _set(cell, _font(DATA_FONT), None, Alignment(horizontal="right" if numeric else "left",
                                                 vertical="top", wrap_text=not numeric),
         border=bordered)
    if kind == "percent":
        cell.number_format = "0%"


def _stacked_style(cell: Cell) -> None:
    _set(cell, _font(LABEL_FONT), None,
         Alignment(text_rotation=255, horizontal="center", vertical="center"))


def _trend_style(cell: Cell) -> None:
    _set(cell, _font(TREND_FONT, bold=True), None,
         Alignment(horizontal="center", vertical="center", wrap_text=True))


def _mark_style(cell: Cell, base: str) -> None:
    bg, fg = styles.MARK_COLOURS.get(base, ("FFFFFF", "000000"))
    size = MARK_FONT if len(base) <= 1 else DATA_FONT
    _set(cell, _font(size, bold=True, color=fg), PatternFill("solid", fgColor=bg),
         Alignment(horizontal="center", vertical="center", wrap_text=True))


def store_fingerprints(wb: Workbook, rows: Mapping[str, str]) -> None:
    """Record the fingerprints as ``_xlplan`` rows (and drop the names of older files)."""
    meta_put(meta_ws(wb), rows)
    drop_legacy_fingerprints(wb)


def stored_fingerprint(wb: Workbook, sheet_name: str) -> str | None:
    """The fingerprint recorded in ``_xlplan`` when ``sheet_name`` was last written."""
    return report_fingerprints(meta_grid(wb)).get(sheet_name)


# --------------------------------------------------------------------------- summary


def write_summary_sheet(wb: Workbook, sm: SummarySheet) -> Worksheet:
    ws = _fresh_sheet(wb, sm.name)
    for span in sm.merges:
        _merge(ws, span.ref)
    for j, w in enumerate(sm.widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    for r, h in sm.heights.items():
        ws.row_dimensions[r].height = h
    head_rows = {r for r, _a, _b in sm.headings}
    bordered = {(r, c) for first, last, ncol in sm.table_rows
                for r in range(first, last + 1) for c in range(1, ncol + 1)}
    bordered |= {(r, c) for r, a, b in sm.headings for c in range(a, b + 1)}
    percent = set(sm.percent)
    style = _Styler()
    for r, c in sorted(bordered | set(sm.cells)):
        v = sm.cells.get((r, c))
        cell = ws.cell(r, c, v)
        if r == sm.title_row:
            style(cell, "title", lambda x: setattr(x, "font", _font(TITLE_FONT, bold=True)))
        elif r == sm.title_row + 1:
            style(cell, "note", lambda x: _set(x, _font(NOTE_FONT), None, Alignment(
                wrap_text=True, vertical="top"), border=False))
        elif r in sm.section_rows:
            style(cell, "section", lambda x: setattr(x, "font", _font(11, bold=True)))
        elif r in head_rows:
            style(cell, "head", lambda x: _set(x, _font(HEADER_FONT, bold=True), FILL_HEAD,
                                               Alignment(horizontal="center", vertical="center",
                                                         wrap_text=True)))
        else:
            kind = ("percent" if (r, c) in percent
                    else "number" if isinstance(v, int | float) else "text")
            style(cell, ("data", kind, (r, c) in bordered), partial(
                _summary_cell, kind=kind, bordered=(r, c) in bordered))

    ws.add_chart(mark_chart(ws, sm), f"A{sm.chart_anchor[0]}")
    _page_setup(ws, sm.page, sm.footer)
    ws.sheet_view.zoomScale = 90
    return ws


def mark_chart(ws: Worksheet, sm: SummarySheet) -> BarChart:
    """A native stacked bar chart of the mark counts per 資料 (staff can restyle it)."""
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.gapWidth = 60
    chart.title = "資料別の判定の数"
    chart.y_axis.title = "指標の数"
    chart.x_axis.scaling.orientation = "maxMin"  # 資料4-1 on top, as in the table
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.majorGridlines = None
    first_row, last_row = sm.chart_rows
    c0, c1 = sm.chart_cols
    data = Reference(ws, min_col=c0, max_col=c1, min_row=first_row - 1, max_row=last_row)
    chart.add_data(data, titles_from_data=True)
    cats = Reference(ws, min_col=1, min_row=first_row, max_row=last_row)
    for k, series in enumerate(chart.series):
        series.cat = AxDataSource(strRef=StrRef(f=str(cats)))  # text categories
        mark = str(sm.cells.get((first_row - 1, c0 + k)) or "")
        bg, fg = styles.MARK_COLOURS.get(mark, ("BFBFBF", "404040"))
        series.graphicalProperties = GraphicalProperties(solidFill=_stronger(bg))
        series.graphicalProperties.line = LineProperties(solidFill=fg)
    chart.width = 24
    chart.height = 7.5
    return chart


def _stronger(hex_colour: str) -> str:
    """The mark fills are pale cell backgrounds; bars need a little more colour."""
    rgb = [int(hex_colour[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{max(0, int(v * 0.85)):02X}" for v in rgb)


# --------------------------------------------------------------------------- hand edits


def report_edit_findings(wb: Workbook, master: Master | None = None,
                         results: dict[tuple[str, int], RowResult] | None = None,
                         reports: Reports | None = None) -> list[Finding]:
    """Findings for report sheets that differ from what ``render`` would write now.

    Reads each report sheet's values and the fingerprints in ``_xlplan``; the verdict is
    :func:`xlplan.core.report.report_findings` (hand edits: ``report_edited`` per cell;
    out of date: one ``report_stale``), the same function the ribbon's check calls.
    """
    present = [n for n in REPORT_NAMES if n in wb.sheetnames]
    if not present:
        return []
    if reports is None:
        master = master if master is not None else read_master(wb)
        reports = build_layouts(master, results)
    current = {n: [list(r) for r in wb[n].iter_rows(values_only=True)] for n in present}
    return report_findings(current, report_fingerprints(meta_grid(wb)), reports)
