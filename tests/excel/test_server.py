"""``xlplan serve``: the ribbon's actions over HTTP, as xlwings' VBA client calls them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import xlwings as xw
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.excel.clients import payload, probe, replay
from tests.excel.scenario import roundtrip_json, staff_edits
from tests.excel.test_excel_actions import INPUT_TABS, assert_same_sheets, ribbon
from xlplan import excel
from xlplan.engines.excel import ADDIN_MACROS, PROBE_HEADER
from xlplan.server import TOKEN_ENV, VBA_CLIENT_ACTIONS, create_app, replayable


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app())


@pytest.fixture
def edited(workbook_copy: Path) -> Path:
    return staff_edits(workbook_copy)


def post(client: TestClient, action: str, body: Any, **kw: Any) -> Any:
    return client.post(f"/xlplan/{action}", json=body, **kw)


def test_the_vba_client_has_37_actions() -> None:
    import re

    bas = (Path(xw.__file__).parent / "addin" / "Remote.bas").read_text(encoding="utf-8")
    subs = set(re.findall(r"^Sub (\w+)\(wb As Workbook, action As Dictionary\)", bas, re.M))
    assert subs == VBA_CLIENT_ACTIONS
    assert len(VBA_CLIENT_ACTIONS) == 37


@pytest.mark.parametrize("action", list(excel.ACTIONS))
def test_endpoint_returns_replayable_actions_like_runpython(
        client: TestClient, edited: Path, action: str) -> None:
    wb = load_workbook(edited)
    res = post(client, action, roundtrip_json(payload(wb)), headers={PROBE_HEADER: probe(wb)})
    assert res.status_code == 200, res.text
    actions = res.json()["actions"]
    assert actions and {a["func"] for a in actions} <= VBA_CLIENT_ACTIONS
    assert {a["args"][0] for a in actions if a["func"] == "runMacro"} <= ADDIN_MACROS
    assert replayable(actions) == []
    replay(wb, actions)  # raises where Excel would fail
    # The same actions as the RunPython entry point on the same workbook.
    _, _, _, direct = ribbon(edited, action)
    assert actions == direct
    if action == "recompute":
        exp, _, _, _ = ribbon(edited, action)
        assert_same_sheets(wb, exp, INPUT_TABS)


def test_server_state_does_not_leak_between_requests(client: TestClient, edited: Path) -> None:
    from xlwings.pro._xlremote import get_range_api

    body = roundtrip_json(payload(load_workbook(edited)))
    books = xw.engines["remote"].apps.active.books
    before = len(books)
    for _ in range(3):
        assert post(client, "check", body).status_code == 200
    assert len(books) == before
    assert get_range_api.cache_info().currsize == 0


def test_version_mismatch_is_refused_clearly(client: TestClient, edited: Path) -> None:
    body = roundtrip_json(payload(load_workbook(edited), version="0.30.0"))
    res = post(client, "recompute", body)
    assert res.status_code == 400
    assert res.headers["content-type"].startswith("text/plain")
    assert "xlwingsの版が合いません" in res.text and "version mismatch" in res.text
    assert "0.30.0" in res.text and xw.__version__ in res.text


def test_office_js_client_may_differ_in_version(client: TestClient, edited: Path) -> None:
    body = roundtrip_json(payload(load_workbook(edited), version="0.30.0", client="Office.js"))
    assert post(client, "check", body).status_code == 200


def test_unknown_action_and_bad_body(client: TestClient, edited: Path) -> None:
    body = roundtrip_json(payload(load_workbook(edited)))
    res = post(client, "os.system", body)
    assert res.status_code == 404 and "os.system" in res.text
    res = post(client, "check", {"sheets": []})
    assert res.status_code == 400 and "データの形が正しくありません" in res.text


def test_token_when_configured(client: TestClient, edited: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN_ENV, "s3cret")
    body = roundtrip_json(payload(load_workbook(edited)))
    assert post(client, "check", body).status_code == 401
    assert post(client, "check", body, headers={"Authorization": "s3cret"}).status_code == 200


def test_replay_guard_names_what_the_client_cannot_do() -> None:
    good = {"func": "setValues", "args": [None]}
    assert replayable([good]) == []
    problems = replayable([good, {"func": "setFontBold", "args": [True]},
                           {"func": "runMacro", "args": ["Evil.Macro"]}])
    assert len(problems) == 2 and "setFontBold" in problems[0] and "Evil.Macro" in problems[1]


def test_payload_code_is_never_run(client: TestClient, edited: Path, tmp_path: Path) -> None:
    """Formulas, a Python-looking sheet and an action name in the data are only data."""
    marker = tmp_path / "ran"
    wb = load_workbook(edited)
    ws = wb.create_sheet("main.py")
    ws["A1"] = f"import pathlib; pathlib.Path({str(marker)!r}).write_text('x')"
    body = roundtrip_json(payload(wb))
    body["sheets"][0]["values"][4][9] = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    res = post(client, "update", body)
    assert res.status_code == 200
    assert not marker.exists()
