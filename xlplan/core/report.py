"""The printed 資料4-1/4-2/4-3 and the 集計 summary, as plain data.

Pure: from the rows of the input sheets (:class:`RowData`), their computed results
(:class:`RowResult`, overrides applied) and the :class:`Settings`, this module decides
everything a report sheet shows and where: the seed's column order and headings (years
from the settings), the legend and the progress-rate formula, the data cells, the merged
hierarchy blocks (大項目 and 中項目 with their characters stacked vertically as in the
seed; 小項目 and 取組名 as wrapped text over their indicators), row heights, the pages (a
page never ends inside a 取組名 group, nor inside an indicator), the override footnotes,
and the summary's numbers and layout.

:mod:`xlplan.core.report_content` turns these descriptions into sheet contents that
every engine writes the same way, so the file and Excel print the same report. Nothing here reads a
clock: regenerating from the same input gives the same sheets.

Sizes are in points; column widths in Excel's character units (7 px = 5.25 pt, Calibri
11, the workbook's default font). Row heights are set explicitly from an estimate of the
wrapped text (line height 1.45 × the font size, what LibreOffice needs with Noto Sans CJK;
Excel with ＭＳ Ｐゴシック needs less), and pages are planned with that page model (A3
landscape, fitted to the width) a little short of full, so that the page breaks written
here are the only ones LibreOffice and Excel make.
"""

from __future__ import annotations

import hashlib
import json
import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache

from xlplan.core import layout, schemes
from xlplan.core.compute import RowResult, cell_text
from xlplan.core.findings import Finding
from xlplan.core.layout import REPORT_SHEET, SHEETS, SUMMARY_SHEET, TITLE, column, year_words
from xlplan.core.meta import report_fp_label
from xlplan.core.model import RowData
from xlplan.core.settings import Settings
from xlplan.core.sheetread import col_letter
from xlplan.core.texts import finding, say

CellValue = str | int | float | None

# --------------------------------------------------------------------------- vocabulary

REPORT_FIRST_DATA_ROW = 4  # title, note, headings, then one row per indicator
OVERRIDE_MARK = "※"  # beside a mark that a person set by hand; the footnote gives the reason
SIDE_NOTE = say("report.side_note")
ID_HEADING = "ID"
# The sheets render writes, in their order in the workbook.
REPORT_NAMES: tuple[str, ...] = (*(REPORT_SHEET[s] for s in SHEETS), SUMMARY_SHEET)
MAX_EDIT_FINDINGS = 10  # per sheet; the rest are counted in one more finding


class ColumnKind(StrEnum):
    """How a report column is printed."""

    STACKED = "stacked"  # hierarchy label, merged over its rows, characters stacked vertically
    GROUP = "group"  # hierarchy label merged over its rows, wrapped text (小項目, 取組名)
    TEXT = "text"  # narrative or value text, wrapped, top-left
    TREND = "trend"  # the arrow, centred
    MARK = "mark"  # the mark, centred and coloured


@dataclass(frozen=True, slots=True)
class ReportColumn:
    key: str  # the input column key (layout.COLUMNS) it comes from
    heading: str  # as printed, years filled in
    width: float  # Excel character units
    kind: ColumnKind


# The seed's column order and widths. Keys are input column keys; headings come from
# layout.COLUMNS (so a change of year in the settings changes both the input sheets and
# the report). The widths reproduce the seed's proportions on A3 landscape.
#
# 大項目 and 中項目 are stacked vertically, as printed in the seed. The seed also stacks
# 4-2's 小項目, in two or three columns where a label is long for its rows (Excel wraps
# stacked text); LibreOffice cannot wrap stacked text, so a 30-character 小項目 over one
# indicator would need a 400pt row or be cut off (as several are in the seed). 小項目 are
# therefore printed as wrapped text, as the seed's 4-3 does.
# The value columns, the same on every sheet.
_VALUES: tuple[tuple[str, float, ColumnKind], ...] = (
    ("indicator", 19, ColumnKind.TEXT),
    ("baseline", 14, ColumnKind.TEXT),
    ("actual", 15, ColumnKind.TEXT),
    ("projection", 14, ColumnKind.TEXT),
    ("basis", 16, ColumnKind.TEXT),
)
_ORDER: dict[str, tuple[tuple[str, float, ColumnKind], ...]] = {
    "4-1": (
        ("major", 4.5, ColumnKind.STACKED),
        ("middle", 4.5, ColumnKind.STACKED),
        ("program", 14, ColumnKind.GROUP),
        *_VALUES,
        ("mid_target", 11, ColumnKind.TEXT),
        ("final_target", 11, ColumnKind.TEXT),
        ("status_text", 34, ColumnKind.TEXT),
        ("miss_reason", 19, ColumnKind.TEXT),
        ("countermeasure", 19, ColumnKind.TEXT),
        ("challenges", 23, ColumnKind.TEXT),
        ("policy", 23, ColumnKind.TEXT),
        ("questions", 21, ColumnKind.TEXT),
        ("trend", 10, ColumnKind.TREND),
        ("mark", 12, ColumnKind.MARK),
    ),
    "4-2": (
        ("major", 4.5, ColumnKind.STACKED),
        ("middle", 4.5, ColumnKind.STACKED),
        ("minor", 9, ColumnKind.GROUP),
        ("program", 14, ColumnKind.GROUP),
        *_VALUES,
        ("final_target", 12, ColumnKind.TEXT),
        ("status_text", 36, ColumnKind.TEXT),
        ("challenges", 26, ColumnKind.TEXT),
        ("policy", 26, ColumnKind.TEXT),
        ("questions", 23, ColumnKind.TEXT),
        ("trend", 10, ColumnKind.TREND),
        ("mark", 16, ColumnKind.MARK),
    ),
}
# 4-3 has no 取組名 and prints its 小項目 (whole sentences) horizontally, as the seed does.
_ORDER["4-3"] = tuple(
    ("minor", 15, ColumnKind.GROUP) if key == "minor"
    else ("program", 6, kind) if key == "program"
    else (key, width, kind)
    for key, width, kind in _ORDER["4-2"]
)

