"""Fixtures for the package patcher tests: real files and independent readers."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TEMPLATE = ROOT / "workbook" / "資料4_template.xlsx"
EXCEL = HERE / "fixtures" / "excel"
EXCEL_FILES = sorted(p.name for p in EXCEL.glob("*.xls*"))
SYSTEM_PYTHON = "/usr/bin/python3"
UNO_SHEET = "4-2入力"


def members(data: bytes | Path) -> dict[str, bytes]:
    """Zip member name → uncompressed bytes."""
    raw = data.read_bytes() if isinstance(data, Path) else data
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def has_uno() -> bool:
    if not Path(SYSTEM_PYTHON).exists() or shutil.which("soffice") is None:
        return False
    proc = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True)
    return proc.returncode == 0


@pytest.fixture(scope="session")
def template_bytes() -> bytes:
    return TEMPLATE.read_bytes()


@pytest.fixture(scope="session")
def report_source() -> bytes:
    """An openpyxl-made workbook whose sheet "Report" looks like a rendered report sheet."""
    from .sources import report_workbook

    return report_workbook()


@pytest.fixture(scope="session")
def lo_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template saved by LibreOffice with a text box, a comment and an image on 4-2入力
    (built through UNO with the system Python; skipped where UNO is missing)."""
    if not has_uno():
        pytest.skip("LibreOffice's Python UNO bridge (python3-uno) is not installed")
    out = tmp_path_factory.mktemp("uno") / "lo_fixture.xlsx"
    proc = subprocess.run([SYSTEM_PYTHON, str(HERE / "uno_fixture.py"), str(TEMPLATE), str(out),
                           UNO_SHEET], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and out.exists(), proc.stderr
    return out


@pytest.fixture(scope="session")
def xlsm_bytes() -> bytes:
    """The template made macro-enabled: xlwings' shipped vbaProject.bin added as
    /xl/vbaProject.bin with its relationship and the macro-enabled workbook content type."""
    from .sources import macro_enabled

    return macro_enabled(TEMPLATE.read_bytes())
