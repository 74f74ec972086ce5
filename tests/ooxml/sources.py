"""Workbooks the tests build with independent tools (openpyxl, zipfile), never with the
package patcher itself."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

REPORT_VALUES = {(r, c): (r * c if c > 1 else f"項目{r}") for r in range(4, 13) for c in range(1, 5)}


def report_workbook() -> bytes:
    """Two sheets; "Report" carries what a rendered report sheet has: merges, fills, borders,
    rotation, a percentage format, page set-up, print area and titles, a row break, frozen
    panes, a conditional format, a list validation, a hyperlink to another sheet's cell and
    a bar chart."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.hyperlink import Hyperlink
    from openpyxl.worksheet.pagebreak import Break

    wb = Workbook()
    other = wb.active
    other.title = "Other"
    other["A1"] = "other sheet"
    ws = wb.create_sheet("Report")
    ws.merge_cells("A1:F1")
    ws["A1"] = "資料4-1 報告"
    ws["A1"].font = Font(bold=True, size=16, color="FFC00000")
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws["A2"] = "縦書き"
    ws["A2"].alignment = Alignment(text_rotation=90)
    ws.merge_cells("A13:D13")
    thin = Side(style="thin", color="FF000000")
    for c, head in enumerate(["項目", "実績", "見込", "目標"], start=1):
        cell = ws.cell(3, c, head)
        cell.fill = PatternFill("solid", fgColor="FFDDEBF7")
        cell.font = Font(bold=True)
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for (r, c), v in REPORT_VALUES.items():
        cell = ws.cell(r, c, v)
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws["E3"] = 0.25
    ws["E3"].number_format = "0.0%"
    ws["F3"] = "=SUM(B4:B12)"
    ws["G3"] = "='Report'!B4*2"
    ws["A13"] = "注記"
    note = NamedStyle(name="注記スタイル", font=Font(italic=True, color="FF7F7F7F"))
    wb.add_named_style(note)
    ws["A13"].style = "注記スタイル"
    ws["E4"] = 1234
    ws["E4"].number_format = '#,##0"件"'
    ws.auto_filter.ref = "A3:D12"
    ws.column_dimensions["A"].width = 20
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "B4"
    ws.print_title_rows = "3:3"
    ws.print_area = "A1:F13"
    ws.row_breaks.append(Break(id=8))
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.conditional_formatting.add(
        "B4:B12", CellIsRule(operator="greaterThan", formula=["20"],
                             fill=PatternFill("solid", bgColor="FFFFC7CE")))
    dv = DataValidation(type="list", formula1='"A,B,C"')
    ws.add_data_validation(dv)
    dv.add("H4:H12")
    ws["H3"] = "設定へ"
    ws["H3"].hyperlink = Hyperlink(ref="H3", location="'設定'!A1", display="設定へ")
    chart = BarChart()
    chart.title = "実績"
    chart.add_data(Reference(ws, min_col=2, min_row=3, max_row=12), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=4, max_row=12))
    ws.add_chart(chart, "J3")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def vba_project() -> bytes:
    """xlwings' shipped add-in's VBA project (a real Excel-made vbaProject.bin)."""
    import xlwings

    xlam = Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"
    with zipfile.ZipFile(xlam) as zf:
        return zf.read("xl/vbaProject.bin")


def macro_enabled(xlsx: bytes) -> bytes:
    """``xlsx`` turned into an .xlsm: vbaProject part, relationship, content types."""
    vba = vba_project()
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                text = data.decode()
                text = text.replace(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
                text = text.replace(
                    "</Types>",
                    '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                    "</Types>")
                data = text.encode()
            elif info.filename == "xl/_rels/workbook.xml.rels":
                text = data.decode()
                text = text.replace(
                    "</Relationships>",
                    '<Relationship Id="rIdVBA" Type="http://schemas.microsoft.com/office/2006/'
                    'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
                data = text.encode()
            dst.writestr(info, data)
        dst.writestr("xl/vbaProject.bin", vba)
    return out.getvalue()


def shared_formula_workbook() -> bytes:
    """A small workbook whose sheet "S" has a shared formula group in C1:C3 (A+B of each
    row), written as Excel and LibreOffice write them: the master cell holds the text and
    the range, the other cells only the group id."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "S"
    for r in range(1, 4):
        ws.cell(r, 1, r)
        ws.cell(r, 2, 10 * r)
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    cells = {1: '<c r="C1"><f t="shared" ref="C1:C3" si="0">A1+B1</f><v>11</v></c>',
             2: '<c r="C2"><f t="shared" si="0"/><v>22</v></c>',
             3: '<c r="C3"><f t="shared" si="0"/><v>33</v></c>'}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for r, cell in cells.items():
                    text = re.sub(rf'(<row r="{r}"[^>]*>.*?)(</row>)',
                                  lambda m, c=cell: m.group(1) + c + m.group(2),
                                  text, count=1, flags=re.S)
                data = text.encode()
            dst.writestr(info, data)
    return out.getvalue()
