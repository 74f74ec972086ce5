"""Shared fixtures: the committed template, and fresh copies of it per test."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "workbook" / "資料4_template.xlsx"


@pytest.fixture(scope="session")
def template_path() -> Path:
    assert TEMPLATE.exists(), "run `make template` to build workbook/資料4_template.xlsx"
    return TEMPLATE


@pytest.fixture
def master(tmp_path: Path, template_path: Path) -> Path:
    """A private copy of the template, as a master the test may change."""
    dest = tmp_path / "資料4.xlsx"
    shutil.copy2(template_path, dest)
    return dest


def run_cli(*args: str | Path, check: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the real `xlplan` command in a subprocess (as a user would)."""
    return subprocess.run([sys.executable, "-m", "xlplan", *map(str, args)],
                          capture_output=True, text=True, check=check, cwd=ROOT)