HIERARCHY_KEYS: tuple[str, ...] = ("major", "middle", "minor", "program")

# --------------------------------------------------------------------------- page model

PT_PER_WIDTH_UNIT = 5.25  # one Excel character unit = 7 px at 96 dpi = 5.25 pt
CELL_PAD_PT = 4.0  # left + right inner padding of a cell


@dataclass(frozen=True, slots=True)
class Page:
    """Paper and margins (points / inches), and how much of it a report may fill."""

    paper: str  # "A3", "A4"
    orientation: str  # "landscape", "portrait"
    width_pt: float
    height_pt: float
    margin_left: float = 0.4  # inches, as openpyxl's PageMargins takes them
    margin_right: float = 0.4
    margin_top: float = 0.45
    margin_bottom: float = 0.5
    margin_header: float = 0.2
    margin_footer: float = 0.2
    fill: float = 0.97  # plan pages this full, so a renderer's rounding never adds a break

    @property
    def printable_width(self) -> float:
        return self.width_pt - 72 * (self.margin_left + self.margin_right)

    @property
    def printable_height(self) -> float:
        return self.height_pt - 72 * (self.margin_top + self.margin_bottom)


A3_LANDSCAPE = Page("A3", "landscape", 1190.55, 841.89)
A4_LANDSCAPE = Page("A4", "landscape", 841.89, 595.28)

DATA_FONT = 8.0  # points
HEADER_FONT = 9.0
LABEL_FONT = 9.0  # stacked hierarchy labels
MARK_FONT = 14.0
TREND_FONT = 12.0
TITLE_FONT = 14.0
NOTE_FONT = 9.0
LINE_FACTOR = 1.45  # line height / font size of the Japanese UI fonts (Noto Sans CJK, Yu Gothic)
MAX_ROW_HEIGHT = 409.0  # Excel's limit


def display_len(s: str) -> float:
    """Width of ``s`` in full-width characters; ASCII and half-width kana count as a
    little over half (proportional Latin glyphs of the Japanese fonts)."""
    if s.isascii():
        return len(s) * 0.56
    narrow = sum(1 for ch in s if ch < "\x80" or unicodedata.east_asian_width(ch) in ("Na", "H"))
    return len(s) - narrow * 0.44


def _wrap_len(s: str) -> float:
    """Like display_len, plus what word wrapping wastes: a Latin word moves whole to the
    next line, leaving on average half a word's width empty per word break."""
    words = sum(1 for w in s.split() if any(ord(ch) < 128 for ch in w))
    return display_len(s) + 0.3 * max(0, words - 1)


# A paragraph that ends this close (in lines) to a full line may spill over to one more:
# Japanese line breaking moves a character rather than start a line with 、or 。
SPILL = 0.04


