"""Each action on a workbook file: what the command line (and the secretariat's batches)
run. One function per action, each a thin shell: open the file engine, run the action
function (the same one the ribbon runs), apply its plan, save.

Writing in place takes xlplan's lock beside the master, backs the master up first, saves
atomically and refuses when another program saved the file meanwhile. ``-o OUT`` must
not name an input, nor an existing file unless ``force`` (which backs it up).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from xlplan.actions import check as check_action
from xlplan.actions import export as export_action
from xlplan.actions import merge as merge_action
from xlplan.actions import recompute as recompute_action
from xlplan.actions import render as render_action
from xlplan.actions import rollover as rollover_action
from xlplan.actions import split as split_action
from xlplan.actions import status as status_action
from xlplan.actions.base import Result, with_file
from xlplan.core.findings import Finding
from xlplan.core.report import REPORT_NAMES
from xlplan.core.returns import MergeReport
from xlplan.core.texts import finding, refuse, say
from xlplan.engines.xlsx import MasterLock, XlsxEngine, check_output, check_writable


@dataclass
class Outcome:
    """What an action did to a file."""

    path: Path  # where the result is
    result: Result
    saved: bool = False
    backup: Path | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def changed_cells(self) -> int:
        return self.result.changed_cells

    @property
    def data(self) -> dict[str, Any]:
        return self.result.data


def _run(path: Path | str, action: Callable[[XlsxEngine], Result], *,
         out: Path | str | None = None, write: bool = True, force: bool = False) -> Outcome:
    path = Path(path)
    target = Path(out) if out else path
    if write:
        if out:
            check_output(target, [path], force=force)
        check_writable(target)
    with MasterLock(path) if write and target == path else _nothing():
        engine = XlsxEngine(path)
        result = action(engine)
        findings = with_file(result.findings, path.name)
        if not write or (result.plan.empty and target == path):
            return Outcome(path, result, False, None, findings)
        engine.apply(result.plan)
        written, bak = engine.save(target)
        return Outcome(written, result, True, bak, findings)


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def check_file(path: Path | str, *, write: bool = True, out: Path | str | None = None,
               force: bool = False) -> Outcome:
    """入力チェック on a file: findings, written to its チェック結果 sheet unless write=False."""
    return _run(path, check_action.check, out=out, write=write, force=force)


def recompute_file(path: Path | str, *, out: Path | str | None = None,
                   force: bool = False) -> Outcome:
    """判定を再計算 on a file. Nothing is saved when nothing changes."""
    return _run(path, recompute_action.recompute, out=out, force=force)


def render_file(path: Path | str, *, out: Path | str | None = None, force: bool = False) -> Outcome:
    """様式を再生成 on a file (recompute first)."""
    return _run(path, render_action.render, out=out, force=force)


def update_file(path: Path | str, *, out: Path | str | None = None, force: bool = False) -> Outcome:
    """すべて更新 on a file: recompute, check and render."""
    return _run(path, render_action.update, out=out, force=force)


def export_file(path: Path | str, *, history: bool = False) -> Outcome:
    return _run(path, lambda e: export_action.export(e, history=history), write=False)


def merge_file(master: Path | str, returned: Sequence[Path | str], *, dry_run: bool = False,
               report_path: Path | str | None = None, now: datetime | None = None,
               progress: merge_action.Progress | None = None, force: bool = False) -> MergeReport:
    """返送ファイルを取り込み on a master file; the report workbook when asked for."""
    master = Path(master)
    inputs = [master, *map(Path, returned)]
    if report_path is not None:
        check_output(Path(report_path), inputs, force=force)
    outcome = _run(master, lambda e: merge_action.merge(e, returned, dry_run=dry_run, now=now,
                                                        progress=progress), write=not dry_run)
    report: MergeReport = outcome.data["report"]
    report.collection = outcome.data.get("collection")
    if outcome.saved:
        report.saved, report.backup = outcome.path, outcome.backup
    if report_path is not None:
        from xlplan.core.merge_report import merge_report_sheets
        from xlplan.engines.xlsx import write_new_workbook

        write_new_workbook(Path(report_path), merge_report_sheets(report))
        report.report_path = Path(report_path)
    return report


def split_file(master: Path | str, out_dir: Path | str, *, by: str = "owner",
               include_unassigned: bool = False, now: datetime | None = None,
               force: bool = False, due: date | str | None = None,
               mail_dir: Path | str | None = None) -> split_action.SplitResult:
    """Record the issue in the master (backed up, atomic; its 回収状況 sheet updated), then
    write each copy, and with ``mail_dir`` one mail draft per copy with the copy attached.
    The copies are made before the master is written: one that cannot be made changes
    nothing."""
    from xlplan.engines.copies import copy_bytes, not_carried, write_copy

    master = Path(master)
    out = Path(out_dir)
    if mail_dir is not None:
        from xlplan.engines.drafts import prepare_folder

        prepare_folder(mail_dir)
    check_writable(master)
    with MasterLock(master):
        engine = XlsxEngine(master)
        data = engine.original
        result = split_action.split(engine, out, by=by, include_unassigned=include_unassigned,
                                    now=now, due=due)
        res: split_action.SplitResult = result.data["split"]
        drafts: list[Any] = []
        if mail_dir is not None:  # decided before anything is written
            from xlplan.core.mail import issue_drafts

            drafts, found = issue_drafts([f.record for f in res.files if f.record is not None],
                                         res.rows, res.loop, res.fiscal_year)
            res.findings += found
        dropped = not_carried(engine.pkg)
        if dropped:
            res.findings.append(finding("split_not_carried", what=say("part.sep").join(dropped)))
        for f in res.files:
            check_output(f.path, [master], force=force)
        copies = []
        for f in res.files:
            assert f.stamp is not None
            copies.append((f.path, copy_bytes(data, set(f.row_ids), f.stamp, master.name)))
        out.mkdir(parents=True, exist_ok=True)
        for f in res.files:
            check_writable(f.path)
        engine.apply(result.plan)
        _, res.backup = engine.save()
    for path, body in copies:
        write_copy(body, path)
    if mail_dir is not None:
        from xlplan.engines.drafts import write_drafts

        by_name = {p.name: body for p, body in copies}
        res.drafts = write_drafts(mail_dir, drafts, lambda name: by_name[name])
    res.findings = with_file(res.findings, master.name)
    return res


def status_file(path: Path | str, *, write: bool = False, now: datetime | None = None
                ) -> Outcome:
    """回収状況 of a master: read only, or (``write``) its 回収状況 sheet rebuilt and saved."""
    return _run(path, lambda e: status_action.status(e, now=now), write=write)


def remind_file(path: Path | str, mail_dir: Path | str, *, now: datetime | None = None,
                overdue_only: bool = False) -> Outcome:
    """Reminder drafts for the copies still out, written into ``mail_dir``; the master is
    only read."""
    from xlplan.engines.drafts import prepare_folder, write_drafts

    prepare_folder(mail_dir)
    outcome = _run(path, lambda e: status_action.remind(e, now=now, overdue_only=overdue_only),
                   write=False)
    outcome.result.data["written"] = write_drafts(mail_dir, outcome.result.data["drafts"])
    return outcome


@dataclass
class RolloverOutcome:
    source: Path
    path: Path
    from_year: int
    to_year: int
    archived: int
    cleared_cells: int
    target_changes: list[dict[str, object]]
    findings: list[Finding]


def rollover_file(master: Path | str, to_year: int, out: Path | str, *,
                  targets: Path | str | None = None, now: datetime | None = None,
                  force: bool = False) -> RolloverOutcome:
    """Next year's master as a new file; this year's is left untouched."""
    from xlplan.engines.returned import read_target_requests

    src, dest = Path(master), Path(out)
    if src.exists() and dest.exists() and src.resolve() == dest.resolve():
        raise refuse("rollover_in_place", dest)
    inputs = [src, *([Path(targets)] if targets else [])]
    check_output(dest, inputs, force=force)
    check_writable(dest)
    requests = read_target_requests(Path(targets)) if targets is not None else []
    engine = XlsxEngine(src)
    had_reports = any(n in engine.sheet_names() for n in REPORT_NAMES)
    result = rollover_action.rollover(engine, to_year, requests=requests, now=now,
                                      source=src.name)
    engine.apply(result.plan)
    # The computed columns, then the printed report, follow the new year's input: the
    # report sheets (when the master has them) must not go on showing last year's.
    follow = (render_action.render if had_reports else recompute_action.recompute)(engine)
    engine.apply(follow.plan)
    engine.save(dest)
    ro = result.data["rollover"]
    return RolloverOutcome(src, dest, ro.from_year, ro.to_year, ro.archived, ro.cleared_cells,
                           ro.target_changes, with_file(ro.findings, src.name))

