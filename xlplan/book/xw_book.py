"""The master workbook through xlwings: a few block reads, a few block writes.

What the ribbon and the server run on an open workbook. Each sheet is read with one
block read (anchored at A1, so cell addresses match the file workflow's), the pure core
computes everything, and the result is a :class:`WritePlan`: a short list of rectangles
of values. Only then is anything written. The number of Excel calls depends on the
layout (how many sheets, how many runs of adjacent computed columns), never on the
number of indicator rows.

Two engines run this code: the desktop engine (RunPython, a COM call per xlwings call)
and the remote engine (xlwings Server; each write becomes one JSON action that the VBA
client replays). Their traps are handled here, in one place:

* Excel reads a string assigned to a cell the way it reads typing: ``60.76%`` becomes
  a number, ``4-1-01`` a date; the VBA client also turns any ``a-b-c`` string into a
  date. Every string is therefore written with a leading apostrophe, which Excel
  stores as the cell's prefix, not as part of the value.
* The input sheets are protected, and the computed columns locked. A sheet is
  unprotected right before its writes and protected again with the same permissions
  right after (desktop: COM; server: two macros of the add-in, run through the VBA
  client's ``runMacro``).
* Per-cell formatting would be one call per cell. Styles and colours live in the
  template (named styles, conditional formatting on the marks); Python writes values,
  plus one number format per progress column.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from xlplan.book.check_sheet import HEADINGS as CHECK_HEADINGS
from xlplan.book.check_sheet import finding_rows, summary_line
from xlplan.core.compute import COMPUTED_KEYS, RowResult, compute_row
from xlplan.core.findings import Finding, Level
from xlplan.core.layout import (
    CHECK_SHEET,
    INPUT_SHEET,
    META_SHEET,
    SETTINGS_SHEET,
    SHEETS,
    columns_for,
    version_problem,
)
from xlplan.core.meta import last_used_row, place_rows, report_fingerprints
from xlplan.core.model import RowData
from xlplan.core.report import (
    REPORT_NAMES,
    Reports,
    build_all,
    fingerprint_rows,
    report_findings,
)
from xlplan.core.settings import Settings
from xlplan.core.settings_grid import settings_from_grid
from xlplan.core.sheetread import SheetLayout, col_letter, locate, next_ids, rows_from_grid

# The add-in's macros that (un)protect a sheet for the server path. Qualified with the
# add-in's file name so that a macro of the same name in the active workbook is never run.
ADDIN_FILE = "xlplan.xlam"
VBA_MODULE = "XlplanRibbon"
MACRO_UNPROTECT = f"'{ADDIN_FILE}'!{VBA_MODULE}.XlplanUnprotectSheet"
MACRO_PROTECT = f"'{ADDIN_FILE}'!{VBA_MODULE}.XlplanProtectSheet"
MACRO_LAYOUT = f"'{ADDIN_FILE}'!{VBA_MODULE}.XlplanApplyLayout"
ADDIN_MACROS = frozenset({MACRO_UNPROTECT, MACRO_PROTECT, MACRO_LAYOUT})

# What the layout macro understands: one operation per line, fields separated by tabs.
LAYOUT_OPS: dict[str, str] = {
    "U": "U<TAB>range: unmerge",
    "M": "M<TAB>range: merge",
    "V": "V<TAB>range: stacked (vertical) text, centred",
    "H": "H<TAB>row<TAB>points: row height",
    "P": "P: remove every manual page break",
    "B": "B<TAB>row: a page ends after this row",
    "K": "K<TAB>cell<TAB>fill RRGGBB<TAB>font RRGGBB<TAB>size: a coloured, bold, centred mark",
    "C": "C<TAB>cell<TAB>font RRGGBB: font colour",
    "G": "G<TAB>range: thin borders on every cell, wrapped text",
    "L": "L<TAB>range<TAB>fill RRGGBB: background fill",
    "F": "F<TAB>cell<TAB>size<TAB>bold 0/1: font size",
    "N": "N<TAB>range<TAB>format: number format",
    "A": "A<TAB>range: print area",
    "W": "W<TAB>column<TAB>width: column width",
    "T": "T<TAB>rows: print title rows ($1:$3)",
    "O": "O<TAB>footer: centre footer",
    "S": "S<TAB>A3|A4<TAB>landscape|portrait: paper, fitted to one page wide",
}

PROGRESS_FORMAT = "0.0%"
CHECK_TITLE = "チェック結果"


class XwBookError(Exception):
    """A workbook we must not touch as it is. ``message``/``fix`` are for staff."""

    def __init__(self, code: str, message: str, fix: str, english: str):
        self.code = code
        self.message = message
        self.fix = fix
        self.english = english
        super().__init__(f"{message} {fix} ({english})")


@dataclass(frozen=True, slots=True)
class Formula:
    """A cell value that must reach Excel as a formula (written without the apostrophe)."""

    text: str


@dataclass
class Block:
    """One rectangular write: top-left cell (1-based) and the rows of values."""

    tab: str
    row: int
    col: int
    values: list[list[object]]
    before: list[list[object]] | None = None  # what the cells held, to undo a failed write

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.values), max((len(r) for r in self.values), default=0)

    @property
    def address(self) -> str:
        n, m = self.shape
        return f"{col_letter(self.col)}{self.row}:{col_letter(self.col + m - 1)}{self.row + n - 1}"


@dataclass
class Clear:
    """A rectangle whose contents are cleared (left-overs of a longer previous result)."""

    tab: str
    row: int
    col: int
    nrows: int
    ncols: int


@dataclass
class NumberFormat:
    """One number format set on a rectangle."""

    tab: str
    row: int
    col: int
    nrows: int
    ncols: int
    format: str


@dataclass
class LayoutCall:
    """One call of the add-in's layout macro: ``spec`` holds one operation per line.

    Merges, row heights, page breaks and mark colours are per group or per row; done
    through the COM bridge they would cost one call each. The add-in's macro
    (``XlplanApplyLayout`` in macros/XlplanRibbon.bas) carries them out inside Excel, so
    Python makes one call per sheet however many rows there are. See :data:`LAYOUT_OPS`.
    """

    tab: str
    spec: str


@dataclass
class WritePlan:
    """Everything an action will write, decided before the first write."""

    blocks: list[Block] = field(default_factory=list)
    clears: list[Clear] = field(default_factory=list)
    formats: list[NumberFormat] = field(default_factory=list)
    layouts_before: list[LayoutCall] = field(default_factory=list)  # before the values
    layouts_after: list[LayoutCall] = field(default_factory=list)  # after the values
    new_sheets: list[str] = field(default_factory=list)  # appended after the last sheet
    activate: str | None = None
    changed_cells: int = 0
    assigned_ids: list[str] = field(default_factory=list)

    def extend(self, other: WritePlan) -> None:
        self.blocks += other.blocks
        self.clears += other.clears
        self.formats += other.formats
        self.layouts_before += other.layouts_before
        self.layouts_after += other.layouts_after
        self.new_sheets += [s for s in other.new_sheets if s not in self.new_sheets]
        self.activate = other.activate or self.activate
        self.changed_cells += other.changed_cells
        self.assigned_ids += other.assigned_ids

    def tabs_written(self) -> list[str]:
        seen: list[str] = []
        parts: list[Any] = [*self.layouts_before, *self.blocks, *self.clears, *self.formats,
                            *self.layouts_after]
        for t in [x.tab for x in parts]:
            if t not in seen:
                seen.append(t)
        return seen


# --- reading -------------------------------------------------------------------------


Grid = list[list[object]]


@dataclass
class XwSheet:
    key: str  # "4-1"
    tab: str  # "4-1入力"
    layout: SheetLayout
    grid: Grid
    rows: list[RowData]


@dataclass
class XwMaster:
    """What one read of an open workbook gives: like book.master.Master, without openpyxl."""

    book: Any  # xlwings.Book
    sheet_names: list[str]
    settings: Settings
    sheets: dict[str, XwSheet]
    findings: list[Finding]
    grids: dict[str, Grid]  # tab → values, for every sheet that was read

    def all_rows(self) -> list[RowData]:
        return [r for s in self.sheets.values() for r in s.rows]

    def grid(self, tab: str) -> Grid:
        """One sheet's values (one block read, then cached)."""
        if tab not in self.grids:
            self.grids[tab] = read_grid(self.book.sheets[tab])
        return self.grids[tab]


