"""The 設定 sheet: years, report date, thresholds and mark labels, read by label.

Each setting is one row: 項目 (label, column A), 値 (value, column B), 説明 (column C).
Rows are found by their label, so the secretariat may reorder them or add notes.
Each value cell also has a workbook-level defined name (``xlplan_fiscal_year`` …) for
formulas and VBA.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Font, Protection
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.protection import SheetProtection

from xlplan.book import styles
from xlplan.core.findings import Finding
from xlplan.core.layout import SETTINGS_SHEET, layout_headings
from xlplan.core.settings import Settings
from xlplan.core.settings_grid import SETTING_ITEMS, setting_value, settings_from_grid

ITEMS = SETTING_ITEMS  # the items live in the pure core, shared with the ribbon

NAME_PREFIX = "xlplan_"
VALUE_COL = 2
FIRST_ROW = 3


_get = setting_value


def write_settings_sheet(wb: Workbook, settings: Settings) -> None:
    """Create (or rewrite) the 設定 sheet with these settings."""
    if SETTINGS_SHEET in wb.sheetnames:
        del wb[SETTINGS_SHEET]
    ws = wb.create_sheet(SETTINGS_SHEET)
    ws["A1"] = "設定（年度・判定基準・記号）"
    ws["A1"].font = Font(name=styles.FONT_NAME, size=14, bold=True)
    for col, head in enumerate(("項目", "値", "説明"), start=1):
        ws.cell(2, col, head).style = styles.STYLE_HEADER
    for i, item in enumerate(ITEMS):
        r = FIRST_ROW + i
        ws.cell(r, 1, item.label).style = styles.STYLE_INPUT
        v = ws.cell(r, VALUE_COL, _get(settings, item.field))
        v.style = styles.STYLE_OVERRIDE
        v.protection = Protection(locked=False)
        if item.kind == "date":
            v.number_format = "yyyy/m/d"
        elif item.kind == "rate":
            v.number_format = "0%"
        ws.cell(r, 3, item.help).style = styles.STYLE_INPUT
        name = NAME_PREFIX + item.field.replace(".", "_")
        wb.defined_names[name] = DefinedName(name, attr_text=f"'{SETTINGS_SHEET}'!$B${r}")
    # The headings these years produce, for reference (written by the tool).
    r = FIRST_ROW + len(ITEMS) + 1
    ws.cell(r, 1, "この設定で使われる見出し（自動）").font = Font(name=styles.FONT_NAME, bold=True)
    for j, text in enumerate(layout_headings(settings), start=1):
        c = ws.cell(r + j, 1, text)
        c.style = styles.STYLE_COMPUTED
        ws.merge_cells(start_row=r + j, start_column=1, end_row=r + j, end_column=3)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 60
    for row in ws.iter_rows(min_row=FIRST_ROW):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top",
                                    horizontal=c.alignment.horizontal)
    ws.protection = SheetProtection(sheet=True, formatCells=False, formatColumns=False,
                                    formatRows=False)


def read_settings(wb: Workbook) -> tuple[Settings, list[Finding]]:
    """Settings from the 設定 sheet; defaults (with a finding) for anything missing or bad."""
    grid = list(wb[SETTINGS_SHEET].iter_rows(values_only=True)) if SETTINGS_SHEET in wb.sheetnames else None
    return settings_from_grid(grid)