@lru_cache(maxsize=65536)
def text_lines(text: str, width: float, font: float = DATA_FONT) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide."""
    per_line = max(1.0, (width * PT_PER_WIDTH_UNIT - CELL_PAD_PT) / font)
    lines = 0
    for part in text.split("\n"):
        lines += max(1, math.ceil(_wrap_len(part) / per_line + SPILL))
    return lines


def text_height(text: str, width: float, font: float = DATA_FONT) -> float:
    """Points needed to show ``text`` wrapped in a column ``width`` wide."""
    if not text:
        return 0.0
    return text_lines(text, width, font) * font * LINE_FACTOR + 4


def stacked_height(text: str, font: float = LABEL_FONT) -> float:
    """Points needed to show ``text`` with its characters stacked (one per line)."""
    return len(text.replace("\n", "")) * font * LINE_FACTOR + 8


def table_scale(widths: Iterable[float], page: Page) -> float:
    """The zoom that fits these columns to the page width (never above 100%).

    Rounded down to a whole percent, as Excel and LibreOffice do.
    """
    total = sum(w * PT_PER_WIDTH_UNIT for w in widths)
    if total <= 0:
        return 1.0
    return min(1.0, math.floor(page.printable_width / total * 100) / 100)


# --------------------------------------------------------------------------- report sheet


@dataclass(frozen=True, slots=True)
class Span:
    """A merged block of cells, 1-based and inclusive."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int

    @property
    def ref(self) -> str:
        return (f"{col_letter(self.first_col)}{self.first_row}:"
                f"{col_letter(self.last_col)}{self.last_row}")


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One indicator as printed."""

    row: int  # worksheet row
    id: str
    source_tab: str  # the input sheet it comes from ("4-2入力")
    source_row: int
    source_cells: tuple[str, ...]  # per report column: the input cell ("J12"), "" if none
    values: tuple[CellValue, ...]  # per report column; None under a merged block
    height: float
    trend: str  # shown arrow (override applied), without the ※ marker
    mark: str  # shown mark (override applied), without the ※ marker
    trend_override: bool
    mark_override: bool
    footnote: int | None  # the ※ number when an override is shown
    group: int  # rows of one 取組名 group share this; a page never ends inside it
    page: int  # 0-based page of this sheet


@dataclass(frozen=True, slots=True)
class Footnote:
    row: int
    number: int
    text: str
    height: float


@dataclass(frozen=True, slots=True)
class ReportSheet:
    """Everything one 資料 sheet shows, positioned."""

    key: str  # "4-1"
    name: str  # "資料4-1"
    title: str
    note: str  # formula and legend, under the title
    columns: tuple[ReportColumn, ...]
    rows: tuple[ReportRow, ...]
    merges: tuple[Span, ...]  # hierarchy blocks, page by page, plus the title/note/footnotes
    stacked: tuple[Span, ...]  # the merged blocks (or single cells) printed vertically
    footnotes: tuple[Footnote, ...]
    row_breaks: tuple[int, ...]  # a page ends after each of these rows
    page: Page
    scale: float
    title_row: int = 1
    note_row: int = 2
    header_row: int = REPORT_FIRST_DATA_ROW - 1
    title_height: float = 26.0
    note_height: float = 30.0
    header_height: float = 60.0

    @property
    def first_data_row(self) -> int:
        return self.header_row + 1

    @property
    def last_data_row(self) -> int:
        return self.rows[-1].row if self.rows else self.header_row

    @property
    def last_row(self) -> int:
        return self.footnotes[-1].row if self.footnotes else self.last_data_row

    @property
    def ncols(self) -> int:
        return len(self.columns)

    @property
    def id_col(self) -> int:
        """The ID column, right of the printed table (outside the print area)."""
        return self.ncols + 1

    @property
    def side_note_col(self) -> int:
        return self.ncols + 2

    @property
    def print_area(self) -> str:
        return f"A1:{col_letter(self.ncols)}{self.last_row}"

    @property
    def print_title_rows(self) -> str:
        return f"{self.title_row}:{self.header_row}"

    @property
    def footer(self) -> str:
        """Centre footer: the 資料 number and the page of this 資料 (Excel header codes).

        Only the page number: ``&N`` counts the pages of the whole print job in
        LibreOffice, which would read "1 / 12" on the first page of 資料4-1."""
        return say("report.footer", name=self.name)

    @property
    def pages(self) -> int:
        return len(self.row_breaks) + 1

    def column_index(self, key: str) -> int:
        for i, c in enumerate(self.columns, start=1):
            if c.key == key:
                return i
        raise KeyError(key)

    def heights(self) -> dict[int, float]:
        out = {self.title_row: self.title_height, self.note_row: self.note_height,
               self.header_row: self.header_height}
        for r in self.rows:
            out[r.row] = r.height
        for f in self.footnotes:
            out[f.row] = f.height
        return out

    def cells(self) -> dict[tuple[int, int], CellValue]:
        """Every non-empty cell: (row, column) → value."""
        out: dict[tuple[int, int], CellValue] = {
            (self.title_row, 1): self.title,
            (self.note_row, 1): self.note,
            (self.title_row, self.side_note_col): SIDE_NOTE,
            (self.header_row, self.id_col): ID_HEADING,
        }
        for j, c in enumerate(self.columns, start=1):
            out[(self.header_row, j)] = c.heading
        for r in self.rows:
            for j, v in enumerate(r.values, start=1):
                if v is not None and v != "":
                    out[(r.row, j)] = v
            out[(r.row, self.id_col)] = r.id
        for f in self.footnotes:
            out[(f.row, 1)] = f.text
        return out

    def grid(self) -> list[list[CellValue]]:
        """The sheet as one block of values from A1 (what one block write needs)."""
        cells = self.cells()
        width = self.side_note_col
        g: list[list[CellValue]] = [[None] * width for _ in range(self.last_row)]
        for (r, c), v in cells.items():
            g[r - 1][c - 1] = v
        return g


def report_columns(sheet: str, settings: Settings) -> tuple[ReportColumn, ...]:
    """The printed columns of one 資料, in the seed's order, headings for these years."""
    out = []
    for key, width, kind in _ORDER[sheet]:
        heading = column(sheet, key).heading_for(settings)
        if kind is ColumnKind.MARK:
            heading = mark_heading(sheet, settings, heading)
        out.append(ReportColumn(key, heading, width, kind))
    return tuple(out)


def legend(settings: Settings, sep: str = "　") -> str:
    """◎100%以上　○50%以上進捗　△50%未満進捗　－進捗に増減なし　×減少 for the FY2020
    scheme; the legend of whatever scheme the 設定 sheet picks (xlplan.core.schemes)."""
    return schemes.legend(settings.active_scheme, sep=sep)


def mark_heading(sheet: str, settings: Settings, heading: str) -> str:
    """The mark column's heading on 4-2/4-3: 進捗率 (or the scheme's word) over the legend."""
    scheme = settings.active_scheme
    if sheet == "4-1":
        return heading
    if scheme.kind is not schemes.SchemeKind.PROGRESS:
        heading = say("report.grade_heading")
    return heading + "\n" + legend(settings, sep="\n")


def note_text(sheet: str, settings: Settings) -> str:
    """What is printed under the title: how the marks were decided, with the legend."""
    y = year_words(settings)
    lab = settings.labels
    value = say("report.note_value", fy=y["fy"], up=lab.up)
    arrows = say("report.note_arrows", up=lab.up, down=lab.down, flat=lab.flat)
    over = say("report.note_override", mark=OVERRIDE_MARK)
    if sheet == "4-1":
        mark = say("report.note_mid", reached=lab.reached, missed=lab.missed, mid=y["mid"])
    else:
        kind = settings.active_scheme.kind.value
        mark = say("report.formula." + kind) + say("report.legend_head") + legend(settings)
    return f"{mark}\n{value}　{arrows}　{over}"


