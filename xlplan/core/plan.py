"""What an action writes, decided before the first write: a :class:`Plan` an engine applies.

Every action (check, recompute, render, merge, …) reads a workbook through an engine
(:mod:`xlplan.engines`), decides everything in the core, and returns a plan. The engines
apply the same plan to an ``.xlsx`` file, to the workbook open in desktop Excel, or to
the book xlwings Server rebuilt from the client's JSON; none of them decides anything.

A plan holds three kinds of writes:

* :class:`Block` — values written into an existing sheet (the computed columns, the
  cells a merge takes, rows appended to a log). Strings are always written as strings:
  engines never let a value become a formula.
* :class:`Format` on an existing sheet (the progress column's number format, the mark
  cells' colours).
* :class:`SheetContent` — a sheet xlplan owns (資料4-1…, 集計, チェック結果, 変更履歴 when
  it is new): its values from A1 and its layout as a list of :data:`Op`. The sheet holds
  exactly this afterwards; it is created when missing.

The layout operations are plain data so that each engine can carry them out in its own
way: openpyxl calls for the file, one call of the add-in's layout macro per sheet for
Excel (so the number of Excel calls never grows with the number of rows).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

Value = str | int | float | bool | date | datetime | None
Grid = tuple[tuple[Value, ...], ...]


def col_letter(n: int) -> str:
    """1 → A, 27 → AA."""
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def ref(r0: int, c0: int, r1: int | None = None, c1: int | None = None) -> str:
    """(1, 1) → "A1"; (1, 1, 3, 2) → "A1:B3"."""
    a = f"{col_letter(c0)}{r0}"
    if r1 is None or c1 is None or (r1 == r0 and c1 == c0):
        return a
    return f"{a}:{col_letter(c1)}{r1}"


def cell_index(address: str) -> tuple[int, int]:
    """``"J12"`` → ``(12, 10)`` (row, column; 1-based). ``$`` signs are ignored."""
    s = address.replace("$", "").strip().upper()
    i = 0
    col = 0
    while i < len(s) and "A" <= s[i] <= "Z":
        col = col * 26 + ord(s[i]) - 64
        i += 1
    if not col or not s[i:].isdigit() or i > 3:
        raise ValueError(f"not a cell address: {address!r}")
    return int(s[i:]), col


def bounds(rng: str) -> tuple[int, int, int, int]:
    """``"B3:D7"`` → (3, 2, 7, 4): first row, first column, last row, last column."""
    a, _, b = rng.partition(":")
    r0, c0 = cell_index(a)
    r1, c1 = cell_index(b) if b else (r0, c0)
    return min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)


# --------------------------------------------------------------------------- layout ops


@dataclass(frozen=True, slots=True)
class Format:
    """Formats set on every cell of ``ref``; ``None`` leaves a property as it is.

    Colours are ``RRGGBB``. ``border`` draws a thin box around every cell.
    ``vertical`` stacks the characters (text rotation 255, as the seed prints 大項目).
    """

    ref: str
    font_name: str | None = None
    font_size: float | None = None
    bold: bool | None = None
    font_color: str | None = None
    fill: str | None = None
    h_align: str | None = None  # "left" | "center" | "right"
    v_align: str | None = None  # "top" | "center" | "bottom"
    wrap: bool | None = None
    vertical: bool | None = None
    border: bool | None = None
    number_format: str | None = None


@dataclass(frozen=True, slots=True)
class Merge:
    ref: str


@dataclass(frozen=True, slots=True)
class RowHeight:
    row: int
    height: float  # points


@dataclass(frozen=True, slots=True)
class ColWidth:
    col: int
    width: float  # Excel character units


@dataclass(frozen=True, slots=True)
class PageSetup:
    """Paper, fitted to one page wide; margins in inches; the centre footer (Excel codes)."""

    paper: str  # "A3" | "A4"
    orientation: str  # "landscape" | "portrait"
    footer: str = ""
    margins: tuple[float, float, float, float, float, float] | None = None  # l r t b header footer
    print_area: str | None = None
    title_rows: str | None = None  # "1:3"
    breaks: tuple[int, ...] = ()  # a page ends after each of these rows


@dataclass(frozen=True, slots=True)
class View:
    """Freeze panes at ``freeze`` (top-left unfrozen cell), zoom, tab colour."""

    freeze: str | None = None
    zoom: int | None = None
    tab_color: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """A link in ``cell`` that jumps to ``target`` (``'4-2入力'!J12``) in the same workbook."""

    cell: str
    target: str


@dataclass(frozen=True, slots=True)
class AutoFilter:
    ref: str


@dataclass(frozen=True, slots=True)
class Series:
    title_cell: str  # the series name
    values: str  # "C6:C8"
    fill: str  # RRGGBB
    line: str  # RRGGBB


@dataclass(frozen=True, slots=True)
class BarChart:
    """A stacked horizontal bar chart (the 集計 sheet's mark counts per 資料)."""

    anchor: str  # top-left cell
    title: str
    value_axis_title: str
    categories: str  # "A6:A8"
    series: tuple[Series, ...]
    width_cm: float = 24.0
    height_cm: float = 7.5


Op = Format | Merge | RowHeight | ColWidth | PageSetup | View | Link | AutoFilter | BarChart


# --------------------------------------------------------------------------- writes


@dataclass(frozen=True, slots=True)
class Block:
    """One rectangle of values written into an existing sheet, top-left at (row, col).

    ``before`` is what the cells held when they were read, so that an engine can put it
    back when a later write fails.
    """

    sheet: str
    row: int
    col: int
    values: Grid
    before: Grid | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.values), max((len(r) for r in self.values), default=0)

    @property
    def address(self) -> str:
        n, m = self.shape
        return ref(self.row, self.col, self.row + n - 1, self.col + m - 1)

    def cells(self) -> Iterator[tuple[int, int, Value]]:
        """(row, col, value) of every cell of the block."""
        for i, line in enumerate(self.values):
            for j, v in enumerate(line):
                yield self.row + i, self.col + j, v


