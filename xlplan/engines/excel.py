"""The Excel engine: the workbook open in Excel, through xlwings.

Two xlwings engines run this code: the desktop engine (a ribbon button starts Python,
every xlwings call is a COM call) and the remote engine (xlwings Server: the add-in's
VBA client posts the workbook's values as JSON and replays the actions that come back).

Reads are one block read per sheet (values anchored at A1, so addresses match the file
engine's), plus one *probe*: the add-in's macro ``XlplanProbe`` reports, for every
worksheet, what values alone do not show — hidden state, protection (and whether a
password is set), merged ranges, formulas and the number formats of numeric cells.
Desktop Python calls the macro; on the server path the add-in calls it before posting
and sends its JSON in the ``X-Xlplan-Probe`` header. Both reach :func:`parse_probe`, so
both engines give the same :class:`~xlplan.core.model.SheetRead` as the file engine.

Writes follow the plan: blocks of values (every string with a leading apostrophe, which
Excel keeps as the cell's prefix: text is never read as a number, a date or a formula),
and for each sheet one call of the add-in's layout macro with all its layout operations
(:func:`spec`), so the number of Excel calls never grows with the number of rows.
Protected sheets are unprotected right before their writes and protected again right
after, with the same permissions, by two more macros of the add-in.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from xlplan.core import plan as p
from xlplan.core.model import SheetRead
from xlplan.engines.port import Engine

# The add-in's macros, qualified with its file name so that a macro of the same name in
# the open workbook is never run. `xlplan addin install` always installs as xlplan.xlam.
ADDIN_FILE = "xlplan.xlam"
VBA_MODULE = "XlplanRibbon"
MACRO_UNPROTECT = f"'{ADDIN_FILE}'!{VBA_MODULE}.XlplanUnprotectSheet"
MACRO_PROTECT = f"'{ADDIN_FILE}'!{VBA_MODULE}.XlplanProtectSheet"
MACRO_LAYOUT = f"'{ADDIN_FILE}'!{VBA_MODULE}.XlplanApplyLayout"
MACRO_PROBE = f"'{ADDIN_FILE}'!{VBA_MODULE}.XlplanProbe"
ADDIN_MACROS = frozenset({MACRO_UNPROTECT, MACRO_PROTECT, MACRO_LAYOUT})
PROBE_HEADER = "X-Xlplan-Probe"
PROBE_VERSION = 1


# =========================================================================== the probe


@dataclass(frozen=True, slots=True)
class SheetFacts:
    """What the probe says about one sheet."""

    state: str = "visible"
    kind: str = "worksheet"
    protected: bool = False
    password: bool = False
    merged: tuple[str, ...] = ()
    formulas: Mapping[tuple[int, int], str] | None = None
    formats: Mapping[tuple[int, int], str] | None = None


def parse_probe(text: str | bytes | Mapping[str, Any] | None) -> dict[str, SheetFacts] | None:
    """The probe's JSON (see the module docstring) by sheet name; None when absent or
    unreadable (then hidden state, merges, formulas and formats are unknown)."""
    if text is None or text == "":
        return None
    try:
        data = json.loads(text) if isinstance(text, str | bytes) else dict(text)
        if data.get("v") != PROBE_VERSION:
            return None
        out: dict[str, SheetFacts] = {}
        for s in data.get("sheets", []):
            out[str(s["name"])] = SheetFacts(
                state=str(s.get("state") or "visible"), kind=str(s.get("kind") or "worksheet"),
                protected=bool(s.get("protected")), password=bool(s.get("password")),
                merged=tuple(str(m) for m in s.get("merged", [])),
                formulas={p.cell_index(a): str(f) for a, f in s.get("formulas", [])},
                formats={p.cell_index(a): str(f) for a, f in s.get("formats", [])})
        return out
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


# =========================================================================== values


def to_excel(v: object) -> object:
    """A planned value as it must be handed to Excel (see the module docstring)."""
    if isinstance(v, str):
        return "'" + v if v else None
    if isinstance(v, datetime):
        return v
    if isinstance(v, date):
        return datetime(v.year, v.month, v.day)
    return v


def _from_excel(v: object) -> object:
    return None if v == "" else v


# =========================================================================== layout spec

# What XlplanApplyLayout understands: one operation per line, fields separated by tabs.
OPS = {
    "F": "F<TAB>range<TAB>key=value…: formats (fn fs b fc fl ha va w v bd nf)",
    "M": "M<TAB>range: merge",
    "H": "H<TAB>row<TAB>points: row height",
    "W": "W<TAB>column<TAB>width: column width",
    "S": "S<TAB>A3|A4<TAB>landscape|portrait<TAB>footer<TAB>margins l,r,t,b,h,f<TAB>print area"
         "<TAB>title rows<TAB>breaks r,r,…: page set-up, fitted to one page wide",
    "V": "V<TAB>freeze cell<TAB>zoom<TAB>tab colour: the sheet's view",
    "L": "L<TAB>cell<TAB>target: a link to a cell of this workbook",
    "A": "A<TAB>range: autofilter",
    "C": "C<TAB>anchor<TAB>title<TAB>axis title<TAB>categories<TAB>width cm<TAB>height cm"
         "(<TAB>name cell<TAB>values<TAB>fill<TAB>line)…: a stacked bar chart (replaces the sheet's charts)",
}

_FORMAT_KEYS = (("font_name", "fn"), ("font_size", "fs"), ("bold", "b"), ("font_color", "fc"),
                ("fill", "fl"), ("h_align", "ha"), ("v_align", "va"), ("wrap", "w"),
                ("vertical", "v"), ("border", "bd"), ("number_format", "nf"))


def _field(v: object) -> str:
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    text = str(v)
    if "\t" in text or "\n" in text:
        raise ValueError(f"layout field with a tab or line break: {text!r}")
    return text


def _line(*fields: object) -> str:
    return "\t".join(_field(f) for f in fields)


def spec(ops: Sequence[p.Op]) -> str:
    """The layout operations as the add-in's ``XlplanApplyLayout`` reads them."""
    lines: list[str] = []
    for op in ops:
        if isinstance(op, p.Format):
            kv = [f"{short}={_field(getattr(op, name))}" for name, short in _FORMAT_KEYS
                  if getattr(op, name) is not None]
            lines.append(_line("F", op.ref, *kv))
        elif isinstance(op, p.Merge):
            lines.append(_line("M", op.ref))
        elif isinstance(op, p.RowHeight):
            lines.append(_line("H", op.row, op.height))
        elif isinstance(op, p.ColWidth):
            lines.append(_line("W", op.col, op.width))
        elif isinstance(op, p.PageSetup):
            margins = ",".join(_field(m) for m in op.margins) if op.margins else ""
            lines.append(_line("S", op.paper, op.orientation, op.footer, margins,
                               op.print_area or "", op.title_rows or "",
                               ",".join(str(b) for b in op.breaks)))
        elif isinstance(op, p.View):
            lines.append(_line("V", op.freeze or "", op.zoom or "", op.tab_color or ""))
        elif isinstance(op, p.Link):
            lines.append(_line("L", op.cell, op.target))
        elif isinstance(op, p.AutoFilter):
            lines.append(_line("A", op.ref))
        elif isinstance(op, p.BarChart):
            series = [f for s in op.series for f in (s.title_cell, s.values, s.fill, s.line)]
            lines.append(_line("C", op.anchor, op.title, op.value_axis_title, op.categories,
                               op.width_cm, op.height_cm, *series))
        else:  # pragma: no cover - a new op type without its line
            raise TypeError(f"no layout line for {type(op).__name__}")
    return "\n".join(lines)


