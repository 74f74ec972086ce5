"""The hidden ``_xlplan`` sheet as data: key/value rows, label in column A.

Pure: a grid of values (a list of rows, from openpyxl or from one xlwings block read)
in, labels and placements out. The template owns rows 1–2 (``template_version``,
``note``); every other row is found by its label, wherever it is. Actions write the
rows :func:`place_rows` plans as one block, on any engine.

Only text that cannot be mistaken for a date goes in: xlwings' remote engine reads any
``YYYY-MM-DDTHH:MM:SS`` text back as a datetime.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

Grid = Sequence[Sequence[object]]

# A report sheet's fingerprint: ``report_fp.資料4-1`` → the hash of its values when written.
REPORT_FP_PREFIX = "report_fp."


def meta_label(line: Sequence[object]) -> str:
    """Column A of one ``_xlplan`` row, stripped ("" when blank)."""
    return str(line[0]).strip() if line and line[0] is not None else ""


def meta_value(grid: Grid, label: str) -> str | None:
    """Column B of the first ``_xlplan`` row labelled ``label``."""
    for line in grid:
        if meta_label(line) == label:
            return _cell_text(line)
    return None


def _cell_text(line: Sequence[object]) -> str | None:
    return None if len(line) < 2 or line[1] is None else str(line[1]).strip() or None


def report_fp_label(sheet_name: str) -> str:
    """資料4-1 → report_fp.資料4-1; 集計 → report_fp.集計."""
    return REPORT_FP_PREFIX + sheet_name


def is_report_fp(label: str) -> bool:
    return label.startswith(REPORT_FP_PREFIX)


def report_fingerprints(grid: Grid) -> dict[str, str]:
    """Report sheet name → the fingerprint stored for it (the last row of a label wins)."""
    out: dict[str, str] = {}
    for line in grid:
        label = meta_label(line)
        if is_report_fp(label):
            value = _cell_text(line)
            name = label[len(REPORT_FP_PREFIX):]
            if value is None:
                out.pop(name, None)
            else:
                out[name] = value
    return out


def last_used_row(grid: Grid) -> int:
    """The last row (1-based) with a non-empty cell; 0 for an empty sheet."""
    for i in range(len(grid), 0, -1):
        if any(v is not None and v != "" for v in grid[i - 1]):
            return i
    return 0


def place_rows(grid: Grid, entries: Mapping[str, str]) -> tuple[int, list[list[object]]]:
    """Where to write ``entries`` (label → value) so that each label's row holds its value.

    Returns the first row (1-based) and the rows of columns A:B to write there, always
    one rectangle. When the labels already fill a run of adjacent rows (each once), that
    run is rewritten in place; otherwise the rows are appended after the last used row
    (an older row of the same label stays behind, and readers take the last one).
    """
    if not entries:
        return last_used_row(grid) + 1, []
    rows: dict[str, list[int]] = {}
    for i, line in enumerate(grid, start=1):
        label = meta_label(line)
        if label in entries:
            rows.setdefault(label, []).append(i)
    found = sorted(r for rs in rows.values() for r in rs)
    if (len(rows) == len(entries) and len(found) == len(entries)
            and found[-1] - found[0] + 1 == len(found)):
        by_row = {rs[0]: label for label, rs in rows.items()}
        return found[0], [[by_row[r], entries[by_row[r]]] for r in found]
    return last_used_row(grid) + 1, [[label, value] for label, value in entries.items()]


TEMPLATE_VERSION_LABEL = "template_version"


def template_version(grid: Grid | None) -> str | None:
    """The template version recorded in ``_xlplan`` (None without the sheet or the row)."""
    return meta_value(grid, TEMPLATE_VERSION_LABEL) if grid else None


def append_row(grid: Grid) -> int:
    """The row (1-based) after the last row holding something in columns A–C."""
    last = 0
    for i, line in enumerate(grid, start=1):
        if any(v is not None and v != "" for v in line[:3]):
            last = i
    return last + 1
