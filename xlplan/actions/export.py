"""``xlplan export``: one record per indicator, as a table (JSON, CSV or a pandas frame).

Values are the cells as typed, the marks as shown and as computed, the progress rate and
the reasons. ``history`` adds the years kept in 過去実績, one row per indicator and year,
so a trend across years is one pivot away (:func:`history_frame`).

CSV and spreadsheet outputs are opened by people in Excel: a text that starts with
``= + - @`` (or a full-width ``＝``, which Excel also reads as a formula) is written
with a leading apostrophe there, so it stays text (:func:`spreadsheet_safe`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xlplan.actions.base import Result, compute_all, read_master
from xlplan.core.compute import cell_text
from xlplan.core.layout import DIRECTION_WORDS, HISTORY_SHEET
from xlplan.core.logs import HISTORY
from xlplan.core.master import Master
from xlplan.core.plan import Plan
from xlplan.engines.port import Engine

if TYPE_CHECKING:
    import pandas as pd

EXPORT_KEYS = ("id", "sheet", "major", "middle", "minor", "program", "indicator", "direction",
               "owner", "baseline", "actual", "projection", "basis", "mid_target", "final_target",
               "trend", "mark", "computed_trend", "computed_mark", "override_reason", "progress",
               "basis_used", "explanation", "status_text", "miss_reason", "countermeasure",
               "challenges", "policy", "questions")
FORMULA_STARTS = ("=", "+", "-", "@", "＝", "\t", "\r")  # what Excel may read as a formula


def records(master: Master) -> list[dict[str, Any]]:
    """One record per indicator; value fields carry the cell text as typed."""
    results = compute_all(master)
    out = []
    for r in master.all_rows():
        res = results[(r.sheet, r.row)]
        j = res.judgement
        rec: dict[str, Any] = {k: (r.text(k) if k in r.values else None) for k in EXPORT_KEYS}
        rec["id"] = r.id
        rec["sheet"] = r.sheet
        if r.sheet != "4-1":
            rec["mid_target"] = None
        rec["direction"] = r.text("direction") or DIRECTION_WORDS[j.direction]
        rec["trend"] = res.values["trend"]
        rec["mark"] = res.values["mark"]
        rec["computed_trend"] = j.trend
        rec["computed_mark"] = j.mark
        rec["override_reason"] = r.text("override_reason") or None
        rec["progress"] = None if j.progress is None else round(j.progress, 6)
        rec["basis_used"] = j.basis.value if j.basis else None
        rec["explanation"] = j.explanation
        for k, v in list(rec.items()):
            if isinstance(v, str) and k not in ("id", "sheet"):
                rec[k] = cell_text(v) if v else ("" if k != "override_reason" else None)
        out.append(rec)
    return out


def history_records(master: Master) -> list[dict[str, Any]]:
    """Every archived year of 過去実績, then this year, one record per indicator and year."""
    past = [{k: v for k, v in rec.items() if k != "_row"}
            for rec in HISTORY.records(master.grid(HISTORY_SHEET))]
    year = master.settings.fiscal_year
    now = [{"fiscal_year": year, **{k: rec.get(k) for k, _ in HISTORY.columns if k in rec}}
           for rec in records(master)]
    return [*past, *now]


def export(engine: Engine, *, history: bool = False) -> Result:
    """The records (read only: the plan is empty)."""
    master = read_master(engine, (HISTORY_SHEET,) if history else ())
    recs = history_records(master) if history else records(master)
    return Result("export", Plan(), list(master.findings), [], {"records": recs})


def frame(recs: list[dict[str, Any]]) -> pd.DataFrame:
    """The records as a pandas DataFrame (indexed by ID, and year for the history)."""
    import pandas as pd

    df = pd.DataFrame.from_records(recs)
    keys = [k for k in ("id", "fiscal_year") if k in df.columns]
    return df.set_index(keys) if keys else df


def marks_by_year(recs: list[dict[str, Any]]) -> pd.DataFrame:
    """ID × year → the mark shown that year (from :func:`history_records`)."""
    df = frame(recs).reset_index()
    return df.pivot_table(index="id", columns="fiscal_year", values="mark", aggfunc="last")


def spreadsheet_safe(v: object) -> object:
    """A text a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(v, str) and v.startswith(FORMULA_STARTS):
        return "'" + v
    return v