def _as_cell(v: object) -> CellValue:
    """An input cell's value as the report prints it (dates as text, numbers as numbers)."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, datetime):
        return f"{v.year}/{v.month}/{v.day}"
    if isinstance(v, date):
        return f"{v.year}/{v.month}/{v.day}"
    if isinstance(v, int | float):
        return int(v) if isinstance(v, float) and v.is_integer() else v
    s = str(v).strip()
    return s or None


def _text_of(v: CellValue) -> str:
    return "" if v is None else cell_text(v)


@dataclass(slots=True)
class _Line:
    """A row while it is being laid out."""

    data: RowData
    result: RowResult
    values: list[CellValue]
    labels: dict[str, str]  # hierarchy key → label
    height: float
    trend: str
    mark: str
    trend_override: bool
    mark_override: bool
    footnote: int | None = None
    group: int = 0
    page: int = 0


def _path(line: _Line, upto: int) -> tuple[str, ...]:
    """The hierarchy labels of a row down to level ``upto`` (0 = 大項目)."""
    return tuple(line.labels.get(k, "") for k in HIERARCHY_KEYS[: upto + 1])


def _runs(lines: Sequence[_Line], level: int, lo: int, hi: int) -> list[tuple[int, int]]:
    """Index ranges [i, j] in lines[lo:hi] with the same hierarchy path down to ``level``."""
    out: list[tuple[int, int]] = []
    i = lo
    while i < hi:
        j = i
        while j + 1 < hi and _path(lines[j + 1], level) == _path(lines[i], level):
            j += 1
        out.append((i, j))
        i = j + 1
    return out


def _paginate(lines: Sequence[_Line], capacity: float,
              label_starts: Mapping[int, list[tuple[int, float]]] | None = None
              ) -> list[list[int]]:
    """Pages as lists of line indexes; a 取組名 group moves whole to the next page.

    Only a group taller than a page is split, and then between indicators.
    ``label_starts`` maps a line to the stacked labels that start there, as (last line
    of the block, points the label needs): such a group also moves to the next page
    when the part of its block that would stay on this page is too short for the label.
    """
    groups: list[list[int]] = []
    for i, ln in enumerate(lines):
        if groups and lines[groups[-1][-1]].group == ln.group:
            groups[-1].append(i)
        else:
            groups.append([i])
    starts = label_starts or {}
    pages: list[list[int]] = [[]]
    used = 0.0
    for gi, g in enumerate(groups):
        h = sum(lines[i].height for i in g)
        if pages[-1] and (used + h > capacity
                          or _label_cut(groups, gi, starts, capacity - used, lines)):
            pages.append([])
            used = 0.0
        if h <= capacity:
            pages[-1].extend(g)
            used += h
            continue
        for i in g:  # a group taller than a page: break between its indicators
            if pages[-1] and used + lines[i].height > capacity:
                pages.append([])
                used = 0.0
            pages[-1].append(i)
            used += lines[i].height
    return pages


def _label_cut(groups: Sequence[list[int]], gi: int,
              starts: Mapping[int, list[tuple[int, float]]], room: float,
              lines: Sequence[_Line]) -> bool:
    """True when a stacked label starting with group ``gi`` would get less than it needs
    from the whole groups of its block that fit in ``room``."""
    for last, need in starts.get(groups[gi][0], ()):
        piece = 0.0
        for g in groups[gi:]:
            if g[0] > last:
                break
            h = sum(lines[i].height for i in g)
            if piece + h > room:
                break
            piece += h
        block = sum(lines[i].height for i in range(groups[gi][0], last + 1))
        if piece < min(need, block) - 0.5:
            return True
    return False


# Endings that every label of a level repeats; dropped first when a label must be shorter.
REDUNDANT_ENDINGS = layout.REDUNDANT_ENDINGS


def short_label(label: str) -> str:
    """（ウ）インフラや自然環境の適切な管理に係る個別施策 → （ウ）インフラや自然環境の適切な管理."""
    flat = label.replace("\n", "")
    for ending in REDUNDANT_ENDINGS:
        if flat.endswith(ending) and len(flat) > len(ending):
            return flat[: -len(ending)]
    return flat


def _fit_label(label: str, room: float, font: float = LABEL_FONT) -> str:
    """``label`` as it fits stacked into ``room`` points: whole, without its redundant
    ending, or cut with …"""
    n = int((room - 8) / (font * LINE_FACTOR))
    flat = label.replace("\n", "")
    if len(flat) <= n:
        return label
    short = short_label(flat)
    if len(short) <= n:
        return short
    return short[: max(1, n - 1)] + "…"


def build_report(sheet: str, items: Sequence[tuple[RowData, RowResult]],
                 settings: Settings, page: Page = A3_LANDSCAPE) -> ReportSheet:
    """Lay out one 資料 sheet from its input rows (in input order) and their results."""
    cols = report_columns(sheet, settings)
    scale = table_scale((c.width for c in cols), page)

    lines: list[_Line] = []
    footnote_no = 0
    for data, res in items:
        trend = _text_of(_as_cell(res.values.get("trend")))
        mark = _text_of(_as_cell(res.values.get("mark")))
        t_ov = bool(data.text("trend_override"))
        m_ov = bool(data.text("mark_override"))
        fn: int | None = None
        if t_ov or m_ov:
            footnote_no += 1
            fn = footnote_no
        values: list[CellValue] = []
        labels: dict[str, str] = {}
        height = 0.0
        for c in cols:
            if c.kind is ColumnKind.TREND:
                v: CellValue = trend + (f"{OVERRIDE_MARK}{fn}" if t_ov else "")
                height = max(height, text_height(str(v), c.width, TREND_FONT))
            elif c.kind is ColumnKind.MARK:
                v = mark + (f"{OVERRIDE_MARK}{fn}" if m_ov else "")
                height = max(height, text_height(str(v), c.width, MARK_FONT))
            else:
                v = _as_cell(data.values.get(c.key))
                if c.key in HIERARCHY_KEYS:
                    labels[c.key] = _text_of(v)
                elif c.kind is ColumnKind.TEXT:
                    height = max(height, text_height(_text_of(v), c.width))
            values.append(v)
        lines.append(_Line(data, res, values, labels, max(height, 24.0), trend, mark,
                           t_ov, m_ov, fn))

    # 取組名 groups: consecutive rows under the same hierarchy path with the same programme.
    group = -1
    for i, ln in enumerate(lines):
        prog = ln.labels.get("program", "")
        if i == 0 or not prog or _path(lines[i - 1], 3) != _path(ln, 3):
            group += 1
        ln.group = group

    header_height = max(text_height(c.heading, c.width, HEADER_FONT) for c in cols) + 4
    note = note_text(sheet, settings)
    total_width = sum(c.width for c in cols)
    note_height = text_height(note, total_width, NOTE_FONT)
    title_height = 26.0
    capacity = (page.printable_height / scale - title_height - note_height - header_height) * page.fill

    # Every hierarchy block must show its label: grow its rows (over the whole sheet)
    # when the label is taller than they are. Stacked labels are sized for their short
    # form; where a page cuts a block, each piece shows what fits (see _fit_label).
    label_starts: dict[int, list[tuple[int, float]]] = {}
    for c in cols:
        if c.kind not in (ColumnKind.STACKED, ColumnKind.GROUP):
            continue
        level = HIERARCHY_KEYS.index(c.key)
        for a, b in _runs(lines, level, 0, len(lines)):
            label = lines[a].labels.get(c.key, "")
            if not label:
                continue
            if c.kind is ColumnKind.STACKED:
                need = min(stacked_height(short_label(label)), capacity)
                label_starts.setdefault(a, []).append((b, need))
            else:
                need = text_height(label, c.width)
            _grow(lines, a, b, need)

    pages = [pg for pg in _paginate(lines, capacity, label_starts) if pg]

    first = REPORT_FIRST_DATA_ROW
    row_of = {i: first + i for i in range(len(lines))}
    merges: list[Span] = []
    stacked: list[Span] = []
    breaks: list[int] = []
    for p, pg in enumerate(pages):
        lo, hi = pg[0], pg[-1] + 1
        for i in pg:
            lines[i].page = p
        if p < len(pages) - 1:
            breaks.append(row_of[pg[-1]])
        for j, c in enumerate(cols):
            if c.kind not in (ColumnKind.STACKED, ColumnKind.GROUP):
                continue
            level = HIERARCHY_KEYS.index(c.key)
            for a, b in _runs(lines, level, lo, hi):
                label = lines[a].labels.get(c.key, "")
                if c.kind is ColumnKind.GROUP and not label:
                    continue  # 4-3 has no 取組名: blank cells stay single
                room = sum(lines[k].height for k in range(a, b + 1))
                if c.kind is ColumnKind.STACKED:
                    lines[a].values[j] = _fit_label(label, room) if label else None
                for k in range(a + 1, b + 1):
                    lines[k].values[j] = None
                span = Span(row_of[a], j + 1, row_of[b], j + 1)
                if b > a:
                    merges.append(span)
                if c.kind is ColumnKind.STACKED:
                    stacked.append(span)

    rows = tuple(
        ReportRow(
            row=row_of[i], id=ln.data.id, source_tab=ln.data.tab, source_row=ln.data.row,
            source_cells=tuple(ln.data.cell(c.key) for c in cols),
            values=tuple(ln.values), height=round(min(ln.height, MAX_ROW_HEIGHT), 1),
            trend=ln.trend, mark=ln.mark, trend_override=ln.trend_override,
            mark_override=ln.mark_override, footnote=ln.footnote, group=ln.group, page=ln.page,
        )
        for i, ln in enumerate(lines)
    )

    footnotes: list[Footnote] = []
    r = first + len(lines)
    for ln in lines:
        if ln.footnote is None:
            continue
        res = ln.result
        parts = []
        if ln.trend_override:
            parts.append(say("report.foot_trend", shown=ln.trend,
                             computed=_text_of(_as_cell(res.values.get("computed_trend")))))
        if ln.mark_override:
            parts.append(say("report.foot_mark", shown=ln.mark,
                             computed=_text_of(_as_cell(res.values.get("computed_mark")))))
        reason = ln.data.text("override_reason") or say("report.no_reason")
        name = ln.data.text("indicator").replace("\n", "")
        text = say("report.footnote", mark=OVERRIDE_MARK, n=ln.footnote, name=name,
                   parts="、".join(parts), reason=reason)
        footnotes.append(Footnote(r, ln.footnote, text,
                                  round(text_height(text, total_width, NOTE_FONT), 1)))
        merges.append(Span(r, 1, r, len(cols)))
        r += 1

    merges.append(Span(1, 1, 1, len(cols)))
    merges.append(Span(2, 1, 2, len(cols)))
    return ReportSheet(
        key=sheet, name=REPORT_SHEET[sheet], title=TITLE[sheet], note=note, columns=cols,
        rows=rows, merges=tuple(merges), stacked=tuple(stacked), footnotes=tuple(footnotes),
        row_breaks=tuple(breaks), page=page, scale=scale,
        title_height=title_height, note_height=round(note_height, 1),
        header_height=round(header_height, 1),
    )


def _grow(lines: Sequence[_Line], a: int, b: int, need: float) -> bool:
    """Make rows a..b at least ``need`` points tall together, spreading the extra evenly."""
    have = sum(lines[k].height for k in range(a, b + 1))
    if have >= need - 0.5:
        return False
    extra = (need - have) / (b - a + 1)
    for k in range(a, b + 1):
        lines[k].height = min(MAX_ROW_HEIGHT, lines[k].height + extra)
    return True


def build_reports(items: Mapping[str, Sequence[tuple[RowData, RowResult]]],
                  settings: Settings) -> dict[str, ReportSheet]:
    """All three 資料, keyed "4-1", "4-2", "4-3" (a sheet without rows is still laid out)."""
    return {s: build_report(s, items.get(s, ()), settings) for s in SHEETS}


def fingerprint(grid: Iterable[Iterable[object]]) -> str:
    """A short digest of a sheet's values, to tell a hand-edited report from a stale one.

    Trailing empty cells and rows do not count, and numbers compare by value, so the
    digest of what was written equals the digest of what a reader reads back.
    """
    rows: list[list[object]] = []
    for line in grid:
        vals = [norm_value(v) for v in line]
        while vals and vals[-1] is None:
            vals.pop()
        rows.append(vals)
    while rows and not rows[-1]:
        rows.pop()
    blob = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def norm_value(v: object) -> object:
    """A cell value as compared: '' is empty, 3.0 is 3, dates as ISO text; numbers to
    Excel's 15 significant digits (6/17 is written 0.352941176470588…3, not …826)."""
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float) and math.isfinite(v):
        v = float(f"{v:.15g}")
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, int | float):
        return v
    if isinstance(v, datetime | date):
        return v.isoformat()
    return str(v)


