"""xlplan export: one record per indicator, values as typed, shown and computed marks."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.conftest import run_cli
from xlplan.seed import seed_rows

REQUIRED = {"id", "sheet", "major", "middle", "minor", "program", "indicator", "baseline",
            "actual", "projection", "mid_target", "final_target", "direction", "owner",
            "trend", "mark", "computed_trend", "computed_mark", "override_reason", "progress"}


def test_export_json_matches_the_seed(template_path: Path) -> None:
    res = run_cli("export", template_path, "--json")
    assert res.returncode == 0, res.stderr
    records = json.loads(res.stdout)
    assert len(records) == 68
    seed = {s["id"]: s for s in seed_rows()}
    for rec in records:
        assert set(rec) >= REQUIRED
        s = seed[rec["id"]]
        assert rec["sheet"] == s["sheet"]
        assert rec["baseline"] == s["baseline"].strip()  # cell text as typed
        assert rec["final_target"] == s["final_target"].strip()
        assert (rec["trend"], rec["mark"]) == (s["printed_trend"], s["printed_mark"])
        if rec["sheet"] == "4-1":
            assert rec["mid_target"] == s["mid_target"].strip()
        else:
            assert rec["mid_target"] is None
    manual = [r for r in records if (r["computed_trend"], r["computed_mark"]) != (r["trend"], r["mark"])]
    assert len(manual) == 4 and all(r["override_reason"] for r in manual)
    assert all(r["override_reason"] is None for r in records if r not in manual)
    # progress: 情報交換の場 0回→1回 against 2回 is exactly 50% (docs/rules.md)
    info = next(r for r in records if r["indicator"] == "情報交換の場の開催回数")
    assert info["progress"] == 0.5 and info["mark"] == "○"


def test_export_csv_has_the_same_records(template_path: Path) -> None:
    res = run_cli("export", template_path, "--csv")
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == 68
    assert set(rows[0]) >= REQUIRED
    assert [r["mark"] for r in rows] == [s["printed_mark"] for s in seed_rows()]