# =========================================================================== the engine


_ALLOW = ("AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows",
          "AllowInsertingColumns", "AllowInsertingRows", "AllowInsertingHyperlinks",
          "AllowDeletingColumns", "AllowDeletingRows", "AllowSorting", "AllowFiltering",
          "AllowUsingPivotTables")


class ExcelEngine(Engine):
    """An xlwings book: desktop Excel (COM) or xlwings Server's remote book."""

    def __init__(self, book: Any, probe: str | bytes | Mapping[str, Any] | None = None) -> None:
        super().__init__()
        self.book = book
        self.remote = bool(book.app.engine.name == "remote")
        self.kind = "server" if self.remote else "excel"
        self._names = [s.name for s in book.sheets]
        self._sheets: dict[str, Any] = {}
        self._macros: dict[str, Any] = {}
        if probe is None and not self.remote:
            probe = self._desktop_probe()
        self.facts = parse_probe(probe)

    # -- what the workbook is ------------------------------------------------------------

    @property
    def label(self) -> str:
        return str(self.book.name)

    @property
    def path(self) -> Path | None:
        """Where the open book is saved, from COM's FullName (never xlwings' ``fullname``,
        which reads an ``xlwings.conf`` sheet of the workbook for OneDrive paths)."""
        if self.remote:
            return None
        try:
            return local_path(str(self.book.api.FullName))
        except Exception:
            return None

    def sheet_names(self) -> list[str]:
        return list(self._names)

    def sheet(self, name: str) -> Any:
        if name not in self._sheets:
            self._sheets[name] = self.book.sheets[name]
        return self._sheets[name]

    # -- reading ---------------------------------------------------------------------------

    def _desktop_probe(self) -> str | None:
        try:
            return str(self.book.app.macro(MACRO_PROBE)(self.book))  # one call
        except Exception:  # an add-in without the probe: facts unknown
            return None

    def _read(self, names: list[str]) -> dict[str, SheetRead]:
        out: dict[str, SheetRead] = {}
        for name in names:
            facts = (self.facts or {}).get(name)
            if facts is not None and facts.kind != "worksheet":
                out[name] = SheetRead(name, (), state=facts.state, kind=facts.kind)
                continue
            sheet = self.sheet(name)
            grid = _read_grid(sheet)
            formulas = dict(facts.formulas or {}) if facts else {}
            for (r, c) in formulas:  # a formula's result is never trusted
                if r <= len(grid) and c <= len(grid[r - 1]):
                    grid[r - 1][c - 1] = None
            tables = {t.name: t.range.address.replace("$", "") for t in sheet.tables} \
                if self.remote else _desktop_tables(sheet)
            out[name] = SheetRead(
                name=name, values=tuple(tuple(line) for line in grid),
                state=facts.state if facts else "visible",
                protected=facts.protected if facts else False,
                password=facts.password if facts else False,
                merged=facts.merged if facts else (),
                formulas=formulas, number_formats=dict(facts.formats or {}) if facts else {},
                formats_known=facts is not None, extent=(len(grid), max(map(len, grid), default=0)),
                tables=tables)
        return out

    # -- writing ---------------------------------------------------------------------------

    def macro(self, name: str, *args: Any) -> Any:
        if name not in self._macros:
            self._macros[name] = self.book.app.macro(name)
        if self.remote:  # the VBA client passes the workbook itself
            return self._macros[name](*args)
        return self._macros[name](self.book, *args)

    def rect(self, sheet: str, row: int, col: int, nrows: int, ncols: int) -> Any:
        return self.sheet(sheet).range((row, col), (row + nrows - 1, col + ncols - 1))

    def _write(self, sheet: str, row: int, col: int, values: p.Grid) -> None:
        n = len(values)
        m = max((len(r) for r in values), default=0)
        if not n or not m:
            return
        # chunksize=None: one write per block (xlwings would split big writes into chunks,
        # and the number of calls would grow with the rows).
        self.rect(sheet, row, col, n, m).options(chunksize=None).value = [
            [to_excel(v) for v in line] + [None] * (m - len(line)) for line in values]

    def password_sheets(self) -> set[str]:
        """From the probe (no Excel call); unknown without it, and then Excel's own error
        (XlplanUnprotectSheet raises) stops the write instead."""
        return {n for n, f in (self.facts or {}).items() if f.password}

    def _apply(self, plan: p.Plan) -> None:
        """Write the plan. On the desktop, a failure part-way puts back what was written."""
        app = self.book.app
        saved: dict[str, Any] = {}
        if not self.remote:
            saved = {"screen_updating": app.screen_updating, "calculation": app.calculation}
            app.screen_updating = False
            app.calculation = "manual"
        done: list[p.Block] = []
        unprotected: list[str] = []
        try:
            owned = {c.name for c in plan.sheets}
            try:
                for name in [*plan.written_sheets(), *[n for n in owned if n in self._names]]:
                    self.macro(MACRO_UNPROTECT, name)
                    unprotected.append(name)
                for name in plan.delete:
                    if name in self._names:
                        self.sheet(name).delete()
                        self._names.remove(name)
                        self._sheets.clear()  # positions moved: fetch sheets again
                for content in plan.sheets:
                    self._content(content)
                for b in plan.blocks:
                    self._write(b.sheet, b.row, b.col, b.values)
                    done.append(b)
                by_sheet: dict[str, list[p.Op]] = {}
                for sf in plan.formats:
                    by_sheet.setdefault(sf.sheet, []).append(sf.format)
                for name, ops in by_sheet.items():
                    self.macro(MACRO_LAYOUT, name, spec(ops))
            except Exception:
                if not self.remote:
                    for b in reversed(done):
                        if b.before is not None:
                            with contextlib.suppress(Exception):  # keep undoing the rest
                                self._write(b.sheet, b.row, b.col, b.before)
                raise
            finally:
                for name in unprotected:
                    with contextlib.suppress(Exception):
                        self.macro(MACRO_PROTECT, name)
            if plan.activate:
                self.sheet(plan.activate).activate()
        finally:
            if not self.remote:
                app.calculation = saved["calculation"]
                app.screen_updating = saved["screen_updating"]
            self.forget()

    def _content(self, c: p.SheetContent) -> None:
        if c.name in self._names:
            self.sheet(c.name).clear()
        else:
            hidden = {n for n, f in (self.facts or {}).items() if f.state != "visible"}
            anchor = p.anchor_of(c, self._names, hidden) or self._names[-1]
            if self.remote:
                # The VBA client adds a sheet before the active one, then moves it "after
                # Worksheets(i + 1)", counting the new sheet: right only when the active
                # sheet is not after the anchor. Activating the anchor first makes it so.
                self.sheet(anchor).activate()
            new = self.book.sheets.add(c.name, after=self.sheet(anchor))
            self._names.insert(self._names.index(anchor) + 1, c.name)
            self._sheets.clear()  # positions moved: fetch sheets again
            self._sheets[c.name] = new
        self._write(c.name, 1, 1, c.grid)
        if c.ops:
            self.macro(MACRO_LAYOUT, c.name, spec(c.ops))


def local_path(full: str) -> Path | None:
    """A workbook's COM ``FullName`` as a local file path; None for a new book (no folder)
    or a web location (OneDrive/SharePoint ``https://…``)."""
    if "://" in full or not (full.startswith("\\\\") or full[1:3] in (":\\", ":/")):
        return None
    return Path(full)


def _read_grid(sheet: Any) -> list[list[object]]:
    """All values of a sheet, anchored at A1, as one block read."""
    last = sheet.used_range.last_cell
    nrows, ncols = last.row, last.column
    values = sheet.range((1, 1), (nrows, ncols)).options(ndim=2, chunksize=None).value
    return [[_from_excel(v) for v in r] for r in values] if values else []


def _desktop_tables(sheet: Any) -> dict[str, str]:
    try:
        return {t.name: t.range.address.replace("$", "") for t in sheet.tables}
    except Exception:
        return {}


__all__ = ["ADDIN_MACROS", "MACRO_LAYOUT", "MACRO_PROBE", "MACRO_PROTECT", "MACRO_UNPROTECT",
           "OPS", "PROBE_HEADER", "ExcelEngine", "SheetFacts", "parse_probe", "spec", "to_excel"]
