"""What the ribbon's buttons run: one function per action, on the open workbook in place.

The ribbon (``macros/ribbon.xml``) has one generic callback that passes a button's tag
to :func:`run`::

    RunPython "import xlplan.excel; xlplan.excel.run('recompute')"

and the server (:mod:`xlplan.server`) calls the same :func:`run` with the book rebuilt
from the client's JSON. Every action reads what it needs in one block read per sheet,
computes everything in the core (the same functions as the CLI), plans its writes, and
only then writes a few blocks (:mod:`xlplan.book.xw_book`). The person sees a short
Japanese message in Excel; the check results land in the チェック結果 sheet as with
``xlplan check``.

=========  ==============  ===========================================================
action     ribbon button   same as
=========  ==============  ===========================================================
check      入力チェック    ``xlplan check FILE``
recompute  判定を再計算    ``xlplan recompute FILE``
render     様式を再生成    ``xlplan render FILE`` (recomputes first, like the CLI)
update     すべて更新      recompute, then check, then render
merge      返送ファイルを  ``xlplan merge FILE RETURNED...`` on the open master (the
           取り込み        secretariat's button; the workbooks to take come from a file
                           dialog of the add-in, see :func:`paths_from_argv`)
=========  ==============  ===========================================================

``merge`` needs the secretariat's own files, so it runs only where Python runs on that
PC (the desktop add-in): the server fallback cannot read them and says so.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from xlplan.addin import VBA_MESSAGES
from xlplan.book.check_sheet import summary_line
from xlplan.book.io import BookError
from xlplan.book.xw_book import (
    WritePlan,
    XwBookError,
    XwMaster,
    apply_plan,
    compute_all,
    is_remote,
    plan_append_rows,
    plan_cells,
    plan_check_sheet,
    plan_meta_append,
    plan_recompute,
    plan_reports,
    read_master,
    report_check,
    report_layouts,
    rows_after_recompute,
    staff_columns,
    with_cells,
)
from xlplan.core.checks import check_rows
from xlplan.core.findings import Finding, Level
from xlplan.core.layout import CHANGES_SHEET, CHECK_SHEET
from xlplan.core.report import Reports
from xlplan.roundtrip import (
    CHANGES,
    MergeReport,
    history_rows,
    merge_log_rows,
    merge_summary_ja,
    plan_returns,
    require_ids,
    view_of_xw_master,
)

# Button tag → the label on the ribbon (and in messages). The ribbon XML and the server's
# routes are checked against this table by the tests.
ACTIONS: dict[str, str] = {
    "check": "入力チェック",
    "recompute": "判定を再計算",
    "render": "様式を再生成",
    "update": "すべて更新",
    "merge": "返送ファイルを取り込み",
}
TAB_LABEL = "ICT進捗"
# The actions that need nothing but the open workbook (what the server can run).
BOOK_ACTIONS: tuple[str, ...] = ("check", "recompute", "render", "update")
# How the add-in hands the chosen files to Python: the path of a list file (UTF-16 with a
# byte-order mark, as VBA's FileSystemObject writes it; or UTF-8), one workbook a line.
PATHS_ARG = "--xlplan-paths="
MERGE_ON_SERVER = VBA_MESSAGES["MSG_MERGE_SERVER"]
MERGE_NO_FILES = "取り込むファイルが選ばれていません。"
MESSAGE_LINES = 40  # a longer summary is cut (a message box taller than the screen)


@dataclass
class ActionResult:
    action: str
    ok: bool
    message: str  # Japanese, as shown in Excel
    findings: list[Finding] = field(default_factory=list)
    changed_cells: int = 0
    plan: WritePlan | None = None
    merge: MergeReport | None = None  # the merge's report (merge only)


class UnknownAction(ValueError):
    pass


# --- planning: read and compute everything, write nothing -----------------------------


def _counts(findings: list[Finding]) -> Counter[Level]:
    return Counter(f.level for f in findings)


def _recompute_text(plan: WritePlan) -> str:
    if not plan.changed_cells:
        return "判定は最新です（変更はありません）。"
    text = f"判定を再計算しました（{plan.changed_cells}セル更新）。"
    if plan.assigned_ids:
        ids = "、".join(plan.assigned_ids[:5]) + ("…" if len(plan.assigned_ids) > 5 else "")
        text += f"\n新しい行にIDを付けました：{ids}"
    return text


def _reading_problems(findings: list[Finding]) -> str:
    n = _counts(findings)[Level.ERROR]
    return (f"\n読み取りでエラーが{n}件ありました。「入力チェック」で確認してください。" if n else "")


def plan_action(action: str, book: Any) -> ActionResult:
    """Everything ``action`` will write, as a plan, with the message to show afterwards
    (the actions of :data:`BOOK_ACTIONS`; ``merge`` is :func:`plan_merge`)."""
    if action not in BOOK_ACTIONS:
        raise UnknownAction(action)
    xm: XwMaster = read_master(book)
    results = compute_all(xm)
    plan = WritePlan()
    lines: list[str] = []
    findings: list[Finding] = []

    rows = xm.all_rows()
    if action in ("recompute", "render", "update"):
        rec = plan_recompute(xm, results)
        plan.extend(rec)
        lines.append(_recompute_text(rec))
        rows = rows_after_recompute(xm, rec, results)
    reports: Reports | None = None

    def layouts() -> Reports:  # laid out once, for the check and the report alike
        nonlocal reports
        if reports is None:
            reports = report_layouts(xm, rows, results)
        return reports

    if action in ("check", "update"):
        # As ``xlplan check``: reading problems, row checks, then the report sheets.
        findings = [*xm.findings, *check_rows(rows, results, xm.settings),
                    *report_check(xm, layouts)]
        plan.extend(plan_check_sheet(xm, findings))
        n = _counts(findings)
        if action == "check" or n[Level.ERROR]:
            plan.activate = CHECK_SHEET
        lines.append("入力チェック：" + summary_line(findings)
                     + "\n詳しくは「チェック結果」シートを見てください。")

    if action in ("render", "update"):
        rep_plan, rep_text = plan_reports(xm, rows, results, layouts())
        plan.extend(rep_plan)
        lines.append(rep_text)

    if action in ("recompute", "render"):
        lines[-1] += _reading_problems(xm.findings)
    return ActionResult(action, True, "\n".join(lines), findings or list(xm.findings),
                        plan.changed_cells, plan)


# --- merge: returned copies into the open master ------------------------------------------


def read_path_list(file: Path | str) -> list[Path]:
    """The workbooks listed in ``file``, one a line (UTF-16 with BOM, or UTF-8).

    The lines are paths and nothing else: they are never evaluated, and each file is
    then opened as data only (:func:`xlplan.roundtrip.read_returned`).
    """
    data = Path(file).read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        text = data.decode("utf-8-sig")
    return [Path(line) for line in text.splitlines() if line.strip()]


def paths_from_argv(argv: Sequence[str] | None = None) -> list[Path]:
    """The returned workbooks chosen in the add-in's file dialog.

    The add-in writes them to a list file and passes only that file's path, as
    ``--xlplan-paths=FILE`` after the code, so no chosen name ever reaches the command
    line or the code. They are sorted by path: the file dialog's own order is arbitrary,
    and files are merged in this order (as ``xlplan merge 返送/*.xlsx`` would).
    """
    for arg in sys.argv if argv is None else argv:
        if arg.startswith(PATHS_ARG):
            paths = read_path_list(arg[len(PATHS_ARG):])
            return sorted(paths, key=lambda p: str(p).casefold())
    return []


def _saved_path(book: Any) -> Path | None:
    """Where the open master is saved (a local file), to refuse it as a returned copy."""
    try:
        full = str(book.fullname)
    except Exception:
        return None
    if "://" in full or not (os.path.isabs(full) or full[1:3] in (":\\", ":/")):
        return None  # a new book, a web location, or the server's copy
    return Path(full)


def _clip(text: str, limit: int = MESSAGE_LINES) -> str:
    lines = text.split("\n")
    if len(lines) <= limit:
        return text
    rest = len(lines) - (limit - 1)
    return "\n".join([*lines[: limit - 1],
                      f"…（ほか{rest}行。すべての内容は xlplan merge --dry-run --report 結果.xlsx で一覧にできます）"])


def plan_merge(book: Any, paths: Sequence[Path | str], *, dry_run: bool = False,
               now: datetime | None = None) -> ActionResult:
    """Everything a merge of ``paths`` into the open master will write, as a plan.

    The same decisions as ``xlplan merge`` (:func:`xlplan.roundtrip.plan_returns` on the
    master read with one block read per sheet); then the writes, planned before the
    first: the applied cells (:func:`xlplan.book.xw_book.plan_cells`: at most one block
    per run of staff columns per sheet), the 変更履歴 rows (one block; the sheet is
    created when missing), the ``_xlplan`` merge-log rows (one block), and the computed
    columns recomputed from the merged values (:func:`plan_recompute`). Nothing is
    written when nothing is applied, or with ``dry_run``.
    """
    xm = read_master(book)
    try:
        require_ids(xm, Path("master"))
        view = view_of_xw_master(xm, _saved_path(book))
    except BookError as e:
        fix = e.fix.replace("xlplan recompute", "「判定を再計算」")
        raise XwBookError(e.code, e.message, fix, e.english) from e
    report = plan_returns(view, paths, dry_run=dry_run, now=now)
    plan = WritePlan()
    if report.changes and not dry_run:
        writes = report.cell_writes()
        plan.extend(plan_cells(xm, writes, staff_columns(xm)))
        widths = [CHANGES.widths.get(k, 14) for k, _ in CHANGES.columns]
        plan.extend(plan_append_rows(xm, CHANGES.sheet, CHANGES.headings,
                                     history_rows(report, view), widths))
        plan.extend(plan_meta_append(xm, merge_log_rows(report)))
        merged = with_cells(xm, writes)
        rec = plan_recompute(merged, compute_all(merged))
        plan.extend(rec)
        report.recomputed_cells = rec.changed_cells
    text = _clip(merge_summary_ja(report))  # cut in the list, never in what follows
    if report.changes and not dry_run:
        text += f"\n開いているブックに反映しました（{len(report.changes)}セル）。"
        if report.recomputed_cells:
            text += f"判定を再計算しました（{report.recomputed_cells}セル更新）。"
        text += f"\n変更の記録はシート「{CHANGES_SHEET}」にあります。保存（Ctrl+S）すると確定します。"
    findings = [*report.master_findings, *(x for f in report.files for x in f.findings)]
    return ActionResult("merge", True, text, findings, plan.changed_cells, plan, report)


# --- running -----------------------------------------------------------------------------


def _title(action: str) -> str:
    return f"{TAB_LABEL}：{ACTIONS.get(action, action)}"


def _tell(book: Any, action: str, text: str, *, critical: bool = False) -> None:
    try:
        book.app.alert(text, title=_title(action), mode="critical" if critical else "info")
    except Exception:  # no window to show it in (tests, a closed book): the log has it
        print(text, file=sys.stderr)


def _failure(action: str, e: BaseException, *, wrote: bool) -> str:
    label = ACTIONS.get(action, action)
    if isinstance(e, XwBookError):
        return f"「{label}」を実行できませんでした。\n{e.message}\n{e.fix}\n（{e.english}）"
    state = ("書き込みの途中で失敗したため、書き込んだ部分を元に戻しました。"
             if wrote else "ブックは変更していません。")
    return (f"「{label}」の実行中に予期しないエラーが起きました。{state}\n"
            f"このメッセージの内容を事務局に知らせてください。\n（{type(e).__name__}: {e}）")


def run(action: str, book: Any = None, paths: Sequence[Path | str] | None = None, *,
        dry_run: bool = False, now: datetime | None = None) -> ActionResult:
    """Run one ribbon action on ``book`` (default: the workbook that called RunPython).

    Never raises for what staff can cause: every outcome ends as a message in Excel.
    On the server engine a failure drops every queued write, so the client replays
    only the message.

    ``paths``, ``dry_run`` and ``now`` are for ``merge`` only: the returned workbooks
    (default: the ones chosen in the add-in's file dialog, :func:`paths_from_argv`),
    plan without writing, and the time recorded in 変更履歴 (default: now).
    """
    if action not in ACTIONS:
        text = f"不明な操作です：{action!r}（使えるのは {', '.join(ACTIONS)}）"
        if book is not None:
            _tell(book, action, text, critical=True)
        else:
            print(text, file=sys.stderr)
        return ActionResult(action, False, text)
    if book is None:
        import xlwings as xw

        book = xw.Book.caller()
    if action == "merge" and paths is None:
        if is_remote(book):
            # The server: the files are on the secretariat's PC, out of its reach (and the
            # server's own command line is not the add-in's).
            _tell(book, action, MERGE_ON_SERVER, critical=True)
            return ActionResult(action, False, MERGE_ON_SERVER)
        try:
            paths = paths_from_argv()
        except (OSError, UnicodeError) as e:  # the add-in's list file is gone or garbled
            text = f"選んだファイルの一覧を読めませんでした。もう一度実行してください。\n（{type(e).__name__}: {e}）"
            _tell(book, action, text, critical=True)
            return ActionResult(action, False, text)
    if action == "merge" and not paths:
        _tell(book, action, MERGE_NO_FILES)
        return ActionResult(action, False, MERGE_NO_FILES)
    wrote = False
    try:
        if action == "merge":
            result = plan_merge(book, paths or [], dry_run=dry_run, now=now)
        else:
            result = plan_action(action, book)
        assert result.plan is not None
        wrote = True
        apply_plan(book, result.plan)
    except Exception as e:
        traceback.print_exc(file=sys.stderr)
        if is_remote(book):
            book.json()["actions"].clear()
        text = _failure(action, e, wrote=wrote)
        _tell(book, action, text, critical=True)
        return ActionResult(action, False, text)
    if result.merge is not None:  # conflicts, unreadable files or errors: look at the list
        critical = not result.merge.ok
    else:
        critical = any(f.level is Level.ERROR for f in result.findings) and action != "recompute"
    _tell(book, action, result.message, critical=critical)
    return result


# RunPython entry points, one per button (``RunPython "import xlplan.excel; xlplan.excel.xl_check()"``).


def xl_check(book: Any = None) -> ActionResult:
    return run("check", book)


def xl_recompute(book: Any = None) -> ActionResult:
    return run("recompute", book)


def xl_render(book: Any = None) -> ActionResult:
    return run("render", book)


def xl_update(book: Any = None) -> ActionResult:
    return run("update", book)


def xl_merge(book: Any = None, paths: Sequence[Path | str] | None = None, *,
             dry_run: bool = False, now: datetime | None = None) -> ActionResult:
    return run("merge", book, paths, dry_run=dry_run, now=now)


ENTRY_POINTS: dict[str, Callable[[Any], ActionResult]] = {
    "check": xl_check,
    "recompute": xl_recompute,
    "render": xl_render,
    "update": xl_update,
    "merge": xl_merge,
}
