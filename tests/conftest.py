"""Shared fixtures: the committed template, and fresh copies of it per test."""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from xlplan.cli import main

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
    """Run the real `xlplan` command in this interpreter: the same ``main`` a user's
    console script calls, with stdout, stderr and the exit code captured. Where the
    process itself is what is tested (imports, console encoding), use ``run_cli_process``."""
    argv = [str(a) for a in args]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as e:  # argparse: usage errors and --help
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
    res = subprocess.CompletedProcess(["xlplan", *argv], code, out.getvalue(), err.getvalue())
    if check:
        res.check_returncode()
    return res


def run_cli_process(*args: str | Path, check: bool = False,
                    env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real `xlplan` command in a subprocess (as a user would)."""
    return subprocess.run([sys.executable, "-m", "xlplan", *map(str, args)],
                          capture_output=True, text=True, check=check, cwd=ROOT, env=env)
