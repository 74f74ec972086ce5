"""Reading an input sheet by meaning: headings find columns, IDs find rows.

Works on a :class:`~xlplan.core.model.SheetRead` (what one block read returns, from any
engine), so the same code serves files and live Excel. Added columns, reordered columns
and the year in a heading are tolerated; what does not fit becomes a finding.

A column is xlplan's only by its heading *and* its place in the sheet's table (the
template's Excel table ``Input41``…): a column outside the table that carries one of our
headings, or two columns with the same heading, are reported and never written.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from xlplan.core.findings import Finding, Level
from xlplan.core.layout import Kind, columns_for, heading_key, heading_keys, heading_shown
from xlplan.core.model import RowData, SheetRead
from xlplan.core.plan import bounds, col_letter, ref
from xlplan.core.texts import WORDS, finding

HEADER_SEARCH_ROWS = 10
EXCEL_ERRORS = frozenset({"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!",
                          "#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!",
                          "#CONNECT!", "#BUSY!", "#UNKNOWN!"})
ID_PATTERN = re.compile(r"^4-[123]-\d{2,}$")
CELL_LIMIT = 32767  # characters Excel keeps in one cell

Grid = Sequence[Sequence[object]]

__all__ = ["CELL_LIMIT", "EXCEL_ERRORS", "SheetLayout", "clip", "col_letter", "excel_length",
           "locate", "next_ids", "rows_from_grid", "rows_of"]


@dataclass(slots=True)
class SheetLayout:
    sheet: str  # "4-1"
    tab: str  # "4-1入力"
    header_row: int  # 1-based
    cols: dict[str, int]  # column key → 1-based column index
    unknown: list[str] = field(default_factory=list)  # headings we do not know (kept as is)
    blocked: set[str] = field(default_factory=set)  # keys found twice: read, never written
    table: tuple[int, int, int, int] | None = None  # the Excel table's bounds, when there is one

    def addr(self, key: str, row: int) -> str:
        return f"{col_letter(self.cols[key])}{row}"

    @property
    def first_row(self) -> int:
        return self.header_row + 1


def locate(sheet: str, tab: str, grid: Grid,
           tables: dict[str, str] | None = None) -> tuple[SheetLayout | None, list[Finding]]:
    """Find the heading row and map every known heading to its column.

    ``tables`` maps the sheet's Excel tables to their ranges; when the sheet has one, only
    headings inside it count as xlplan's columns.
    """
    keys = heading_keys(sheet)
    table = next((bounds(r) for r in (tables or {}).values()), None)
    best: tuple[int, dict[str, list[int]], list[str]] | None = None
    for r, line in enumerate(grid[:HEADER_SEARCH_ROWS], start=1):
        found: dict[str, list[int]] = {}
        unknown: list[str] = []
        for c, v in enumerate(line, start=1):
            if v is None or str(v).strip() == "":
                continue
            k = keys.get(heading_key(v))
            if k is not None:
                found.setdefault(k, []).append(c)
            else:
                unknown.append(str(v))
        if best is None or len(found) > len(best[1]):
            best = (r, found, unknown)
    findings: list[Finding] = []
    if best is None or len(best[1]) < 3:
        findings.append(finding("header_not_found", sheet=tab, tab=tab))
        return None, findings
    header_row, found, unknown = best
    if table is not None and not table[0] <= header_row <= table[2]:
        table = None  # a table elsewhere on the sheet is not the input table
    cols: dict[str, int] = {}
    blocked: set[str] = set()
    for key, places in found.items():
        inside = [c for c in places if table is None or table[1] <= c <= table[3]]
        outside = [c for c in places if c not in inside]
        shown = _heading_text(grid, header_row, places[0]) or heading_shown(sheet, key)
        for c in outside:
            findings.append(finding("heading_outside_table", sheet=tab, cell=ref(header_row, c),
                                    tab=tab, heading=_heading_text(grid, header_row, c) or shown))
        if not inside:
            continue
        cols[key] = inside[0]
        if len(inside) > 1:
            blocked.add(key)
            findings.append(finding(
                "heading_duplicate", sheet=tab, cell=ref(header_row, inside[1]), tab=tab,
                heading=shown, cells="・".join(ref(header_row, c) for c in inside)))
    layout = SheetLayout(sheet, tab, header_row, cols, unknown, blocked, table)
    for col in columns_for(sheet):
        if col.key not in cols:
            important = col.kind in (Kind.KEY, Kind.VALUE, Kind.COMPUTED) or col.required
            findings.append(finding(
                "heading_missing", sheet=tab, cell=f"A{header_row}", tab=tab,
                heading=heading_shown(sheet, col.key),
                level=Level.ERROR if important else Level.WARNING))
    return layout, findings


# Characters that show nothing: a cell holding only these is blank (a zero-width space
# pasted from a web page must not make a row, an ID and a report line).
_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2028-\u202f\u2060-\u2064\u180e\ufeff\u3164\uffa0]+")


def _heading_text(grid: Grid, row: int, col: int) -> str:
    """A heading as the sheet shows it (one line)."""
    line = grid[row - 1] if 0 < row <= len(grid) else ()
    v = line[col - 1] if 0 < col <= len(line) else None
    return " ".join(str(v).split()) if v is not None else ""


def _is_blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and _INVISIBLE.sub("", v) == "")


def _invisible_only(v: object) -> bool:
    return isinstance(v, str) and v.strip() != "" and _INVISIBLE.sub("", v) == ""


def excel_length(s: str) -> int:
    """Length of a text as Excel counts it against :data:`CELL_LIMIT` (UTF-16 code units)."""
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


def clip(s: str) -> str:
    """A text xlplan writes into a cell it owns, cut with … to fit Excel's cell limit
    (typed cells are never cut: an over-long typed text is a finding instead)."""
    if excel_length(s) <= CELL_LIMIT:
        return s
    units = 0
    for n, ch in enumerate(s):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > CELL_LIMIT - 1:
            return s[:n] + "…"
    return s  # pragma: no cover - the length check above returned


def rows_of(layout: SheetLayout, read: SheetRead) -> tuple[list[RowData], list[Finding]]:
    """Every non-empty row below the headings, with findings for broken cells and IDs."""
    return rows_from_grid(layout, read.values, read.formulas, read.number_formats,
                          read.formats_known)


def rows_from_grid(layout: SheetLayout, grid: Grid,
                   formulas: Mapping[tuple[int, int], str] | None = None,
                   number_formats: Mapping[tuple[int, int], str] | None = None,
                   formats_known: bool = True) -> tuple[list[RowData], list[Finding]]:
    """Rows of ``grid`` (values from A1); ``formulas`` and ``number_formats`` by (row, col)."""
    rows: list[RowData] = []
    findings: list[Finding] = []
    formulas = formulas or {}
    number_formats = number_formats or {}
    seen: dict[str, str] = {}
    id_col = layout.cols.get("id")
    kinds = {c.key: c.kind for c in columns_for(layout.sheet)}
    input_keys = [k for k in layout.cols if kinds.get(k) is not Kind.COMPUTED]
    value_keys = {k for k in input_keys if kinds.get(k) is Kind.VALUE}
    invisible: list[str] = []
    for r in range(layout.header_row + 1, len(grid) + 1):
        line = grid[r - 1]
        values: dict[str, object] = {}
        addr: dict[str, str] = {}
        formats: dict[str, str] = {}
        for key, c in layout.cols.items():
            v = line[c - 1] if c - 1 < len(line) else None
            values[key] = v
            addr[key] = f"{col_letter(c)}{r}"
            fmt = number_formats.get((r, c))
            if fmt is not None:
                formats[key] = fmt
        typed_formula = {k: formulas[(r, layout.cols[k])] for k in input_keys
                         if (r, layout.cols[k]) in formulas}
        if all(_is_blank(values.get(k)) for k in input_keys) and not typed_formula:
            invisible += [addr[k] for k in input_keys if _invisible_only(values.get(k))]
            continue
        rid = "" if id_col is None else _id_text(values.get("id"))
        for key, text in typed_formula.items():
            findings.append(finding("formula_in_input", sheet=layout.tab, cell=addr[key],
                                    row_id=rid, formula=_short(text)))
        for key in input_keys:
            v = values[key]
            if isinstance(v, str) and v.strip() in EXCEL_ERRORS:
                findings.append(finding("excel_error", sheet=layout.tab, cell=addr[key],
                                        row_id=rid, value=v.strip()))
            elif isinstance(v, float) and not math.isfinite(v):
                findings.append(finding("number_not_finite", sheet=layout.tab, cell=addr[key],
                                        row_id=rid, value=str(v)))
            elif isinstance(v, str) and excel_length(v) > CELL_LIMIT:
                findings.append(finding(
                    "text_too_long", sheet=layout.tab, cell=addr[key], row_id=rid,
                    name=_short(_row_name(values, rid, r)), length=excel_length(v),
                    label=_heading_text(grid, layout.header_row, layout.cols[key])
                    or heading_shown(layout.sheet, key)))
            elif (key in value_keys and not formats_known and isinstance(v, int | float)
                  and not isinstance(v, bool)):
                findings.append(finding("number_format_unknown", sheet=layout.tab,
                                        cell=addr[key], row_id=rid, value=v))
        if rid:
            if rid in seen:
                findings.append(finding("duplicate_id", sheet=layout.tab, cell=addr["id"],
                                        row_id=rid, id=rid, first=seen[rid]))
            else:
                seen[rid] = addr["id"]
        rows.append(RowData(layout.sheet, layout.tab, r, rid, values, addr, formats,
                            typed_formula))
    if invisible:
        findings.append(finding("invisible_only", sheet=layout.tab, cell=invisible[0],
                                tab=layout.tab, count=len(invisible), first=invisible[0]))
    return rows, findings


def _row_name(values: Mapping[str, object], rid: str, row: int) -> str:
    name = values.get("indicator")
    return str(name).strip() if isinstance(name, str) and name.strip() else (rid or WORDS["row"].format(row=row))


def _id_text(v: object) -> str:
    """An ID cell as text; full-width digits and dashes fold (４－２－０１ is 4-2-01)."""
    import unicodedata

    s = "" if v is None else unicodedata.normalize("NFKC", str(v)).strip()
    return s.replace("－", "-").replace("‐", "-").replace("−", "-")


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def next_ids(sheet: str, existing: Sequence[str], count: int) -> list[str]:
    """``count`` new IDs for a sheet, after the highest one in use."""
    top = 0
    prefix = f"{sheet}-"
    for i in existing:
        if i.startswith(prefix) and i[len(prefix):].isdigit():
            top = max(top, int(i[len(prefix):]))
    return [f"{sheet}-{top + k:02d}" for k in range(1, count + 1)]
