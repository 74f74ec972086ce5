"""返送ファイルを取り込み / ``xlplan merge``: returned copies into the master.

One function for the command line and the secretariat's ribbon button: read the master
through its engine, read each returned copy as data (:mod:`xlplan.engines.returned`),
decide per file and per cell in the core (:mod:`xlplan.core.returns`), then plan every
write before the first: the cells taken (at most one block per run of staff columns per
sheet), the 変更履歴 rows, the merge log in ``_xlplan`` and the computed columns of the
merged rows. Nothing is written when nothing is taken, or with ``dry_run``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from xlplan.actions.base import Result, compute_all, read_master
from xlplan.actions.recompute import plan_recompute
from xlplan.core import merge as core
from xlplan.core.collection import ReturnRecord, collection, new_returns, status_sheet, with_planned
from xlplan.core.layout import CHANGES_SHEET, META_SHEET, columns_for
from xlplan.core.logs import CHANGES
from xlplan.core.master import Master, refuse_blocking, require_ids
from xlplan.core.meta import append_row
from xlplan.core.model import SheetRead
from xlplan.core.plan import Block, Plan, cell_index, grid_of
from xlplan.core.returns import (
    FileReport,
    MasterView,
    MergeReport,
    change_records,
    master_view,
    merge_log_rows,
    plan_file,
    refused_as_master,
    summary_lines,
    unreadable,
)
from xlplan.core.sheetread import rows_of
from xlplan.core.texts import Refusal, finding, say
from xlplan.engines.port import Engine

Progress = Callable[[Iterable[Path]], Iterable[Path]]


def view_of(master: Master, engine: Engine) -> MasterView:
    headings: dict[tuple[str, str], str] = {}
    for key, s in master.inputs.items():
        for k, col in s.layout.cols.items():
            v = s.read.at(s.layout.header_row, col)
            headings[(key, k)] = "" if v is None else str(v).replace("\n", "").strip()
    return master_view(master.all_rows(), headings, master.grid(META_SHEET),
                       master.grid(CHANGES_SHEET), master.findings, engine.path)


def plan_returns(view: MasterView, returned: Sequence[Path | str], *, dry_run: bool = False,
                 at: str, progress: Progress | None = None) -> MergeReport:
    """Read every returned copy and decide what the master takes. Writes nothing.

    Files are considered in the order given, each against the master as the files
    before it leave it; one bad file never stops the others.
    """
    from xlplan.engines.returned import read_returned

    report = MergeReport(None if view.path is None else view.path.name, [], dry_run, at,
                         list(view.findings))
    rows = dict(view.rows)
    applied: set[core.AppliedKey] = set(view.applied)
    seq = [Path(p) for p in returned]
    for rp in (progress(seq) if progress is not None else seq):
        fr = FileReport(rp)
        report.files.append(fr)
        if view.path is not None and _same(rp, view.path):
            refused_as_master(fr)
            continue
        try:
            got = read_returned(rp)
        except Refusal as e:  # the file's own refusal, as a finding about that file
            unreadable(fr, finding(e.code, template="file_refused", file=rp.name,
                                   message=e.message, fix=e.fix))
            continue
        except Exception as e:  # one broken file must never stop the others
            unreadable(fr, finding("merge_unreadable", file=rp.name,
                                   detail=f"{type(e).__name__}: {str(e)[:120]}"))
            continue
        plan = plan_file(fr, got, view, rows, applied)
        if plan is None:
            continue
        rows = core.apply_to_rows(rows, plan.changes)
        applied |= {core.applied_key(fr.issue_id, c.row_id, c.key, c.new_text) for c in plan.changes}
    return report


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def staff_columns(master: Master) -> dict[str, set[int]]:
    """Tab → the columns staff type into (the columns a merge may write)."""
    return {s.tab: {s.layout.cols[c.key] for c in columns_for(key)
                    if c.editable_by_staff and c.key in s.layout.cols}
            for key, s in master.inputs.items()}


def plan_cells(master: Master, writes: Sequence[tuple[str, str, object]],
               joinable: Mapping[str, Iterable[int]]) -> Plan:
    """Single cells (tab, "J12", value) as a few blocks, however many cells and rows.

    Per sheet, two written columns share a block when every column from one to the other
    is ``joinable`` (the staff columns, so that no ID, target, judgement or computed cell
    is rewritten); each run is one block from its first to its last written row, and the
    cells of the block that are not written get back the value read a moment before.
    """
    plan = Plan()
    by_tab: dict[str, dict[tuple[int, int], object]] = {}
    for tab, ref_, value in writes:
        by_tab.setdefault(tab, {})[cell_index(ref_)] = value
    for tab, cells in by_tab.items():
        read = master.reads[tab]
        ok = set(joinable.get(tab, ()))
        runs: list[list[int]] = []
        for c in sorted({c for _, c in cells}):
            if runs and all(x in ok for x in range(runs[-1][-1], c + 1)):
                runs[-1].append(c)
            else:
                runs.append([c])
        for run in runs:
            c0, c1 = run[0], run[-1]
            rows = [r for r, c in cells if c0 <= c <= c1]
            r0, r1 = min(rows), max(rows)
            before = [[read.at(r, c) for c in range(c0, c1 + 1)] for r in range(r0, r1 + 1)]
            after = [[cells.get((r, c), before[i][j]) for j, c in enumerate(range(c0, c1 + 1))]
                     for i, r in enumerate(range(r0, r1 + 1))]
            plan.blocks.append(Block(tab, r0, c0, grid_of(after), grid_of(before)))  # type: ignore[arg-type]
        plan.changed_cells += len(cells)
    return plan


def held(v: object) -> object:
    """What a cell holds once ``v`` is written, as a block read gives it."""
    if isinstance(v, str):
        return v or None
    if isinstance(v, date) and not isinstance(v, datetime):
        return datetime(v.year, v.month, v.day)
    return v


def with_cells(master: Master, writes: Sequence[tuple[str, str, object]]) -> Master:
    """The master as a read will find it once ``writes`` are written (its input rows
    parsed again), to recompute the merged rows before anything is written."""
    grids: dict[str, list[list[object]]] = {}
    for tab, ref_, value in writes:
        if tab not in grids:
            grids[tab] = [list(line) for line in master.reads[tab].values]
        grid = grids[tab]
        r, c = cell_index(ref_)
        while len(grid) < r:
            grid.append([])
        line = grid[r - 1]
        line.extend([None] * (c - len(line)))
        line[c - 1] = held(value)
    reads = dict(master.reads)
    inputs = dict(master.inputs)
    for key, s in master.inputs.items():
        if s.tab in grids:
            read: SheetRead = replace(s.read, values=tuple(tuple(g) for g in grids[s.tab]))
            rows, _ = rows_of(s.layout, read)
            reads[s.tab] = read
            inputs[key] = replace(s, read=read, rows=rows)
    return replace(master, reads=reads, inputs=inputs)


def plan_writes(master: Master, report: MergeReport, view: MasterView,
                returns: Sequence[ReturnRecord] = (), now: datetime | None = None) -> Plan:
    """Everything the merge writes into the master, decided before the first write: the
    cells taken, 変更履歴, the ``_xlplan`` rows (files merged, copies returned), the
    回収状況 sheet rebuilt from them, and the computed columns of the merged rows."""
    plan = Plan()
    writes = report.cell_writes()
    plan.extend(plan_cells(master, writes, staff_columns(master)))
    plan.extend(CHANGES.append(master.reads.get(CHANGES_SHEET), change_records(report, view)))
    meta = master.reads.get(META_SHEET)
    log: list[list[object]] = [*merge_log_rows(report)]
    log += [list[object](r.as_row()) for r in returns]
    if meta is not None and log:
        first = append_row(meta.values)
        width = max(len(r) for r in log)
        log = [[*r, *[None] * (width - len(r))] for r in log]
        before = [[meta.at(first + i, c) for c in range(1, width + 1)] for i in range(len(log))]
        plan.blocks.append(Block(META_SHEET, first, 1, grid_of(log), grid_of(before)))  # type: ignore[arg-type]
    if meta is not None and now is not None:
        plan.sheets.append(status_sheet(collection(with_planned(meta.values, log), now)))
    if not writes:  # only a copy's return recorded: the input sheets stay as they are
        return plan
    merged = with_cells(master, writes)
    rec = plan_recompute(merged, compute_all(merged))
    plan.extend(rec)
    report.recomputed_cells = rec.changed_cells
    plan.changed_cells = len(writes) + rec.changed_cells
    return plan


def merge(engine: Engine, returned: Sequence[Path | str], *, dry_run: bool = False,
          now: datetime | None = None, progress: Progress | None = None) -> Result:
    """返送ファイルを取り込み: plan what the master takes from ``returned`` (in order)."""
    master = read_master(engine, (CHANGES_SHEET,))
    require_ids(master)
    view = view_of(master, engine)
    clock = (now or datetime.now()).replace(microsecond=0)
    at = clock.isoformat(sep=" ", timespec="seconds")
    report = plan_returns(view, returned, dry_run=dry_run, at=at, progress=progress)
    meta = master.grid(META_SHEET)
    returns = new_returns(report, meta)
    plan = Plan()
    if (report.changes or returns) and not dry_run:
        if report.changes:
            refuse_blocking(master)
        plan = plan_writes(master, report, view, returns, clock)
    col = collection(with_planned(meta, [r.as_row() for r in returns] if not dry_run else []),
                     clock)
    findings = [*report.master_findings, *(x for f in report.files for x in f.findings)]
    return Result("merge", plan, findings, summary_lines(report),
                  {"report": report, "master": master, "returns": returns, "collection": col})


def applied_lines(report: MergeReport) -> list[str]:
    """What the ribbon adds after the summary when it has written into the open book."""
    if not report.changes or report.dry_run:
        return []
    text = say("ribbon.merge_applied", cells=len(report.changes))
    if report.recomputed_cells:
        text += say("ribbon.merge_recomputed", cells=report.recomputed_cells)
    return [text, say("ribbon.merge_saved_hint", sheet=CHANGES_SHEET)]
