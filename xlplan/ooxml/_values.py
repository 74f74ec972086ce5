"""Cell values as SpreadsheetML stores them.

- Strings: always a string cell (inline string, ECMA-376 Part 1 §18.3.1.53 ``is``), never a
  formula, whatever the first character. Characters XML 1.0 cannot carry are refused, as is
  text longer than Excel's 32,767-character cell limit (counted in UTF-16 code units, as
  Excel counts). Literal ``_xHHHH_`` sequences get their leading underscore escaped as
  ``_x005F_`` (ST_Xstring, §22.9.2.19; [MS-OI29500] 2.1.1747), or Excel would read them as
  an escaped character.
- Numbers: finite only; written in the shortest form that reads back to the same double.
- Dates: serial numbers in the workbook's date system (1900 with Excel's phantom
  1900-02-29, or 1904).
"""

from __future__ import annotations

import datetime as dt
import math
import re

MAX_CELL_TEXT = 32_767

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

CellValue = None | bool | int | float | str | dt.date | dt.datetime


def check_text(text: str, where: str) -> None:
    m = _ILLEGAL.search(text)
    if m:
        raise ValueError(f"{where}: the text holds character U+{ord(m.group()):04X}, "
                         "which an Excel file cannot store")
    units = len(text.encode("utf-16-le", "surrogatepass")) // 2
    if units > MAX_CELL_TEXT:
        raise ValueError(f"{where}: the text is {units:,} characters long; "
                         f"Excel cells hold at most {MAX_CELL_TEXT:,}")


def escape_xstring(text: str, *, attribute: bool = False) -> str:
    """ST_Xstring escaping, so that Excel's left-to-right decoding gives ``text`` back.

    An underscore that starts ``_xHHHH_`` becomes ``_x005F_``; in attributes tab, line feed
    and carriage return become ``_x0009_``, ``_x000A_``, ``_x000D_`` (as Excel writes them).
    The look-ahead also counts an underscore that an escape will put after ``_xHHHH``.
    """
    if attribute:
        text = re.sub(r"_(?=x[0-9A-Fa-f]{4}[_\t\n\r])", "_x005F_", text)
        return text.replace("\t", "_x0009_").replace("\n", "_x000A_").replace("\r", "_x000D_")
    return re.sub(r"_(?=x[0-9A-Fa-f]{4}_)", "_x005F_", text)


def unescape_xstring(text: str) -> str:
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)


def number_text(value: int | float, where: str) -> str:
    if isinstance(value, int):
        try:
            f = float(value)
        except OverflowError:
            raise ValueError(f"{where}: {value} is too large for an Excel number") from None
        if abs(value) <= 2**53:
            return str(value)
        return repr(f).upper()
    if not math.isfinite(value):
        raise ValueError(f"{where}: {value!r} is not a finite number; Excel cannot store it")
    text = repr(float(value)).upper()
    if text.endswith(".0") and "E" not in text:
        text = text[:-2]
    return text


_EPOCH_1900 = dt.date(1899, 12, 31)
_EPOCH_1904 = dt.date(1904, 1, 1)


def date_serial(value: dt.date, date1904: bool, where: str) -> str:
    """The serial number text of a date or datetime."""
    frac = 0.0
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            raise ValueError(f"{where}: {value.isoformat()} has a time zone; "
                             "Excel dates have none (convert to local time first)")
        day = value.date()
        frac = (value - dt.datetime.combine(day, dt.time())) / dt.timedelta(days=1)
    else:
        day = value
    if date1904:
        days = (day - _EPOCH_1904).days
        if days < 0:
            raise ValueError(f"{where}: {value.isoformat()} is before 1904-01-01, "
                             "the first date of this workbook's 1904 date system")
    else:
        if day < dt.date(1900, 1, 1):
            raise ValueError(f"{where}: {value.isoformat()} is before 1900-01-01, "
                             "the first date Excel can store")
        days = (day - _EPOCH_1900).days
        if day >= dt.date(1900, 3, 1):
            days += 1  # Excel counts the non-existent 1900-02-29
    if frac:
        return number_text(days + frac, where)
    return str(days)
