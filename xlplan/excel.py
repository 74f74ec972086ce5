"""What the ribbon's buttons run: the same action functions as the command line, on the
workbook open in Excel.

The add-in's one generic callback passes a button's tag to :func:`run`::

    import xlplan.excel; xlplan.excel.run('recompute')

and the server (:mod:`xlplan.server`) calls the same :func:`run` with the book xlwings
Server rebuilt from the client's JSON. :func:`run` wraps the book in the Excel engine
(:class:`~xlplan.engines.excel.ExcelEngine`), runs the action (:mod:`xlplan.actions`),
applies its plan, and tells the person what happened in a short Japanese message.

=========  ==============  ===========================================================
action     ribbon button   same as
=========  ==============  ===========================================================
check      入力チェック    ``xlplan check FILE``
recompute  判定を再計算    ``xlplan recompute FILE``
render     様式を再生成    ``xlplan render FILE`` (recomputes first, like the CLI)
update     すべて更新      recompute, then check, then render
merge      返送ファイルを  ``xlplan merge FILE RETURNED...`` on the open master (the
           取り込み        secretariat's button; the workbooks come from the add-in's
                           file dialog, see :func:`paths_from_argv`)
status     回収状況を更新  ``xlplan status FILE --write`` on the open master: the
                           回収状況 sheet rebuilt from the issue and return record
remind     督促メールを    ``xlplan remind FILE --mail DIR``: reminder drafts for the
           作成            copies still out, into the folder chosen in the add-in's
                           folder dialog, which is then shown
=========  ==============  ===========================================================

``merge`` and ``remind`` need the secretariat's own folders, so they run only where
Python runs on that PC (the desktop add-in): the server cannot reach them and says so.

Importing this module loads neither openpyxl nor pandas (only merge reads other files).
"""

from __future__ import annotations

import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from xlplan.actions.base import Result
from xlplan.core.findings import Level
from xlplan.core.texts import Refusal, say

ACTION_KEYS = ("check", "recompute", "render", "update", "merge", "status", "remind")
# Button tag → the label on the ribbon (and in messages). The ribbon XML and the server's
# routes are checked against this table by the tests.
ACTIONS: dict[str, str] = {a: say("ribbon." + a) for a in ACTION_KEYS}
TAB_LABEL = say("ribbon.tab")
# The actions that need nothing but the open workbook (what the server can run).
BOOK_ACTIONS: tuple[str, ...] = ("check", "recompute", "render", "update", "status")
# The actions that take paths chosen in the add-in's dialogs (--xlplan-paths=).
PATH_ACTIONS: tuple[str, ...] = ("merge", "remind")
# How the add-in hands the chosen files to Python: the path of a list file (UTF-16 with a
# byte-order mark, as VBA's FileSystemObject writes it; or UTF-8), one workbook a line.
PATHS_ARG = "--xlplan-paths="
MESSAGE_LINES = 40  # a longer summary is cut (a message box taller than the screen)


class ButtonOutcome:
    """What one button did: the action's result and the message shown."""

    def __init__(self, action: str, ok: bool, message: str, result: Result | None = None,
                 refused: str | None = None):
        self.action = action
        self.ok = ok
        self.message = message
        self.result = result
        self.refused = refused  # the refusal's code when the workbook could not be used

    @property
    def findings(self) -> list[Any]:
        return self.result.findings if self.result else []

    @property
    def changed_cells(self) -> int:
        return self.result.changed_cells if self.result else 0

    @property
    def plan(self) -> Any:
        return self.result.plan if self.result else None

    @property
    def merge(self) -> Any:
        return self.result.data.get("report") if self.result else None


def _book_action(action: str, now: datetime | None = None) -> Callable[[Any], Result]:
    from xlplan.actions.check import check
    from xlplan.actions.recompute import recompute
    from xlplan.actions.render import render, update

    if action == "status":
        from xlplan.actions.status import status

        return lambda engine: status(engine, now=now)
    return {"check": check, "recompute": recompute, "render": render, "update": update}[action]


# --- merge: the files chosen in the add-in's dialog -------------------------------------


def read_path_list(file: Path | str) -> list[Path]:
    """The workbooks listed in ``file``, one a line (UTF-16 with BOM, or UTF-8).

    The lines are paths and nothing else: they are never evaluated, and each file is
    then opened as data only (:func:`xlplan.engines.returned.read_returned`).
    """
    data = Path(file).read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        text = data.decode("utf-8-sig")
    return [Path(line) for line in text.splitlines() if line.strip()]


