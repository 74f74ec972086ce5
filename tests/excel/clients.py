"""The Excel side of xlwings Server, played on Linux: what the VBA client sends and does.

* :func:`payload` builds the JSON that xlwings' VBA client (``RunServerPython`` in
  addin/Remote.bas) posts, from a real workbook loaded with openpyxl: every worksheet
  (hidden ones too) with its values anchored at A1, named ranges, tables.
* :func:`replay` applies the actions that come back to an openpyxl workbook the way the
  VBA client and Excel would, including two traps that must never bite: the client
  turns any ``a-b-c`` string into a date (``WebHelpers.ParseIso``), and Excel reads an
  assigned string like typing unless it starts with an apostrophe. Writing into a
  protected sheet fails, as in Excel. An action the VBA client does not have fails.
* The add-in's macros (``macros/XlplanRibbon.bas``) that actions may call through
  ``runMacro`` are played by :class:`AddinMacros`, line for line with the VBA.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import xlwings as xw
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

from xlplan.book.xw_book import MACRO_LAYOUT, MACRO_PROTECT, MACRO_UNPROTECT
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
    if isinstance(v, str) and v.startswith("="):
        # The client sends .Value, i.e. formula results. The only formulas our files hold
        # are the check sheet's links, whose result is their display text.
        m = _HYPERLINK.match(v)
        if m is None:
            raise AssertionError(f"formula without a known result in the test workbook: {v}")
        return m.group(1)
    return v


def sheet_values(ws: Worksheet) -> list[list[Any]]:
    if ws.max_row == 1 and ws.max_column == 1 and ws["A1"].value is None:
        return [[]]
    return [[_json_value(c.value) for c in row]
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
            values = a["values"]
            for i, row in enumerate(_cells(ws, a)):
                for j, cell in enumerate(row):
                    if isinstance(cell, MergedCell):
                        continue  # Excel keeps only the top-left value of a merged area
                    v = values[i][j] if len(values) > 1 or len(values[0]) > 1 else values[0][0]
                    cell.value = excel_assign(v)
                    out.cells_written += 1
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
    sheets.remove(ws)
    anchor = wb.worksheets[after_index] if after_index < len(wb.worksheets) else wb.worksheets[-1]
    sheets.insert(sheets.index(anchor) + 1, ws)
    wb.active = wb.worksheets.index(ws)


# ------------------------------------------------------------------ the add-in's macros


THIN = Side(style="thin", color="000000")


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
        self.saved[f"{self.book_name}!{sheet}"] = copy.copy(ws.protection)
        ws.protection.sheet = False

    def protect(self, sheet: str) -> None:
        key = f"{self.book_name}!{sheet}"
        if key in self.saved:
            self.wb[sheet].protection = self.saved.pop(key)

    def layout(self, sheet: str, spec: str) -> None:
        ws = self.wb[sheet]
        for line in spec.split("\n"):
            if not line:
                continue
            f = line.split("\t")
            op = f[0]
            if op == "U":
                c0, r0, c1, r1 = range_boundaries(f[1])
                for m in list(ws.merged_cells.ranges):
                    if m.min_row <= r1 and m.max_row >= r0 and m.min_col <= c1 and m.max_col >= c0:
                        ws.unmerge_cells(str(m))
            elif op == "M":
                ws.merge_cells(f[1])
            elif op == "V":
                for cell in _range_cells(ws, f[1]):
                    cell.alignment = Alignment(text_rotation=255, horizontal="center",
                                               vertical="center")
            elif op == "H":
                ws.row_dimensions[int(f[1])].height = float(f[2])
            elif op == "P":
                ws.row_breaks = RowBreak()
            elif op == "B":
                ws.row_breaks.append(Break(id=int(f[1])))
            elif op == "K":
                for cell in _range_cells(ws, f[1]):
                    cell.fill = PatternFill("solid", fgColor=f[2])
                    cell.font = Font(color=f[3], size=float(f[4]), bold=True)
                    cell.alignment = Alignment(horizontal="center", vertical="center")
            elif op == "C":
                for cell in _range_cells(ws, f[1]):
                    cell.font = Font(color=f[2])
            elif op == "G":
                for cell in _range_cells(ws, f[1]):
                    cell.border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
            elif op == "L":
                for cell in _range_cells(ws, f[1]):
                    cell.fill = PatternFill("solid", fgColor=f[2])
            elif op == "F":
                for cell in _range_cells(ws, f[1]):
                    cell.font = Font(size=float(f[2]), bold=f[3] == "1")
            elif op == "N":
                for cell in _range_cells(ws, f[1]):
                    cell.number_format = f[2]
            elif op == "A":
                ws.print_area = f[1]
            elif op == "W":
                ws.column_dimensions[get_column_letter(int(f[1]))].width = float(f[2])
            elif op == "T":
                ws.print_title_rows = f[1].replace("$", "")
            elif op == "O":
                ws.oddFooter.center.text = f[1]
            elif op == "S":
                ws.page_setup.paperSize = ws.PAPERSIZE_A3 if f[1] == "A3" else ws.PAPERSIZE_A4
                ws.page_setup.orientation = f[2]
                ws.page_setup.fitToWidth = 1
                ws.page_setup.fitToHeight = 0
            else:
                raise ReplayError(f"XlplanApplyLayout: unknown layout operation {op!r}")


def _range_cells(ws: Worksheet, ref: str) -> list[Any]:
    c0, r0, c1, r1 = range_boundaries(ref)
    return [ws.cell(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
            if not isinstance(ws.cell(r, c), MergedCell)]
