"""The printed sheets as plan contents: values and layout operations for any engine.

:mod:`xlplan.core.report` decides what the 資料 and 集計 sheets show and where; this
module says how they look, as :class:`~xlplan.core.plan.SheetContent` (values from A1
plus formats, merges, row heights, print set-up, the chart). The file engine carries
the operations out with openpyxl, the Excel engines with one call of the add-in's layout
macro per sheet, so the printed report is the same whoever regenerates it.
"""

from __future__ import annotations

from xlplan.core import plan as p
from xlplan.core.colours import NO_COLOUR, colours_of
from xlplan.core.layout import FONT_REPORT, INPUT_SHEET
from xlplan.core.plan import col_letter, ref
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
    Reports,
    ReportSheet,
    SummarySheet,
)
from xlplan.core.schemes import ROLE_COLOURS, role_of
from xlplan.core.settings import Settings
from xlplan.core.texts import say

# The printed report uses ＭＳ Ｐゴシック, as such documents usually do: its lines are short
# (Excel fits about 1.2 × the font size per line, against 1.6 for 游ゴシック), so the row
# heights planned in xlplan.core.report (1.45 × font size, what LibreOffice needs with
# Noto Sans CJK) hold in Excel too and nothing is clipped.
REPORT_FONT = FONT_REPORT
HEAD_FILL = "DDEBF7"
SIDE_FILL = "FFF2CC"
SIDE_FONT = "9C5700"
ID_FONT = "808080"
TAB_COLOUR = "2F75B5"


def _f(rng: str, **kw: object) -> p.Format:
    return p.Format(rng, font_name=REPORT_FONT, **kw)  # type: ignore[arg-type]


def _page(rep_page: object, footer: str, *, print_area: str | None = None,
          title_rows: str | None = None, breaks: tuple[int, ...] = ()) -> p.PageSetup:
    pg = rep_page
    return p.PageSetup(
        paper=pg.paper, orientation=pg.orientation, footer=footer,  # type: ignore[attr-defined]
        margins=(pg.margin_left, pg.margin_right, pg.margin_top,  # type: ignore[attr-defined]
                 pg.margin_bottom, pg.margin_header, pg.margin_footer),  # type: ignore[attr-defined]
        print_area=print_area, title_rows=title_rows, breaks=breaks)


def _base_mark(text: str) -> str:
    return text.split(OVERRIDE_MARK, 1)[0]


def report_content(rep: ReportSheet, settings: Settings, after: str | None = None) -> p.SheetContent:
    """One 資料 sheet: the seed's columns, merged hierarchy, coloured marks, A3 pages."""
    ops: list[p.Op] = []
    for j, c in enumerate(rep.columns, start=1):
        ops.append(p.ColWidth(j, c.width))
    ops += [p.ColWidth(rep.id_col, 9), p.ColWidth(rep.side_note_col, 40)]
    ops += [p.RowHeight(r, h) for r, h in sorted(rep.heights().items())]
    ops.append(_f(f"A{rep.title_row}", font_size=TITLE_FONT, bold=True, v_align="center"))
    ops.append(_f(f"A{rep.note_row}", font_size=NOTE_FONT, wrap=True, v_align="top"))
    ops.append(_f(ref(rep.title_row, rep.side_note_col), font_size=9, font_color=SIDE_FONT,
                  fill=SIDE_FILL, wrap=True, v_align="top"))
    ops.append(_f(ref(rep.header_row, 1, rep.header_row, rep.ncols), font_size=HEADER_FONT,
                  bold=True, fill=HEAD_FILL, h_align="center", v_align="center", wrap=True,
                  border=True))
    ops.append(_f(ref(rep.header_row, rep.id_col), font_size=8, font_color=ID_FONT))
    first, last = rep.first_data_row, rep.last_data_row
    if rep.rows:
        for j, c in enumerate(rep.columns, start=1):
            col = ref(first, j, last, j)
            if c.kind is ColumnKind.STACKED:
                ops.append(_f(col, border=True))
            elif c.kind is ColumnKind.GROUP:
                ops.append(_f(col, font_size=DATA_FONT, h_align="left", v_align="center",
                              wrap=True, border=True))
            elif c.kind is ColumnKind.TEXT:
                ops.append(_f(col, font_size=DATA_FONT, h_align="left", v_align="top",
                              wrap=True, border=True))
            elif c.kind is ColumnKind.TREND:
                ops.append(_f(col, font_size=TREND_FONT, bold=True, h_align="center",
                              v_align="center", wrap=True, border=True))
        ops += [_f(s.ref, font_size=LABEL_FONT, vertical=True, h_align="center",
                   v_align="center") for s in rep.stacked]
        ops.append(_f(ref(first, rep.id_col, last, rep.id_col), font_size=8, font_color=ID_FONT))
        for j, c in enumerate(rep.columns, start=1):
            if c.kind is not ColumnKind.MARK:
                continue
            for row in rep.rows:
                base = _base_mark(str(row.values[j - 1] or ""))
                fill, font = colours_of(rep.key, base, settings)
                ops.append(_f(ref(row.row, j), font_size=MARK_FONT if len(base) <= 1 else DATA_FONT,
                              bold=True, font_color=font, fill=fill, h_align="center",
                              v_align="center", wrap=True, border=True))
            trend_col = next((k for k, x in enumerate(rep.columns, start=1)
                              if x.kind is ColumnKind.TREND), None)
            if trend_col is not None:
                ops += [_f(ref(row.row, trend_col), font_color="7F6000")
                        for row in rep.rows if row.trend_override]
    for fn in rep.footnotes:
        ops.append(_f(ref(fn.row, 1, fn.row, rep.ncols), font_size=NOTE_FONT, wrap=True,
                      v_align="top", border=True))
    ops += [p.Merge(s.ref) for s in rep.merges]
    ops.append(_page(rep.page, rep.footer, print_area=rep.print_area,
                     title_rows=rep.print_title_rows, breaks=rep.row_breaks))
    ops.append(p.View(freeze=f"{col_letter(rep.column_index('indicator') + 1)}{first}",
                      zoom=80, tab_color=TAB_COLOUR))
    return p.SheetContent(rep.name, p.grid_of(rep.grid()), tuple(ops), after=after)