# --------------------------------------------------------------------------- summary


@dataclass(frozen=True, slots=True)
class CountRow:
    """Mark counts of one 資料 or one 中項目."""

    sheet: str  # "4-1", or "" for the total
    label: str  # 資料4-1 / the 中項目 / 合計
    counts: tuple[int, ...]  # per Summary.marks
    total: int
    on_track: int  # ◎ and ○ (4-1: 中間目標到達)
    judged: int  # total minus 不明 and 進捗管理の停止

    @property
    def share(self) -> float | None:
        return self.on_track / self.judged if self.judged else None


@dataclass(frozen=True, slots=True)
class Unjudged:
    """An indicator whose mark could not be decided from data."""

    sheet: str
    id: str
    indicator: str
    mark: str
    reason: str


@dataclass(frozen=True, slots=True)
class Override:
    sheet: str
    id: str
    indicator: str
    computed_trend: str
    computed_mark: str
    shown_trend: str
    shown_mark: str
    reason: str


@dataclass(frozen=True, slots=True)
class Summary:
    marks: tuple[str, ...]  # the count columns, in legend order
    by_sheet: tuple[CountRow, ...]
    total: CountRow
    by_middle: tuple[CountRow, ...]
    unjudged: tuple[Unjudged, ...]
    overrides: tuple[Override, ...]