@dataclass(frozen=True, slots=True)
class SheetFormat:
    """A :class:`Format` on a sheet xlplan does not own (only number formats and colours)."""

    sheet: str
    format: Format


@dataclass(frozen=True, slots=True)
class SheetContent:
    """A sheet xlplan owns, whole: afterwards it holds exactly these values and layout.

    Created when missing, after the sheet ``after`` (or, without one, after the last
    sheet people see: :func:`anchor_of`); an existing sheet keeps its place and is
    emptied first (values, formats, merges, page breaks).
    """

    name: str
    grid: Grid
    ops: tuple[Op, ...] = ()
    after: str | None = None
    hidden: bool = False


def anchor_of(content: SheetContent, names: Sequence[str], hidden: set[str]) -> str | None:
    """The sheet a new sheet goes after: ``content.after`` when it exists, else the last
    visible sheet that is not one of xlplan's own (``_xlplan``), else the last sheet.
    Every engine places new sheets with this, so they come out in the same order."""
    if content.after is not None and content.after in names:
        return content.after
    visible = [n for n in names if n not in hidden and not n.startswith("_")]
    pool = visible or list(names)
    return pool[-1] if pool else None


def grid_of(rows: Sequence[Sequence[Value]]) -> Grid:
    return tuple(tuple(r) for r in rows)


@dataclass
class Plan:
    """Everything an action will write, decided before the first write."""

    blocks: list[Block] = field(default_factory=list)
    formats: list[SheetFormat] = field(default_factory=list)
    sheets: list[SheetContent] = field(default_factory=list)
    delete: list[str] = field(default_factory=list)
    activate: str | None = None
    changed_cells: int = 0
    assigned_ids: list[str] = field(default_factory=list)

    def extend(self, other: Plan) -> Plan:
        self.blocks += other.blocks
        self.formats += other.formats
        done = {s.name for s in other.sheets}
        self.sheets = [s for s in self.sheets if s.name not in done] + other.sheets
        self.delete += [d for d in other.delete if d not in self.delete]
        self.activate = other.activate or self.activate
        self.changed_cells += other.changed_cells
        self.assigned_ids += other.assigned_ids
        return self

    @property
    def empty(self) -> bool:
        return not (self.blocks or self.formats or self.sheets or self.delete or self.activate)

    def written_sheets(self) -> list[str]:
        """Existing sheets this plan writes into (blocks and formats), in first-write order."""
        seen: dict[str, None] = {}
        for b in self.blocks:
            seen.setdefault(b.sheet, None)
        for f in self.formats:
            seen.setdefault(f.sheet, None)
        owned = {s.name for s in self.sheets}
        return [s for s in seen if s not in owned]