def read_grid(sheet: Any) -> Grid:
    """All values of a sheet, anchored at A1, as one block read (a list of rows)."""
    last = sheet.used_range.last_cell
    nrows, ncols = last.row, last.column
    # chunksize=None: one read, however big (xlwings would otherwise split reads of more
    # than 4,000,000 cells into several calls).
    values = sheet.range((1, 1), (nrows, ncols)).options(ndim=2, chunksize=None).value
    return [list(r) for r in values] if values else []


def read_master(book: Any) -> XwMaster:
    """Settings and every input sheet, one block read per sheet; findings for what is off.

    Raises :class:`XwBookError` for a workbook of another template version (as the file
    workflow does), before anything is computed.
    """
    names = [s.name for s in book.sheets]
    grids: dict[str, Grid] = {}

    def grid(tab: str) -> Grid:
        if tab not in grids:
            grids[tab] = read_grid(book.sheets[tab])
        return grids[tab]

    version = None
    if META_SHEET in names:
        meta = grid(META_SHEET)
        if meta and len(meta[0]) > 1 and meta[0][1] is not None:
            version = str(meta[0][1])
    problem = version_problem(version)
    if problem is not None:
        raise XwBookError("template_version", *problem)

    settings, findings = settings_from_grid(grid(SETTINGS_SHEET) if SETTINGS_SHEET in names else None)
    sheets: dict[str, XwSheet] = {}
    for key in SHEETS:
        tab = INPUT_SHEET[key]
        if tab not in names:
            findings.append(Finding(
                "sheet_missing", Level.ERROR, tab, "",
                f"シート「{tab}」がありません。",
                "シートを削除・改名していないか確認し、テンプレートの名前に戻してください。"))
            continue
        g = grid(tab)
        layout, f1 = locate(key, tab, g)
        findings += f1
        if layout is None:
            continue
        rows, f2 = rows_from_grid(layout, g)
        findings += f2
        sheets[key] = XwSheet(key, tab, layout, g, rows)
    return XwMaster(book, names, settings, sheets, findings, grids)