def mark_order(settings: Settings) -> tuple[str, ...]:
    """The 集計 count columns: the scheme's grades, 4-1's reached/missed, 不明, 停止."""
    return schemes.grade_order(settings.active_scheme)


OTHER_MARK = say("summary.other")


def _role(sheet: str, mark: str, settings: Settings) -> schemes.Role | None:
    return schemes.role_of(settings.active_scheme, mark, sheet)


def _on_track(sheet: str, mark: str, settings: Settings) -> bool:
    return _role(sheet, mark, settings) in schemes.ON_TRACK_ROLES


NOT_JUDGED = frozenset({schemes.Role.UNKNOWN, schemes.Role.SUSPENDED, schemes.Role.UNGRADED})


def build_summary(items: Mapping[str, Sequence[tuple[RowData, RowResult]]],
                  settings: Settings) -> Summary:
    """Counts of the shown marks per 資料 and per 中項目, unjudged rows and overrides."""
    lab = settings.labels
    marks = list(mark_order(settings))
    shown: list[tuple[str, RowData, RowResult, str]] = []
    for s in SHEETS:
        for data, res in items.get(s, ()):
            shown.append((s, data, res, _text_of(_as_cell(res.values.get("mark")))))
    if any(m not in marks for *_, m in shown):
        marks.append(OTHER_MARK)

    def count(sheet: str, label: str, rows: list[tuple[str, str]]) -> CountRow:
        n = dict.fromkeys(marks, 0)
        for _s, m in rows:
            n[m if m in n else OTHER_MARK] += 1
        return CountRow(
            sheet=sheet, label=label, counts=tuple(n.values()), total=len(rows),
            on_track=sum(1 for s, m in rows if _on_track(s, m, settings)),
            judged=sum(1 for s, m in rows if _role(s, m, settings) not in NOT_JUDGED),
        )

    by_sheet = tuple(count(s, REPORT_SHEET[s], [(s, m) for s2, _d, _r, m in shown if s2 == s])
                     for s in SHEETS)
    total = count("", say("summary.total"), [(s, m) for s, _d, _r, m in shown])
    middles: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for s, d, _r, m in shown:
        middles.setdefault((s, d.text("middle")), []).append((s, m))
    by_middle = tuple(count(s, mid, rows) for (s, mid), rows in middles.items())

    unjudged: list[Unjudged] = []
    overrides: list[Override] = []
    for s, d, r, m in shown:
        j = r.judgement
        name = d.text("indicator").replace("\n", "")
        t_ov, m_ov = d.text("trend_override"), d.text("mark_override")
        if t_ov or m_ov:
            overrides.append(Override(
                s, d.id, name, j.trend, j.mark,
                _text_of(_as_cell(r.values.get("trend"))), m,
                d.text("override_reason") or say("report.no_reason")))
        if m == lab.suspended:
            continue
        if j.basis is None:
            reason = say("summary.no_value")
        elif m == lab.unknown:
            reason = say("summary.manual_unknown" if m_ov else "summary.undecided")
        else:
            continue
        unjudged.append(Unjudged(s, d.id, name, m, reason))
    return Summary(tuple(marks), by_sheet, total, by_middle, tuple(unjudged), tuple(overrides))


