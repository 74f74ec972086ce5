"""A1 references, ranges, and sheet names inside formulas."""

from __future__ import annotations

import re

MAX_ROW = 1_048_576
MAX_COL = 16_384

_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})\Z")


def col_letter(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def ref(row: int, col: int) -> str:
    return f"{col_letter(col)}{row}"


def parse_cell(text: str) -> tuple[int, int]:
    """``"B3"`` (or ``"$B$3"``) → ``(3, 2)``; ValueError when it is not a cell."""
    m = _CELL.match(text.strip())
    if not m:
        raise ValueError(f"not a cell reference: {text!r}")
    row, col = int(m.group(2)), col_index(m.group(1))
    check_cell(row, col)
    return row, col


def check_cell(row: int, col: int) -> None:
    if isinstance(row, bool) or isinstance(col, bool) or not isinstance(row, int) \
            or not isinstance(col, int):
        raise ValueError(f"row and column must be integers, not {row!r}, {col!r}")
    if not (1 <= row <= MAX_ROW and 1 <= col <= MAX_COL):
        raise ValueError(f"cell ({row}, {col}) is outside the sheet (1…{MAX_ROW}, 1…{MAX_COL})")


Box = tuple[int, int, int, int]  # min_row, min_col, max_row, max_col


def parse_range(text: str) -> Box:
    """``"A1:C9"`` or ``"B2"`` → (min_row, min_col, max_row, max_col)."""
    parts = text.strip().split(":")
    if len(parts) not in (1, 2):
        raise ValueError(f"not a cell range: {text!r}")
    r1, c1 = parse_cell(parts[0])
    r2, c2 = parse_cell(parts[-1])
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def range_text(box: Box) -> str:
    a = ref(box[0], box[1])
    b = ref(box[2], box[3])
    return a if a == b else f"{a}:{b}"


def union(a: Box | None, b: Box | None) -> Box | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def contains(box: Box, row: int, col: int) -> bool:
    return box[0] <= row <= box[2] and box[1] <= col <= box[3]


def quote_sheet(name: str) -> str:
    """A sheet name as formulas write it; always quoted, which Excel accepts for any name."""
    return "'" + name.replace("'", "''") + "'"


# Characters that end an unquoted sheet name / identifier in a formula.
_STOP = set(" \t\r\n!\"'(),;:{}=<>&+-*/^%[]#@")


def rewrite_sheet(formula: str, old: str, new: str | None) -> str:
    """Replace references to sheet ``old`` in ``formula`` with sheet ``new``
    (``None``: the reference becomes ``#REF!``, as Excel writes it after a sheet is deleted).

    String literals and references into other workbooks (``[1]Sheet!A1``) are left alone;
    names compare case-insensitively, as Excel compares sheet names.
    """
    target = old.casefold()
    out: list[str] = []
    i, n = 0, len(formula)
    repl = "#REF!" if new is None else quote_sheet(new) + "!"
    while i < n:
        ch = formula[i]
        if ch == '"':  # string literal, "" escapes a quote
            j = i + 1
            while j < n:
                if formula[j] == '"':
                    if j + 1 < n and formula[j + 1] == '"':
                        j += 2
                        continue
                    break
                j += 1
            out.append(formula[i:j + 1])
            i = j + 1
            continue
        if ch == "'":  # quoted sheet name, '' escapes a quote
            j = i + 1
            while j < n:
                if formula[j] == "'":
                    if j + 1 < n and formula[j + 1] == "'":
                        j += 2
                        continue
                    break
                j += 1
            name = formula[i + 1:j].replace("''", "'")
            external = i > 0 and formula[i - 1] == "]"
            if j + 1 < n and formula[j + 1] == "!" and not external and name.casefold() == target:
                out.append(repl)
                i = j + 2
                continue
            out.append(formula[i:j + 1])
            i = j + 1
            continue
        if ch not in _STOP:
            j = i
            while j < n and formula[j] not in _STOP:
                j += 1
            word = formula[i:j]
            external = i > 0 and formula[i - 1] == "]"
            if j < n and formula[j] == "!" and not external and word.casefold() == target:
                out.append(repl)
                i = j + 1
                continue
            out.append(word)
            i = j
            continue
        out.append(ch)
        i += 1
    return "".join(out)
