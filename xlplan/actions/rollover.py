"""``xlplan rollover``: next year's master from this year's (this year's file untouched).

The decisions are :func:`xlplan.core.rollover.plan_rollover`; the file runner
(:func:`xlplan.files.rollover_file`) applies them to a copy of the master, then brings
the computed columns and the printed report up to date with the usual actions.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime

from xlplan.actions.base import Result, compute_all, read_master
from xlplan.core.layout import CHANGES_SHEET, HISTORY_SHEET, TARGETS_SHEET
from xlplan.core.master import UNWRITABLE_VALUES, refuse_blocking, require_ids
from xlplan.core.rollover import plan_rollover
from xlplan.engines.port import Engine


def rollover(engine: Engine, to_year: int, *, requests: Sequence[Mapping[str, object]] = (),
             now: datetime | None = None, source: str | None = None) -> Result:
    """Plan the writes that turn (a copy of) this master into next year's."""
    master = read_master(engine, (HISTORY_SHEET, TARGETS_SHEET, CHANGES_SHEET))
    require_ids(master)
    refuse_blocking(master, also=UNWRITABLE_VALUES)
    at = (now or datetime.now()).replace(microsecond=0)
    ro = plan_rollover(master, compute_all(master), to_year, requests=requests,
                       new_id=str(uuid.uuid4()), source=source or engine.label, now=at)
    return Result("rollover", ro.plan, list(ro.findings), [], {"rollover": ro})
