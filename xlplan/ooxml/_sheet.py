"""Cell-level edits of one worksheet part (ECMA-376 Part 1 §18.3).

Rules followed (CT_SheetData / CT_Row / CT_Cell, §18.3.1.80, §18.3.1.73, §18.3.1.4):
rows ascend by ``r`` and cells ascend by column inside a row, with no duplicates; a
cell's children come in the order ``f, v, is, extLst``; ``t="inlineStr"`` cells carry
their text in ``is``; ``spans`` (an optimisation hint) is widened to cover new cells;
``dimension`` (§18.3.1.35) covers every cell written.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from . import _refs, _values
from ._xml import NS_MAIN, NS_XML, Element, Tree, insert_in_order, q
from .errors import PackageError

# CT_Worksheet child sequence (§18.3.1.99 worksheet; schema sml.xsd, MS-OFFMACRO 2.2.4).
WORKSHEET_ORDER = (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData",
    "sheetCalcPr", "sheetProtection", "protectedRanges", "scenarios", "autoFilter",
    "sortState", "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr",
    "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions", "pageMargins",
    "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches",
    "ignoredErrors", "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF",
    "picture", "oleObjects", "controls", "webPublishItems", "tableParts", "extLst")
CELL_ORDER = ("f", "v", "is", "extLst")

C = q("c")
ROW = q("row")
F = q("f")
V = q("v")
IS = q("is")
T = q("t")


@dataclass
class _Row:
    el: Element
    cells: dict[int, Element] | None = None
    order: list[int] = field(default_factory=list)


class Worksheet:
    """Index over one parsed worksheet tree, for reading and writing cells."""

    def __init__(self, tree: Tree, part: str) -> None:
        self.tree = tree
        self.part = part
        root = tree.getroot()
        if root.tag != q("worksheet"):
            raise PackageError(f"the workbook is damaged: /{part} is not a worksheet")
        data = root.find(q("sheetData"))
        if data is None:
            data = etree.Element(q("sheetData"))
            insert_in_order(root, data, WORKSHEET_ORDER)
        self.data = data
        self._rows: dict[int, _Row] = {}
        self._row_order: list[int] = []
        self._index_rows()
        self._formula_index: dict[str, object] | None = None

    @property
    def root(self) -> Element:
        return self.tree.getroot()

    # -- indexing ---------------------------------------------------------------------
    def _index_rows(self) -> None:
        """Index rows by number; rows or cells written without ``r`` get it made explicit."""
        last = 0
        for row in self.data:
            if row.tag != ROW:
                continue
            r = row.get("r")
            n = int(r) if r is not None else last + 1
            if r is None:
                row.set("r", str(n))
            last = n
            self._rows[n] = _Row(row)
            self._row_order.append(n)
        self._row_order.sort()

    def _cells(self, row: _Row, n: int) -> dict[int, Element]:
        if row.cells is None:
            cells: dict[int, Element] = {}
            last = 0
            for c in row.el:
                if c.tag != C:
                    continue
                r = c.get("r")
                if r is None:
                    col = last + 1
                    c.set("r", _refs.ref(n, col))
                else:
                    col = _refs.parse_cell(r)[1]
                cells[col] = c
                last = col
            row.cells = cells
            row.order = sorted(cells)
        return row.cells

    def iter_cells(self) -> Iterator[tuple[int, int, Element]]:
        for n in self._row_order:
            row = self._rows[n]
            cells = self._cells(row, n)
            for col in row.order:
                yield n, col, cells[col]

    def row_el(self, n: int) -> Element | None:
        row = self._rows.get(n)
        return row.el if row else None

    def cell(self, n: int, col: int) -> Element | None:
        row = self._rows.get(n)
        if row is None:
            return None
        return self._cells(row, n).get(col)

    # -- styles of empty cells --------------------------------------------------------
    def empty_cell_style(self, n: int, col: int) -> int | None:
        """The format Excel shows for an empty cell: the row's, else the column's."""
        row = self.row_el(n)
        if row is not None and row.get("customFormat") in ("1", "true") and row.get("s"):
            return int(row.get("s", "0"))
        for cols in self.root.findall(q("cols")):
            for c in cols.findall(q("col")):
                lo, hi = int(c.get("min", "0")), int(c.get("max", "0"))
                if lo <= col <= hi and c.get("style") is not None:
                    return int(c.get("style", "0"))
        return None

    def cell_style(self, n: int, col: int) -> int | None:
        c = self.cell(n, col)
        if c is not None:
            s = c.get("s")
            return int(s) if s is not None else None
        return self.empty_cell_style(n, col)

    # -- creating ---------------------------------------------------------------------
    def ensure_row(self, n: int) -> _Row:
        row = self._rows.get(n)
        if row is not None:
            return row
        el = etree.Element(ROW)
        el.set("r", str(n))
        i = bisect.bisect_left(self._row_order, n)
        if i < len(self._row_order):
            self._rows[self._row_order[i]].el.addprevious(el)
        else:
            self.data.append(el)
        self._row_order.insert(i, n)
        row = _Row(el, {}, [])
        self._rows[n] = row
        return row

    def ensure_cell(self, n: int, col: int, style: int | None) -> Element:
        row = self.ensure_row(n)
        cells = self._cells(row, n)
        c = cells.get(col)
        if c is not None:
            return c
        c = etree.Element(C)
        c.set("r", _refs.ref(n, col))
        if style:
            c.set("s", str(style))
        i = bisect.bisect_left(row.order, col)
        if i < len(row.order):
            cells[row.order[i]].addprevious(c)
        else:
            # after the last cell, before a row-level extLst if any
            last = cells[row.order[-1]] if row.order else None
            if last is not None:
                last.addnext(c)
            else:
                row.el.insert(0, c)
        row.order.insert(i, col)
        cells[col] = c
        _widen_spans(row.el, col)
        return c

    # -- formulas ---------------------------------------------------------------------
    def formula_ranges(self) -> list[tuple[_refs.Box, Element, str]]:
        """(range, master cell, type) of every multi-cell formula (array / data table)."""
        out = []
        for f in self.data.iter(F):
            kind = f.get("t", "normal")
            if kind in ("array", "dataTable") and f.get("ref"):
                c = f.getparent()
                assert c is not None
                try:
                    box = _refs.parse_range(f.get("ref", ""))
                except ValueError:
                    continue
                out.append((box, c, kind))
        return out

    def shared_groups(self) -> dict[str, list[Element]]:
        """si → cells of each shared formula group (master first when present)."""
        groups: dict[str, list[Element]] = {}
        for f in self.data.iter(F):
            if f.get("t") == "shared" and f.get("si") is not None:
                c = f.getparent()
                assert c is not None
                cells = groups.setdefault(f.get("si", ""), [])
                if f.get("ref") is not None and (f.text or "").strip():
                    cells.insert(0, c)
                else:
                    cells.append(c)
        return groups

    def update_dimension(self, box: _refs.Box | None, sheet_was_empty: bool) -> None:
        if box is None:
            return
        dim = self.root.find(q("dimension"))
        old: _refs.Box | None = None
        if dim is not None and not sheet_was_empty:
            try:
                old = _refs.parse_range(dim.get("ref", "A1"))
            except ValueError:
                old = None
        new = _refs.union(old, box)
        assert new is not None
        if dim is None:
            dim = etree.Element(q("dimension"))
            insert_in_order(self.root, dim, WORKSHEET_ORDER)
        dim.set("ref", _refs.range_text(new))


def _widen_spans(row: Element, col: int) -> None:
    spans = row.get("spans")
    if not spans:
        return
    lo, hi = col, col
    try:
        for part in spans.split():
            a, b = part.split(":")
            lo, hi = min(lo, int(a)), max(hi, int(b))
    except ValueError:
        del row.attrib["spans"]
        return
    row.set("spans", f"{lo}:{hi}")


def clear_value(c: Element) -> bool:
    """Remove the cell's value, formula and type; True when it held a formula."""
    had_formula = False
    for child in list(c):
        if child.tag == F:
            had_formula = True
            c.remove(child)
        elif child.tag in (V, IS):
            c.remove(child)
    for attr in ("t", "cm", "vm"):
        if attr in c.attrib:
            del c.attrib[attr]
    return had_formula


