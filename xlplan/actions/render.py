"""様式を再生成 / ``xlplan render`` and すべて更新 (``update``).

render brings the computed columns up to date (so the input sheets and the printed
report show the same marks), then regenerates 資料4-1/4-2/4-3 and 集計 from the input
rows and records each sheet's fingerprint in ``_xlplan`` (so that a later check can tell
a hand edit from a sheet that is merely out of date). update is recompute, check and
render in one go, all decided from one read.
"""

from __future__ import annotations

from xlplan.actions.base import Result, Results, compute_all, read_master
from xlplan.actions.check import findings_of, message, plan_check, report_check, report_layouts
from xlplan.actions.recompute import plan_recompute, rows_after, summary
from xlplan.core.findings import Level
from xlplan.core.layout import CHECK_SHEET, META_SHEET
from xlplan.core.master import Master, refuse_blocking
from xlplan.core.meta import place_rows
from xlplan.core.model import RowData
from xlplan.core.plan import Block, Plan, grid_of
from xlplan.core.report import REPORT_NAMES, Reports, fingerprint_rows
from xlplan.core.report_content import report_contents
from xlplan.core.texts import say
from xlplan.engines.port import Engine


def plan_fingerprints(master: Master, entries: dict[str, str]) -> Plan:
    """The ``_xlplan`` rows of the report fingerprints, as one block."""
    plan = Plan()
    meta = master.reads.get(META_SHEET)
    if meta is None:
        return plan
    first, rows = place_rows(meta.values, entries)
    if rows:
        before = [[meta.at(first + i, c) for c in (1, 2)] for i in range(len(rows))]
        plan.blocks.append(Block(META_SHEET, first, 1, grid_of(rows), grid_of(before)))  # type: ignore[arg-type]
    return plan


def plan_reports(master: Master, reports: Reports) -> tuple[Plan, str]:
    """資料4-1/4-2/4-3 and 集計 from the input rows: contents and fingerprints."""
    plan = Plan(sheets=report_contents(reports, master.settings, master.names))
    plan.extend(plan_fingerprints(master, fingerprint_rows(reports)))
    pages = "、".join(say("render.sheet", name=rep.name, rows=len(rep.rows), pages=rep.pages)
                     for rep in reports.sheets.values())
    return plan, say("render.done", pages=pages)


def _prepare(engine: Engine, extra: tuple[str, ...] = ()) -> tuple[Master, Results, Plan,
                                                                   list[RowData]]:
    master = read_master(engine, extra)
    refuse_blocking(master)
    results = compute_all(master)
    rec = plan_recompute(master, results)
    return master, results, rec, rows_after(master, rec, results)


def render(engine: Engine) -> Result:
    """様式を再生成: recompute, then the report sheets. Hand edits of the report sheets,
    which the new sheets replace, are listed among the findings."""
    master, results, plan, rows = _prepare(engine, REPORT_NAMES)
    reports = report_layouts(master, rows, results)
    replaced = [f for f in report_check(engine, master, lambda: reports)
                if f.code.startswith("report_edited")]
    rep_plan, text = plan_reports(master, reports)
    lines = [summary(plan), text]
    plan.extend(rep_plan)
    errors = sum(f.level is Level.ERROR for f in master.findings)
    if errors:
        lines.append(say("action.reading_errors", count=errors))
    return Result("render", plan, [*master.findings, *replaced], lines,
                  {"master": master, "reports": reports})


def update(engine: Engine) -> Result:
    """すべて更新: recompute, check and render, decided from one read."""
    master, results, plan, rows = _prepare(engine, (*REPORT_NAMES, CHECK_SHEET))
    lines = [summary(plan)]
    reports = report_layouts(master, rows, results)
    # The report is regenerated below: "out of date" would be untrue once this run is done
    # (and a second run would list different findings).
    findings = [f for f in findings_of(engine, master, rows, results, lambda: reports)
                if f.code != "report_stale"]
    errors = any(f.level is Level.ERROR for f in findings)
    plan.extend(plan_check(master, findings, activate=errors))
    lines.append(message(findings))
    rep_plan, text = plan_reports(master, reports)
    plan.extend(rep_plan)
    lines.append(text)
    return Result("update", plan, findings, lines, {"master": master, "reports": reports})
