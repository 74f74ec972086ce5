"""Start-up stays lean: commands that do not touch a workbook load no heavy library.

Each case runs in a fresh interpreter and reads ``sys.modules`` at the end, so what is
measured is what a user's command actually imported, not what a timer happened to see.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

HEAVY = ("openpyxl", "xlwings", "pandas", "lxml", "numpy")

# (what runs, the libraries it must not load)
CASES = {
    "help": ("from xlplan.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass",
             HEAVY),
    "parse": ("from xlplan.cli import main\nmain(['parse', '約1,234件（R2.3末）'])", HEAVY),
    "judge": ("from xlplan.cli import main\n"
              "main(['judge', '--sheet', '4-2', '--baseline', '10', '--final', '20',"
              " '--actual', '15'])", HEAVY),
    "schemes": ("from xlplan.cli import main\nmain(['schemes'])", HEAVY),
    # the ribbon's entry point: xlwings yes (it talks to Excel), openpyxl never
    "ribbon entry": ("import xlplan.excel\nfrom xlplan.excel import run", ("openpyxl", "pandas")),
}


def _loaded(code: str) -> set[str]:
    probe = code + "\nimport sys, json\nprint('\\n' + json.dumps(sorted(sys.modules)))"
    res = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    return set(json.loads(res.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("case", CASES)
def test_command_loads_no_heavy_library(case: str) -> None:
    code, forbidden = CASES[case]
    loaded = _loaded(code)
    assert "xlplan" in loaded  # the probe ran the command, not an empty interpreter
    heavy = sorted(m for m in forbidden if m in loaded)
    assert not heavy, f"{case} imports {heavy}"


def test_the_probe_sees_a_heavy_import() -> None:
    """The check above can fail: a command that reads a workbook does load openpyxl."""
    loaded = _loaded("from xlplan.engines.xlsx import XlsxEngine")
    assert "openpyxl" in loaded