def write_value(c: Element, value: _values.CellValue, date1904: bool) -> None:
    """Store ``value`` (already validated) in cell ``c`` as a constant."""
    where = c.get("r", "")
    if value is None:
        return
    if isinstance(value, bool):
        c.set("t", "b")
        _put(c, V, "1" if value else "0")
    elif isinstance(value, int | float):
        _put(c, V, _values.number_text(value, where))
    elif isinstance(value, str):
        c.set("t", "inlineStr")
        is_ = etree.Element(IS)
        t = etree.SubElement(is_, T)
        t.text = _values.escape_xstring(value)
        if value != value.strip() or any(ch in value for ch in "\t\n\r") or "  " in value:
            t.set(f"{{{NS_XML}}}space", "preserve")
        _insert_cell_child(c, is_)
    elif isinstance(value, dt.date):
        _put(c, V, _values.date_serial(value, date1904, where))
    else:  # pragma: no cover - validated before
        raise TypeError(f"{where}: cannot store {type(value).__name__}")


def _put(c: Element, tag: str, text: str) -> None:
    el = etree.Element(tag)
    el.text = text
    _insert_cell_child(c, el)


def _insert_cell_child(c: Element, child: Element) -> None:
    insert_in_order(c, child, CELL_ORDER)


def cell_text(c: Element, shared: list[str] | None) -> str | None:
    """The text a string cell shows (shared or inline), else None."""
    t = c.get("t")
    if t == "inlineStr":
        is_ = c.find(IS)
        return None if is_ is None else _rst_text(is_)
    if t == "s":
        v = c.findtext(V)
        if v is None or shared is None:
            return None
        try:
            return shared[int(v)]
        except (ValueError, IndexError):
            return None
    if t == "str":
        return c.findtext(V)
    return None


def _rst_text(el: Element) -> str:
    """Text of a CT_Rst (``si`` / ``is``): ``t``, or the runs' ``t``, without phonetic runs."""
    direct = el.find(T)
    if direct is not None:
        return _values.unescape_xstring(direct.text or "")
    out = []
    for r in el.findall(q("r")):
        t = r.find(T)
        if t is not None:
            out.append(t.text or "")
    return _values.unescape_xstring("".join(out))


def rst_text(el: Element) -> str:
    return _rst_text(el)


__all__ = ["NS_MAIN", "WORKSHEET_ORDER", "Worksheet", "cell_text", "clear_value",
           "write_value"]