def paths_from_argv(argv: Sequence[str] | None = None) -> list[Path]:
    """The returned workbooks chosen in the add-in's file dialog, sorted by path (the
    dialog's own order is arbitrary; files merge in this order, as ``xlplan merge
    返送/*.xlsx`` would). Only the list file's path is on the command line."""
    for arg in sys.argv if argv is None else argv:
        if arg.startswith(PATHS_ARG):
            paths = read_path_list(arg[len(PATHS_ARG):])
            return sorted(paths, key=lambda p: str(p).casefold())
    return []


def _clip(text: str, limit: int = MESSAGE_LINES) -> str:
    lines = text.split("\n")
    if len(lines) <= limit:
        return text
    rest = len(lines) - (limit - 1)
    return "\n".join([*lines[: limit - 1], say("ribbon.more_lines", count=rest)])


def _merge(engine: Any, paths: Sequence[Path | str], *, dry_run: bool,
           now: datetime | None) -> tuple[Result, str]:
    from xlplan.actions.merge import applied_lines, merge
    from xlplan.core.returns import closing_lines

    result = merge(engine, paths, dry_run=dry_run, now=now)
    report = result.data["report"]
    text = _clip("\n".join(result.lines))  # cut in the list, never in what follows
    closing = closing_lines(report)
    status: list[str] = []
    if not result.plan.empty:
        if not report.changes:  # a copy came back with nothing to take: its return is recorded
            from xlplan.core.layout import STATUS_SHEET

            nothing = say("merge.nothing")
            closing = [say("ribbon.merge_recorded", sheet=STATUS_SHEET) if line == nothing
                       else line for line in closing]
        status.append(say("merge.collection", line=result.data["collection"].line()))
    return result, "\n".join([text, *closing, *applied_lines(report), *status])


def _status_text(result: Result) -> str:
    from xlplan.core.layout import STATUS_SHEET

    return "\n".join([_clip(result.message), say("status.refreshed", sheet=STATUS_SHEET)])


def _remind(engine: Any, folder: Path, *, now: datetime | None) -> tuple[Result, str]:
    """督促メールを作成: the drafts into ``folder``, which is then shown (on Windows)."""
    from xlplan.actions.status import remind
    from xlplan.engines.drafts import open_folder, write_drafts

    result = remind(engine, now=now)
    written = write_drafts(folder, result.data["drafts"])
    result.data["written"] = written
    lines = list(result.lines)
    lines += [f"[{f.level.ja}] {f.message}" for f in result.findings]
    if written:
        lines.append(say("remind.written", count=len(written), folder=folder))
        result.data["opened"] = open_folder(folder)
    return result, _clip("\n".join(lines))


# --- running -----------------------------------------------------------------------------


def is_remote(book: Any) -> bool:
    """True for the book xlwings Server rebuilt from the client's JSON."""
    return bool(book.app.engine.name == "remote")


def _title(action: str) -> str:
    return say("ribbon.title", tab=TAB_LABEL, label=ACTIONS.get(action, action))


def _tell(book: Any, action: str, text: str, *, critical: bool = False) -> None:
    try:
        book.app.alert(text, title=_title(action), mode="critical" if critical else "info")
    except Exception:  # no window to show it in (tests, a closed book): the log has it
        print(text, file=sys.stderr)


def log_exception(e: BaseException) -> Path:
    """Write the traceback to a log file and return its path (for the message)."""
    fd, name = tempfile.mkstemp(prefix="xlplan-error-", suffix=".log")
    with open(fd, "w", encoding="utf-8") as fh:
        traceback.print_exception(e, file=fh)
    return Path(name)


def _failure(action: str, e: BaseException, *, wrote: bool) -> str:
    label = ACTIONS.get(action, action)
    if isinstance(e, Refusal):
        return say("ribbon.refused", label=label, message=e.message, fix=e.fix, english=e.english)
    state = say("ribbon.undone" if wrote else "ribbon.untouched")
    log = log_exception(e)
    return say("ribbon.failed", label=label, state=state, log=log,
               detail=f"{type(e).__name__}: {e}")


