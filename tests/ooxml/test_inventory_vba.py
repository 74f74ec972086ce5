"""inventory(), and macro-enabled packages kept as they are."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from xlplan.ooxml import Package

from .checks import check_package
from .conftest import EXCEL, members

MACRO_CT = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def whats(name: str) -> dict[str, tuple[str | None, int, bool]]:
    pkg = Package.read(EXCEL / name)
    return {i.what: (i.sheet, i.count, i.openpyxl_drops) for i in pkg.inventory()}


@pytest.mark.parametrize(("name", "what", "sheet", "drops"), [
    ("textbox01.xlsx", "text box / shape", "Sheet1", True),
    ("comment03.xlsx", "comment", "Sheet1", False),
    ("button07.xlsm", "form control", "Sheet1", True),
    ("button07.xlsm", "VBA project", None, True),
    ("checkbox01.xlsx", "cell checkbox", None, True),
    ("embed_image01.xlsx", "image in cell", None, True),
    ("chart_bar01.xlsx", "chart", "Sheet1", False),
    ("image01.xlsx", "picture", "Sheet1", False),
    ("table05.xlsx", "table", "Sheet1", False),
    ("defined_name01.xlsx", "printer settings", "Sheet1", True),
    ("rich_string01.xlsx", "rich text", None, True),
    ("formula_results01.xlsx", "formula", "Sheet1", False),
    ("chartsheet01.xlsx", "chart sheet", "Chart1", False),
])
def test_inventory_names_what_is_there(name: str, what: str, sheet: str | None,
                                       drops: bool) -> None:
    found = whats(name)
    assert what in found, sorted(found)
    assert found[what][0] == sheet and found[what][2] is drops


def test_inventory_rows_unpack_as_triples(template_bytes: bytes) -> None:
    rows = Package.read(template_bytes).inventory()
    parts = {part for part, _what, _sheet in rows}
    assert "xl/charts/chart1.xml" in parts
    assert ("xl/tables/table2.xml", "table", "4-2入力") in [tuple(r) for r in rows]


def test_xlsm_kept_through_every_change(xlsm_bytes: bytes, report_source: bytes) -> None:
    before = members(xlsm_bytes)
    pkg = Package.read(xlsm_bytes)
    assert pkg.macro_enabled
    assert ("xl/vbaProject.bin", "VBA project", None) in [tuple(i) for i in pkg.inventory()]
    pkg.set_cells("4-2入力", {(4, 21): "=x", (4, 22): 1})
    pkg.replace_sheet("資料4-1", report_source, "Report")
    pkg.delete_sheet("資料4-3")
    pkg.order_sheets(list(reversed(pkg.sheet_names)))
    out = pkg.to_bytes()
    check_package(out)
    after = members(out)
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    assert MACRO_CT in after["[Content_Types].xml"]
    assert b'Extension="bin" ContentType="application/vnd.ms-office.vbaProject"' in \
        after["[Content_Types].xml"]
    assert b"relationships/vbaProject" in after["xl/_rels/workbook.xml.rels"]
    wb = openpyxl.load_workbook(io.BytesIO(out), keep_vba=True)
    assert wb.vba_archive is not None
    assert wb["4-2入力"]["U4"].value == "=x" and wb["4-2入力"]["U4"].data_type == "s"


def test_excel_xlsm_with_button() -> None:
    data = (EXCEL / "button07.xlsm").read_bytes()
    pkg = Package.read(data)
    pkg.set_cells("Sheet1", {(1, 1): "hello"})
    out = pkg.to_bytes()
    check_package(out)
    before, after = members(data), members(out)
    for part in ("xl/vbaProject.bin", "xl/drawings/vmlDrawing1.vml",
                 "xl/worksheets/_rels/sheet1.xml.rels", "[Content_Types].xml"):
        assert after[part] == before[part], part


def test_xlsx_carrying_a_vba_part_keeps_it(template_bytes: bytes) -> None:
    """An .xlsx content type with a vbaProject part (a renamed .xlsm): the part is carried
    and reported, the content type is left as it was (the caller decides)."""
    from .sources import macro_enabled

    data = macro_enabled(template_bytes).replace(MACRO_CT, MACRO_CT)  # an .xlsm…
    raw = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(raw, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "[Content_Types].xml":  # …relabelled as .xlsx
                body = body.replace(
                    MACRO_CT,
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
            dst.writestr(info, body)
    pkg = Package.read(raw.getvalue())
    assert not pkg.macro_enabled
    assert any(i.what == "VBA project" for i in pkg.inventory())
    pkg.set_cells("4-2入力", {(4, 21): 1})
    assert members(pkg.to_bytes())["xl/vbaProject.bin"] == members(data)["xl/vbaProject.bin"]
