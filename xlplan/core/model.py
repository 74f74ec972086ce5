"""Plain records of what was read from a workbook, for the pure core to work on.

:class:`SheetRead` is what an engine's one read of a sheet returns, whatever the engine
(the file through openpyxl, desktop Excel, the server's JSON): values anchored at A1 and
the facts about the sheet that checks need. :class:`RowData` is one indicator row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

Grid = Sequence[Sequence[object]]


@dataclass(frozen=True, slots=True)
class SheetRead:
    """One sheet as read: values from A1 and what else the checks look at.

    ``values`` holds what a cell shows as data: text, numbers, dates, booleans. A cell
    holding a formula has ``None`` there (its cached result is never trusted) and its
    formula text in ``formulas``. ``number_formats`` lists the format of every cell
    holding a number or a date whose format is not General, so that ``0.5`` shown as
    ``50%`` is read as 50 %; ``formats_known`` is False when the engine cannot tell
    (then such numbers are reported instead of guessed).
    """

    name: str
    values: Grid
    state: str = "visible"  # "visible" | "hidden" | "veryHidden"
    kind: str = "worksheet"  # "worksheet" | "chartsheet"
    protected: bool = False
    password: bool = False  # protected with a password: xlplan cannot unprotect it
    merged: tuple[str, ...] = ()  # merged ranges ("B5:C6")
    formulas: Mapping[tuple[int, int], str] = field(default_factory=dict)
    number_formats: Mapping[tuple[int, int], str] = field(default_factory=dict)
    formats_known: bool = True
    tables: Mapping[str, str] = field(default_factory=dict)  # Excel table name → "A3:AG72"
    far: tuple[str, ...] = ()  # cells with content far outside the read area (first few)
    far_count: int = 0
    extent: tuple[int, int] = (0, 0)  # (rows, cols) of the sheet's used range, as the engine saw it

    def at(self, row: int, col: int) -> object:
        """The value at (row, col), 1-based; ``None`` outside the grid."""
        if 0 < row <= len(self.values):
            line = self.values[row - 1]
            if 0 < col <= len(line):
                return line[col - 1]
        return None


@dataclass(frozen=True, slots=True)
class RowData:
    """One indicator row of an input sheet, as typed."""

    sheet: str  # "4-1", "4-2", "4-3"
    tab: str  # the tab name staff see ("4-1入力")
    row: int  # 1-based worksheet row
    id: str
    values: Mapping[str, object]  # column key → cell value
    addr: Mapping[str, str] = field(default_factory=dict)  # column key → "J12"
    formats: Mapping[str, str] = field(default_factory=dict)  # column key → number format
    formulas: Mapping[str, str] = field(default_factory=dict)  # column key → formula text

    def text(self, key: str) -> str:
        v = self.values.get(key)
        if v is None:
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v).strip()

    def cell(self, key: str) -> str:
        return self.addr.get(key, "")