def summary_content(sm: SummarySheet, settings: Settings, after: str | None = None) -> p.SheetContent:
    """The 集計 sheet: counts per 資料 and 中項目, what was not judged, overrides, a chart."""
    ops: list[p.Op] = [p.ColWidth(j, w) for j, w in enumerate(sm.widths, start=1)]
    ops += [p.RowHeight(r, h) for r, h in sorted(sm.heights.items())]
    head_rows = {r for r, _a, _b in sm.headings}
    bordered = {(r, c) for first, last, ncol in sm.table_rows
                for r in range(first, last + 1) for c in range(1, ncol + 1)}
    bordered |= {(r, c) for r, a, b in sm.headings for c in range(a, b + 1)}
    percent = set(sm.percent)
    ops.append(_f(ref(sm.title_row, 1), font_size=TITLE_FONT, bold=True))
    ops.append(_f(ref(sm.title_row + 1, 1, sm.title_row + 1, sm.ncols), font_size=NOTE_FONT,
                  wrap=True, v_align="top"))
    for r in sm.section_rows:
        ops.append(_f(ref(r, 1), font_size=11, bold=True))
    for r, a, b in sm.headings:
        ops.append(_f(ref(r, a, r, b), font_size=HEADER_FONT, bold=True, fill=HEAD_FILL,
                      h_align="center", v_align="center", wrap=True, border=True))
    special = {sm.title_row, sm.title_row + 1, *sm.section_rows, *head_rows}
    for (r, c) in sorted(bordered | set(sm.cells)):
        if r in special:
            continue
        v = sm.cells.get((r, c))
        numeric = (r, c) in percent or isinstance(v, int | float)
        ops.append(_f(ref(r, c), font_size=DATA_FONT, h_align="right" if numeric else "left",
                      v_align="top", wrap=not numeric, border=(r, c) in bordered or None,
                      number_format="0%" if (r, c) in percent else None))
    ops += [p.Merge(s.ref) for s in sm.merges]
    ops.append(mark_chart(sm, settings))
    ops.append(_page(sm.page, sm.footer))
    ops.append(p.View(zoom=90, tab_color=TAB_COLOUR))
    return p.SheetContent(sm.name, p.grid_of(sm.grid()), tuple(ops), after=after)


def mark_chart(sm: SummarySheet, settings: Settings) -> p.BarChart:
    """A native stacked bar chart of the mark counts per 資料 (staff can restyle it)."""
    first_row, last_row = sm.chart_rows
    c0, c1 = sm.chart_cols
    series = []
    for col in range(c0, c1 + 1):
        mark = str(sm.cells.get((first_row - 1, col)) or "")
        scheme = settings.active_scheme
        role = role_of(scheme, mark, "4-2") or role_of(scheme, mark, "4-1")
        bg, fg = ROLE_COLOURS[role] if role else ("BFBFBF", "404040")
        series.append(p.Series(title_cell=ref(first_row - 1, col),
                               values=ref(first_row, col, last_row, col),
                               fill=_stronger(bg), line=fg))
    return p.BarChart(anchor=ref(*sm.chart_anchor), title=say("summary.chart_title"),
                      value_axis_title=say("summary.chart_axis"),
                      categories=ref(first_row, 1, last_row, 1), series=tuple(series))


def _stronger(hex_colour: str) -> str:
    """The mark fills are pale cell backgrounds; bars need a little more colour."""
    rgb = [int(hex_colour[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{max(0, int(v * 0.85)):02X}" for v in rgb)


def report_contents(reports: Reports, settings: Settings, names: list[str]) -> list[p.SheetContent]:
    """資料4-1/4-2/4-3 and 集計; a missing sheet is created after the one before it
    (the first after the last input sheet present)."""
    out: list[p.SheetContent] = []
    inputs = set(INPUT_SHEET.values())
    prev = next((n for n in reversed(names) if n in inputs), None)
    for rep in reports.sheets.values():
        out.append(report_content(rep, settings, after=prev))
        prev = rep.name
    out.append(summary_content(reports.summary_sheet, settings, after=prev))
    return out


__all__ = ["NO_COLOUR", "REPORT_FONT", "mark_chart", "report_content", "report_contents",
           "summary_content"]