def compute_all(xm: XwMaster) -> dict[tuple[str, int], RowResult]:
    return {(r.sheet, r.row): compute_row(r.sheet, r.values, xm.settings) for r in xm.all_rows()}


# --- planning (pure: grids in, blocks out) ---------------------------------------------


def _at(grid: Grid, row: int, col: int) -> object:
    if row - 1 < len(grid):
        line = grid[row - 1]
        if col - 1 < len(line):
            return line[col - 1]
    return None


def _norm(v: object) -> object:
    return None if v == "" else v


def _runs(cols: Iterable[int]) -> list[list[int]]:
    """[3, 4, 5, 9] → [[3, 4, 5], [9]]: adjacent columns become one block."""
    out: list[list[int]] = []
    for c in sorted(cols):
        if out and out[-1][-1] == c - 1:
            out[-1].append(c)
        else:
            out.append([c])
    return out


def plan_recompute(xm: XwMaster, results: dict[tuple[str, int], RowResult]) -> WritePlan:
    """The computed columns (and IDs of new rows) of every input sheet, as blocks.

    Mirrors book.master.recompute: typed cells are never written, a block whose cells
    all hold their new value already is not written, and the changed-cell count is the
    same as the file workflow's.
    """
    plan = WritePlan()
    spans: list[NumberFormat] = []
    for key, sheet in xm.sheets.items():
        lay, grid = sheet.layout, sheet.grid
        if not sheet.rows:
            continue
        r0 = min(r.row for r in sheet.rows)
        r1 = max(r.row for r in sheet.rows)
        missing = [r for r in sheet.rows if not r.id]
        if missing and "id" in lay.cols:
            c = lay.cols["id"]
            new = next_ids(key, [r.id for r in sheet.rows], len(missing))
            by_row = {r.row: nid for r, nid in zip(missing, new, strict=True)}
            before = [[_at(grid, r, c)] for r in range(r0, r1 + 1)]
            after = [[by_row.get(r, _at(grid, r, c))] for r in range(r0, r1 + 1)]
            plan.blocks.append(Block(sheet.tab, r0, c, after, before))
            plan.changed_cells += len(new)
            plan.assigned_ids += new
        writable = {lay.cols[k]: k for k in COMPUTED_KEYS if k in lay.cols}
        row_keys = {r.row for r in sheet.rows}
        for run in _runs(writable):
            before = [[_at(grid, r, c) for c in run] for r in range(r0, r1 + 1)]
            after = [list(line) for line in before]
            changed = 0
            for i, r in enumerate(range(r0, r1 + 1)):
                if r not in row_keys:
                    continue  # a blank row between indicators: left as it is
                values = results[(key, r)].values
                for j, c in enumerate(run):
                    new_v = _norm(values[writable[c]])
                    if _norm(before[i][j]) != new_v:
                        after[i][j] = new_v
                        changed += 1
            if changed:
                plan.changed_cells += changed
                plan.blocks.append(Block(sheet.tab, r0, run[0], after, before))
        if "progress" in lay.cols:
            spans.append(NumberFormat(sheet.tab, r0, lay.cols["progress"], r1 - r0 + 1, 1,
                                      PROGRESS_FORMAT))
    if plan.changed_cells:
        # As the file workflow does when it saves: progress cells show as percentages.
        plan.formats += spans
    return plan


