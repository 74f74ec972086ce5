"""Small pieces: formula sheet references, ST_Xstring escaping, numbers, dates, formats."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xlplan.ooxml import Package
from xlplan.ooxml._refs import col_index, col_letter, parse_range, rewrite_sheet
from xlplan.ooxml._styles import is_date_code
from xlplan.ooxml._values import date_serial, escape_xstring, number_text, unescape_xstring

from .conftest import TEMPLATE


@pytest.mark.parametrize(("formula", "old", "new", "expect"), [
    ("'設定'!$B$3", "設定", "新", "'新'!$B$3"),
    ("Sheet1!$A$1", "sheet1", "X", "'X'!$A$1"),
    ("SUM(Sheet1!A1:A3)+Sheet10!A1", "Sheet1", "S", "SUM('S'!A1:A3)+Sheet10!A1"),
    ("'It''s'!A1&\"'It''s'!A1\"", "It's", "Y", "'Y'!A1&\"'It''s'!A1\""),
    ("[1]Sheet1!A1+Sheet1!A2", "Sheet1", "Z", "[1]Sheet1!A1+'Z'!A2"),
    ("'Sheet 3'!$A$1", "Sheet 3", None, "#REF!$A$1"),
    ("Sheet1!$A$1", "Sheet1", None, "#REF!$A$1"),
    ("'Sheet1:Sheet3'!A1", "Sheet1", None, "'Sheet1:Sheet3'!A1"),
    ("Other!A1", "Sheet1", None, "Other!A1"),
])
def test_rewrite_sheet(formula: str, old: str, new: str | None, expect: str) -> None:
    assert rewrite_sheet(formula, old, new) == expect


@given(st.text())
def test_rewrite_without_the_sheet_is_identity(text: str) -> None:
    assert rewrite_sheet(text.replace("!", ""), "S", "T") == text.replace("!", "")


@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",))), st.booleans())
def test_xstring_round_trip(text: str, attribute: bool) -> None:
    assert unescape_xstring(escape_xstring(text, attribute=attribute)) == text


def test_xstring_examples() -> None:
    assert escape_xstring("_x0041_") == "_x005F_x0041_"
    assert escape_xstring("_x005F_x0041_") == "_x005F_x005F_x005F_x0041_"
    assert escape_xstring("a\nb", attribute=True) == "a_x000A_b"
    assert escape_xstring("_x000A\n", attribute=True) == "_x005F_x000A_x000A_"


def test_numbers() -> None:
    assert number_text(1, "") == "1"
    assert number_text(1.0, "") == "1"
    assert number_text(0.1, "") == "0.1"
    assert number_text(1e16, "") == "1E+16"
    assert float(number_text(2**60, "")) == float(2**60)
    for bad in (float("nan"), float("inf")):
        with pytest.raises(ValueError):
            number_text(bad, "")


def test_numeric_scalars_are_accepted(template_bytes: bytes) -> None:
    import io

    import openpyxl

    pkg = Package.read(TEMPLATE)
    pkg.set_cells("4-2入力", {(4, 21): Fraction(1, 4)})  # a numbers.Real
    ws = openpyxl.load_workbook(io.BytesIO(pkg.to_bytes()))["4-2入力"]
    assert ws["U4"].value == 0.25


def test_dates() -> None:
    assert date_serial(dt.date(1900, 1, 1), False, "") == "1"
    assert date_serial(dt.date(1900, 2, 28), False, "") == "59"
    assert date_serial(dt.date(1900, 3, 1), False, "") == "61"
    assert date_serial(dt.date(2021, 3, 31), False, "") == "44286"
    assert date_serial(dt.datetime(2021, 3, 31, 12), False, "") == "44286.5"
    assert date_serial(dt.date(1904, 1, 1), True, "") == "0"
    with pytest.raises(ValueError):
        date_serial(dt.date(1903, 12, 31), True, "")


@pytest.mark.parametrize(("code", "is_date"), [
    ("yyyy/m/d", True), ("[$-411]ggge年m月d日", True), ("h:mm", True), ("[h]:mm:ss", True),
    ("0.0%", False), ('#,##0"件"', False), ('"d"0', False), ("General", False),
    ("[Red]0.00", False), ("@", False),
])
def test_date_codes(code: str, is_date: bool) -> None:
    assert is_date_code(code) is is_date


def test_columns() -> None:
    for n in (1, 26, 27, 52, 702, 703, 16384):
        assert col_index(col_letter(n)) == n
    assert parse_range("B3:A1") == (1, 1, 3, 2)
    with pytest.raises(ValueError):
        parse_range("XFE1")
