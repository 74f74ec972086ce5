"""Sheet-level changes: replace, add, delete, reorder, activate, hide."""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
import pytest

from xlplan.ooxml import Package, PackageError

from .checks import check_package
from .conftest import EXCEL, members
from .sources import REPORT_VALUES

PRINT_TITLES = {"4-1入力": "$3:$3", "4-2入力": "$3:$3", "4-3入力": "$3:$3",
                "資料4-1": "$1:$3", "資料4-2": "$1:$3", "資料4-3": "$1:$3"}
PRINT_AREAS = {"資料4-1": "'資料4-1'!$A$1:$R$18", "資料4-2": "'資料4-2'!$A$1:$P$52",
               "資料4-3": "'資料4-3'!$A$1:$P$11"}


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def style_snapshot(ws: Any) -> dict[str, tuple[object, ...]]:
    return {c.coordinate: (c.value, c.number_format, c.font.b, c.font.sz, c.font.name,
                           c.fill.fgColor.rgb, c.border.left.style, c.alignment.horizontal,
                           c.alignment.text_rotation)
            for row in ws.iter_rows() for c in row}


def report_facts(ws: Any) -> dict[str, object]:
    """What the source's Report sheet should still have after being copied."""
    return {
        "values": {k: ws.cell(*k).value for k in REPORT_VALUES},
        "title": ws["A1"].value,
        "merges": sorted(str(m) for m in ws.merged_cells.ranges),
        "titles": ws.print_title_rows,
        "freeze": ws.freeze_panes,
        "breaks": [b.id for b in ws.row_breaks.brk],
        "charts": len(ws._charts),
        "orientation": ws.page_setup.orientation,
        "paper": ws.page_setup.paperSize,
        "widths": ws.column_dimensions["A"].width,
        "height": ws.row_dimensions[1].height,
        "bold": ws["A1"].font.b, "colour": ws["A1"].font.color.rgb,
        "rotation": ws["A2"].alignment.text_rotation,
        "percent": ws["E3"].number_format,
        "fill": ws["A3"].fill.fgColor.rgb,
        "border": ws["B5"].border.left.style,
        "cf": [str(r.sqref) for r in ws.conditional_formatting],
        "dv": [str(d.sqref) for d in ws.data_validations.dataValidation],
        "link": ws["H3"].hyperlink.location if ws["H3"].hyperlink else None,
        "filter": ws.auto_filter.ref,
        "count format": (ws["E4"].value, ws["E4"].number_format),
        "note": (ws["A13"].font.i, ws["A13"].font.color.rgb),
        "cf fill": [r.dxf.fill.bgColor.rgb for cf in ws.conditional_formatting for r in cf.rules],
    }


def test_replace_report_sheet(template_bytes: bytes, report_source: bytes) -> None:
    pkg = Package.read(template_bytes)
    pkg.replace_sheet("資料4-1", report_source, "Report")
    out = pkg.to_bytes()
    check_package(out)
    assert pkg.sheet_names == Package.read(template_bytes).sheet_names
    src = load(report_source)["Report"]
    wb = load(out)
    ws = wb["資料4-1"]
    expect = report_facts(src)
    got = report_facts(ws)
    assert got == expect
    assert ws.print_area == "'資料4-1'!$A$1:$F$13"
    assert ws["G3"].value == "='資料4-1'!B4*2"  # self-reference follows the new name
    assert ws["F3"].value == "=SUM(B4:B12)"
    # the other sheets' cells and formats are as they were; their print settings too
    wb0 = load(template_bytes)
    for name in wb0.sheetnames:
        if name != "資料4-1":
            assert style_snapshot(wb[name]) == style_snapshot(wb0[name]), name
    for name, titles in PRINT_TITLES.items():
        if name != "資料4-1":
            assert wb[name].print_title_rows == titles, name
    for name, area in PRINT_AREAS.items():
        if name != "資料4-1":
            assert wb[name].print_area == area
    # untouched parts carried byte for byte
    before, after = members(template_bytes), members(out)
    for part in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/charts/chart1.xml",
                 "xl/drawings/drawing1.xml", "xl/tables/table2.xml", "xl/theme/theme1.xml"):
        assert after[part] == before[part], part