@dataclass(frozen=True, slots=True)
class SummarySheet:
    """The 集計 sheet, positioned: values, merges, percent cells, and the chart's data."""

    name: str
    cells: dict[tuple[int, int], CellValue]
    merges: tuple[Span, ...]
    percent: tuple[tuple[int, int], ...]  # cells shown as 0%
    headings: tuple[tuple[int, int, int], ...]  # (row, first col, last col) of heading rows
    section_rows: tuple[int, ...]  # rows of the section titles
    table_rows: tuple[tuple[int, int, int], ...]  # (first row, last row, last col) of bordered data
    heights: dict[int, float]
    widths: tuple[float, ...]
    chart_rows: tuple[int, int]  # rows of 資料4-1..4-3 in the first table
    chart_cols: tuple[int, int]  # mark count columns
    chart_anchor: tuple[int, int]  # (row, col) of the chart's top-left cell
    title_row: int = 1
    page: Page = A4_LANDSCAPE

    @property
    def last_row(self) -> int:
        return max(r for r, _c in self.cells)

    @property
    def ncols(self) -> int:
        return len(self.widths)

    @property
    def footer(self) -> str:
        return say("report.footer", name=self.name)

    def grid(self) -> list[list[CellValue]]:
        g: list[list[CellValue]] = [[None] * self.ncols for _ in range(self.last_row)]
        for (r, c), v in self.cells.items():
            g[r - 1][c - 1] = v
        return g


def summary_sheet(summary: Summary, settings: Settings) -> SummarySheet:
    """Where each number of the summary goes on the 集計 sheet.

    Columns: A 資料, B 中項目 / 成果指標, then one column per mark, 合計, 順調, 順調の割合.
    """
    y = year_words(settings)
    nm = len(summary.marks)
    first_mark = 3
    c_total, c_on, c_share = first_mark + nm, first_mark + nm + 1, first_mark + nm + 2
    ncols = c_share
    widths = [10.0, 46.0] + [max(7.0, display_len(m) * 1.6 + 1) for m in summary.marks] + [7.0, 7.0, 9.0]
    cells: dict[tuple[int, int], CellValue] = {}
    merges: list[Span] = []
    percent: list[tuple[int, int]] = []
    headings: list[tuple[int, int, int]] = []
    sections: list[int] = []
    tables: list[tuple[int, int, int]] = []
    heights: dict[int, float] = {}

    cells[(1, 1)] = say("summary.title", fy=y["fy"])
    heights[1] = 26.0
    scheme = settings.active_scheme
    good = "・".join(g.label for g in scheme.grades if g.role in schemes.ON_TRACK_ROLES)
    cells[(2, 1)] = say("summary.note", good=good, reached=scheme.reached,
                        unknown=scheme.unknown, suspended=scheme.suspended, mark=OVERRIDE_MARK)
    merges.append(Span(2, 1, 2, ncols))
    heights[2] = 30.0

    def count_table(r: int, rows: Sequence[CountRow], with_middle: bool) -> int:
        head = [say("summary.col_sheet"), say("summary.col_middle") if with_middle else "",
                *summary.marks, say("summary.col_total"), say("summary.col_on_track"),
                say("summary.col_share")]
        for j, h in enumerate(head, start=1):
            cells[(r, j)] = h or None
        if not with_middle:
            merges.append(Span(r, 1, r, 2))
        headings.append((r, 1, ncols))
        heights[r] = max(30.0, max(text_height(h, w, HEADER_FONT) + 4
                                   for h, w in zip(head, widths, strict=True)))
        start = r + 1
        for row in rows:
            r += 1
            cells[(r, 1)] = REPORT_SHEET.get(row.sheet, row.label) if with_middle else row.label
            if with_middle:
                cells[(r, 2)] = row.label
                heights[r] = max(18.0, text_height(row.label, widths[1]))
            else:
                merges.append(Span(r, 1, r, 2))
                heights[r] = 18.0
            for k, n in enumerate(row.counts):
                cells[(r, first_mark + k)] = n
            cells[(r, c_total)] = row.total
            cells[(r, c_on)] = row.on_track
            cells[(r, c_share)] = row.share if row.share is not None else say("summary.no_share")
            if row.share is not None:
                percent.append((r, c_share))
        tables.append((start, r, ncols))
        return r

    r = 4
    sections.append(r)
    cells[(r, 1)] = say("summary.section1")
    r += 1
    table1_head = r
    r = count_table(r, [*summary.by_sheet, summary.total], with_middle=False)
    chart_rows = (table1_head + 1, table1_head + len(summary.by_sheet))

    chart_anchor = (r + 2, 1)
    r += 2 + 16  # room for the chart (about 15 rows of 18pt)
    for k in range(chart_anchor[0], r):
        heights[k] = 18.0

    sections.append(r)
    cells[(r, 1)] = say("summary.section2")
    r = count_table(r + 1, summary.by_middle, with_middle=True)

    def listing(r: int, title: str, head: tuple[str, ...], head_height: float,
                rows: Sequence[tuple[CellValue, ...]]) -> int:
        """A titled table whose last column (a reason) spans to the right edge."""
        last = len(head)
        r += 2
        sections.append(r)
        cells[(r, 1)] = title
        r += 1
        for j, h in enumerate(head, start=1):
            cells[(r, j)] = h
        merges.append(Span(r, last, r, ncols))
        headings.append((r, 1, ncols))
        heights[r] = head_height
        start = r + 1
        if not rows:
            r += 1
            cells[(r, 1)] = say("summary.none")
            heights[r] = 18.0
        for vals in rows:
            r += 1
            for j, v in enumerate(vals, start=1):
                cells[(r, j)] = v
            merges.append(Span(r, last, r, ncols))
            heights[r] = round(max(18.0, text_height(str(vals[1]), widths[1]),
                                   text_height(str(vals[-1]), sum(widths[last - 1:]))), 1)
        tables.append((start, r, ncols))
        return r

    r = listing(r, say("summary.section3"), tuple(say("summary.head3").split("\t")), 20.0,
                [(REPORT_SHEET[u.sheet], u.indicator, u.id, u.mark, u.reason)
                 for u in summary.unjudged])
    r = listing(r, say("summary.section4", mark=OVERRIDE_MARK),
                tuple(say("summary.head4").split("\t")),
                30.0,
                [(REPORT_SHEET[o.sheet], o.indicator, o.id, o.computed_trend, o.computed_mark,
                  o.shown_trend, o.shown_mark, o.reason) for o in summary.overrides])

    return SummarySheet(
        name=SUMMARY_SHEET, cells=cells, merges=tuple(merges), percent=tuple(percent),
        headings=tuple(headings), section_rows=tuple(sections), table_rows=tuple(tables),
        heights={k: round(v, 1) for k, v in heights.items()}, widths=tuple(widths),
        chart_rows=chart_rows, chart_cols=(first_mark, first_mark + nm - 1),
        chart_anchor=chart_anchor,
    )


