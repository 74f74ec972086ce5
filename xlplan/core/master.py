"""The master workbook as data: what every action starts from.

:func:`master_from_reads` turns the engine's reads (:class:`~xlplan.core.model.SheetRead`
of ``_xlplan``, 設定 and the three input sheets) into a :class:`Master`: settings, the
input sheets' layouts and rows, and every finding about the workbook itself (missing or
hidden sheets, merged cells where rows are read, formulas in input cells, duplicate
headings…). Pure: the same reads give the same master on every engine, so the ribbon
and the command line report the same findings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from xlplan.core.findings import Finding, Level
from xlplan.core.layout import INPUT_SHEET, META_SHEET, SETTINGS_SHEET, SHEETS, TEMPLATE_VERSION
from xlplan.core.meta import template_version
from xlplan.core.model import RowData, SheetRead
from xlplan.core.owned import owned_findings
from xlplan.core.plan import bounds
from xlplan.core.settings import Settings
from xlplan.core.settings_grid import settings_from_grid
from xlplan.core.sheetread import SheetLayout, locate, rows_of
from xlplan.core.texts import Refusal, finding, refuse, say

#: The sheets every action reads first.
BASE_SHEETS: tuple[str, ...] = (META_SHEET, SETTINGS_SHEET, *(INPUT_SHEET[s] for s in SHEETS))


@dataclass
class InputSheet:
    key: str  # "4-2"
    tab: str  # "4-2入力"
    layout: SheetLayout
    read: SheetRead
    rows: list[RowData]


@dataclass
class Master:
    """One read of the master: settings, input rows and what is wrong with the workbook."""

    label: str  # the file or book name, for messages
    names: list[str]  # every sheet, in workbook order
    reads: Mapping[str, SheetRead]  # every sheet read so far
    settings: Settings
    inputs: dict[str, InputSheet]
    findings: list[Finding] = field(default_factory=list)
    version: str | None = None

    def all_rows(self) -> list[RowData]:
        return [r for s in self.inputs.values() for r in s.rows]

    def grid(self, name: str) -> Sequence[Sequence[object]]:
        read = self.reads.get(name)
        return read.values if read is not None else ()

    def has(self, name: str) -> bool:
        return name in self.names

    @property
    def errors_where_we_write(self) -> list[Finding]:
        """Findings that forbid writing the input sheets (see :data:`BLOCKING`)."""
        return [f for f in self.findings if f.code in BLOCKING]


# Typed values that cannot be written anywhere: actions that copy typed cells (rollover's
# archive, split's copies) refuse while a master holds one.
UNWRITABLE_VALUES = frozenset({"number_not_finite", "text_too_long"})

# A workbook with one of these cannot be written safely: the action refuses before the
# first write and the file stays as it is (the check still reports them).
BLOCKING = frozenset({"heading_duplicate", "heading_outside_table", "merged_cells",
                      "sheet_password", "sheet_not_grid", "sheet_not_ours"})


def check_version(version: str | None, where: str | None = None) -> None:
    if version != TEMPLATE_VERSION:
        raise refuse("template_version", where, found=version or say("word.none"),
                     expected=TEMPLATE_VERSION)


def master_from_reads(label: str, names: Sequence[str], reads: Mapping[str, SheetRead], *,
                      require_version: bool = True) -> Master:
    """The master from the reads of :data:`BASE_SHEETS` (missing sheets are findings).

    Raises :class:`~xlplan.core.texts.Refusal` for a workbook of another template version
    (nothing is computed from a layout we do not know).
    """
    meta = reads.get(META_SHEET)
    if meta is not None and meta.kind != "worksheet":
        f = finding("sheet_not_grid", sheet=META_SHEET, tab=META_SHEET)
        raise refuse("layout", label, message=f"{META_SHEET}: {f.message}", fix=f.fix)
    version = template_version(meta.values if meta is not None else None)
    if require_version:
        check_version(version, label)
    findings: list[Finding] = list(owned_findings(reads))
    settings_read = reads.get(SETTINGS_SHEET)
    if settings_read is not None and settings_read.kind != "worksheet":
        findings.append(finding("sheet_not_grid", sheet=SETTINGS_SHEET, tab=SETTINGS_SHEET))
        settings_read = None
    settings, f0 = settings_from_grid(settings_read.values if settings_read is not None else None,
                                      settings_read.formulas if settings_read is not None else None)
    findings += f0
    inputs: dict[str, InputSheet] = {}
    for key in SHEETS:
        tab = INPUT_SHEET[key]
        read = reads.get(tab)
        if read is None:
            findings.append(finding("sheet_missing", sheet=tab, tab=tab))
            continue
        if read.kind != "worksheet":
            findings.append(finding("sheet_not_grid", sheet=tab, tab=tab))
            continue
        if read.state != "visible":
            findings.append(finding("sheet_hidden", sheet=tab, tab=tab))
        if read.password:
            findings.append(finding("sheet_password", sheet=tab, tab=tab))
        if read.far:
            findings.append(finding("content_far_away", sheet=tab, cell=read.far[0], tab=tab))
        layout, f1 = locate(key, tab, read.values, dict(read.tables))
        findings += f1
        if layout is None:
            continue
        findings += merged_in_rows(read, layout)
        rows, f2 = rows_of(layout, read)
        findings += f2
        inputs[key] = InputSheet(key, tab, layout, read, rows)
    return Master(label, list(names), dict(reads), settings, inputs, findings, version)


def merged_in_rows(read: SheetRead, layout: SheetLayout) -> list[Finding]:
    """Merged ranges that reach into the rows and columns xlplan reads."""
    out = []
    lo, hi = min(layout.cols.values()), max(layout.cols.values())
    for rng in read.merged:
        _r0, c0, r1, c1 = bounds(rng)
        if r1 > layout.header_row and c0 <= hi and c1 >= lo:
            out.append(finding("merged_cells", sheet=read.name, cell=rng, ref=rng))
    return out


def refuse_blocking(master: Master, also: frozenset[str] = frozenset()) -> None:
    """Raise when the workbook holds something that makes writing it unsafe (``also``:
    more finding codes that stop this action, e.g. typed values it would copy)."""
    bad = [f for f in master.findings if f.code in BLOCKING or f.code in also]
    if bad:
        first = bad[0]
        raise refuse("unusable", master.label, reason=f"{first.where} {first.message}",
                     count=len(bad), codes=", ".join(sorted({f.code for f in bad})))


def require_ids(master: Master) -> None:
    """Refuse a master whose rows cannot be matched by ID (duplicate or missing IDs, a
    broken layout), before anything is read from returned copies or written."""
    dup = [f for f in master.findings if f.code == "duplicate_id"]
    if dup:
        raise refuse("duplicate_id", master.label, where=f"{dup[0].sheet}!{dup[0].cell}",
                     id=dup[0].row_id)
    missing = [r for r in master.all_rows() if not r.id]
    if missing:
        r = missing[0]
        raise refuse("id_missing", master.label, tab=r.tab, row=r.row, count=len(missing))
    bad = [f for f in master.findings
           if f.code in ("sheet_missing", "sheet_not_grid", "header_not_found")]
    if bad:
        raise refuse("layout", master.label, message=bad[0].message, fix=bad[0].fix)


__all__ = ["BASE_SHEETS", "BLOCKING", "UNWRITABLE_VALUES", "InputSheet", "Level", "Master", "Refusal",
           "check_version", "master_from_reads", "merged_in_rows", "refuse_blocking",
           "require_ids"]
