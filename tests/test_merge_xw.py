"""The ribbon's merge plans from the open book (xlwings) exactly as the CLI plans from the file.

The master is sent through xlwings' remote engine the way the VBA client sends it
(payload built from the real workbook by tests/excel/clients.py); the merge reads it with
xlplan.book.xw_book.read_master and must decide the same cells, conflicts and 変更履歴
rows as from the file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

from openpyxl import load_workbook

from tests.test_merge_common import T1, edit, edit_master, issued
from xlplan.roundtrip import (
    CHANGES,
    history_rows,
    merge_summary_ja,
    plan_returns,
    view_of_master,
    view_of_xw_master,
)


@pytest.fixture
def xw() -> Iterator[object]:
    import xlwings

    import tests.excel.conftest  # noqa: F401  registers the remote engine

    yield xlwings
    from xlwings.pro._xlremote import get_range_api

    get_range_api.cache_clear()
    for book in list(xlwings.engines["remote"].apps.active.books):
        book.close()


def test_plan_from_the_open_book_equals_plan_from_the_file(tmp_path: Path, xw) -> None:  # type: ignore[no-untyped-def]
    from tests.excel.clients import payload
    from tests.excel.scenario import roundtrip_json
    from xlplan.book.io import open_workbook
    from xlplan.book.master import read_master
    from xlplan.book.xw_book import read_master as xw_read_master

    master, sent = issued(tmp_path)
    edit_master(master, {("4-2-03", "actual"): "事務局の値"})
    back = edit(sent["4-2"], tmp_path / "back.xlsx", {("4-2-03", "actual"): "担当課の値",
                                                      ("4-2-04", "policy"): "継続する"})
    file_view = view_of_master(read_master(open_workbook(master), master))
    exp = plan_returns(file_view, [back], now=T1)

    book = xw.Book(json=roundtrip_json(payload(load_workbook(master))))  # type: ignore[attr-defined]
    got = plan_returns(view_of_xw_master(xw_read_master(book)), [back], now=T1)

    assert [(c.tab, c.master_cell, c.new_text) for c in got.changes] == \
        [(c.tab, c.master_cell, c.new_text) for c in exp.changes] == \
        [("4-2入力", exp.changes[0].master_cell, "継続する")]
    assert [(c.row_id, c.key, c.master_text) for c in got.conflicts] == \
        [(c.row_id, c.key, c.master_text) for c in exp.conflicts] == [("4-2-03", "actual", "事務局の値")]
    rows = history_rows(got, view_of_xw_master(xw_read_master(book)))
    assert rows == history_rows(exp, file_view)
    assert len(rows[0]) == len(CHANGES.columns)
    assert got.cell_writes() == exp.cell_writes()
    assert merge_summary_ja(got) == merge_summary_ja(exp)
