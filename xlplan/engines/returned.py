"""Other files the secretariat hands xlplan: returned copies and target-change requests.

A returned copy is opened as data only: read-only, macros neither kept nor run, external
links not loaded, formulas reported (never taken, their cached results not trusted), and
no sheet, name or style of it ever copied into the master. The decisions about what the
master takes are in :mod:`xlplan.core.returns`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from xlplan.core import merge as core
from xlplan.core.findings import Finding
from xlplan.core.layout import INPUT_SHEET, META_SHEET, SHEETS
from xlplan.core.meta import template_version
from xlplan.core.model import RowData
from xlplan.core.returns import UNKNOWN_SAVER, Returned
from xlplan.core.sheetread import locate, rows_of
from xlplan.core.texts import finding, say
from xlplan.engines.xlsx import lock_file, read_sheet_streaming, sniff

ISSUER = say("split.issuer")  # lastModifiedBy of a copy nobody has saved since issue
_CONF = re.compile(r"(^xlwings\.conf$)|(\.conf$)", re.IGNORECASE)
ACTIVE_PARTS = ("xl/vbaProject.bin", "xl/activeX/", "xl/embeddings/", "xl/macrosheets/")
MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam")


def read_returned(path: Path) -> Returned:
    """Open a returned copy as data: no macros, no links, formulas reported."""
    from openpyxl import load_workbook

    sniff_returned(path)
    data = path.read_bytes()
    findings: list[Finding] = []

    def add(code: str, sheet: str = "", **fields: Any) -> None:
        findings.append(finding(code, sheet=sheet, file=path.name, **fields))

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
    if path.suffix.lower() in MACRO_SUFFIXES or any(n.startswith(ACTIVE_PARTS) for n in names):
        add("merge_macro")
    if any(n.startswith("xl/externalLinks/") for n in names):
        add("merge_external_links")
    if lock_file(path).exists():
        add("merge_file_open")
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_vba=False,
                       keep_links=False, rich_text=False)
    try:
        tabs = {ws.title: ws for ws in wb.worksheets}
        for title, ws in tabs.items():
            if _CONF.search(title):
                add("merge_conf_sheet", title, tab=title)
            elif ws.sheet_state != "visible" and title != META_SHEET:
                what = say("merge.hidden_input" if title in INPUT_SHEET.values() else "merge.hidden_other")
                add("merge_hidden_sheet", title, tab=title, what=what)
        meta = read_sheet_streaming(tabs[META_SHEET]).values if META_SHEET in tabs else ()
        stamp, problems = core.stamp_from_grid(meta)
        rows: list[RowData] = []
        columns: dict[str, set[str]] = {}
        for key in SHEETS:
            tab = INPUT_SHEET[key]
            if tab not in tabs or _CONF.search(tab):
                continue
            read = read_sheet_streaming(tabs[tab])
            lay, _ = locate(key, tab, read.values)
            if lay is None:
                continue
            columns[key] = set(lay.cols)
            got, _ = rows_of(lay, read)
            rows += got
        who = wb.properties.lastModifiedBy or ""
        saved_by = UNKNOWN_SAVER if who in ("", ISSUER) else who
        if who == ISSUER:
            add("merge_not_saved_by_excel")
    finally:
        wb.close()
    return Returned(path, hashlib.sha256(data).hexdigest(),
                    template_version(meta) if META_SHEET in tabs else None,
                    stamp, problems, rows, columns, findings, saved_by)


def sniff_returned(path: Path) -> None:
    """The master's first check (a macro-carrying copy is still read, as data)."""
    sniff(path)


def read_target_requests(path: Path) -> list[dict[str, object]]:
    """Target changes from a CSV (UTF-8 as Excel saves it, or Shift_JIS) or an xlsx with
    the headings ID, 目標, 変更後, 理由 and optionally 日付."""
    from xlplan.core.logs import TARGETS

    grid: Sequence[Sequence[object]]
    if path.suffix.lower() == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp932", errors="replace")
        grid = list(csv.reader(io.StringIO(text)))
    else:
        from openpyxl import load_workbook

        sniff(path)
        wb = load_workbook(path, read_only=True, data_only=True, keep_vba=False, keep_links=False)
        try:
            grid = read_sheet_streaming(wb.worksheets[0]).values
        finally:
            wb.close()
    return TARGETS.records(grid)