def run(action: str, book: Any = None, paths: Sequence[Path | str] | None = None, *,
        probe: str | bytes | None = None, dry_run: bool = False,
        now: datetime | None = None) -> ButtonOutcome:
    """Run one ribbon action on ``book`` (default: the workbook that called RunPython).

    Never raises for what staff can cause: every outcome ends as a message in Excel.
    On the server engine a failure drops every queued write, so the client replays
    only the message. ``probe`` is the add-in's description of the workbook (the server
    receives it with the request; the desktop engine asks the add-in itself).

    ``paths`` and ``dry_run`` are for ``merge`` (the returned workbooks, default: the ones
    chosen in the add-in's file dialog; plan without writing) and ``remind`` (the folder
    for the drafts, default: the one chosen in the add-in's folder dialog). ``now`` is
    the time merge records and status and remind judge deadlines by (default: now).
    """
    if action not in ACTIONS:
        text = say("ribbon.unknown_action", action=action, known=", ".join(ACTIONS))
        if book is not None:
            _tell(book, action, text, critical=True)
        else:
            print(text, file=sys.stderr)
        return ButtonOutcome(action, False, text)
    if book is None:
        import xlwings as xw

        book = xw.Book.caller()
    from xlplan.engines.excel import ExcelEngine

    remote = is_remote(book)
    if action in PATH_ACTIONS and paths is None:
        if remote:
            # The server: the files are on the secretariat's PC, out of its reach.
            text = say(f"ribbon.{action}_on_server")
            _tell(book, action, text, critical=True)
            return ButtonOutcome(action, False, text)
        try:
            paths = paths_from_argv()
        except (OSError, UnicodeError) as e:  # the add-in's list file is gone or garbled
            text = say("ribbon.merge_list_unreadable", detail=f"{type(e).__name__}: {e}")
            _tell(book, action, text, critical=True)
            return ButtonOutcome(action, False, text)
    if action in PATH_ACTIONS and not paths:
        text = say("ribbon.merge_no_files" if action == "merge" else "ribbon.remind_no_folder")
        _tell(book, action, text)
        return ButtonOutcome(action, False, text)
    wrote = False
    try:
        engine = ExcelEngine(book, probe)
        if action == "merge":
            result, text = _merge(engine, paths or [], dry_run=dry_run, now=now)
        elif action == "remind":
            result, text = _remind(engine, Path((paths or [""])[0]), now=now)
        elif action == "status":
            result = _book_action(action, now)(engine)
            text = _status_text(result)
        else:
            result = _book_action(action)(engine)
            text = result.message
        wrote = True
        engine.apply(result.plan)
    except Exception as e:
        traceback.print_exc(file=sys.stderr)
        if remote:
            book.json()["actions"].clear()
        text = _failure(action, e, wrote=wrote)
        _tell(book, action, text, critical=True)
        return ButtonOutcome(action, False, text, refused=e.code if isinstance(e, Refusal) else None)
    report = result.data.get("report")
    if report is not None:  # conflicts, unreadable files or errors: look at the list
        critical = not report.ok
    elif action in ("status", "remind"):  # overdue copies: someone must be reminded
        critical = bool(result.data["collection"].overdue)
    else:
        critical = action != "recompute" and any(f.level is Level.ERROR for f in result.findings)
    _tell(book, action, text, critical=critical)
    return ButtonOutcome(action, True, text, result)


# RunPython entry points, one per button.


def xl_check(book: Any = None) -> ButtonOutcome:
    return run("check", book)


def xl_recompute(book: Any = None) -> ButtonOutcome:
    return run("recompute", book)


def xl_render(book: Any = None) -> ButtonOutcome:
    return run("render", book)


def xl_update(book: Any = None) -> ButtonOutcome:
    return run("update", book)


def xl_merge(book: Any = None, paths: Sequence[Path | str] | None = None, *,
             dry_run: bool = False, now: datetime | None = None) -> ButtonOutcome:
    return run("merge", book, paths, dry_run=dry_run, now=now)


def xl_status(book: Any = None, *, now: datetime | None = None) -> ButtonOutcome:
    return run("status", book, now=now)


def xl_remind(book: Any = None, folder: Path | str | None = None, *,
              now: datetime | None = None) -> ButtonOutcome:
    return run("remind", book, None if folder is None else [folder], now=now)


ENTRY_POINTS: dict[str, Callable[[Any], ButtonOutcome]] = {
    "check": xl_check,
    "recompute": xl_recompute,
    "render": xl_render,
    "update": xl_update,
    "merge": xl_merge,
    "status": xl_status,
    "remind": xl_remind,
}
