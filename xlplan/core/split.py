"""Sending copies out: which rows go to whom, what each copy is stamped with.

Pure: the master's rows in, groups, file names, stamps and the master's issue records
out. The copies themselves are written by the file engine (:mod:`xlplan.engines.copies`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from xlplan.core import merge as core
from xlplan.core.compute import cell_text
from xlplan.core.findings import Finding
from xlplan.core.model import RowData
from xlplan.core.texts import GROUP_WORDS, finding, say

UNASSIGNED = "未設定"
BLANK_WORDS = frozenset({"", "－", "―", "-", "ー"})
# One owner cell may name several departments (「税務課、県警」): each gets the row.
_OWNER_SPLIT = re.compile(r"[、，,／/\n]+")
_BAD_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def group_values(row: RowData, by: str) -> list[str]:
    """The group(s) a row belongs to; [] when its cell is blank."""
    if by == "sheet":
        return [row.sheet]
    text = cell_text(row.values.get(by))
    if by == "owner":
        parts = [p.strip() for p in _OWNER_SPLIT.split(text)]
    else:
        parts = [text.replace("\n", "").strip()]
    return [p for p in parts if p not in BLANK_WORDS]


def id_ranges(ids: Sequence[str]) -> str:
    """["4-1-01", "4-1-02", "4-1-03", "4-2-05"] → "4-1-01～4-1-03、4-2-05"."""
    out: list[list[str]] = []
    prev: tuple[str, int] | None = None
    for i in ids:
        head, _, num = i.rpartition("-")
        cur = (head, int(num)) if num.isdigit() else None
        if out and cur and prev and cur[0] == prev[0] and cur[1] == prev[1] + 1:
            out[-1][1] = i
        else:
            out.append([i, i])
        prev = cur
    return "、".join(a if a == b else f"{a}～{b}" for a, b in out)


def safe_filename(text: str, limit: int = 60) -> str:
    s = _BAD_FILENAME.sub("_", text).strip(" .")
    return s[:limit].rstrip(" .") or "_"


@dataclass(frozen=True)
class Groups:
    groups: dict[str, list[RowData]]
    unassigned: list[RowData]
    findings: list[Finding]


def groups_of(rows: Sequence[RowData], by: str, *, include_unassigned: bool) -> Groups:
    groups: dict[str, list[RowData]] = {}
    unassigned: list[RowData] = []
    for r in rows:
        values = group_values(r, by)
        if not values:
            unassigned.append(r)
        for v in values:
            groups.setdefault(v, []).append(r)
    if include_unassigned and unassigned:
        groups[UNASSIGNED] = list(unassigned)
    findings = []
    if unassigned:
        findings.append(finding(
            "split_unassigned", column=GROUP_WORDS[by], count=len(unassigned),
            what=say("split.unassigned_issued" if include_unassigned else "split.unassigned_kept"),
            ids=id_ranges([r.id for r in unassigned])))
    return Groups(groups, unassigned, findings)


def copy_names(master_stem: str, groups: Sequence[str]) -> dict[str, str]:
    """group → file name (without .xlsx): 資料4_税務課; names never collide (case-blind)."""
    used: set[str] = set()
    out = {}
    for group in groups:
        name = f"{safe_filename(master_stem, 40)}_{safe_filename(group)}"
        while name.lower() in used:
            name += "_"
        used.add(name.lower())
        out[group] = name
    return out


def stamp_for(master_id: str, issue_id: str, issued_at: str, by: str, group: str,
              source: str, rows: Sequence[RowData]) -> core.Stamp:
    return core.Stamp(master_id, issue_id, issued_at, by, group, source,
                      tuple(core.issue_row(r) for r in rows))


def issue_record(stamp: core.Stamp, file: str, due: str = "") -> core.IssueRecord:
    return core.IssueRecord(stamp.issue_id, stamp.issued_at, stamp.group_by, stamp.group, file,
                            tuple(r.id for r in stamp.rows), due)