def rows_after_recompute(xm: XwMaster, plan: WritePlan,
                         results: dict[tuple[str, int], RowResult]) -> list[RowData]:
    """The rows as a reader will find them once ``plan_recompute``'s plan is written:
    computed columns up to date, new rows with their new IDs (what the file workflow
    reads when ``xlplan check`` runs after ``xlplan recompute``)."""
    out: list[RowData] = []
    new = iter(plan.assigned_ids)
    for sheet in xm.sheets.values():
        computed = [k for k in COMPUTED_KEYS if k in sheet.layout.cols]
        for r in sheet.rows:
            values = dict(r.values)
            res = results[(r.sheet, r.row)].values
            values.update({k: _norm(res[k]) for k in computed})
            nid = None if r.id else next(new, None)
            if nid is not None:
                values["id"] = nid
            out.append(replace(r, id=nid or r.id, values=values))
    return out


def _leftovers(tab: str, nrows: int, ncols: int, old_rows: int, old_cols: int) -> list[Clear]:
    """What a previous, larger result left below and right of a new block.

    Always the same two clears (at least one row / column each), so that the number of
    calls does not depend on whether the previous result was larger.
    """
    return [Clear(tab, nrows + 1, 1, max(1, old_rows - nrows), max(ncols, old_cols)),
            Clear(tab, 1, ncols + 1, max(nrows, old_rows), max(1, old_cols - ncols))]


def link_formula(f: Finding) -> object:
    """The セル column: a HYPERLINK formula that jumps to the cell, or the plain text."""
    if not (f.sheet and f.cell):
        return f.cell
    target = f.cell.split(":")[0]
    sheet = f.sheet.replace("'", "''")
    return Formula(f'=HYPERLINK("#\'{sheet}\'!{target}","{f.cell}")')


def plan_check_sheet(xm: XwMaster, findings: Sequence[Finding]) -> WritePlan:
    """The チェック結果 sheet as one block (created at the end when missing).

    Same rows as the file workflow's sheet (book.check_sheet); the セル column links to
    the cell through a HYPERLINK formula so that the links cost no extra call.
    """
    plan = WritePlan()
    width = len(CHECK_HEADINGS)
    rows: list[list[object]] = [[CHECK_TITLE] + [None] * (width - 1),
                                [summary_line(findings)] + [None] * (width - 1),
                                list(CHECK_HEADINGS)]
    for f, values in zip(findings, finding_rows(findings), strict=True):
        line = list(values)
        line[3] = link_formula(f)
        rows.append(line)
    if CHECK_SHEET in xm.sheet_names:
        old = xm.grid(CHECK_SHEET)
        old_rows, old_cols = _extent(old)
        before = [[_at(old, r, c) for c in range(1, width + 1)] for r in range(1, len(rows) + 1)]
        plan.clears += _leftovers(CHECK_SHEET, len(rows), width, old_rows, old_cols)
    else:
        plan.new_sheets.append(CHECK_SHEET)
        before = None
    plan.blocks.append(Block(CHECK_SHEET, 1, 1, rows, before))
    return plan


def _ops(*lines: Iterable[Sequence[object]]) -> str:
    out: list[str] = []
    for group in lines:
        for fields in group:
            out.append("\t".join(str(f) for f in fields))
    return "\n".join(out)


def _extent(grid: Grid) -> tuple[int, int]:
    """Rows and columns of a grid up to its last non-empty cell."""
    nrows = ncols = 0
    for i, line in enumerate(grid, start=1):
        for j, v in enumerate(line, start=1):
            if v is not None and v != "":
                nrows = i
                ncols = max(ncols, j)
    return nrows, ncols


def _ref(r0: int, c0: int, r1: int, c1: int) -> str:
    return f"{col_letter(c0)}{r0}:{col_letter(c1)}{r1}"


def _replace_sheet(xm: XwMaster, plan: WritePlan, tab: str, grid: list[list[Any]]) -> bool:
    """Plan one sheet's values as one block over what it held; True if it is new."""
    width = max((len(r) for r in grid), default=1)
    if tab in xm.sheet_names:
        old = xm.grid(tab)
        old_rows, old_cols = _extent(old)
        before = [[_at(old, r, c) for c in range(1, width + 1)] for r in range(1, len(grid) + 1)]
        plan.clears += _leftovers(tab, len(grid), width, old_rows, old_cols)
        if old_rows and old_cols:
            plan.layouts_before.append(LayoutCall(tab, _ops([("U", _ref(1, 1, old_rows, old_cols))])))
        new = False
    else:
        plan.new_sheets.append(tab)
        before = None
        new = True
    plan.blocks.append(Block(tab, 1, 1, [list(r) for r in grid], before))
    return new


