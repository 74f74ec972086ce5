"""Returned copies: what each one is, and what the master takes from it.

The engine side reads a returned workbook as data (:mod:`xlplan.engines.returned`) into a
:class:`Returned`; this module decides, file by file and in the order given, what the
master takes: the file's verdict (wrong template version, no stamp, another master, an
older issue…), then the three-way merge of its rows (:func:`xlplan.core.merge.plan_merge`)
against the master as the files before it leave it. Pure: no files, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xlplan.core import merge as core
from xlplan.core.compute import cell_text
from xlplan.core.findings import Finding, Level
from xlplan.core.layout import INPUT_SHEET, SHEETS, TEMPLATE_VERSION, columns_for, heading_shown
from xlplan.core.logs import CHANGES
from xlplan.core.merge import CellChange, Conflict, MergePlan, Stamp
from xlplan.core.model import RowData
from xlplan.core.texts import finding, say

if TYPE_CHECKING:
    from xlplan.core.collection import Collection

UNKNOWN_SAVER = say("merge.unknown_saver")


class FileVerdict:
    """What became of one returned file (``FileReport.status``)."""

    MERGED = "merged"  # changes applied (maybe with findings)
    NOTHING = "nothing"  # read fine, nothing to apply
    CONFLICTS = "conflicts"  # some cells not applied: see conflicts
    REFUSED = "refused"  # read, but nothing taken (wrong master/version, no stamp)
    FAILED = "failed"  # could not be read


@dataclass
class Returned:
    """What was read from one returned copy (values only)."""

    path: Path
    sha256: str
    version: str | None
    stamp: Stamp | None
    stamp_problems: list[str]
    rows: list[RowData]
    columns: dict[str, set[str]]  # sheet → column keys found by heading
    findings: list[Finding]
    saved_by: str


@dataclass
class FileReport:
    path: Path
    status: str = FileVerdict.NOTHING
    saved_by: str = UNKNOWN_SAVER
    group: str = ""
    issue_id: str = ""
    issued_at: str = ""
    sha256: str = ""
    changes: list[CellChange] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unchanged: int = 0
    already: int = 0
    rows: int = 0

    @property
    def name(self) -> str:
        return self.path.name

    def counts(self) -> dict[str, int]:
        lv = [f.level for f in self.findings]
        return {"changes": len(self.changes), "conflicts": len(self.conflicts),
                "errors": lv.count(Level.ERROR), "warnings": lv.count(Level.WARNING),
                "unchanged": self.unchanged, "already": self.already, "rows": self.rows}

    def summary_ja(self) -> str:
        c = self.counts()
        who = say("merge.saved_by", who=self.saved_by) if self.saved_by != UNKNOWN_SAVER else ""
        grp = f"（{self.group}）" if self.group else ""
        return say("merge.file_line", name=self.name, group=grp,
                   status=say("merge.status." + self.status), who=who, **c)

    def summary_en(self) -> str:
        c = self.counts()
        return (f"{self.status}: {c['changes']} applied, {c['conflicts']} conflicts, "
                f"{c['errors']} errors, {c['warnings']} warnings")


@dataclass
class MergeReport:
    master: str | None
    files: list[FileReport]
    dry_run: bool
    at: str
    master_findings: list[Finding] = field(default_factory=list)
    saved: Path | None = None
    backup: Path | None = None
    recomputed_cells: int = 0
    report_path: Path | None = None
    collection: Collection | None = None  # 回収状況 after the merge

    @property
    def changes(self) -> list[CellChange]:
        return [c for f in self.files for c in f.changes]

    @property
    def conflicts(self) -> list[Conflict]:
        return [c for f in self.files for c in f.conflicts]

    @property
    def ok(self) -> bool:
        """True when every file was read and merged without conflicts or errors."""
        return all(f.status in (FileVerdict.MERGED, FileVerdict.NOTHING)
                   and not any(x.level is Level.ERROR for x in f.findings) for f in self.files)

    def cell_writes(self) -> list[tuple[str, str, object]]:
        """(tab, cell, value) of every applied change."""
        return [(c.tab, c.master_cell, c.new) for c in self.changes]


@dataclass
class MasterView:
    """What the merge needs from the master, read once."""

    rows: dict[str, RowData]  # ID → row
    headings: dict[tuple[str, str], str]  # (sheet, column key) → heading as the master words it
    master_id: str | None
    issues: list[core.IssueRecord]
    merged_before: dict[str, str]  # sha256 of a merged file → when
    applied: set[core.AppliedKey]  # changes recorded in the 変更履歴
    findings: list[Finding]  # the master's own errors (reported, not fatal)
    path: Path | None = None


def master_view(rows: Sequence[RowData], headings: Mapping[tuple[str, str], str],
                meta: Sequence[Sequence[object]], changes_grid: Sequence[Sequence[object]],
                findings: Sequence[Finding], path: Path | None) -> MasterView:
    merged_before = {str(line[2]): str(line[3]) for line in meta
                     if core.meta_label(line) == core.MERGE_LOG and len(line) > 3}
    applied = {core.applied_key(str(r.get("issue_id") or ""), str(r.get("id") or ""),
                                str(r.get("key") or ""), core.canonical(r.get("new")))
               for r in CHANGES.records(changes_grid) if r.get("issue_id") and r.get("key")}
    return MasterView({r.id: r for r in rows if r.id}, dict(headings),
                      core.meta_value(meta, core.MASTER_ID), core.issue_log(meta),
                      merged_before, applied, [f for f in findings if f.level is Level.ERROR],
                      path)


def _file(path: Path, code: str, **fields: Any) -> Finding:
    return finding(code, file=path.name, **fields)


def refused_as_master(fr: FileReport) -> None:
    fr.status = FileVerdict.REFUSED
    fr.findings.append(_file(fr.path, "merge_is_master"))


def unreadable(fr: FileReport, f: Finding) -> None:
    fr.status = FileVerdict.FAILED
    fr.findings.append(f if f.file else replace(f, file=fr.name))


def plan_file(fr: FileReport, got: Returned, view: MasterView, rows: Mapping[str, RowData],
              applied: set[core.AppliedKey]) -> MergePlan | None:
    """The verdict on one returned file and, when it may be taken, its merge plan."""
    rp = fr.path
    fr.saved_by, fr.sha256 = got.saved_by, got.sha256
    fr.findings += got.findings
    if got.sha256 in view.merged_before:
        fr.findings.append(_file(rp, "merge_seen_before", when=view.merged_before[got.sha256]))
    if got.version != TEMPLATE_VERSION:
        fr.status = FileVerdict.REFUSED
        if got.stamp is not None and got.stamp.master_id == view.master_id:
            # Nothing is taken, but the copy is known: 回収状況 shows it came back (取込せず).
            fr.group, fr.issue_id = got.stamp.group, got.stamp.issue_id
            fr.issued_at = got.stamp.issued_at
        fr.findings.append(_file(rp, "merge_template_version", found=got.version or say("word.none"),
                                 expected=TEMPLATE_VERSION))
        return None
    stamp = got.stamp
    base: Stamp | None = stamp
    if stamp is None:
        fr.findings.append(_file(rp, "merge_no_stamp"))
    elif stamp.master_id != view.master_id:
        base = None
        fr.findings.append(_file(rp, "merge_other_master"))
    else:
        fr.group, fr.issue_id, fr.issued_at = stamp.group, stamp.issue_id, stamp.issued_at
        if stamp.issue_id not in {i.issue_id for i in view.issues}:
            fr.findings.append(_file(rp, "merge_issue_unknown", issued_at=stamp.issued_at,
                                     group=stamp.group))
        newer = core.newer_issues(view.issues, stamp)
        if newer:
            n0 = newer[-1]
            fr.findings.append(_file(rp, "merge_older_issue", issued_at=stamp.issued_at,
                                     newer_at=n0.issued_at, newer_file=n0.file))
    if got.stamp_problems:
        fr.findings.append(_file(rp, "merge_stamp_unreadable"))
    issued_sheets = {r.sheet for r in stamp.rows} if stamp is not None else set(SHEETS)
    fr.findings += layout_findings(got, issued_sheets, rp)
    plan: MergePlan = core.plan_merge(base, rows, got.rows, applied=applied,
                                      returned_columns=got.columns)
    missing = {INPUT_SHEET[s] for s in SHEETS if s not in got.columns}
    fr.findings += [replace(f, file=rp.name) for f in plan.findings
                    if not (f.code == "merge_row_deleted" and f.sheet in missing)]
    fr.changes, fr.conflicts = plan.changes, plan.conflicts
    fr.unchanged, fr.already, fr.rows = plan.unchanged, plan.already, plan.rows_matched
    if base is None:
        fr.status = FileVerdict.REFUSED
    elif plan.conflicts:
        fr.status = FileVerdict.CONFLICTS
    elif plan.changes:
        fr.status = FileVerdict.MERGED
    else:
        fr.status = FileVerdict.NOTHING
    return plan


def layout_findings(got: Returned, sheets: Iterable[str], path: Path) -> list[Finding]:
    out = []
    for key in sorted(sheets):
        tab = INPUT_SHEET[key]
        if key not in got.columns:
            out.append(finding("merge_sheet_missing", sheet=tab, file=path.name, tab=tab))
            continue
        for c in columns_for(key):
            if c.editable_by_staff and c.key not in got.columns[key]:
                out.append(finding("merge_column_missing", sheet=tab, file=path.name, tab=tab,
                                   heading=heading_shown(key, c.key)))
    return out


def change_records(report: MergeReport, view: MasterView) -> list[dict[str, object]]:
    """The 変更履歴 records of every applied change (keys of :data:`CHANGES`)."""
    return [{
        "at": report.at, "action": say("merge.history_action"), "file": f.name,
        "saved_by": f.saved_by, "tab": c.tab, "id": c.row_id, "indicator": c.indicator,
        "column": view.headings.get((c.sheet, c.key)) or heading_shown(c.sheet, c.key),
        "old": c.old_text, "new": c.new_text, "group": f.group, "issue_id": f.issue_id,
        "key": c.key,
    } for f in report.files for c in f.changes]


def merge_log_rows(report: MergeReport) -> list[list[object]]:
    """Rows to append to ``_xlplan``: which file (by content) was merged when."""
    return [[core.MERGE_LOG, f.name, f.sha256, report.at]
            for f in report.files if f.changes and f.sha256]


def _short(text: str, n: int = 30) -> str:
    t = text.replace("\n", "⏎")
    return t if len(t) <= n else t[: n - 1] + "…"


def summary_lines(report: MergeReport) -> list[str]:
    """The Japanese summary the ribbon shows and the command line prints."""
    lines = [say("merge.head", trial=say("merge.trial") if report.dry_run else "",
                 files=len(report.files), changes=len(report.changes),
                 conflicts=len(report.conflicts))]
    for f in report.files:
        lines.append("・" + f.summary_ja())
        for x in f.findings:
            if x.level is not Level.INFO:
                where = x.where.split(": ", 1)[-1] if x.sheet else ""
                lines.append(f"    [{x.level.ja}] {where}{' ' if where else ''}{x.message}")
        for c in f.conflicts:
            lines.append(say("merge.conflict_line", where=f"{c.tab}!{c.master_cell or c.returned_cell}",
                             id=c.row_id, heading=heading_shown(c.sheet, c.key),
                             master=_short(c.master_text), returned=_short(c.returned_text),
                             reason=c.reason_ja))
    return lines


def closing_lines(report: MergeReport) -> list[str]:
    """What happened to the master (saved where, backup), after the per-file lines."""
    lines = []
    if report.saved:
        lines.append(say("merge.saved", path=report.saved))
        if report.backup:
            lines.append(say("merge.backup", path=report.backup))
        lines.append(say("merge.history_hint", sheet=CHANGES.sheet))
    elif not report.dry_run and not report.changes:
        lines.append(say("merge.nothing"))
    if report.report_path:
        lines.append(say("merge.report_written", path=report.report_path))
    return lines


def merge_summary_ja(report: MergeReport) -> str:
    return "\n".join([*summary_lines(report), *closing_lines(report)])


__all__ = [
    "FileReport",
    "FileVerdict",
    "MasterView",
    "MergeReport",
    "Returned",
    "cell_text",
    "change_records",
    "closing_lines",
    "layout_findings",
    "master_view",
    "merge_log_rows",
    "merge_summary_ja",
    "plan_file",
    "refused_as_master",
    "summary_lines",
    "unreadable",
]
