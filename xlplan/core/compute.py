"""From one row of typed cells to the computed columns of that row.

This is the single place where a row becomes marks; the openpyxl and xlwings adapters,
the CLI, the ribbon and the server all call :func:`compute_row`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from xlplan.core.judgement import Judgement
from xlplan.core.layout import BASIS_WORDS, DIRECTION_BY_WORD
from xlplan.core.marks import judge
from xlplan.core.parse import parse_value
from xlplan.core.settings import Direction, Settings
from xlplan.core.values import Parsed

CellValue = str | int | float | bool | None

COMPUTED_KEYS: tuple[str, ...] = (
    "evaluated",
    "eval_basis",
    "progress",
    "computed_trend",
    "computed_mark",
    "trend",
    "mark",
    "explanation",
)


@dataclass(frozen=True, slots=True)
class RowResult:
    judgement: Judgement
    values: dict[str, CellValue]  # computed column key → what the cell should hold
    parsed: dict[str, Parsed]  # value column key → parse


def cell_text(v: object) -> str:
    """A cell's value as staff typed it ('' for empty)."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def direction_of(v: object) -> Direction | None:
    return DIRECTION_BY_WORD.get(cell_text(v))


def format_number(x: float | None, unit: str | None = None) -> str:
    """44472.0, '人' → '44,472人'; 0.4676 → '0.4676'."""
    if x is None:
        return ""
    s = f"{int(x):,}" if float(x).is_integer() else f"{x:,.4f}".rstrip("0").rstrip(".")
    return s + (unit or "")


VALUE_KEYS = ("baseline", "actual", "projection", "mid_target", "final_target")


def compute_row(sheet: str, row: Mapping[str, object], settings: Settings,
                number_formats: Mapping[str, str | None] | None = None) -> RowResult:
    """``number_formats``: the Excel number format of each value cell, by key, when the
    reader has them (a 0.5 formatted ``0%`` is then 50 %, a date serial a date); without
    them every cell is read as before."""
    fmts = number_formats or {}
    parsed = {k: parse_value(row.get(k), fmts.get(k)) for k in VALUE_KEYS
              if k in row or k != "mid_target"}
    j = judge(
        sheet,
        baseline=parsed["baseline"],
        actual=parsed["actual"],
        projection=parsed["projection"],
        final=parsed["final_target"],
        mid=parsed.get("mid_target") if sheet == "4-1" else None,
        direction=direction_of(row.get("direction")),
        settings=settings,
    )
    trend_override = cell_text(row.get("trend_override"))
    mark_override = cell_text(row.get("mark_override"))
    evaluated = ""
    if j.evaluated is not None:
        if j.evaluated.is_number or j.evaluated.parts:
            evaluated = format_number(j.evaluated_value, j.evaluated_unit)
        else:
            evaluated = j.evaluated.words or cell_text(j.evaluated.text)
    values: dict[str, CellValue] = {
        "evaluated": evaluated,
        "eval_basis": BASIS_WORDS[j.basis.value] if j.basis else "",
        "progress": None if j.progress is None else round(j.progress, 6),
        "computed_trend": j.trend,
        "computed_mark": j.mark,
        "trend": trend_override or j.trend,
        "mark": mark_override or j.mark,
        "explanation": j.explanation,
    }
    return RowResult(judgement=j, values=values, parsed=parsed)
