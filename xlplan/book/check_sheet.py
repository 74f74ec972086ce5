"""The チェック結果 sheet: every finding, with a link to its cell."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from openpyxl.styles import Font
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink

from xlplan.book import styles
from xlplan.core.findings import Finding, Level
from xlplan.core.layout import CHECK_SHEET

HEADINGS = ("レベル", "コード", "シート", "セル", "ID", "内容", "対処")
WIDTHS = (8, 22, 12, 8, 9, 70, 50)
LEVEL_FILL = {
    Level.ERROR: styles.MARK_COLOURS["×"],
    Level.WARNING: styles.MARK_COLOURS["△"],
    Level.INFO: styles.MARK_COLOURS["－"],
}


def finding_rows(findings: Sequence[Finding]) -> list[list[object]]:
    """The sheet's data rows as plain values (shared with the xlwings adapter)."""
    return [[f.level.ja, f.code, f.sheet, f.cell, f.row_id, f.message, f.fix] for f in findings]


def summary_line(findings: Sequence[Finding]) -> str:
    n = Counter(f.level for f in findings)
    return (f"エラー {n[Level.ERROR]}件、警告 {n[Level.WARNING]}件、情報 {n[Level.INFO]}件"
            + ("。エラーを直してから提出してください。" if n[Level.ERROR] else "。"))


def write_check_sheet(wb: Workbook, findings: Sequence[Finding]) -> None:
    """Replace the チェック結果 sheet with these findings (links jump to each cell)."""
    from openpyxl.styles import PatternFill

    if CHECK_SHEET in wb.sheetnames:
        ws = wb[CHECK_SHEET]
        ws.delete_rows(1, ws.max_row)
        for rng in list(ws.merged_cells.ranges):
            ws.unmerge_cells(str(rng))
    else:
        ws = wb.create_sheet(CHECK_SHEET)
    ws["A1"] = "チェック結果"
    ws["A1"].font = Font(name=styles.FONT_NAME, size=14, bold=True)
    ws["A2"] = summary_line(findings)
    for j, h in enumerate(HEADINGS, start=1):
        ws.cell(3, j, h).style = styles.STYLE_HEADER
        ws.column_dimensions[chr(64 + j)].width = WIDTHS[j - 1]
    for i, (f, values) in enumerate(zip(findings, finding_rows(findings), strict=True), start=4):
        for j, v in enumerate(values, start=1):
            c = ws.cell(i, j, v)
            c.style = styles.STYLE_INPUT
        bg, fg = LEVEL_FILL[f.level]
        ws.cell(i, 1).fill = PatternFill("solid", fgColor=bg)
        ws.cell(i, 1).font = Font(name=styles.FONT_NAME, color=fg, bold=True)
        if f.sheet and f.cell and f.sheet in wb.sheetnames:
            link = ws.cell(i, 4)
            link.hyperlink = Hyperlink(ref=link.coordinate,
                                       location=f"'{f.sheet}'!{f.cell.split(':')[0]}",
                                       tooltip="セルへ移動")
            link.font = Font(name=styles.FONT_NAME, color="0563C1", underline="single")
    ws.freeze_panes = "A4"
    ws.auto_filter.ref = f"A3:G{max(3, len(findings) + 3)}"
