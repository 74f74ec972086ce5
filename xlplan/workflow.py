"""File-level operations: what ``xlplan check/recompute/export`` do, as library calls.

Each function opens a workbook file, runs the pure core over it and (where it writes)
saves atomically after a timestamped backup. Bad files raise :class:`BookError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlplan.book.check_sheet import write_check_sheet
from xlplan.book.io import check_writable, open_workbook, save_master
from xlplan.book.master import Master, compute_all, read_master, recompute
from xlplan.book.report_sheets import report_edit_findings
from xlplan.core.checks import check_rows
from xlplan.core.compute import RowResult, cell_text
from xlplan.core.findings import Finding
from xlplan.core.layout import DIRECTION_WORDS


@dataclass
class Outcome:
    path: Path  # where the result is
    findings: list[Finding]
    changed_cells: int = 0
    backup: Path | None = None
    saved: bool = False


def run_checks(master: Master,
               results: dict[tuple[str, int], RowResult] | None = None) -> list[Finding]:
    """Layout findings from reading plus every row check."""
    results = results if results is not None else compute_all(master)
    return [*master.findings, *check_rows(master.all_rows(), results, master.settings)]


def _with_file(findings: list[Finding], path: Path) -> list[Finding]:
    from dataclasses import replace

    return [replace(f, file=path.name) for f in findings]


def check_file(path: Path | str, *, write: bool = True, out: Path | str | None = None) -> Outcome:
    """Check a workbook; write the findings to its チェック結果 sheet unless ``write=False``."""
    path = Path(path)
    target = Path(out) if out else path
    if write:
        check_writable(target)
    wb = open_workbook(path)
    master = read_master(wb, path)
    results = compute_all(master)
    findings = run_checks(master, results)
    findings += report_edit_findings(wb, master, results)
    if not write:
        return Outcome(path, _with_file(findings, path))
    write_check_sheet(wb, findings)
    written, bak = save_master(wb, path, target)
    return Outcome(written, _with_file(findings, path), backup=bak, saved=True)


def recompute_file(path: Path | str, *, out: Path | str | None = None) -> Outcome:
    """Write the computed columns. Nothing is saved when nothing changes."""
    path = Path(path)
    target = Path(out) if out else path
    check_writable(target)
    wb = open_workbook(path)
    master = read_master(wb, path)
    res = recompute(master)
    findings = _with_file(master.findings, path)
    if res.changed_cells == 0 and target == path:
        return Outcome(path, findings, 0)
    written, bak = save_master(wb, path, target)
    return Outcome(written, findings, res.changed_cells, bak, True)


EXPORT_KEYS = ("id", "sheet", "major", "middle", "minor", "program", "indicator", "direction",
               "owner", "baseline", "actual", "projection", "basis", "mid_target", "final_target",
               "trend", "mark", "computed_trend", "computed_mark", "override_reason", "progress",
               "basis_used", "explanation", "status_text", "miss_reason", "countermeasure",
               "challenges", "policy", "questions")


def export_records(master: Master) -> list[dict[str, Any]]:
    """One record per indicator; value fields carry the cell text as typed."""
    results = compute_all(master)
    out = []
    for r in master.all_rows():
        res = results[(r.sheet, r.row)]
        j = res.judgement
        rec: dict[str, Any] = {k: (r.text(k) if k in r.values else None) for k in EXPORT_KEYS}
        rec["id"] = r.id
        rec["sheet"] = r.sheet
        if r.sheet != "4-1":
            rec["mid_target"] = None
        rec["direction"] = r.text("direction") or DIRECTION_WORDS[j.direction]
        rec["trend"] = res.values["trend"]
        rec["mark"] = res.values["mark"]
        rec["computed_trend"] = j.trend
        rec["computed_mark"] = j.mark
        rec["override_reason"] = r.text("override_reason") or None
        rec["progress"] = None if j.progress is None else round(j.progress, 6)
        rec["basis_used"] = j.basis.value if j.basis else None
        rec["explanation"] = j.explanation
        for k, v in list(rec.items()):
            if isinstance(v, str) and k not in ("id", "sheet"):
                rec[k] = cell_text(v) if v else ("" if k not in ("override_reason",) else None)
        out.append(rec)
    return out


def export_file(path: Path | str) -> tuple[list[dict[str, Any]], list[Finding]]:
    path = Path(path)
    wb = open_workbook(path)
    master = read_master(wb, path)
    return export_records(master), _with_file(master.findings, path)
