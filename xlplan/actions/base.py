"""What every action shares: reading the master, computing every row, the result."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from xlplan.core.compute import RowResult, compute_row
from xlplan.core.findings import Finding
from xlplan.core.master import BASE_SHEETS, Master, master_from_reads
from xlplan.core.plan import Plan
from xlplan.engines.port import Engine

Results = dict[tuple[str, int], RowResult]


@dataclass
class Result:
    """What an action decided: the plan to apply, the findings, the lines to show."""

    action: str
    plan: Plan
    findings: list[Finding] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # Japanese, as the ribbon shows them
    data: dict[str, Any] = field(default_factory=dict)  # action-specific figures

    @property
    def message(self) -> str:
        return "\n".join(self.lines)

    @property
    def changed_cells(self) -> int:
        return self.plan.changed_cells


def read_master(engine: Engine, extra: Iterable[str] = (), *,
                require_version: bool = True) -> Master:
    """The master as the engine reads it now: ``_xlplan``, 設定, the input sheets and
    ``extra`` sheets, each with one block read."""
    names = engine.sheet_names()
    reads = engine.read([*BASE_SHEETS, *extra])
    return master_from_reads(engine.label, names, reads, require_version=require_version)


def compute_all(master: Master) -> Results:
    return {(r.sheet, r.row): compute_row(r.sheet, r.values, master.settings, r.formats)
            for r in master.all_rows()}


def with_file(findings: Sequence[Finding], label: str) -> list[Finding]:
    return [f if f.file else replace(f, file=label) for f in findings]
