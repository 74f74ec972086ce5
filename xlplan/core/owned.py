"""Which sheets are xlplan's to replace: recognised by what they hold, never by name alone.

``render`` regenerates 資料4-1/4-2/4-3 and 集計 whole, ``check`` its チェック結果 sheet,
``split``/``merge``/``status`` the 回収状況 sheet. A
sheet that merely carries one of those names — an input sheet renamed to 資料4-1, a chart
sheet called 集計, someone's own table named チェック結果 — must never be replaced: the
people's cells on it would be gone. What xlplan writes on those sheets has no Excel table,
and no heading that only an input sheet has (manual judgement, computed columns); a sheet
of that name with either, or a chart sheet, is reported as not ours (``sheet_not_ours``,
an error that stops every write).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from xlplan.core.findings import Finding
from xlplan.core.layout import CHECK_SHEET, SHEETS, STATUS_SHEET, heading_key, heading_keys
from xlplan.core.model import SheetRead
from xlplan.core.texts import finding

#: Headings only an input sheet has: the report and チェック結果 never show them as headings.
INPUT_ONLY_KEYS = frozenset({"trend_override", "mark_override", "override_reason",
                             "computed_trend", "computed_mark", "eval_basis", "evaluated",
                             "explanation"})
SEARCH_ROWS = 10


def _input_only_headings() -> frozenset[str]:
    out: set[str] = set()
    for s in SHEETS:
        out |= {h for h, k in heading_keys(s).items() if k in INPUT_ONLY_KEYS}
    return frozenset(out)


def owned_names() -> tuple[str, ...]:
    """The sheets xlplan replaces whole."""
    from xlplan.core.report import REPORT_NAMES

    return (*REPORT_NAMES, CHECK_SHEET, STATUS_SHEET)


def not_ours(read: SheetRead) -> bool:
    """True when ``read`` (a sheet under one of our names) is someone else's sheet."""
    if read.kind != "worksheet" or read.tables:
        return True
    headings = _input_only_headings()
    for line in read.values[:SEARCH_ROWS]:
        hits = sum(1 for v in line if isinstance(v, str) and heading_key(v) in headings)
        if hits >= 2:
            return True
    return False


def owned_findings(reads: Mapping[str, SheetRead], names: Iterable[str] | None = None
                   ) -> list[Finding]:
    """``sheet_not_ours`` for each sheet under one of our names that is not ours."""
    out = []
    for name in names if names is not None else owned_names():
        read = reads.get(name)
        if read is not None and not_ours(read):
            out.append(finding("sheet_not_ours", sheet=name, tab=name))
    return out
