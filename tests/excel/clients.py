"""The Excel side of xlwings Server, played on Linux: what the VBA client sends and does.

* :func:`payload` builds the JSON that xlwings' VBA client (``RunServerPython`` in
  addin/Remote.bas) posts, from a real workbook loaded with openpyxl: every worksheet
  (hidden ones too) with its values anchored at A1, named ranges, tables.
* :func:`probe` builds what the add-in's ``XlplanProbe`` macro reports beside it (hidden
  state, protection, merged ranges, formulas, number formats of numeric cells), read
  here from the same workbook the way the macro reads it in Excel.
* :func:`replay` applies the actions that come back to an openpyxl workbook the way the
  VBA client and Excel would, including the traps that must never bite: the client
  turns any ``a-b-c`` string into a date (``WebHelpers.ParseIso``), and Excel reads an
  assigned string like typing unless it starts with an apostrophe. Where Excel refuses,
  the replay raises: a write into part of a merged area, any write to a protected
  sheet, activating a hidden sheet, an action the VBA client does not have.
* The add-in's macros (``macros/XlplanRibbon.bas``) that actions may call through
  ``runMacro`` are played by :class:`AddinMacros`: the layout specification is read
  back here line by line, as the VBA reads it, and carried out with openpyxl.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import xlwings as xw
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from xlplan.core import plan as p
from xlplan.engines.excel import MACRO_LAYOUT, MACRO_PROTECT, MACRO_UNPROTECT, PROBE_VERSION
from xlplan.engines.xlsx import apply_ops
from xlplan.server import VBA_CLIENT_ACTIONS

# ------------------------------------------------------------------ the request


def iso(v: datetime | date) -> str:
    """How the VBA client's JSON converter sends a date (the trailing Z is required)."""
    if not isinstance(v, datetime):
        v = datetime(v.year, v.month, v.day)
    return v.strftime("%Y-%m-%dT%H:%M:%S.000Z")


_HYPERLINK = re.compile(r'^=HYPERLINK\(".*?","(.*)"\)$')


def _json_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, datetime | date):
        return iso(v)
    return v


def _cell_json(c: Any) -> Any:
    """What the client sends for one cell: its value; a formula's cached result, which
    openpyxl does not have, is sent as "#FORMULA!" so a test sees it if it leaks."""
    if c.data_type == "f":
        return "#FORMULA!"
    return _json_value(c.value)


def sheet_values(ws: Worksheet) -> list[list[Any]]:
    if ws.max_row == 1 and ws.max_column == 1 and ws["A1"].value is None:
        return [[]]
    return [[_cell_json(c) for c in row]
            for row in ws.iter_rows(min_row=1, max_row=ws.max_row, min_col=1, max_col=ws.max_column)]


def _names(wb: Workbook) -> list[dict[str, Any]]:
    out = []
    for name, dn in wb.defined_names.items():
        dests = list(dn.destinations) if dn.attr_text and "!" in dn.attr_text else []
        if len(dests) != 1:
            continue  # constants and formulas are not ranges: the client skips them
        sheet, ref = dests[0]
        out.append({"name": name, "sheet_index": wb.sheetnames.index(sheet),
                    "address": ref.replace("$", ""), "book_scope": True,
                    "scope_sheet_name": None, "scope_sheet_index": None})
    return out


def _tables(ws: Worksheet) -> list[dict[str, Any]]:
    out = []
    for t in ws.tables.values():
        c0, r0, c1, r1 = range_boundaries(t.ref)
        a = f"${get_column_letter(c0)}${r0}:${get_column_letter(c1)}${r1}"
        out.append({
            "name": t.displayName, "range_address": a,
            "header_row_range_address": f"${get_column_letter(c0)}${r0}:${get_column_letter(c1)}${r0}",
            "data_body_range_address": (f"${get_column_letter(c0)}${r0 + 1}:${get_column_letter(c1)}${r1}"
                                        if r1 > r0 else None),
            "total_row_range_address": None, "show_headers": True, "show_totals": False,
            "table_style": t.tableStyleInfo.name if t.tableStyleInfo else "",
            "show_autofilter": True,
        })
    return out