def test_replace_sheet_with_drawing_removes_its_old_parts(template_bytes: bytes,
                                                          report_source: bytes) -> None:
    pkg = Package.read(template_bytes)
    pkg.replace_sheet("集計", report_source, "Report")
    out = pkg.to_bytes()
    check_package(out)
    names = set(members(out))
    wb = load(out)
    assert len(wb["集計"]._charts) == 1
    assert wb.sheetnames == Package.read(template_bytes).sheet_names
    # exactly one chart and one drawing remain: the copied ones
    charts = [n for n in names if n.startswith("xl/charts/")]
    drawings = [n for n in names if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n)]
    assert len(charts) == 1 and len(drawings) == 1
    chart = members(out)[charts[0]].decode()
    assert "'集計'!$B$4:$B$12" in chart and "Report" not in chart


def test_styles_are_remapped(template_bytes: bytes, report_source: bytes) -> None:
    """Custom number formats get ids >= 164 of this workbook, a named style missing here
    maps to Normal, the conditional format's dxf is appended, nothing existing moves."""
    from xml.etree import ElementTree as ET

    m = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    pkg = Package.read(template_bytes)
    pkg.replace_sheet("資料4-1", report_source, "Report")
    out = pkg.to_bytes()
    st0 = ET.fromstring(members(template_bytes)["xl/styles.xml"])
    st1 = ET.fromstring(members(out)["xl/styles.xml"])
    for tag in ("numFmts", "fonts", "fills", "borders", "cellXfs", "dxfs", "cellStyles"):
        before = [ET.canonicalize(ET.tostring(e)) for e in st0.find(m + tag) or []]
        after = [ET.canonicalize(ET.tostring(e)) for e in st1.find(m + tag) or []]
        assert after[: len(before)] == before, tag
    fmts = {e.get("formatCode"): int(e.get("numFmtId", "0")) for e in st1.iter(m + "numFmt")}
    assert fmts['#,##0"件"'] >= 164
    assert len(set(fmts.values())) == len(fmts)
    names = [e.get("name") for e in st1.iter(m + "cellStyle")]
    assert "注記スタイル" not in names
    sheet = next(body.decode() for name, body in members(out).items()
                 if name.startswith("xl/worksheets/sheet") and "注記".encode() in body)
    s = re.search(r'<c r="A13" s="(\d+)"', sheet)
    assert s is not None
    xf = st1.findall(f"{m}cellXfs/{m}xf")[int(s.group(1))]
    assert xf.get("xfId") == "0"  # Normal
    font = st1.findall(f"{m}fonts/{m}font")[int(xf.get("fontId", "0"))]
    assert font.find(m + "i") is not None


def test_add_sheet_at_index_renumbers_local_names(template_bytes: bytes,
                                                  report_source: bytes) -> None:
    pkg = Package.read(template_bytes)
    pkg.replace_sheet("新しい報告", report_source, "Report", index=1, state="visible")
    out = pkg.to_bytes()
    check_package(out)
    wb = load(out)
    assert wb.sheetnames[1] == "新しい報告"
    for name, titles in PRINT_TITLES.items():
        assert wb[name].print_title_rows == titles, name
    for name, area in PRINT_AREAS.items():
        assert wb[name].print_area == area
    assert wb["新しい報告"].print_title_rows == "$3:$3"
    assert wb["新しい報告"].print_area == "'新しい報告'!$A$1:$F$13"
    assert wb.defined_names["xlplan_fiscal_year"].attr_text == "'設定'!$B$3"
    assert report_facts(wb["新しい報告"]) == report_facts(load(report_source)["Report"])


def test_add_hidden_sheet_at_end(template_bytes: bytes, report_source: bytes) -> None:
    pkg = Package.read(template_bytes)
    pkg.replace_sheet("_work", report_source, "Report", state="veryHidden")
    assert pkg.sheet_names[-1] == "_work" and pkg.sheet_state("_work") == "veryHidden"
    check_package(pkg.to_bytes())


def test_replace_twice_is_stable(template_bytes: bytes, report_source: bytes) -> None:
    pkg = Package.read(template_bytes)
    pkg.replace_sheet("資料4-2", report_source, "Report")
    once = pkg.to_bytes()
    pkg.replace_sheet("資料4-2", report_source, "Report")
    twice = pkg.to_bytes()
    check_package(twice)
    assert len(members(twice)) == len(members(once))
    assert members(twice)["xl/styles.xml"] == members(once)["xl/styles.xml"]  # deduplicated


def test_table_names_stay_unique(template_bytes: bytes) -> None:
    from openpyxl import Workbook
    from openpyxl.worksheet.table import Table

    wb = Workbook()
    ws = wb.active
    ws.title = "T"
    ws.append(["a", "b"])
    ws.append([1, 2])
    ws.add_table(Table(displayName="Input41", ref="A1:B2"))
    buf = io.BytesIO()
    wb.save(buf)
    pkg = Package.read(template_bytes)
    pkg.replace_sheet("表", buf.getvalue(), "T")
    out = pkg.to_bytes()
    check_package(out)
    assert "Input41_2" in load(out)["表"].tables