def report_spec(rep: Any, new: bool) -> str:
    """The layout macro's operations for one 資料 sheet (core.report.ReportSheet)."""
    from xlplan.book import styles
    from xlplan.core.report import MARK_FONT, OVERRIDE_MARK, TITLE_FONT, ColumnKind

    ops: list[tuple[object, ...]] = []
    if new:
        ops += [("W", j, c.width) for j, c in enumerate(rep.columns, start=1)]
        ops += [("W", rep.id_col, 9), ("W", rep.side_note_col, 40)]
        ops += [("S", rep.page.paper, rep.page.orientation), ("T", f"${rep.title_row}:${rep.header_row}"),
                ("O", rep.footer), ("F", f"A{rep.title_row}", TITLE_FONT, 1),
                ("L", _ref(rep.header_row, 1, rep.header_row, rep.ncols), "DDEBF7")]
    if rep.rows:
        ops.append(("G", _ref(rep.first_data_row, 1, rep.last_data_row, rep.ncols)))
    ops += [("M", span.ref) for span in rep.merges]
    ops += [("V", span.ref) for span in rep.stacked]
    ops += [("H", r, h) for r, h in sorted(rep.heights().items())]
    ops.append(("P",))
    ops += [("B", b) for b in rep.row_breaks]
    kinds = [c.kind for c in rep.columns]
    for row in rep.rows:
        for j, kind in enumerate(kinds, start=1):
            cell = f"{col_letter(j)}{row.row}"
            if kind is ColumnKind.MARK:
                base = str(row.values[j - 1] or "").split(OVERRIDE_MARK, 1)[0]
                bg, fg = styles.MARK_COLOURS.get(base, ("FFFFFF", "000000"))
                size = MARK_FONT if len(base) <= 1 else 9
                ops.append(("K", cell, bg, fg, size))
            elif kind is ColumnKind.TREND:
                ops.append(("C", cell, "7F6000" if row.trend_override else "000000"))
    ops.append(("A", rep.print_area))
    return _ops(ops)


def summary_spec(sm: Any, new: bool) -> str:
    """The layout macro's operations for the 集計 sheet (core.report.SummarySheet)."""
    from xlplan.core.report import TITLE_FONT

    ops: list[tuple[object, ...]] = []
    if new:
        ops += [("W", j, w) for j, w in enumerate(sm.widths, start=1)]
        ops += [("S", sm.page.paper, sm.page.orientation), ("O", sm.footer),
                ("F", f"A{sm.title_row}", TITLE_FONT, 1)]
    ops += [("G", _ref(first, 1, last, ncol)) for first, last, ncol in sm.table_rows]
    ops += [("G", _ref(r, a, r, b)) for r, a, b in sm.headings]
    ops += [("L", _ref(r, a, r, b), "DDEBF7") for r, a, b in sm.headings]
    ops += [("M", span.ref) for span in sm.merges]
    ops += [("H", r, h) for r, h in sorted(sm.heights.items())]
    ops += [("N", f"{col_letter(c)}{r}", "0%") for r, c in sm.percent]
    return _ops(ops)


def report_layouts(xm: XwMaster, rows: Sequence[RowData],
                   results: dict[tuple[str, int], RowResult]) -> Reports:
    """The report's layout from these input rows (what ``xlplan render`` lays out)."""
    items: dict[str, list[tuple[RowData, RowResult]]] = {}
    for r in rows:
        items.setdefault(r.sheet, []).append((r, results[(r.sheet, r.row)]))
    return build_all(items, xm.settings)


def report_check(xm: XwMaster, reports: Reports | Callable[[], Reports]) -> list[Finding]:
    """Hand edits and stale sheets among the report sheets, as ``xlplan check`` finds them.

    One block read per report sheet the workbook has (at most four); the fingerprints
    come from the ``_xlplan`` grid read with the master. The verdict is the CLI's
    (:func:`xlplan.core.report.report_findings`). ``reports`` may be a function, called
    only when there is a report sheet to compare.
    """
    present = [n for n in REPORT_NAMES if n in xm.sheet_names]
    if not present:
        return []
    current = {n: xm.grid(n) for n in present}
    stored = report_fingerprints(xm.grid(META_SHEET)) if META_SHEET in xm.sheet_names else {}
    return report_findings(current, stored, reports() if callable(reports) else reports)