def payload(wb: Workbook, name: str = "資料4.xlsx", *, version: str | None = None,
            client: str = "VBA") -> dict[str, Any]:
    """What ``RunServerPython`` posts for this workbook."""
    sheets = wb.worksheets
    return {
        "client": client,
        "version": xw.__version__ if version is None else version,
        "book": {"name": name, "active_sheet_index": sheets.index(wb.active),
                 "selection": "A1"},
        "names": _names(wb),
        "sheets": [{"name": ws.title, "values": sheet_values(ws), "pictures": [],
                    "tables": _tables(ws)} for ws in sheets],
    }


def probe(wb: Workbook) -> str:
    """What ``XlplanProbe`` reports for this workbook (see xlplan.engines.excel)."""
    sheets = []
    for ws in wb.worksheets:
        prot = ws.protection
        formulas, formats = [], []
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                if c.data_type == "f":
                    formulas.append([c.coordinate, str(c.value)])
                elif (isinstance(c.value, int | float | date) and not isinstance(c.value, bool)
                      and c.number_format not in ("General", "@")):
                    formats.append([c.coordinate, c.number_format])
        sheets.append({"name": ws.title, "state": ws.sheet_state, "kind": "worksheet",
                       "protected": bool(prot.sheet),
                       "password": bool(prot.sheet and (prot.password or prot.hashValue)),
                       "merged": [str(m) for m in ws.merged_cells.ranges],
                       "formulas": formulas, "formats": formats})
    return json.dumps({"v": PROBE_VERSION, "sheets": sheets}, ensure_ascii=True)


# ------------------------------------------------------------------ the replay


class ReplayError(AssertionError):
    pass


_INT = re.compile(r"^\s*[+-]?\d+(\.\d+)?\s*$")


def _cint(s: str) -> int:
    if not _INT.match(s):
        raise ValueError(s)
    return round(float(s))


