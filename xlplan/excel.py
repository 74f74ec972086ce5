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
=========  ==============  ===========================================================
"""

from __future__ import annotations

import sys
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from xlplan.book.check_sheet import summary_line
from xlplan.book.xw_book import (
    WritePlan,
    XwBookError,
    XwMaster,
    apply_plan,
    compute_all,
    is_remote,
    plan_check_sheet,
    plan_recompute,
    plan_reports,
    read_master,
    report_check,
    report_layouts,
    rows_after_recompute,
)
from xlplan.core.checks import check_rows
from xlplan.core.findings import Finding, Level
from xlplan.core.layout import CHECK_SHEET
from xlplan.core.report import Reports

# Button tag → the label on the ribbon (and in messages). The ribbon XML and the server's
# routes are checked against this table by the tests.
ACTIONS: dict[str, str] = {
    "check": "入力チェック",
    "recompute": "判定を再計算",
    "render": "様式を再生成",
    "update": "すべて更新",
}
TAB_LABEL = "ICT進捗"


@dataclass
class ActionResult:
    action: str
    ok: bool
    message: str  # Japanese, as shown in Excel
    findings: list[Finding] = field(default_factory=list)
    changed_cells: int = 0
    plan: WritePlan | None = None


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
    """Everything ``action`` will write, as a plan, with the message to show afterwards."""
    if action not in ACTIONS:
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


def run(action: str, book: Any = None) -> ActionResult:
    """Run one ribbon action on ``book`` (default: the workbook that called RunPython).

    Never raises for what staff can cause: every outcome ends as a message in Excel.
    On the server engine a failure drops every queued write, so the client replays
    only the message.
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
    wrote = False
    try:
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
    _tell(book, action, result.message,
          critical=any(f.level is Level.ERROR for f in result.findings) and action != "recompute")
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


ENTRY_POINTS: dict[str, Callable[[Any], ActionResult]] = {
    "check": xl_check,
    "recompute": xl_recompute,
    "render": xl_render,
    "update": xl_update,
}
