"""The report sheets of the shipped workbook against the committed golden dump.

The golden file (tests/golden/report_sheets.json) holds every value, merged range,
vertical label, mark colour, width, height and print setting of 資料4-1/4-2/4-3 and 集計,
and the chart as written in the file. Any change to what the meeting reads shows up here
as a reviewed diff: regenerate with ``python -m tests.golden.update`` and commit it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.golden.dump import GOLDEN, dump_workbook, rendered_template

HOW = "intended? regenerate with `.venv/bin/python -m tests.golden.update` and review the diff"


def _differences(exp: Any, got: Any, path: str = "") -> list[str]:
    if isinstance(exp, dict) and isinstance(got, dict):
        out = []
        for k in sorted(set(exp) | set(got), key=str):
            if k not in got:
                out.append(f"{path}/{k}: missing")
            elif k not in exp:
                out.append(f"{path}/{k}: unexpected {str(got[k])[:60]!r}")
            else:
                out += _differences(exp[k], got[k], f"{path}/{k}")
        return out
    if exp != got:
        return [f"{path}: exp {str(exp)[:80]!r} got {str(got)[:80]!r}"]
    return []


def test_report_sheets_match_the_golden_dump(tmp_path: Path) -> None:
    exp = json.loads(GOLDEN.read_text(encoding="utf-8"))
    got = json.loads(json.dumps(dump_workbook(rendered_template(tmp_path)), ensure_ascii=False))
    diffs = _differences(exp, got)
    assert not diffs, f"{len(diffs)} differences ({HOW}):\n" + "\n".join(diffs[:30])


def test_golden_dump_holds_what_the_meeting_reads() -> None:
    """The committed file itself: 68 indicators, the legend, print set-up, the chart."""
    g = json.loads(GOLDEN.read_text(encoding="utf-8"))
    ids = [v for name in ("資料4-1", "資料4-2", "資料4-3")
           for k, v in g[name]["values"].items() if isinstance(v, str) and v[:4] in ("4-1-", "4-2-", "4-3-")]
    assert len(ids) == 68
    assert any("◎100%以上" in str(v) for v in g["資料4-2"]["values"].values())
    for name in ("資料4-1", "資料4-2", "資料4-3"):
        p = g[name]["print"]
        assert (p["orientation"], p["paper_size"], p["fit_to_width"], p["fit_to_height"]) == \
            ("landscape", 8, 1, 0)
        assert p["print_title_rows"] == "$1:$3" and name in p["footer"]
        assert g[name]["stacked"]
    assert g["charts"][0]["bar_dir"] == ["bar"] and g["charts"][0]["series"] == 7
