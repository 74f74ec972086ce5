"""The README's main job, `xlplan demo` (what `make demo` runs), end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import run_cli
from xlplan.core.layout import DEMO_FILE, DEMO_PDF, REPORT_SHEET, SHEETS
from xlplan.seed import seed_rows


@pytest.mark.slow  # the PDF goes through LibreOffice
def test_demo_checks_recomputes_renders_and_says_where(tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = run_cli("demo", "-o", out)
    assert res.returncode == 0, res.stderr
    book, pdf = out / DEMO_FILE, out / DEMO_PDF
    assert str(book.resolve()) in res.stdout  # says where the result is
    assert "延15,3728人" in res.stdout  # the seed's own typo is a real finding
    assert pdf.read_bytes()[:5] == b"%PDF-"
    wb = load_workbook(book)
    for sheet in SHEETS:
        ws = wb[REPORT_SHEET[sheet]]
        ids = [c.value for row in ws.iter_rows(min_row=4) for c in row
               if isinstance(c.value, str) and c.value.startswith(f"{sheet}-")]
        assert ids == [r["id"] for r in seed_rows() if r["sheet"] == sheet]  # the seed's order
