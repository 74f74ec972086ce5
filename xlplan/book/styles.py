"""Named styles, fills and conditional formats shared by the template and the report.

Styling lives in the workbook (named styles, conditional formatting keyed on the mark
symbols), so that Python, in Excel or on a file, only ever writes values.
"""

from __future__ import annotations

from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.workbook.workbook import Workbook

FONT_NAME = "游ゴシック"  # Yu Gothic: Office's default Japanese UI font since 2016

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

FILL_HEADER = PatternFill("solid", fgColor="DDEBF7")
FILL_COMPUTED = PatternFill("solid", fgColor="F2F2F2")
FILL_OVERRIDE = PatternFill("solid", fgColor="FFF2CC")
FILL_BAND_INPUT = PatternFill("solid", fgColor="BDD7EE")
FILL_BAND_OVERRIDE = PatternFill("solid", fgColor="FFE699")
FILL_BAND_COMPUTED = PatternFill("solid", fgColor="D9D9D9")

# Mark colours: green for on track, amber for behind, red for worse, grey for none.
MARK_COLOURS: dict[str, tuple[str, str]] = {
    "◎": ("C6EFCE", "006100"),
    "○": ("E2EFDA", "375623"),
    "△": ("FFEB9C", "9C5700"),
    "×": ("FFC7CE", "9C0006"),
    "－": ("EDEDED", "595959"),
    "不明": ("EDEDED", "595959"),
    "進捗管理の停止": ("EDEDED", "595959"),
}

STYLE_HEADER = "xlplan 見出し"
STYLE_INPUT = "xlplan 入力"
STYLE_VALUE = "xlplan 数値入力"
STYLE_OVERRIDE = "xlplan 手動判定"
STYLE_COMPUTED = "xlplan 自動計算"
STYLE_MARK = "xlplan 判定"


def _style(name: str, *, fill: PatternFill | None = None, bold: bool = False,
           horizontal: str = "left", vertical: str = "top", size: float = 10,
           wrap: bool = True, number_format: str = "General") -> NamedStyle:
    st = NamedStyle(name=name)
    st.font = Font(name=FONT_NAME, size=size, bold=bold)
    st.alignment = Alignment(horizontal=horizontal, vertical=vertical, wrap_text=wrap)
    st.border = BORDER
    if fill is not None:
        st.fill = fill
    st.number_format = number_format
    return st


def named_styles() -> list[NamedStyle]:
    return [
        _style(STYLE_HEADER, fill=FILL_HEADER, bold=True, horizontal="center",
               vertical="center", size=9),
        _style(STYLE_INPUT),
        _style(STYLE_VALUE),
        _style(STYLE_OVERRIDE, fill=FILL_OVERRIDE, horizontal="center"),
        _style(STYLE_COMPUTED, fill=FILL_COMPUTED, size=9),
        _style(STYLE_MARK, fill=FILL_COMPUTED, horizontal="center", vertical="center",
               size=12, bold=True),
    ]


def register_styles(wb: Workbook) -> None:
    have = set(wb.named_styles)
    for st in named_styles():
        if st.name not in have:
            wb.add_named_style(st)


def mark_rules() -> list[CellIsRule]:
    """One conditional-format rule per mark symbol, for any range of mark cells."""
    rules = []
    for symbol, (bg, fg) in MARK_COLOURS.items():
        rules.append(CellIsRule(
            operator="equal",
            formula=[f'"{symbol}"'],
            fill=PatternFill("solid", fgColor=bg, bgColor=bg),
            font=Font(color=fg, bold=True),
        ))
    return rules
