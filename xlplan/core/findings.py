"""Findings: what the checks and the readers report instead of raising.

Every finding has a stable code (for scripts and tests), a level, where it is (sheet
and cell), a Japanese message for staff and a Japanese fix hint.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    ERROR = "error"  # must be fixed: check exits 1
    WARNING = "warning"  # should be looked at
    INFO = "info"  # for the record (overrides, inferred directions)

    @property
    def ja(self) -> str:
        from xlplan.core.texts import say

        return say("level." + self.value)


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    level: Level
    sheet: str  # the tab name as staff see it ("4-2入力"), or "" for the file
    cell: str  # "J12", or "" when it is about the sheet or file
    message: str  # Japanese: what is wrong
    fix: str  # Japanese: what to do
    row_id: str = ""  # indicator ID, when the finding is about one row
    file: str = ""  # the file it came from, filled in by the file-level entry points

    @property
    def where(self) -> str:
        loc = self.sheet + (f"!{self.cell}" if self.cell else "")
        return f"{self.file}: {loc}" if self.file else loc

    def line(self) -> str:
        """One line for the terminal: level, code, place, message, fix."""
        line = f"[{self.level.ja}/{self.code}] {self.where or '-'} {self.message} → {self.fix}"
        return " ".join(line.split())  # a file name or a typed text with a line break


def has_errors(findings: list[Finding]) -> bool:
    return any(f.level is Level.ERROR for f in findings)
