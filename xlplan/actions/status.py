"""回収状況を更新 / ``xlplan status`` and 督促メールを作成 / ``xlplan remind``.

Both read the master through its engine and derive every copy's state from ``_xlplan``
(:mod:`xlplan.core.collection`) at the time given (the clock is the caller's).
``status`` plans the 回収状況 sheet; the command line prints it (and writes it with
``--write``), the ribbon writes it into the open workbook. ``remind`` decides one
reminder draft per copy still out (:mod:`xlplan.core.mail`) and writes nothing into the
workbook: the caller writes the drafts into a folder.
"""

from __future__ import annotations

from datetime import datetime

from xlplan.actions.base import Result, read_master
from xlplan.core.collection import Collection, collection, status_sheet
from xlplan.core.layout import META_SHEET, SETTINGS_SHEET, STATUS_SHEET
from xlplan.core.mail import remind_drafts
from xlplan.core.master import Master
from xlplan.core.plan import Plan
from xlplan.core.settings_grid import loop_settings_from_grid
from xlplan.core.texts import say
from xlplan.engines.port import Engine


def _clock(now: datetime | None) -> datetime:
    return (now or datetime.now()).replace(microsecond=0)


def collection_of(master: Master, now: datetime | None = None) -> Collection:
    return collection(master.grid(META_SHEET), _clock(now))


def status(engine: Engine, *, now: datetime | None = None) -> Result:
    """Every copy's state now, and the 回収状況 sheet rebuilt from the record."""
    master = read_master(engine)
    col = collection_of(master, now)
    plan = Plan(sheets=[status_sheet(col)])
    return Result("status", plan, [], col.lines(), {"collection": col, "master": master})


def remind(engine: Engine, *, now: datetime | None = None, overdue_only: bool = False) -> Result:
    """Reminder drafts for the copies still out (or only the overdue ones). Writes nothing."""
    master = read_master(engine)
    col = collection_of(master, now)
    loop = loop_settings_from_grid(master.grid(SETTINGS_SHEET))
    rows = {r.id: r for r in master.all_rows()}
    drafts, findings = remind_drafts(col, rows, loop, master.settings.fiscal_year,
                                     overdue_only=overdue_only)
    lines = [col.line()]
    if not drafts:
        lines.append(say("remind.nothing"))
    return Result("remind", Plan(), findings, lines,
                  {"collection": col, "drafts": drafts, "master": master})


__all__ = ["STATUS_SHEET", "collection_of", "remind", "status"]
