"""``xlplan render``: regenerate the printed 資料 sheets and the 集計 summary of a file.

Like ``recompute``, it opens the master, brings the computed columns up to date (so the
input sheets and the printed report show the same marks), rebuilds the report sheets,
and saves atomically after a timestamped backup. What people typed is never touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from xlplan.book.io import check_writable, open_workbook, save_master
from xlplan.book.master import Master, RecomputeResult, compute_all, read_master, recompute
from xlplan.book.report_sheets import build_layouts, render, report_edit_findings
from xlplan.core.findings import Finding
from xlplan.core.report import Reports


@dataclass
class RenderOutcome:
    path: Path  # where the result is
    findings: list[Finding]  # reading problems, and hand edits that were replaced
    changed_cells: int = 0  # computed cells brought up to date on the input sheets
    backup: Path | None = None
    saved: bool = False
    pages: dict[str, int] = field(default_factory=dict)  # 資料4-1 → planned pages
    indicators: dict[str, int] = field(default_factory=dict)  # 資料4-1 → rows


def recompute_and_lay_out(wb: Workbook, path: Path | None = None
                          ) -> tuple[Master, RecomputeResult, Reports]:
    """Bring the computed columns of ``wb`` up to date and lay out the report from them.

    What every regeneration of the report sheets starts with (``xlplan render``, the
    year's rollover): the master as read afterwards, what recompute did, the layout.
    """
    master = read_master(wb, path)
    res = recompute(master)
    results = res.results
    if res.assigned_ids:  # new rows just got their IDs: read again so the report shows them
        master = read_master(wb, path)
        results = compute_all(master)
    return master, res, build_layouts(master, results)


def render_file(path: Path | str, *, out: Path | str | None = None) -> RenderOutcome:
    """Regenerate 資料4-1/4-2/4-3 and 集計 in ``path`` (or write the result to ``out``)."""
    path = Path(path)
    target = Path(out) if out else path
    check_writable(target)
    wb = open_workbook(path)
    master, res, reports = recompute_and_lay_out(wb, path)
    discarded = [f for f in report_edit_findings(wb, reports=reports)
                 if f.code == "report_edited"]
    render(master, reports=reports)
    written, bak = save_master(wb, path, target)
    findings = [replace(f, file=path.name) for f in (*master.findings, *discarded)]
    return RenderOutcome(
        path=written, findings=findings, changed_cells=res.changed_cells, backup=bak,
        saved=True,
        pages={rep.name: rep.pages for rep in reports.sheets.values()},
        indicators={rep.name: len(rep.rows) for rep in reports.sheets.values()},
    )
