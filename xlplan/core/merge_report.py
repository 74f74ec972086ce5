"""What a merge did (or would do), as a workbook of its own: 概要, 変更, 競合, 指摘."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from xlplan.core.layout import FONT_UI, heading_shown
from xlplan.core.plan import (
    AutoFilter,
    ColWidth,
    Format,
    Op,
    SheetContent,
    Value,
    View,
    grid_of,
    ref,
)
from xlplan.core.returns import MergeReport
from xlplan.core.texts import say

FONT = FONT_UI


def listing(name: str, headings: Sequence[str], rows: Iterable[Sequence[object]],
            widths: Sequence[float], title: str | None = None) -> SheetContent:
    """A headed table (row 1, or row 2 under a title) with a filter and frozen headings."""
    top = 2 if title else 1
    grid: list[list[Value]] = [[title]] if title else []
    grid.append(list(headings))
    grid += [[v if isinstance(v, str | int | float | bool) or v is None else str(v) for v in r]
             for r in rows]
    width = len(headings)
    ops: list[Op] = [ColWidth(j, w) for j, w in enumerate(widths, start=1)]
    ops.append(Format(ref(top, 1, top, width), font_name=FONT, font_size=9, bold=True,
                      fill="DDEBF7", h_align="center", v_align="center", wrap=True, border=True))
    if len(grid) > top:
        ops.append(Format(ref(top + 1, 1, len(grid), width), v_align="top", wrap=True))
    if title:
        ops.append(Format("A1", font_name=FONT, font_size=12, bold=True))
    ops.append(View(freeze=f"A{top + 1}"))
    if not title:
        ops.append(AutoFilter(ref(top, 1, max(top, len(grid)), width)))
    return SheetContent(name, grid_of(grid), tuple(ops))


def merge_report_sheets(report: MergeReport) -> list[SheetContent]:
    files = report.files
    title = (say("merge.trial_short") if report.dry_run else "") + say(
        "merge.report_title", at=report.at,
        master=say("merge.report_master", name=report.master) if report.master else "")
    return [
        listing(say("merge.sheet_summary"), say("merge.summary_headings").split("\t"),
                ([f.name, say("merge.status." + f.status), f.group, f.issued_at, f.saved_by,
                  *[f.counts()[k] for k in ("changes", "conflicts", "errors", "warnings",
                                            "already", "unchanged")]] for f in files),
                (30, 10, 16, 20, 14, 7, 7, 7, 7, 9, 7), title=title),
        listing(say("merge.sheet_changes"), say("merge.changes_headings").split("\t"),
                ([f.name, c.tab, c.master_cell, c.row_id, c.indicator,
                  heading_shown(c.sheet, c.key), c.old_text, c.new_text]
                 for f in files for c in f.changes),
                (28, 9, 7, 9, 30, 18, 36, 36)),
        listing(say("merge.sheet_conflicts"), say("merge.conflicts_headings").split("\t"),
                ([f.name, c.tab, c.master_cell, c.returned_cell, c.row_id, c.indicator,
                  heading_shown(c.sheet, c.key),
                  say("merge.unknown_base") if c.base_text is None else c.base_text,
                  c.master_text, c.returned_text, c.reason_ja]
                 for f in files for c in f.conflicts),
                (28, 9, 9, 9, 9, 30, 18, 30, 30, 30, 30)),
        listing(say("merge.sheet_findings"), say("merge.findings_headings").split("\t"),
                ([f.name, x.level.ja, x.code, x.sheet, x.cell, x.row_id, x.message, x.fix]
                 for f in files for x in f.findings),
                (28, 7, 22, 9, 7, 9, 60, 40)),
    ]
