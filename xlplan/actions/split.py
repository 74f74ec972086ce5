"""``xlplan split``: one stamped copy per 担当課 (or 中項目, 取組名 …) to send out.

The master records its identity and every issue first (a copy must never carry an
identity its master does not hold); then each copy is written from the master file by
the file engine (:mod:`xlplan.engines.copies`). Rows whose grouping cell is blank are
reported, never silently dropped.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from xlplan.actions.base import Result, read_master
from xlplan.core import merge as core
from xlplan.core.collection import Collection, collection, status_sheet, with_planned
from xlplan.core.findings import Finding
from xlplan.core.layout import META_SHEET, SETTINGS_SHEET
from xlplan.core.master import UNWRITABLE_VALUES, refuse_blocking, require_ids
from xlplan.core.meta import append_row
from xlplan.core.model import RowData
from xlplan.core.plan import Block, Plan, grid_of
from xlplan.core.settings_grid import LoopSettings, loop_settings_from_grid, parse_day
from xlplan.core.split import copy_names, groups_of, issue_record, stamp_for
from xlplan.core.texts import GROUP_KEYS, finding, refuse
from xlplan.engines.port import Engine


@dataclass
class IssuedFile:
    path: Path
    group: str
    issue_id: str
    row_ids: list[str]
    stamp: core.Stamp | None = None
    record: core.IssueRecord | None = None


@dataclass
class SplitResult:
    master: Path
    master_id: str
    by: str
    issued_at: str
    files: list[IssuedFile]
    unassigned: list[RowData]
    findings: list[Finding]
    backup: Path | None = None
    plan: Plan = field(default_factory=Plan)
    due: date | None = None
    loop: LoopSettings = field(default_factory=LoopSettings)
    rows: dict[str, RowData] = field(default_factory=dict)  # ID → the master's row
    fiscal_year: int = 0
    collection: Collection | None = None
    drafts: list[Path] = field(default_factory=list)  # the .eml files written (--mail)


def issued_at_text(now: datetime | None) -> str:
    # Not ISO with a "T": xlwings' remote engine reads such text back as a datetime.
    return (now or datetime.now()).replace(microsecond=0).isoformat(sep=" ", timespec="seconds")


def deadline(value: date | str | None, loop: LoopSettings, where: str) -> date | None:
    """The deadline of a split: ``value`` (``--due``), else 設定's 提出期限, else none.
    A value that names no day is refused (nothing is written)."""
    if isinstance(value, date):
        return value
    if value is not None and str(value).strip():
        day = parse_day(str(value))
        if day is None:
            raise refuse("due_invalid", where, value=value)
        return day
    if loop.due_text:
        raise refuse("due_invalid", where, value=loop.due_text)
    return loop.due


def split(engine: Engine, out_dir: Path | str, *, by: str = "owner",
          include_unassigned: bool = False, now: datetime | None = None,
          due: date | str | None = None) -> Result:
    """Plan the issue: the master's ``_xlplan`` rows, each copy's rows and stamp, and the
    回収状況 sheet with the new copies on it."""
    if by not in GROUP_KEYS:
        raise refuse("split_by", engine.label, by=by, choices=", ".join(GROUP_KEYS))
    master = read_master(engine)
    require_ids(master)
    refuse_blocking(master, also=UNWRITABLE_VALUES)  # the copies carry the typed cells
    loop = loop_settings_from_grid(master.grid(SETTINGS_SHEET))
    day = deadline(due, loop, engine.label)
    out = Path(out_dir)
    clock = (now or datetime.now()).replace(microsecond=0)
    at = issued_at_text(clock)
    meta = master.reads[META_SHEET]
    mid = core.meta_value(meta.values, core.MASTER_ID)
    lines: list[Sequence[object]] = []
    if mid is None:
        mid = str(uuid.uuid4())
        lines.append([core.MASTER_ID, mid])
    groups = groups_of(master.all_rows(), by, include_unassigned=include_unassigned)
    findings = list(groups.findings)
    if day is not None and day < clock.date():
        findings.append(finding("split_due_past", sheet=SETTINGS_SHEET, due=day.isoformat(),
                                issued=clock.date().isoformat()))
    source = engine.path.name if engine.path is not None else engine.label
    names = copy_names(Path(source).stem, list(groups.groups))
    files: list[IssuedFile] = []
    for group, rows in groups.groups.items():
        path = out / f"{names[group]}.xlsx"
        stamp = stamp_for(mid, str(uuid.uuid4()), at, by, group, source, rows)
        record = issue_record(stamp, path.name, day.isoformat() if day else "")
        files.append(IssuedFile(path, group, stamp.issue_id, [r.id for r in rows], stamp, record))
        lines.append(record.as_row())
    plan = Plan()
    padded: list[list[object]] = []
    if lines:  # nothing at all when no row has a group (and the master has its identity)
        first = append_row(meta.values)
        width = max(len(line) for line in lines)
        padded = [[*line, *[None] * (width - len(line))] for line in lines]
        before = [[meta.at(first + i, c) for c in range(1, width + 1)]
                  for i in range(len(lines))]
        plan.blocks.append(Block(META_SHEET, first, 1, grid_of(padded), grid_of(before)))  # type: ignore[arg-type]
    col = collection(with_planned(meta.values, padded), clock)
    plan.sheets.append(status_sheet(col))
    result = SplitResult(engine.path or Path(engine.label), mid, by, at, files,
                         groups.unassigned, findings, plan=plan, due=day, loop=loop,
                         rows={r.id: r for r in master.all_rows()},
                         fiscal_year=master.settings.fiscal_year, collection=col)
    return Result("split", plan, findings, [col.line()], {"split": result, "collection": col})
