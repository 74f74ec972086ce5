"""The template's named styles and fills (the master's look, built once by
``xlplan template``). Mark colours are keyed by role in :mod:`xlplan.core.colours`."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.workbook.workbook import Workbook

from xlplan.core.layout import FONT_UI

FONT_NAME = FONT_UI  # Yu Gothic: Office's default Japanese UI font since 2016

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

FILL_HEADER = PatternFill("solid", fgColor="DDEBF7")
FILL_COMPUTED = PatternFill("solid", fgColor="F2F2F2")
FILL_OVERRIDE = PatternFill("solid", fgColor="FFF2CC")
FILL_BAND_INPUT = PatternFill("solid", fgColor="BDD7EE")
FILL_BAND_OVERRIDE = PatternFill("solid", fgColor="FFE699")
FILL_BAND_COMPUTED = PatternFill("solid", fgColor="D9D9D9")

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
        _style(STYLE_VALUE, number_format="@"),
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