def test_invalid_names_and_indexes(template_bytes: bytes, report_source: bytes) -> None:
    pkg = Package.read(template_bytes)
    for bad in ("a/b", "x" * 32, "", "'quoted'", "History", "4-1入力".upper() + "[1]"):
        with pytest.raises(ValueError):
            pkg.replace_sheet(bad, report_source, "Report")
    with pytest.raises(ValueError):
        pkg.replace_sheet("new", report_source, "Report", index=99)
    with pytest.raises(KeyError):
        pkg.replace_sheet("new", report_source, "Nope")
    assert pkg.to_bytes() == Package.read(template_bytes).to_bytes()


def test_delete_sheet_keeps_other_print_settings(template_bytes: bytes) -> None:
    pkg = Package.read(template_bytes)
    pkg.delete_sheet("資料4-2")
    out = pkg.to_bytes()
    check_package(out)
    wb = load(out)
    assert "資料4-2" not in wb.sheetnames
    assert "xl/worksheets/sheet5.xml" not in members(out)
    for name, titles in PRINT_TITLES.items():
        if name != "資料4-2":
            assert wb[name].print_title_rows == titles, name
    for name, area in PRINT_AREAS.items():
        if name != "資料4-2":
            assert wb[name].print_area == area


def test_delete_sheet_with_chart_and_names() -> None:
    data = (EXCEL / "defined_name01.xlsx").read_bytes()
    pkg = Package.read(data)
    pkg.delete_sheet("Sheet2")
    out = pkg.to_bytes()
    check_package(out)
    wb_xml = members(out)["xl/workbook.xml"].decode()
    assert 'name="aaa"' not in wb_xml  # scoped to the deleted sheet
    assert re.search(r'name="Bar" localSheetId="1">\'Sheet 3\'!\$A\$1<', wb_xml)
    assert re.search(r'name="Bar" localSheetId="0">Sheet1!\$A\$1<', wb_xml)
    wb = load(out)
    assert wb["Sheet1"].print_area == "'Sheet1'!$A$1:$E$6"
    pkg.delete_sheet("Sheet1")
    wb_xml = members(pkg.to_bytes())["xl/workbook.xml"].decode()
    assert re.search(r'name="_Egg">#REF!\$A\$1<', wb_xml)  # as Excel writes it
    assert "printerSettings" not in "".join(members(pkg.to_bytes()))
    check_package(pkg.to_bytes())

    charts = Package.read(EXCEL / "chartsheet01.xlsx")
    charts.delete_sheet("Chart1")  # the active sheet
    out = charts.to_bytes()
    check_package(out)
    assert not [n for n in members(out) if "chart" in n.lower()]
    assert charts.sheet_names == ["Sheet1"]


def test_cannot_delete_last_visible(template_bytes: bytes) -> None:
    data = (EXCEL / "hide01.xlsx").read_bytes()
    pkg = Package.read(data)
    pkg.delete_sheet("Sheet1")
    with pytest.raises(ValueError, match="last visible"):
        pkg.delete_sheet("Sheet3")
    with pytest.raises(ValueError, match="last visible"):
        pkg.set_sheet_state("Sheet3", "hidden")


def test_order_sheets(template_bytes: bytes) -> None:
    pkg = Package.read(template_bytes)
    names = pkg.sheet_names
    pkg.set_active("資料4-1")
    new = list(reversed(names))
    pkg.order_sheets(new)
    out = pkg.to_bytes()
    check_package(out)
    wb = load(out)
    assert wb.sheetnames == new
    for name, titles in PRINT_TITLES.items():
        assert wb[name].print_title_rows == titles, name
    for name, area in PRINT_AREAS.items():
        assert wb[name].print_area == area
    assert wb.active.title == "資料4-1"
    with pytest.raises(ValueError):
        pkg.order_sheets(names[:-1])
    with pytest.raises(ValueError):
        pkg.order_sheets([*names[:-1], names[0]])


