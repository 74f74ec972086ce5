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
from datetime import datetime
from pathlib import Path

from xlplan.actions.base import Result, read_master
from xlplan.core import merge as core
from xlplan.core.findings import Finding
from xlplan.core.layout import META_SHEET
from xlplan.core.master import require_ids
from xlplan.core.meta import append_row
from xlplan.core.model import RowData
from xlplan.core.plan import Block, Plan, grid_of
from xlplan.core.split import copy_names, groups_of, issue_record, stamp_for
from xlplan.core.texts import GROUP_KEYS, refuse
from xlplan.engines.port import Engine


@dataclass
class IssuedFile:
    path: Path
    group: str
    issue_id: str
    row_ids: list[str]
    stamp: core.Stamp | None = None


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


def issued_at_text(now: datetime | None) -> str:
    # Not ISO with a "T": xlwings' remote engine reads such text back as a datetime.
    return (now or datetime.now()).replace(microsecond=0).isoformat(sep=" ", timespec="seconds")


def split(engine: Engine, out_dir: Path | str, *, by: str = "owner",
          include_unassigned: bool = False, now: datetime | None = None) -> Result:
    """Plan the issue: the master's ``_xlplan`` rows, and each copy's rows and stamp."""
    if by not in GROUP_KEYS:
        raise refuse("split_by", engine.label, by=by, choices=", ".join(GROUP_KEYS))
    master = read_master(engine)
    require_ids(master)
    out = Path(out_dir)
    at = issued_at_text(now)
    meta = master.reads[META_SHEET]
    mid = core.meta_value(meta.values, core.MASTER_ID)
    lines: list[Sequence[object]] = []
    if mid is None:
        mid = str(uuid.uuid4())
        lines.append([core.MASTER_ID, mid])
    groups = groups_of(master.all_rows(), by, include_unassigned=include_unassigned)
    source = engine.path.name if engine.path is not None else engine.label
    names = copy_names(Path(source).stem, list(groups.groups))
    files: list[IssuedFile] = []
    for group, rows in groups.groups.items():
        path = out / f"{names[group]}.xlsx"
        stamp = stamp_for(mid, str(uuid.uuid4()), at, by, group, source, rows)
        files.append(IssuedFile(path, group, stamp.issue_id, [r.id for r in rows], stamp))
        lines.append(issue_record(stamp, path.name).as_row())
    first = append_row(meta.values)
    width = max(len(line) for line in lines)
    before = [[meta.at(first + i, c) for c in range(1, width + 1)] for i in range(len(lines))]
    plan = Plan(blocks=[Block(META_SHEET, first, 1, grid_of(lines), grid_of(before))])  # type: ignore[arg-type]
    result = SplitResult(engine.path or Path(engine.label), mid, by, at, files,
                         groups.unassigned, list(groups.findings), plan=plan)
    return Result("split", plan, list(groups.findings), [], {"split": result})
