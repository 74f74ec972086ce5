"""The number of Excel calls of every action does not grow with the number of rows.

Both workbooks are in the same state (the template with the same staff edits; the report
sheets are made by the action itself), one with the template's 68 indicators, one grown
to 10,000. Counted:
the JSON actions the VBA client would replay, and the calls from xlwings' API into the
engine (see tests/excel/counting.py), which on the desktop engine are COM calls.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw
from openpyxl import load_workbook

from tests.excel.clients import payload, replay
from tests.excel.counting import engine_calls
from tests.excel.scenario import grow, roundtrip_json, staff_edits
from xlplan import excel
from xlplan.core.report import REPORT_NAMES


def measure(data: dict[str, Any], action: str) -> tuple[int, list[dict[str, Any]], int]:
    """(rows sent, JSON actions, engine calls) of one action on this payload."""
    book = xw.Book(json=copy.deepcopy(data))
    book.set_mock_caller()
    with engine_calls() as calls:
        result = excel.ENTRY_POINTS[action]()
    assert result.ok, result.message
    rows = sum(len(s["values"]) for s in data["sheets"])
    return rows, book.json()["actions"], sum(calls.values())


@pytest.fixture(scope="module")
def books(real_template: Path, tmp_path_factory: pytest.TempPathFactory
          ) -> dict[str, tuple[Path, dict[str, Any]]]:
    folder = tmp_path_factory.mktemp("calls")
    out = {}
    for name, rows in (("small", 68), ("big", 10_000)):
        path = folder / f"{rows}.xlsx"
        shutil.copy2(real_template, path)
        wb = load_workbook(path)  # the shipped template comes rendered; the action renders
        for report in REPORT_NAMES:
            del wb[report]
        wb.save(path)
        if rows != 68:
            grow(path, rows)
        staff_edits(path)
        out[name] = (path, roundtrip_json(payload(load_workbook(path))))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("action", excel.BOOK_ACTIONS)
def test_calls_do_not_grow_with_rows(books: dict[str, tuple[Path, dict[str, Any]]],
                                     action: str) -> None:
    small_path, small = books["small"]
    rows_s, actions_s, calls_s = measure(small, action)
    rows_b, actions_b, calls_b = measure(books["big"][1], action)
    assert rows_b > 50 * rows_s  # the big book really is big
    assert [a["func"] for a in actions_b] == [a["func"] for a in actions_s]
    assert calls_b == calls_s
    assert len(actions_s) <= 50
    # The same kinds of action for both sizes, and the small one's replay as in Excel.
    replay(load_workbook(small_path), actions_s)
    big_rows = max(a["row_count"] or 0 for a in actions_b)
    if action == "status":  # reads the record in _xlplan, writes only the 回収状況 sheet
        assert big_rows == max(a["row_count"] or 0 for a in actions_s)
    else:
        assert big_rows > 1000  # one block carries a whole sheet's rows