def vba_parse_iso(text: Any) -> datetime | None:
    """WebHelpers.ParseIso as setValues uses it: None where the VBA raises an error."""
    s = str(text)
    parts = s.split("T")
    d = parts[0].split("-")
    try:
        y, m, day = _cint(d[0]), _cint(d[1]), _cint(d[2])
    except (ValueError, IndexError):
        return None
    if 0 <= y <= 29:
        y += 2000
    elif 30 <= y <= 99:
        y += 1900
    try:
        out = datetime(y, 1, 1) + timedelta(days=0)
        out = datetime(y + (m - 1) // 12, (m - 1) % 12 + 1, 1) + timedelta(days=day - 1)
    except (ValueError, OverflowError):
        return None
    if len(parts) > 1:
        t = parts[1].replace("Z", "").split("+")[0].split(":")
        try:
            out += timedelta(hours=_cint(t[0]), minutes=_cint(t[1]) if len(t) > 1 else 0)
        except (ValueError, IndexError):
            return None
    return out


_NUMBER = re.compile(r"^\s*[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?\s*$")
_DATEISH = re.compile(r"^\s*\d{1,4}[/-]\d{1,2}([/-]\d{1,4})?\s*$")


def excel_assign(v: Any) -> Any:
    """What a cell holds after the client assigns ``v`` (a JSON value) to it."""
    if v is None or v == "":
        return None
    if isinstance(v, bool | int | float):
        return v
    parsed = vba_parse_iso(v)
    if parsed is not None:
        return parsed
    s = str(v)
    if s.startswith("'"):
        return s[1:]
    if s.startswith("="):
        return s
    if _NUMBER.match(s):  # typed-input coercion: 60.76% → 0.6076, 1,234 → 1234
        n = float(s.strip().rstrip("%").replace(",", ""))
        return n / 100 if s.strip().endswith("%") else n
    if _DATEISH.match(s):
        raise ReplayError(f"Excel would turn {s!r} into a date")
    return s


@dataclass
class Replay:
    alerts: list[tuple[str, str, str]] = field(default_factory=list)  # (text, title, mode)
    macros: list[str] = field(default_factory=list)
    cells_written: int = 0


def _sheet(wb: Workbook, action: dict[str, Any]) -> Worksheet:
    return wb.worksheets[action["sheet_position"]]


def _cells(ws: Worksheet, a: dict[str, Any]) -> list[list[Any]]:
    r0, c0 = a["start_row"] + 1, a["start_column"] + 1
    return [[ws.cell(r0 + i, c0 + j) for j in range(a["column_count"])]
            for i in range(a["row_count"])]


def _writable(ws: Worksheet) -> None:
    if ws.protection.sheet:
        raise ReplayError(f"Excel: the cell is on a protected sheet ({ws.title})")


def _whole_merges(ws: Worksheet, a: dict[str, Any]) -> None:
    """Excel refuses to change part of a merged area ("Cannot change part of a merged cell")."""
    r0, c0 = a["start_row"] + 1, a["start_column"] + 1
    r1, c1 = r0 + a["row_count"] - 1, c0 + a["column_count"] - 1
    for m in ws.merged_cells.ranges:
        overlaps = m.min_row <= r1 and m.max_row >= r0 and m.min_col <= c1 and m.max_col >= c0
        inside = r0 <= m.min_row and m.max_row <= r1 and c0 <= m.min_col and m.max_col <= c1
        if overlaps and not inside:
            raise ReplayError(f"Excel: cannot change part of a merged cell ({ws.title}!{m})")


def replay(wb: Workbook, actions: list[dict[str, Any]], book_name: str = "資料4.xlsx") -> Replay:
    """Apply ``actions`` to ``wb`` as the VBA client would (raises ReplayError where Excel would fail)."""
    out = Replay()
    macros = AddinMacros(wb, book_name)
    for a in actions:
        func = a["func"]
        if func not in VBA_CLIENT_ACTIONS:
            raise ReplayError(f"the VBA client has no {func!r}")
        if func == "setValues":
            ws = _sheet(wb, a)
            _writable(ws)
            _whole_merges(ws, a)
            values = a["values"]
            for i, row in enumerate(_cells(ws, a)):
                for j, cell in enumerate(row):
                    if isinstance(cell, MergedCell):
                        continue  # Excel keeps only the top-left value of a merged area
                    v = values[i][j] if len(values) > 1 or len(values[0]) > 1 else values[0][0]
                    cell.value = excel_assign(v)
                    out.cells_written += 1
        elif func == "sheetClear":
            ws = _sheet(wb, a)
            _writable(ws)
            for m in list(ws.merged_cells.ranges):
                ws.unmerge_cells(str(m))
            for key in list(ws._cells):
                del ws._cells[key]
            ws._charts = []
        elif func == "rangeClearContents":
            ws = _sheet(wb, a)
            _writable(ws)
            for row in _cells(ws, a):
                for cell in row:
                    if not isinstance(cell, MergedCell):
                        cell.value = None
        elif func == "setNumberFormat":
            ws = _sheet(wb, a)
            _writable(ws)
            for row in _cells(ws, a):
                for cell in row:
                    cell.number_format = a["args"][0]
        elif func == "addSheet":
            _add_sheet(wb, a["args"][0], a["args"][1])
        elif func == "activateSheet":
            target = wb.worksheets[a["args"][0]]
            if target.sheet_state != "visible":
                raise ReplayError(f"Excel: a hidden sheet cannot be activated ({target.title})")
            wb.active = a["args"][0]
        elif func == "alert":
            text, title, _buttons, mode, callback = a["args"]
            if callback:
                raise ReplayError("alert callbacks are not used by xlplan")
            out.alerts.append((text, title, mode))
        elif func == "runMacro":
            name, *args = a["args"]
            out.macros.append(name)
            macros.run(name, *args)
        else:
            raise ReplayError(f"the replayer does not play {func!r} (xlplan should not send it)")
    return out


def _add_sheet(wb: Workbook, after_index: int, name: str) -> None:
    """addSheet: Sheets.Add puts the new sheet before the active one, then moves it."""
    active = wb.worksheets.index(wb.active)
    ws = wb.create_sheet(name, active)
    sheets = wb._sheets
    # `Move After:=Worksheets(i + 1)` counts with the new sheet already in the list.
    anchor = wb.worksheets[min(after_index, len(wb.worksheets) - 1)]
    if anchor is not ws:
        sheets.remove(ws)
        sheets.insert(sheets.index(anchor) + 1, ws)
    wb.active = wb.worksheets.index(ws)


# ------------------------------------------------------------------ the add-in's macros


class AddinMacros:
    """XlplanUnprotectSheet / XlplanProtectSheet / XlplanApplyLayout of XlplanRibbon.bas."""

    def __init__(self, wb: Workbook, book_name: str):
        self.wb = wb
        self.book_name = book_name
        self.saved: dict[str, Any] = {}

    def run(self, name: str, *args: Any) -> None:
        if name == MACRO_UNPROTECT:
            self.unprotect(*args)
        elif name == MACRO_PROTECT:
            self.protect(*args)
        elif name == MACRO_LAYOUT:
            self.layout(*args)
        else:
            raise ReplayError(f"Excel cannot find the macro {name!r}")

    def unprotect(self, sheet: str) -> None:
        ws = self.wb[sheet]
        if not ws.protection.sheet:
            return
        if ws.protection.password or ws.protection.hashValue:
            raise ReplayError(f"XlplanUnprotectSheet: {sheet} is protected with a password")
        self.saved[f"{self.book_name}!{sheet}"] = copy.copy(ws.protection)
        ws.protection.sheet = False

    def protect(self, sheet: str) -> None:
        key = f"{self.book_name}!{sheet}"
        if key in self.saved:
            self.wb[sheet].protection = self.saved.pop(key)

    def layout(self, sheet: str, spec: str) -> None:
        ws = self.wb[sheet]
        if ws.protection.sheet:
            raise ReplayError(f"Excel: the sheet {sheet} is protected")
        apply_ops(ws, read_spec(spec))


# What XlplanApplyLayout reads from one line of the specification, as the VBA reads it
# (macros/XlplanRibbon.bas): the operation's letter, then tab-separated fields.
_FORMAT_KEYS = {"fn": "font_name", "fs": "font_size", "b": "bold", "fc": "font_color",
                "fl": "fill", "ha": "h_align", "va": "v_align", "w": "wrap", "v": "vertical",
                "bd": "border", "nf": "number_format"}
_BOOL = {"b", "w", "v", "bd"}


def read_spec(spec: str) -> list[p.Op]:
    ops: list[p.Op] = []
    for line in spec.split("\n"):
        if not line:
            continue
        f = line.split("\t")
        op = f[0]
        if op == "F":
            kw: dict[str, Any] = {}
            for item in f[2:]:
                key, _, value = item.partition("=")
                if key not in _FORMAT_KEYS:
                    raise ReplayError(f"XlplanApplyLayout: unknown format key {key!r}")
                kw[_FORMAT_KEYS[key]] = (value == "1" if key in _BOOL
                                         else float(value) if key == "fs" else value)
            ops.append(p.Format(f[1], **kw))
        elif op == "M":
            ops.append(p.Merge(f[1]))
        elif op == "H":
            ops.append(p.RowHeight(int(f[1]), float(f[2])))
        elif op == "W":
            ops.append(p.ColWidth(int(f[1]), float(f[2])))
        elif op == "S":
            margins = tuple(float(x) for x in f[4].split(",")) if f[4] else None
            ops.append(p.PageSetup(f[1], f[2], f[3], margins, f[5] or None, f[6] or None,  # type: ignore[arg-type]
                                   tuple(int(x) for x in f[7].split(",") if x)))
        elif op == "V":
            ops.append(p.View(f[1] or None, int(f[2]) if f[2] else None, f[3] or None))
        elif op == "L":
            ops.append(p.Link(f[1], f[2]))
        elif op == "A":
            ops.append(p.AutoFilter(f[1]))
        elif op == "C":
            series = tuple(p.Series(*f[i:i + 4]) for i in range(7, len(f), 4))
            ops.append(p.BarChart(f[1], f[2], f[3], f[4], series, float(f[5]), float(f[6])))
        else:
            raise ReplayError(f"XlplanApplyLayout: unknown layout operation {op!r}")
    return ops