@dataclass(frozen=True, slots=True)
class Reports:
    """Everything ``render`` writes: the three 資料 and the summary."""

    sheets: dict[str, ReportSheet]
    summary: Summary
    summary_sheet: SummarySheet


def build_all(items: Mapping[str, Sequence[tuple[RowData, RowResult]]],
              settings: Settings) -> Reports:
    summary = build_summary(items, settings)
    return Reports(build_reports(items, settings), summary, summary_sheet(summary, settings))


# --------------------------------------------------------------------------- hand edits


def fingerprint_rows(reports: Reports) -> dict[str, str]:
    """The ``_xlplan`` rows that record what ``reports`` writes: label → fingerprint
    (``report_fp.資料4-1`` → the hash of its values), in the workbook's sheet order."""
    out = {report_fp_label(rep.name): fingerprint(rep.grid()) for rep in reports.sheets.values()}
    out[report_fp_label(reports.summary_sheet.name)] = fingerprint(reports.summary_sheet.grid())
    return out


@dataclass(frozen=True, slots=True)
class _Diff:
    row: int
    col: int
    got: object
    exp: object


def _diff(grid: Sequence[Sequence[object]], exp: Sequence[Sequence[object]]) -> list[_Diff]:
    out = []
    for r in range(max(len(grid), len(exp))):
        a = grid[r] if r < len(grid) else ()
        b = exp[r] if r < len(exp) else ()
        for c in range(max(len(a), len(b))):
            x = norm_value(a[c]) if c < len(a) else None
            y = norm_value(b[c]) if c < len(b) else None
            if x != y:
                out.append(_Diff(r + 1, c + 1, x, y))
    return out


def _short(v: object, n: int = 20) -> str:
    s = "" if v is None else str(v).replace("\n", " ")
    return s if len(s) <= n else s[: n - 1] + "…"


def report_findings(current: Mapping[str, Sequence[Sequence[object]]],
                    stored: Mapping[str, str | None], reports: Reports) -> list[Finding]:
    """Findings for report sheets that differ from what render would write now.

    ``current`` holds the values (a grid from A1) of each report sheet the workbook has,
    ``stored`` the fingerprint saved when each was written (None or absent: none), and
    ``reports`` the layout of the current input. A sheet whose values differ from its
    stored fingerprint was edited by hand: each changed cell is a ``report_edited``
    warning (at most :data:`MAX_EDIT_FINDINGS`, then one count), since the next render
    replaces it. A sheet that matches its fingerprint but not the current input is only
    out of date: one ``report_stale`` note. The file workflow and the ribbon both call
    this, so ``xlplan check`` and the ribbon's check say the same.
    """
    expected: dict[str, tuple[list[list[CellValue]], ReportSheet | None]] = {
        rep.name: (rep.grid(), rep) for rep in reports.sheets.values()}
    expected[SUMMARY_SHEET] = (reports.summary_sheet.grid(), None)

    out: list[Finding] = []
    for name in REPORT_NAMES:
        if name not in current:
            continue
        grid = current[name]
        exp, rep = expected[name]
        diffs = _diff(grid, exp)
        if not diffs:
            continue
        fp = stored.get(name)
        if fp is not None and fp == fingerprint(grid):
            out.append(finding("report_stale", sheet=name))
            continue
        for d in diffs[:MAX_EDIT_FINDINGS]:
            cell = f"{col_letter(d.col)}{d.row}"
            where = _source_of(rep, d.row, d.col)
            out.append(finding("report_edited", sheet=name, cell=cell,
                               row_id=_row_id(rep, d.row), got=_short(d.got),
                               exp=_short(d.exp), where=where))
        if len(diffs) > MAX_EDIT_FINDINGS:
            out.append(finding("report_edited_more", sheet=name,
                               count=len(diffs) - MAX_EDIT_FINDINGS))
    return out


def _source_of(rep: ReportSheet | None, row: int, col: int) -> str:
    if rep is None:
        return ""
    for r in rep.rows:
        if r.row == row and 1 <= col <= len(r.source_cells) and r.source_cells[col - 1]:
            return say("report.source_cell", tab=r.source_tab, cell=r.source_cells[col - 1])
    return ""


def _row_id(rep: ReportSheet | None, row: int) -> str:
    if rep is None:
        return ""
    return next((r.id for r in rep.rows if r.row == row), "")
