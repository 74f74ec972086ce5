"""``xlplan serve``: the ribbon's actions as xlwings Server endpoints (the fallback path).

For PCs that may not start Python: the add-in's VBA client (xlwings' ``RunServerPython``)
posts the workbook's values as JSON to ``POST /xlplan/<action>``; this service rebuilds
the book with ``xw.Book(json=payload)``, runs the very same :func:`xlplan.excel.run`,
and returns ``book.json()``: the list of actions the client replays in Excel.

* The actions returned stay within the 37 that xlwings' VBA client can replay
  (:data:`VBA_CLIENT_ACTIONS`), and ``runMacro`` only ever names the add-in's own
  macros; anything else is replaced by an error message before it leaves the server.
* Nothing in the payload is run: the action comes from the URL and must be one of
  :data:`xlplan.excel.ACTIONS`; the payload is data (cell values, names, tables).
  Settings sheets in it (``*.conf``) are never read.
* ``merge`` (返送ファイルを取り込み) reads the secretariat's own files and ``remind``
  (督促メールを作成) writes into a folder of theirs, which a server cannot reach: both
  answer with a message saying so (desktop add-in, or ``xlplan merge`` / ``xlplan
  remind``). ``status`` (回収状況を更新) needs only the workbook and runs here too.
* A client of another xlwings version is refused with HTTP 400 and a message in
  Japanese and English, which the VBA client shows as it is.
* xlwings' remote engine keeps module-level state (the active book, a range cache), so
  requests are handled one at a time and the cache is cleared after each.

Licence: xlwings Server and the remote engine are under the PolyForm Noncommercial
License 1.0.0, which expressly permits use by government institutions; this module sets
``XLWINGS_LICENSE_KEY=noncommercial`` unless a key is configured (see docs/excel.md).
"""

from __future__ import annotations

import os
import threading
from typing import Any

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import xlwings as xw
from fastapi import Body, FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from xlplan.core.texts import say
from xlplan.engines.excel import ADDIN_MACROS, PROBE_HEADER
from xlplan.excel import ACTIONS, TAB_LABEL, run

# The Subs of xlwings' VBA client (addin/Remote.bas, 0.37.8) that replay an action.
VBA_CLIENT_ACTIONS: frozenset[str] = frozenset({
    "setValues", "rangeClearContents", "rangeClearFormats", "rangeClear", "addSheet",
    "setSheetName", "setAutofit", "setRangeColor", "activateSheet", "addHyperlink",
    "setNumberFormat", "setPictureName", "setPictureHeight", "setPictureWidth",
    "deletePicture", "addPicture", "updatePicture", "alert", "setRangeName", "namesAdd",
    "nameDelete", "runMacro", "rangeDelete", "rangeInsert", "rangeSelect", "addTable",
    "setTableName", "resizeTable", "showAutofilterTable", "showHeadersTable",
    "showTotalsTable", "setTableStyle", "copyRange", "sheetDelete", "sheetClear",
    "sheetClearContents", "sheetClearFormats",
})
PAYLOAD_KEYS = ("client", "version", "book", "sheets")
TOKEN_ENV = "XLPLAN_SERVER_TOKEN"  # when set, requests must send it as Authorization

_lock = threading.Lock()


def replayable(actions: list[dict[str, Any]]) -> list[str]:
    """Why these actions cannot be replayed by the VBA client (empty when they can)."""
    problems = []
    for a in actions:
        func = a.get("func")
        if func not in VBA_CLIENT_ACTIONS:
            problems.append(f"action {func!r} is not one the VBA client replays")
        elif func == "runMacro" and (a.get("args") or [None])[0] not in ADDIN_MACROS:
            problems.append(f"runMacro names {(a.get('args') or [None])[0]!r}, not an add-in macro")
    return problems


def _error_actions(text: str) -> dict[str, Any]:
    """A response that only shows ``text`` (an alert the VBA client replays)."""
    return {"actions": [{
        "func": "alert", "args": [text, say("server.title", tab=TAB_LABEL), "ok", "critical", ""],
        "values": None, "sheet_position": None, "start_row": None, "start_column": None,
        "row_count": None, "column_count": None}]}


def _plain(status: int, ja: str, en: str) -> PlainTextResponse:
    # The VBA client shows a non-200 body in a message box as it is: plain text, both languages.
    return PlainTextResponse(f"{ja}\n{en}", status_code=status)


def check_payload(payload: Any) -> PlainTextResponse | None:
    if not isinstance(payload, dict) or any(k not in payload for k in PAYLOAD_KEYS):
        return _plain(400, say("server.bad_request"),
                      f"Bad request: the body must be an xlwings client payload with {', '.join(PAYLOAD_KEYS)}.")
    client, version = payload.get("client"), payload.get("version")
    if version != xw.__version__ and client != "Office.js":
        return _plain(400, say("server.version", client=version, server=xw.__version__),
                      f"xlwings version mismatch: the add-in (client) has {version}, "
                      f"the server has {xw.__version__}. Install the matching xlplan.xlam.")
    return None


def create_app() -> FastAPI:
    app = FastAPI(title="xlplan", description="The ribbon actions of the KPI report as xlwings Server scripts")

    @app.get("/xlplan")
    def index() -> dict[str, Any]:
        return {"actions": ACTIONS, "xlwings": xw.__version__}

    @app.post("/xlplan/{action}", response_model=None)
    def run_action(action: str, request: Request,
                   payload: Any = Body(...)) -> JSONResponse | PlainTextResponse:  # noqa: B008
        token = os.environ.get(TOKEN_ENV)
        if token and request.headers.get("Authorization") != token:
            return _plain(401, say("server.unauthorized"),
                          "Unauthorized: the Authorization header does not match XLPLAN_SERVER_TOKEN.")
        if action not in ACTIONS:
            return _plain(404, say("server.unknown_action", action=action),
                          f"Unknown action {action!r}; known: {', '.join(ACTIONS)}.")
        bad = check_payload(payload)
        if bad is not None:
            return bad
        with _lock:
            return JSONResponse(_run(action, payload, request.headers.get(PROBE_HEADER)))

    return app


def _run(action: str, payload: dict[str, Any], probe: str | None = None) -> dict[str, Any]:
    from xlwings.pro._xlremote import get_range_api

    book = None
    try:
        try:
            book = xw.Book(json=payload)
        except Exception as e:  # a payload xlwings cannot read
            return _error_actions(say("server.bad_payload", detail=f"{type(e).__name__}: {e}"))
        run(action, book, probe=probe)
        result: dict[str, Any] = book.json()
        problems = replayable(result["actions"])
        if problems:
            return _error_actions(say("server.unreplayable", detail="; ".join(problems)))
        return result
    finally:
        if book is not None:
            book.close()
        get_range_api.cache_clear()


app = create_app()


def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    import uvicorn

    uvicorn.run(app, host=host, port=port)