def plan_fingerprints(xm: XwMaster, entries: dict[str, str]) -> WritePlan:
    """The ``_xlplan`` rows of the fingerprints as one block (rows placed as the file
    workflow places them: :func:`xlplan.core.meta.place_rows`). Labels and hex hashes
    only: no text the remote engine could read back as a date."""
    plan = WritePlan()
    grid = xm.grid(META_SHEET)  # read_master has read it (it holds the template version)
    first, rows = place_rows(grid, entries)
    if rows:
        before = [[_at(grid, first + i, c) for c in (1, 2)] for i in range(len(rows))]
        plan.blocks.append(Block(META_SHEET, first, 1, rows, before))
    return plan


def plan_reports(xm: XwMaster, rows: Sequence[RowData],
                 results: dict[tuple[str, int], RowResult],
                 reports: Reports | None = None) -> tuple[WritePlan, str]:
    """資料4-1/4-2/4-3 and 集計 from the input rows: values, layout, fingerprints.

    The values are exactly what ``xlplan render`` writes (core.report lays out both),
    and so are the fingerprints (rows of ``_xlplan``, one block). The chart on 集計 is
    made by ``xlplan render`` and kept: it reads fixed cells. ``reports`` is the layout
    when the caller already has it.
    """
    reports = reports if reports is not None else report_layouts(xm, rows, results)
    plan = WritePlan()
    pages: list[str] = []
    for rep in reports.sheets.values():
        new = _replace_sheet(xm, plan, rep.name, rep.grid())
        plan.layouts_after.append(LayoutCall(rep.name, report_spec(rep, new)))
        pages.append(f"{rep.name} {len(rep.rows)}指標・{rep.pages}ページ")
    text = "様式（" + "、".join(pages) + "）"
    sm = reports.summary_sheet
    new = _replace_sheet(xm, plan, sm.name, sm.grid())
    plan.layouts_after.append(LayoutCall(sm.name, summary_spec(sm, new)))
    text += "と集計"
    if new:
        text += "（グラフは「xlplan render」で作成されます）"
    plan.extend(plan_fingerprints(xm, fingerprint_rows(reports)))
    return plan, text + "を作り直しました。"


# --- single cells and appended rows (the merge of returned copies) --------------------


_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def cell_index(ref: str) -> tuple[int, int]:
    """``"J12"`` → ``(12, 10)`` (row, column; 1-based)."""
    m = _CELL.match(ref.strip())
    if m is None:
        raise ValueError(f"not a cell address: {ref!r}")
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def held(v: object) -> object:
    """What a cell holds once ``v`` is written (:func:`to_excel`), as a block read gives it."""
    if isinstance(v, str):
        return v or None
    if isinstance(v, datetime):
        return v
    if isinstance(v, date):
        return datetime(v.year, v.month, v.day)
    return v


def staff_columns(xm: XwMaster) -> dict[str, set[int]]:
    """Tab → the columns staff type into (the columns a merge may write)."""
    return {s.tab: {s.layout.cols[c.key] for c in columns_for(key)
                    if c.editable_by_staff and c.key in s.layout.cols}
            for key, s in xm.sheets.items()}


def plan_cells(xm: XwMaster, writes: Sequence[tuple[str, str, object]],
               joinable: Mapping[str, Iterable[int]]) -> WritePlan:
    """Single cells (tab, "J12", value) as a few blocks, however many cells and rows.

    Per sheet, the written columns are grouped into runs: two written columns share a
    block when every column from one to the other is ``joinable`` (for the merge: the
    staff columns, so that no ID, target, judgement or computed cell is ever rewritten).
    Each run is one block from its first to its last written row; the cells of the block
    that are not written get back the value read a moment before. So the number of
    blocks is at most the number of runs of joinable columns, never the number of rows.
    A later write to the same cell wins.
    """
    plan = WritePlan()
    by_tab: dict[str, dict[tuple[int, int], object]] = {}
    for tab, ref, value in writes:
        by_tab.setdefault(tab, {})[cell_index(ref)] = value
    for tab, cells in by_tab.items():
        grid = xm.grid(tab)
        ok = set(joinable.get(tab, ()))
        runs: list[list[int]] = []
        for c in sorted({c for _, c in cells}):
            if runs and all(x in ok for x in range(runs[-1][-1], c + 1)):
                runs[-1].append(c)
            else:
                runs.append([c])
        for run in runs:
            c0, c1 = run[0], run[-1]
            rows = [r for r, c in cells if c0 <= c <= c1]
            r0, r1 = min(rows), max(rows)
            before = [[_at(grid, r, c) for c in range(c0, c1 + 1)] for r in range(r0, r1 + 1)]
            after = [[cells.get((r, c), before[i][j]) for j, c in enumerate(range(c0, c1 + 1))]
                     for i, r in enumerate(range(r0, r1 + 1))]
            plan.blocks.append(Block(tab, r0, c0, after, before))
        plan.changed_cells += len(cells)
    return plan