def test_set_active_and_states(template_bytes: bytes) -> None:
    pkg = Package.read(template_bytes)
    pkg.set_active("集計")
    out = pkg.to_bytes()
    check_package(out)
    assert load(out).active.title == "集計"
    with pytest.raises(ValueError, match="hidden"):
        pkg.set_active("_xlplan")
    pkg.set_sheet_state("集計", "hidden")  # the active sheet: another one becomes active
    out = pkg.to_bytes()
    check_package(out)
    assert load(out).active.title == "設定"
    pkg.set_sheet_state("_xlplan", "visible")
    pkg.set_sheet_state("設定", "veryHidden")
    assert pkg.sheet_state("設定") == "veryHidden"
    check_package(pkg.to_bytes())
    with pytest.raises(ValueError):
        pkg.set_sheet_state("設定", "gone")  # type: ignore[arg-type]


def test_chartsheet_activation() -> None:
    pkg = Package.read(EXCEL / "chartsheet01.xlsx")
    pkg.set_active("Sheet1")
    out = pkg.to_bytes()
    check_package(out)
    assert load(out).active.title == "Sheet1"
    pkg.set_active("Chart1")
    check_package(pkg.to_bytes())


def test_source_with_unsupported_parts_refused(template_bytes: bytes) -> None:
    pkg = Package.read(template_bytes)
    with pytest.raises(PackageError, match="chartsheet"):
        pkg.replace_sheet("x", (EXCEL / "chartsheet01.xlsx").read_bytes(), "Chart1")


def test_copy_excel_sheet_with_comments_table_image(template_bytes: bytes) -> None:
    """A sheet Excel saved with a table, comments (VML), an image and a hyperlink."""
    pkg = Package.read(template_bytes)
    pkg.replace_sheet("Excel表", (EXCEL / "table05.xlsx").read_bytes(), "Sheet1")
    out = pkg.to_bytes()
    check_package(out)
    ws = load(out)["Excel表"]
    assert ws["C3"].value == "Column1"  # shared string became inline text
    assert list(ws.tables) == ["Table1"]
    assert ws["H1"].comment is not None and ws["H1"].comment.text.startswith("Test1")
    assert ws["A1"].hyperlink.target == "http://perl.com/"
    inv = [i for i in pkg.inventory() if i.sheet == "Excel表"]
    assert {i.what for i in inv} >= {"worksheet", "table", "comment", "image", "drawing"}


def test_replacing_the_active_sheet_keeps_it_active(template_bytes: bytes,
                                                     report_source: bytes) -> None:
    pkg = Package.read(template_bytes)
    pkg.set_active("資料4-1")
    pkg.replace_sheet("資料4-1", report_source, "Report")
    out = pkg.to_bytes()
    check_package(out)  # exactly the active sheet's tab is selected
    assert load(out).active.title == "資料4-1"
    pkg.replace_sheet("資料4-1", report_source, "Report", state="hidden")
    out = pkg.to_bytes()
    check_package(out)
    assert load(out).active.title != "資料4-1"


def test_code_name_of_a_replaced_sheet_is_kept(xlsm_bytes: bytes, report_source: bytes) -> None:
    """In a macro workbook the VBA document module is bound to the sheet's codeName."""
    import zipfile

    raw = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsm_bytes)) as src, zipfile.ZipFile(raw, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet4.xml":
                body = body.replace(b"<sheetPr>", b'<sheetPr codeName="Sheet4">', 1)
            dst.writestr(info, body)
    pkg = Package.read(raw.getvalue())
    pkg.replace_sheet("資料4-1", report_source, "Report")
    parts = members(pkg.to_bytes())
    copied = [body for name, body in parts.items() if name.startswith("xl/worksheets/sheet")
              and "資料4-1 報告".encode() in body]
    assert len(copied) == 1 and b'codeName="Sheet4"' in copied[0]


@pytest.mark.parametrize("name", ["format01.xlsx", "chartsheet01.xlsx", "button07.xlsm",
                                  "defined_name01.xlsx", "table05.xlsx"])
def test_replace_into_excel_workbooks(name: str, report_source: bytes) -> None:
    data = (EXCEL / name).read_bytes()
    pkg = Package.read(data)
    last = pkg.sheet_names[-1]
    pkg.replace_sheet(last, report_source, "Report")  # a chart sheet in chartsheet01
    pkg.replace_sheet("報告", report_source, "Report", index=0)
    out = pkg.to_bytes()
    check_package(out)
    wb = load(out)
    assert wb.sheetnames[0] == "報告" and wb.sheetnames[-1] == last
    for title in ("報告", last):
        assert wb[title].print_title_rows == "$3:$3"
        assert wb[title].print_area == f"'{title}'!$A$1:$F$13"
        assert len(wb[title]._charts) == 1
    if name == "chartsheet01.xlsx":
        assert not [n for n in members(out) if n.startswith("xl/chartsheets/")]
        assert len([n for n in members(out) if n.startswith("xl/charts/")]) == 2
