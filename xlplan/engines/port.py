"""The port every engine implements: read sheets, apply a plan.

An action reads what it needs through :meth:`Engine.read` (one block read per sheet,
cached for the action's lifetime), decides everything in the pure core, and hands a
:class:`~xlplan.core.plan.Plan` to :meth:`Engine.apply`. The same action function runs
on a file, on desktop Excel and on the server, so the ribbon and the command line
cannot disagree.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from pathlib import Path

from xlplan.core.model import SheetRead
from xlplan.core.plan import Plan
from xlplan.core.texts import refuse


class Engine(ABC):
    """A workbook that actions read and write."""

    #: "file", "excel" (desktop, COM) or "server" (xlwings remote book)
    kind: str = ""

    def __init__(self) -> None:
        self._reads: dict[str, SheetRead] = {}

    # -- what the workbook is ------------------------------------------------------------

    @property
    @abstractmethod
    def label(self) -> str:
        """The workbook's name as people know it (file name), for messages."""

    @property
    def path(self) -> Path | None:
        """Where the workbook is saved on this PC, when known (a local file)."""
        return None

    @abstractmethod
    def sheet_names(self) -> list[str]:
        """Every sheet, worksheets and chart sheets, in workbook order."""

    # -- reading ---------------------------------------------------------------------------

    def read(self, names: Iterable[str]) -> dict[str, SheetRead]:
        """The sheets ``names`` that exist, each read once (later calls reuse the read)."""
        have = set(self.sheet_names())
        want = [n for n in dict.fromkeys(names) if n in have and n not in self._reads]
        if want:
            self._reads.update(self._read(want))
        return {n: self._reads[n] for n in names if n in self._reads}

    def read_one(self, name: str) -> SheetRead | None:
        return self.read([name]).get(name)

    @abstractmethod
    def _read(self, names: list[str]) -> dict[str, SheetRead]:
        """Read these (existing) sheets."""

    # -- writing ---------------------------------------------------------------------------

    def apply(self, plan: Plan) -> None:
        """Carry out ``plan``; on failure part-way, put back what was written where the
        engine can, and raise.

        A sheet someone protected with a password is never written, replaced or deleted,
        by any engine: the whole plan is refused before anything changes (Excel could not
        unprotect it, and a file engine must not quietly drop the protection).
        """
        touched = [*plan.written_sheets(), *(c.name for c in plan.sheets), *plan.delete]
        locked = self.password_sheets()
        for name in dict.fromkeys(touched):
            if name in locked:
                raise refuse("password_sheet", self.label, sheet=name)
        self._apply(plan)

    @abstractmethod
    def _apply(self, plan: Plan) -> None:
        """Carry out a plan that :meth:`apply` has cleared."""

    @abstractmethod
    def password_sheets(self) -> set[str]:
        """The sheets protected with a password (they cannot be unprotected without it)."""

    def forget(self) -> None:
        """Drop cached reads (after :meth:`apply`, before reading the result again)."""
        self._reads.clear()
