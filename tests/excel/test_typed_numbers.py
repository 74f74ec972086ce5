"""Typing 50% in Excel stores the number 0.5 with the format 0%, and 2021/3/31 a date
serial shown as a date: the same marks as the texts "50%" and "2021/3/31", on the file
engine and on the remote engine (issue 13, item 6)."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlwings as xw
from openpyxl import load_workbook

from tests.excel.clients import payload, probe, replay
from tests.excel.scenario import roundtrip_json
from tests.hostile.corpus import percent_as_number, percent_as_text
from tests.test_merge_common import value_at
from xlplan import excel
from xlplan.files import recompute_file

SHOWN = ("evaluated", "progress", "computed_trend", "computed_mark", "trend", "mark")


def _marks(path_or_wb) -> dict[tuple[str, str], object]:  # type: ignore[no-untyped-def]
    return {(rid, k): value_at(path_or_wb, rid, k) for rid in ("4-2-01", "4-2-14", "4-2-16")
            for k in SHOWN}


def _remote(path: Path):  # type: ignore[no-untyped-def]
    wb = load_workbook(path)
    book = xw.Book(json=roundtrip_json(payload(wb)))
    try:
        result = excel.run("recompute", book, probe=probe(wb))
        assert result.ok, result.message
        replay(wb, book.json()["actions"])
    finally:
        book.close()
    return wb


@pytest.mark.slow  # four recomputes on two engines; the hostile corpus checks the case quickly
def test_percent_typed_as_number_gives_the_mark_of_the_text(workbook_copy: Path,
                                                            tmp_path: Path) -> None:
    as_text = percent_as_text(_fresh(workbook_copy, tmp_path / "text.xlsx"))
    as_number = percent_as_number(_fresh(workbook_copy, tmp_path / "number.xlsx"))
    assert load_workbook(as_number)["4-2入力"]["K4"].number_format == "0%"

    exp = recompute_file(_fresh(as_text, tmp_path / "cli_text.xlsx")).path
    got_file = recompute_file(_fresh(as_number, tmp_path / "cli_number.xlsx")).path
    expected = _marks(exp)
    assert expected[("4-2-01", "mark")] != "◎"  # 60.76% → 50% changes the mark
    assert _marks(got_file) == expected
    assert _marks(_remote(as_number)) == expected
    assert _marks(_remote(as_text)) == expected


def _fresh(src: Path, dest: Path) -> Path:
    dest.write_bytes(src.read_bytes())
    return dest
