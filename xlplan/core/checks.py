"""Input checks: every problem in what staff typed, as findings, never an exception.

Pure: takes the rows read from a workbook (:class:`RowData`) with their computed
results and the settings; returns findings with a stable code, a level, the sheet and
cell, and the catalogue's Japanese message and fix (:mod:`xlplan.core.texts`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from xlplan.core.compute import RowResult, cell_text
from xlplan.core.findings import Finding, Level
from xlplan.core.layout import DIRECTION_BY_WORD, DIRECTION_WORDS, Kind, columns_for, heading_shown
from xlplan.core.model import RowData
from xlplan.core.parse import same_unit
from xlplan.core.settings import Settings
from xlplan.core.texts import FINDINGS, FLAG_MESSAGES, WORDS, finding
from xlplan.core.values import Parsed

VALUE_LABEL = {k: WORDS[k] for k in ("baseline", "actual", "projection", "mid_target",
                                     "final_target")}

# Parser warning code → level. Anything not listed is a warning.
WARNING_LEVEL = {
    "digit_grouping": Level.ERROR,
    "unparseable": Level.ERROR,
    "date_incomplete": Level.WARNING,
}
BLANK = ("", "－", "―", "-")


def _fy_bounds(settings: Settings) -> tuple[date, date]:
    y = settings.fiscal_year
    return date(y, 4, 1), date(y + 1, 3, 31)


def _day(d: date) -> str:
    return f"{d:%Y/%m/%d}"


def check_row(row: RowData, result: RowResult, settings: Settings) -> list[Finding]:
    out: list[Finding] = []
    name = row.text("indicator") or row.id or WORDS["row"].format(row=row.row)

    def add(code: str, key: str, *, template: str | None = None, level: Level | None = None,
            **fields: Any) -> None:
        out.append(finding(code, sheet=row.tab, cell=row.cell(key), row_id=row.id,
                           level=level, template=template, name=name, **fields))

    # Required cells.
    for c in columns_for(row.sheet):
        if c.required and c.kind is not Kind.KEY and c.key in row.addr and not row.text(c.key):
            add("required_missing", c.key, label=heading_shown(row.sheet, c.key))

    # What the parser flagged in each value cell.
    parsed: Mapping[str, Parsed] = result.parsed
    for key, p in parsed.items():
        if key not in row.addr:
            continue
        for w in p.warnings:
            add(w.code, key, template=w.code if w.code in FINDINGS else "value_warning",
                level=WARNING_LEVEL.get(w.code, Level.WARNING), label=VALUE_LABEL[key],
                text=cell_text(p.text), warning=w.message)

    # Units within the row: the evaluated value against the target and the baseline.
    j = result.judgement
    v = j.evaluated
    basis_key = "projection" if j.basis and j.basis.value == "projection" else "actual"
    target_key = "mid_target" if row.sheet == "4-1" and "mid_target" in parsed else "final_target"
    if v is not None and v.unit:
        for other in (target_key, "baseline"):
            o = parsed.get(other)
            if o is None or not o.unit or o.status is not None:
                continue
            if not same_unit(v.unit, o.unit) and not any(same_unit(p.unit, o.unit) for p in v.parts):
                add("unit_mismatch", basis_key, label=VALUE_LABEL[basis_key], unit=v.unit,
                    other=VALUE_LABEL[other], other_unit=o.unit)
                break

    # What the mark engine could not decide cleanly (a word value, a missing target …).
    for flag in j.flags:
        if flag != "units_differ":  # reported above as unit_mismatch, with the units
            add(flag, basis_key, template="mark_flag", flag=FLAG_MESSAGES.get(flag, flag),
                trend=j.trend, mark=j.mark)

    # As-of dates of the actual: inside the reporting year and not after the report date.
    actual = parsed.get("actual")
    as_of = actual.as_of if actual is not None else None
    if as_of is not None:
        start, end = _fy_bounds(settings)
        if as_of > settings.report_date:
            add("as_of_after_report", "actual", as_of=_day(as_of),
                report_date=_day(settings.report_date))
        elif not start <= as_of <= end:
            add("as_of_outside_year", "actual", as_of=_day(as_of), start=_day(start),
                end=_day(end))

    # A projection needs its basis.
    proj = parsed.get("projection")
    has_projection = (proj is not None and proj.status is None
                      and (proj.value is not None or bool(proj.parts)))
    if has_projection and "basis" in row.addr and row.text("basis") in BLANK:
        add("basis_missing", "basis")

    # 4-1: a missed mid target needs a reason and a countermeasure.
    missed = settings.active_scheme.missed
    if row.sheet == "4-1" and result.values.get("mark") == missed:
        for key, code in (("miss_reason", "miss_without_reason"),
                          ("countermeasure", "miss_without_measure")):
            if key in row.addr and row.text(key) in BLANK:
                add(code, key, missed=missed)

    # Overrides: a reason is mandatory; every override is listed beside the computed value.
    t_ov, m_ov = row.text("trend_override"), row.text("mark_override")
    reason = row.text("override_reason") or WORDS["none_given"]
    if (t_ov or m_ov) and not row.text("override_reason"):
        add("override_without_reason", "override_reason")
    if t_ov and t_ov != j.trend:
        add("override_trend", "trend_override", shown=t_ov, computed=j.trend, reason=reason)
    if m_ov and m_ov != j.mark:
        add("override_mark", "mark_override", shown=m_ov, computed=j.mark, reason=reason)

    # The shown columns as they are in the workbook, against what they should be now.
    for key in ("trend", "mark"):
        if key in row.addr:
            shown, due = row.text(key), cell_text(result.values[key])
            if shown != due:
                add("stale_" + key, key, shown=shown or WORDS["blank"], due=due)

    # Direction: an unknown word is an error; a blank one is inferred and said so.
    d = row.text("direction")
    if d and d not in DIRECTION_BY_WORD:
        add("direction_invalid", "direction", value=d)
    elif not d and "direction" in row.addr:
        add("direction_inferred", "direction", direction=DIRECTION_WORDS[j.direction])
    return out


def check_rows(rows: Iterable[RowData], results: Mapping[tuple[str, int], RowResult],
               settings: Settings) -> list[Finding]:
    out: list[Finding] = []
    for r in rows:
        out += check_row(r, results[(r.sheet, r.row)], settings)
    return out
