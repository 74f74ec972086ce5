"""Excel-integration tests run through xlwings' remote engine, which needs a licence key.

xlwings registers its remote engine at import time, so the key is set here, before any
test module of this folder imports xlwings (the noncommercial PolyForm licence applies:
see docs/excel.md).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")


def _remote_engine() -> None:
    """Register the remote engine even if another test imported xlwings before the key."""
    import xlwings as xw

    if "remote" not in [e.name for e in xw.engines]:
        from xlwings.main import Engine
        from xlwings.pro import _xlremote

        xw.engines.add(Engine(impl=_xlremote.engine))


_remote_engine()

ROOT = Path(__file__).resolve().parents[2]
COMMITTED_TEMPLATE = ROOT / "workbook" / "資料4_template.xlsx"


@pytest.fixture(scope="session")
def real_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The master template: the committed file, or a fresh build by the same builder."""
    if COMMITTED_TEMPLATE.exists():
        return COMMITTED_TEMPLATE
    from xlplan.engines.template import write_template

    return write_template(tmp_path_factory.mktemp("template") / "資料4_template.xlsx")


@pytest.fixture
def workbook_copy(tmp_path: Path, real_template: Path) -> Path:
    dest = tmp_path / "資料4.xlsx"
    shutil.copy2(real_template, dest)
    return dest


@pytest.fixture(autouse=True)
def _fresh_remote_engine() -> Iterator[None]:
    """xlwings 0.37.8's remote engine caches ranges across books: clear it every test."""
    yield
    import xlwings as xw
    from xlwings.pro._xlremote import get_range_api

    get_range_api.cache_clear()
    if hasattr(xw.Book, "_mock_caller"):
        del xw.Book._mock_caller
    for book in list(xw.engines["remote"].apps.active.books):
        book.close()