def with_cells(xm: XwMaster, writes: Sequence[tuple[str, str, object]]) -> XwMaster:
    """The master as a block read will find it once ``writes`` are written: the input
    sheets' grids with the new values, their rows parsed again (what the file workflow
    reads when it recomputes after a merge)."""
    grids = dict(xm.grids)
    changed: dict[str, Grid] = {}
    for tab, ref, value in writes:
        if tab not in changed:
            changed[tab] = grids[tab] = [list(line) for line in xm.grid(tab)]
        grid = changed[tab]
        r, c = cell_index(ref)
        while len(grid) < r:
            grid.append([])
        line = grid[r - 1]
        line.extend([None] * (c - len(line)))
        line[c - 1] = held(value)
    sheets = dict(xm.sheets)
    for key, s in xm.sheets.items():
        if s.tab in changed:
            rows, _ = rows_from_grid(s.layout, changed[s.tab])
            sheets[key] = replace(s, grid=changed[s.tab], rows=rows)
    return replace(xm, sheets=sheets, grids=grids)


def plan_append_rows(xm: XwMaster, tab: str, headings: Sequence[str],
                     rows: Sequence[Sequence[object]],
                     widths: Sequence[float] | None = None) -> WritePlan:
    """Records appended to a plain table (headings in row 1) as one block.

    Each value goes to the column whose heading is ``headings[i]`` now (columns found by
    heading, as the file workflow's ``Table.append``; a value whose heading is gone is
    not written), below the last used row. A missing sheet is created with the headings
    (and, through the layout macro, their widths and the heading colour).
    """
    plan = WritePlan()
    if not rows:
        return plan
    if tab not in xm.sheet_names:
        plan.new_sheets.append(tab)
        width = len(headings)
        values: list[list[object]] = [list(headings), *[list(r) for r in rows]]
        # An undo (a later write failing) must empty the new sheet: 変更履歴 rows of
        # changes that were put back would make a later merge skip them as taken.
        empty: list[list[object]] = [[None] * width for _ in values]
        plan.blocks.append(Block(tab, 1, 1, values, empty))
        ops: list[tuple[object, ...]] = [("W", j, w) for j, w in enumerate(widths or [], start=1)]
        ops += [("L", _ref(1, 1, 1, width), "DDEBF7"), ("F", _ref(1, 1, 1, width), 9, 1)]
        plan.layouts_after.append(LayoutCall(tab, _ops(ops)))
        return plan
    grid = xm.grid(tab)
    top = grid[0] if grid else []
    where = {str(v).strip(): j for j, v in enumerate(top, start=1)
             if v is not None and str(v).strip()}
    cols = {i: where[h] for i, h in enumerate(headings) if h in where}
    if not cols:
        return plan
    c0, c1 = min(cols.values()), max(cols.values())
    first = max(last_used_row(grid), 1) + 1
    before = [[_at(grid, first + i, c) for c in range(c0, c1 + 1)] for i in range(len(rows))]
    after = [list(line) for line in before]
    for i, rec in enumerate(rows):
        for k, c in cols.items():
            after[i][c - c0] = rec[k] if k < len(rec) else None
    plan.blocks.append(Block(tab, first, c0, after, before))
    return plan


def plan_meta_append(xm: XwMaster, rows: Sequence[Sequence[object]]) -> WritePlan:
    """Rows appended to ``_xlplan`` as one block, where the file workflow's ``meta_append``
    puts them: after the last row that holds something in columns A–C."""
    plan = WritePlan()
    if not rows:
        return plan
    grid = xm.grid(META_SHEET)
    last = 0
    for i, line in enumerate(grid, start=1):
        if any(v is not None and v != "" for v in line[:3]):
            last = i
    width = max(len(r) for r in rows)
    before = [[_at(grid, last + 1 + i, c) for c in range(1, width + 1)] for i in range(len(rows))]
    plan.blocks.append(Block(META_SHEET, last + 1, 1, [list(r) for r in rows], before))
    return plan


def to_excel(v: object) -> object:
    """A planned value as it must be handed to Excel (see the module docstring)."""
    if isinstance(v, Formula):
        return v.text
    if isinstance(v, str):
        return "'" + v if v else None
    if isinstance(v, datetime):
        return v
    if isinstance(v, date):
        return datetime(v.year, v.month, v.day)
    return v


# --- writing (the only part that talks to Excel) --------------------------------------


def is_remote(book: Any) -> bool:
    return bool(book.app.engine.name == "remote")


