"""入力チェック / ``xlplan check``: every finding, in the チェック結果 sheet.

Findings come from reading the workbook (layout, merged cells, formulas, settings), from
each row (:func:`xlplan.core.checks.check_rows`) and from the report sheets (hand edits
since they were generated, or out of date). The same function runs on a file and on the
book open in Excel, so both report the same findings in the same order.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

from xlplan.actions.base import Result, Results, compute_all, read_master
from xlplan.core.checks import check_rows
from xlplan.core.collection import collection, with_collection
from xlplan.core.colours import role_colours
from xlplan.core.findings import Finding, Level
from xlplan.core.layout import CHECK_SHEET, FONT_UI, META_SHEET
from xlplan.core.master import Master
from xlplan.core.meta import report_fingerprints
from xlplan.core.model import RowData
from xlplan.core.plan import (
    AutoFilter,
    ColWidth,
    Format,
    Link,
    Op,
    Plan,
    SheetContent,
    View,
    grid_of,
    ref,
)
from xlplan.core.report import REPORT_NAMES, Reports, build_all, report_findings
from xlplan.core.schemes import Role
from xlplan.core.sheetread import CELL_LIMIT, clip, excel_length
from xlplan.core.texts import say
from xlplan.engines.port import Engine

WIDTHS = (8, 22, 12, 8, 9, 70, 50)
FONT = FONT_UI
LEVEL_ROLE = {Level.ERROR: Role.WORSE, Level.WARNING: Role.SOME, Level.INFO: Role.NONE}
FIRST_ROW = 4


def summary_line(findings: Sequence[Finding]) -> str:
    n = Counter(f.level for f in findings)
    return (say("check.summary", errors=n[Level.ERROR], warnings=n[Level.WARNING],
                infos=n[Level.INFO])
            + (say("check.summary_fix") if n[Level.ERROR] else "。"))


def check_sheet(findings: Sequence[Finding], names: Sequence[str]) -> SheetContent:
    """The チェック結果 sheet: title, summary, one row per finding, links to the cells."""
    headings = say("check.headings").split("\t")
    width = len(headings)
    rows: list[list[object]] = [[say("check.title")], [summary_line(findings)], list(headings)]
    ops: list[Op] = [ColWidth(j, w) for j, w in enumerate(WIDTHS, start=1)]
    ops.append(Format("A1", font_name=FONT, font_size=14, bold=True))
    ops.append(Format(ref(3, 1, 3, width), font_name=FONT, font_size=9, bold=True,
                      fill="DDEBF7", h_align="center", v_align="center", wrap=True, border=True))
    last = FIRST_ROW + len(findings) - 1
    if findings:
        ops.append(Format(ref(FIRST_ROW, 1, last, width), font_name=FONT, font_size=10,
                          h_align="left", v_align="top", wrap=True, border=True))
    present = set(names)
    for i, f in enumerate(findings):
        r = FIRST_ROW + i
        rows.append([f.level.ja, f.code, f.sheet, f.cell, f.row_id, f.message, f.fix])
        fill, font = role_colours(LEVEL_ROLE[f.level])
        ops.append(Format(ref(r, 1), fill=fill, font_color=font, bold=True))
        if f.sheet and f.cell and f.sheet in present:
            target = f.cell.split(":")[0]
            ops.append(Link(ref(r, 4), f"'{f.sheet.replace(chr(39), chr(39) * 2)}'!{target}"))
            ops.append(Format(ref(r, 4), font_color="0563C1"))
    ops.append(View(freeze="A4"))
    ops.append(AutoFilter(ref(3, 1, max(3, last), width)))
    return SheetContent(CHECK_SHEET, grid_of([[*r, *[None] * (width - len(r))] for r in rows]),  # type: ignore[list-item]
                        tuple(ops))


def report_layouts(master: Master, rows: Sequence[RowData], results: Results) -> Reports:
    """The report's layout from these input rows (what render lays out)."""
    items: dict[str, list[tuple[RowData, object]]] = {}
    for r in rows:
        items.setdefault(r.sheet, []).append((_as_cells_hold(r), results[(r.sheet, r.row)]))
    reports = build_all(items, master.settings)  # type: ignore[arg-type]
    # 集計 also counts the copies sent out and returned (issue 12), from _xlplan, no clock.
    col = collection(master.grid(META_SHEET), None)
    return replace(reports, summary_sheet=with_collection(reports.summary_sheet, col))


def _as_cells_hold(row: RowData) -> RowData:
    """A row's values as a report cell can hold them: a text beyond Excel's cell limit cut
    (the typed cell keeps it, and says so: ``text_too_long``), a number that is not finite
    as its text (``not_finite``). Otherwise the report read back would never match what
    render meant to write, and every check would call it edited."""
    odd = {k: v for k, v in row.values.items()
           if (isinstance(v, str) and excel_length(v) > CELL_LIMIT)
           or (isinstance(v, float) and not math.isfinite(v))}
    if not odd:
        return row
    fixed = {k: clip(v) if isinstance(v, str) else str(v) for k, v in odd.items()}
    return replace(row, values={**row.values, **fixed})


def report_check(engine: Engine, master: Master, reports: Callable[[], Reports]) -> list[Finding]:
    """Hand edits and stale sheets among the report sheets (one block read each)."""
    foreign = {f.sheet for f in master.findings if f.code == "sheet_not_ours"}
    present = [n for n in REPORT_NAMES if master.has(n) and n not in foreign]
    if not present:
        return []
    current = {n: r.values for n, r in engine.read(present).items()}
    stored = report_fingerprints(master.grid(META_SHEET))
    return report_findings(current, stored, reports())


def findings_of(engine: Engine, master: Master, rows: Sequence[RowData], results: Results,
                reports: Callable[[], Reports]) -> list[Finding]:
    """Reading problems, row checks, then the report sheets: what 入力チェック lists."""
    return [*master.findings, *check_rows(rows, results, master.settings),
            *report_check(engine, master, reports)]


def plan_check(master: Master, findings: Sequence[Finding], *, activate: bool) -> Plan:
    """The チェック結果 sheet, unless a sheet of that name is someone else's (then nothing:
    the finding says so)."""
    if any(f.code == "sheet_not_ours" and f.sheet == CHECK_SHEET for f in master.findings):
        return Plan()
    plan = Plan(sheets=[check_sheet(findings, master.names)])
    if activate:
        plan.activate = CHECK_SHEET
    return plan


def message(findings: Sequence[Finding]) -> str:
    return say("check.done", summary=summary_line(findings))


def check(engine: Engine) -> Result:
    """入力チェック: the findings, and the チェック結果 sheet that lists them."""
    master = read_master(engine, (*REPORT_NAMES, CHECK_SHEET))
    results = compute_all(master)
    rows = master.all_rows()
    cache: list[Reports] = []

    def layouts() -> Reports:
        if not cache:
            cache.append(report_layouts(master, rows, results))
        return cache[0]

    findings = findings_of(engine, master, rows, results, layouts)
    plan = plan_check(master, findings, activate=True)
    return Result("check", plan, findings, [message(findings)], {"master": master})
