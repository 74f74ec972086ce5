"""set_style: append-only, deduplicated cell formats read back by openpyxl."""

from __future__ import annotations

import io
import re
from xml.etree import ElementTree as ET

import openpyxl
import pytest

from xlplan.ooxml import Package

from .checks import check_package
from .conftest import EXCEL, members

SHEET = "4-2入力"
M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def xfs(data: bytes) -> list[str]:
    """The cell formats of a package, each in canonical XML (C14N 2.0)."""
    root = ET.fromstring(members(data)["xl/styles.xml"])
    cell_xfs = root.find(f"{M}cellXfs")
    assert cell_xfs is not None
    return [ET.canonicalize(ET.tostring(xf)) for xf in cell_xfs.findall(f"{M}xf")]


def test_set_style_changes_only_the_cells(template_bytes: bytes) -> None:
    pkg = Package.read(template_bytes)
    pkg.set_style(SHEET, [(4, 21), (5, 21)], number_format="0.0%", fill_rgb="FFEB9C",
                  font_rgb="#9C0006", bold=True)
    out = pkg.to_bytes()
    check_package(out)
    wb0 = openpyxl.load_workbook(io.BytesIO(template_bytes))
    wb1 = openpyxl.load_workbook(io.BytesIO(out))
    ws0, ws1 = wb0[SHEET], wb1[SHEET]
    for coord in ("U4", "U5"):
        c = ws1[coord]
        assert c.number_format == "0.0%"
        assert c.fill.fill_type == "solid" and c.fill.fgColor.rgb == "FFFFEB9C"
        assert c.font.color.rgb == "FF9C0006" and c.font.b
        assert c.font.name == ws0[coord].font.name and c.font.sz == ws0[coord].font.sz
        assert c.border.left.style == ws0[coord].border.left.style
        assert c.alignment.wrap_text == ws0[coord].alignment.wrap_text
    assert ws1["U4"].style_id == ws1["U5"].style_id  # one clone for both (deduplicated)
    for coord in ("U6", "V4", "A4"):
        assert ws1[coord].style_id == ws0[coord].style_id
    # append-only: every existing format keeps its index and markup
    before, after = xfs(template_bytes), xfs(out)
    assert after[: len(before)] == before
    assert len(after) == len(before) + 1


def test_identical_requests_add_nothing(template_bytes: bytes) -> None:
    pkg = Package.read(template_bytes)
    pkg.set_style(SHEET, [(4, 21)], bold=True)
    n = len(xfs(pkg.to_bytes()))
    pkg.set_style(SHEET, [(4, 21)], bold=True)
    pkg.set_style(SHEET, [(5, 21)], bold=True)
    assert len(xfs(pkg.to_bytes())) == n


def test_number_formats_builtin_and_custom(template_bytes: bytes) -> None:
    pkg = Package.read(template_bytes)
    pkg.set_style(SHEET, [(4, 21)], number_format="0%")
    pkg.set_style(SHEET, [(4, 22)], number_format='#,##0"件"')
    pkg.set_style(SHEET, [(4, 23)], number_format='#,##0"件"')
    styles = members(pkg.to_bytes())["xl/styles.xml"].decode()
    ids = [int(i) for i in re.findall(r'<numFmt numFmtId="(\d+)"', styles)]
    assert len(ids) == len(set(ids)) and all(i >= 164 for i in ids)
    assert styles.count('formatCode="#,##0&quot;件&quot;"') == 1
    ws = openpyxl.load_workbook(io.BytesIO(pkg.to_bytes()))[SHEET]
    assert ws["U4"].number_format == "0%"
    assert ws["V4"].number_format == ws["W4"].number_format == '#,##0"件"'


def test_new_cell_gets_styled(template_bytes: bytes) -> None:
    pkg = Package.read(template_bytes)
    pkg.set_style(SHEET, [(700, 50)], fill_rgb="00FF00")
    out = pkg.to_bytes()
    check_package(out)
    ws = openpyxl.load_workbook(io.BytesIO(out))[SHEET]
    assert ws.cell(700, 50).fill.fgColor.rgb == "FF00FF00"


@pytest.mark.parametrize("bad", ["red", "12345", "GGGGGG", ""])
def test_bad_colour(template_bytes: bytes, bad: str) -> None:
    with pytest.raises(ValueError, match="RRGGBB"):
        Package.read(template_bytes).set_style(SHEET, [(4, 21)], fill_rgb=bad)


def test_excel_stylesheet() -> None:
    data = (EXCEL / "format01.xlsx").read_bytes()
    pkg = Package.read(data)
    pkg.set_style("Sheet1", [(1, 1)], bold=True, fill_rgb="FFFF00")
    out = pkg.to_bytes()
    check_package(out)
    before, after = xfs(data), xfs(out)
    assert after[: len(before)] == before
    ws = openpyxl.load_workbook(io.BytesIO(out))["Sheet1"]
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb == "FFFFFF00"