@dataclass
class _Protection:
    tab: str
    flags: dict[str, bool] | None  # desktop: the Allow* permissions to restore


_ALLOW = ("AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows",
          "AllowInsertingColumns", "AllowInsertingRows", "AllowInsertingHyperlinks",
          "AllowDeletingColumns", "AllowDeletingRows", "AllowSorting", "AllowFiltering",
          "AllowUsingPivotTables")


class _Writer:
    """Talks to Excel for apply_plan; keeps the objects it needs so each is fetched once."""

    def __init__(self, book: Any):
        self.book = book
        self.remote = is_remote(book)
        self.app = book.app
        self._sheets: dict[str, Any] = {}
        self._macros: dict[str, Any] = {}

    def sheet(self, tab: str) -> Any:
        if tab not in self._sheets:
            self._sheets[tab] = self.book.sheets[tab]
        return self._sheets[tab]

    def macro(self, name: str, tab: str, *args: Any) -> None:
        if name not in self._macros:
            self._macros[name] = self.app.macro(name)
        if self.remote:  # the VBA client passes the workbook itself
            self._macros[name](tab, *args)
        else:
            self._macros[name](self.book, tab, *args)

    def rect(self, tab: str, row: int, col: int, nrows: int, ncols: int) -> Any:
        return self.sheet(tab).range((row, col), (row + nrows - 1, col + ncols - 1))

    def unprotect(self, tab: str) -> _Protection | None:
        if self.remote:
            self.macro(MACRO_UNPROTECT, tab)
            return _Protection(tab, None)
        api = self.sheet(tab).api
        if not api.ProtectContents:
            return None
        flags = {k: bool(getattr(api.Protection, k)) for k in _ALLOW}
        try:
            api.Unprotect()
        except Exception as e:  # a password was set on the sheet
            raise XwBookError(
                "sheet_password", f"シート「{tab}」の保護をパスワードなしで解除できません。",
                "「校閲」→「シート保護の解除」でパスワードを外してから、もう一度実行してください。",
                f"sheet {tab} is protected with a password") from e
        return _Protection(tab, flags)

    def protect(self, p: _Protection) -> None:
        if self.remote:
            self.macro(MACRO_PROTECT, p.tab)
            return
        self.sheet(p.tab).api.Protect(DrawingObjects=True, Contents=True, Scenarios=True,
                                      **(p.flags or {}))

    def block(self, b: Block, values: list[list[object]] | None = None) -> None:
        n, m = b.shape
        vals = b.values if values is None else values
        # chunksize=None: one write per block. xlwings splits writes of more than 100,000
        # cells into chunks by default, which would make the number of calls grow with rows.
        self.rect(b.tab, b.row, b.col, n, m).options(chunksize=None).value = [
            [to_excel(v) for v in line] + [None] * (m - len(line)) for line in vals]

    def layout(self, call: LayoutCall) -> None:
        self.macro(MACRO_LAYOUT, call.tab, call.spec)


def apply_plan(book: Any, plan: WritePlan) -> None:
    """Write the plan. On the desktop, a failure part-way puts back what was written."""
    w = _Writer(book)
    saved: dict[str, Any] = {}
    if not w.remote:
        saved = {"screen_updating": w.app.screen_updating, "calculation": w.app.calculation}
        w.app.screen_updating = False
        w.app.calculation = "manual"
    done: list[Block] = []
    unprotected: list[_Protection] = []
    try:
        for name in plan.new_sheets:
            w._sheets[name] = book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])
        existing = [t for t in plan.tabs_written() if t not in plan.new_sheets]
        try:
            for tab in existing:
                p = w.unprotect(tab)
                if p is not None:
                    unprotected.append(p)
            for call in plan.layouts_before:
                w.layout(call)
            for b in plan.blocks:
                w.block(b)
                done.append(b)
            for c in plan.clears:
                w.rect(c.tab, c.row, c.col, c.nrows, c.ncols).clear_contents()
            for f in plan.formats:
                w.rect(f.tab, f.row, f.col, f.nrows, f.ncols).number_format = f.format
            for call in plan.layouts_after:
                w.layout(call)
        except Exception:
            if not w.remote:
                for b in reversed(done):
                    if b.before is not None:
                        with contextlib.suppress(Exception):  # keep undoing the rest
                            w.block(b, b.before)
            raise
        finally:
            for p in unprotected:
                w.protect(p)
        if plan.activate:
            w.sheet(plan.activate).activate()
    finally:
        if not w.remote:
            w.app.calculation = saved["calculation"]
            w.app.screen_updating = saved["screen_updating"]
