"""The ``xlplan`` command: thin shells over the action functions.

Each subcommand parses its arguments, calls one library function and prints the result.
English is for the secretariat's scripts; what staff read is Japanese and comes from the
catalogue (:mod:`xlplan.core.texts`). Heavy libraries (openpyxl, xlwings, pandas) are
imported inside the commands that need them, so ``xlplan parse``, ``xlplan judge`` and
``--help`` start fast.

Exit status: 0 success; 1 ``check`` found errors, ``merge`` had conflicts or errors,
``status`` found overdue copies; 2 the file (or request) cannot be used as it is — one
line says what is wrong and what to do, nothing was changed; 3 an unexpected error —
one line names a log file with the details, nothing was changed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from xlplan.core.texts import say

Handler = Callable[[argparse.Namespace], int]
UTF8_ENV = "XLPLAN_UTF8"  # set to 1: print UTF-8 whatever the console's code page

# What `xlplan judge --json` printed before schemes: kept as is without --scheme.
_LEGACY_JUDGE_KEYS = ("trend", "mark", "progress", "basis", "direction", "direction_inferred",
                      "evaluated_value", "baseline_value", "target_value", "reasons")


def _dump(obj: object) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2, default=_default)
    sys.stdout.write("\n")


def _default(o: object) -> object:
    if isinstance(o, date):
        return o.isoformat()
    raise TypeError(type(o).__name__)


def _print_findings(findings: Sequence[Any], *, file: Any = None) -> None:
    for f in findings:
        print(f.line(), file=file or sys.stdout)


# --------------------------------------------------------------------------- one cell


def judgement_json(j: Any, *, full: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = j.as_json()
    return data if full else {k: data[k] for k in _LEGACY_JUDGE_KEYS}


def cmd_parse(args: argparse.Namespace) -> int:
    from xlplan.core.parse import parse_value

    p = parse_value(args.text)
    if args.json:
        _dump(p.as_json())
    else:
        for k, v in p.as_json().items():
            if v is None or v is False or v == [] or v == "" or (k == "unit_scale" and v == 1):
                continue
            print(f"{k}: {v}")
    return 0


def cmd_judge(args: argparse.Namespace) -> int:
    from xlplan.core.marks import judge
    from xlplan.core.parse import parse_value
    from xlplan.core.schemes import SchemeError, preset
    from xlplan.core.settings import Direction, Settings

    settings = Settings()
    if args.scheme is not None:
        try:
            settings = Settings(scheme=None if args.scheme == "progress"
                                else preset(args.scheme))
        except SchemeError as e:
            print(f"xlplan: {e}", file=sys.stderr)
            return 2
    j = judge(
        args.sheet,
        baseline=parse_value(args.baseline),
        actual=parse_value(args.actual),
        projection=parse_value(args.projection),
        final=parse_value(args.final),
        mid=parse_value(args.mid) if args.mid is not None else None,
        direction=Direction(args.direction) if args.direction else None,
        settings=settings,
    )
    if args.json:
        _dump(judgement_json(j, full=args.scheme is not None))
    else:
        print(f"{j.trend}\t{j.mark}" + (f"\t{j.role}" if args.scheme is not None else ""))
        for r in j.reasons:
            print(f"  {r}")
    return 0


def cmd_schemes(args: argparse.Namespace) -> int:
    from xlplan.core.schemes import legend, preset, preset_names

    for name in preset_names():
        s = preset(name)
        print(f"{name}\t{s.kind.value}\t{s.title}\t{legend(s, sep=' ')}")
    return 0


# --------------------------------------------------------------------------- a workbook


def _saved_lines(out: Any, what: str) -> None:
    if out.saved:
        print(f"{what}: {out.path}")
        if out.backup:
            print(f"{say('cli.backup')} / backup: {out.backup}")


def cmd_check(args: argparse.Namespace) -> int:
    from xlplan.actions.check import summary_line
    from xlplan.core.findings import has_errors
    from xlplan.core.texts import Refusal
    from xlplan.files import check_file

    try:
        out = check_file(args.file, write=not args.no_write, out=args.output, force=args.force)
    except Refusal as e:
        # The master cannot be written now (open in Excel, read-only): the findings are
        # still worth reading; the refusal follows them (exit 2, nothing written).
        if e.code not in ("open_in_excel", "read_only") or args.output:
            raise
        seen = check_file(args.file, write=False)
        _print_findings(seen.findings)
        print(summary_line(seen.findings))
        raise
    _print_findings(out.findings)
    print(summary_line(out.findings))
    _saved_lines(out, f"{say('cli.check_written')} / wrote check results")
    return 1 if has_errors(out.findings) else 0


def cmd_recompute(args: argparse.Namespace) -> int:
    from xlplan.files import recompute_file

    out = recompute_file(args.file, out=args.output, force=args.force)
    _print_findings(out.findings)
    if out.saved:
        print(f"{say('recompute.done', cells=out.changed_cells)} / recomputed, "
              f"{out.changed_cells} cells changed: {out.path}")
        if out.backup:
            print(f"{say('cli.backup')} / backup: {out.backup}")
    else:
        print(f"{say('cli.nothing_changed')} / nothing changed: {out.path}")
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from xlplan.files import render_file

    out = render_file(args.file, out=args.output, force=args.force)
    _print_findings(out.findings)
    reports = out.data["reports"]
    pages = "、".join(say("render.sheet", name=rep.name, rows=len(rep.rows), pages=rep.pages)
                     for rep in reports.sheets.values())
    print(f"{say('render.done', pages=pages)} / rendered report sheets")
    rec = out.data.get("recomputed", 0)
    if rec:
        print(f"{say('recompute.done', cells=rec)} / recomputed {rec} cells first")
    _saved_lines(out, f"{say('cli.saved')} / saved")
    return 0


def cmd_update(args: argparse.Namespace) -> int:
    from xlplan.core.findings import has_errors
    from xlplan.files import update_file

    out = update_file(args.file, out=args.output, force=args.force)
    _print_findings(out.findings)
    for line in out.result.lines:
        print(line)
    _saved_lines(out, f"{say('cli.saved')} / saved")
    return 1 if has_errors(out.findings) else 0


def cmd_export(args: argparse.Namespace) -> int:
    from xlplan.actions.export import frame, marks_by_year, spreadsheet_safe
    from xlplan.files import export_file

    out = export_file(args.file, history=args.history or args.by_year)
    _print_findings(out.findings, file=sys.stderr)
    records = out.data["records"]
    if args.by_year:
        print(marks_by_year(records).to_csv(lineterminator="\n"), end="")
    elif args.csv:
        if records:
            df = frame(records).reset_index().map(spreadsheet_safe)
            print(df.to_csv(index=False, lineterminator="\n"), end="")
    else:
        _dump(records)
    return 0


def cmd_pdf(args: argparse.Namespace) -> int:
    from xlplan.pdf import export_pdf

    path = export_pdf(args.file, args.output)
    print(f"{say('cli.pdf_written')} / wrote PDF: {path}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from xlplan.engines.template import write_template

    path = write_template(args.output)
    print(f"{say('cli.template_written')} / wrote template: {path}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from xlplan.demo import run_demo

    return run_demo(args.output)


# --------------------------------------------------------------------------- round trip


def cmd_split(args: argparse.Namespace) -> int:
    from xlplan.core.texts import GROUP_WORDS
    from xlplan.files import split_file

    res = split_file(args.master, args.out, by=args.by, include_unassigned=args.unassigned,
                     force=args.force, due=args.due, mail_dir=args.mail)
    _print_findings(res.findings)
    print(f"{say('cli.split_done', by=GROUP_WORDS[res.by], count=len(res.files))} / "
          f"wrote {len(res.files)} copies by {res.by} (issue time {res.issued_at}):")
    for issued in res.files:
        print(f"  {issued.path}  {say('cli.rows', count=len(issued.row_ids))}  "
              f"({', '.join(issued.row_ids)})")
    if res.due is not None:
        print(say("split.due", due=res.due.isoformat()) + f" / deadline: {res.due.isoformat()}")
    if res.unassigned:
        print(f"{say('cli.split_unassigned', by=GROUP_WORDS[res.by])} / rows not issued (no {res.by}): "
              f"{len(res.unassigned)}")
    print(f"{say('cli.split_recorded')} / recorded the issue in the master: {res.master}")
    if res.backup:
        print(f"{say('cli.backup')} / backup: {res.backup}")
    if res.collection is not None:
        print(say("merge.collection", line=res.collection.line()))
    if args.mail is not None:
        print(say("mail.written", count=len(res.drafts), folder=Path(args.mail)) +
              f" / wrote {len(res.drafts)} unsent mail drafts")
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from collections.abc import Iterable

    from tqdm import tqdm

    from xlplan.core.returns import merge_summary_ja
    from xlplan.files import merge_file

    files = [Path(p) for p in args.returned]

    def progress(seq: Iterable[Path]) -> Iterable[Path]:
        items = list(seq)
        bar: Iterable[Path] = tqdm(items, desc=f"{say('cli.merging')} / merging", unit="file",
                                   file=sys.stderr, disable=len(items) <= 1, leave=False)
        return bar

    rep = merge_file(args.master, files, dry_run=args.dry_run, report_path=args.report,
                     progress=progress, force=args.force)
    if args.verbose or args.dry_run:
        for f in rep.files:
            for c in f.changes:
                print(f"  {'would apply' if args.dry_run else 'applied'} {f.name} → "
                      f"{c.tab}!{c.master_cell} {c.row_id} {c.key}: {c.old_text!r} → {c.new_text!r}")
    print(merge_summary_ja(rep))
    for f in rep.files:
        print(f"  {f.name}: {f.summary_en()}")
    if rep.saved and rep.collection is not None:
        print(say("merge.collection", line=rep.collection.line()))
    return 0 if rep.ok else 1


def _as_of(text: str | None) -> Any:
    """--as-of DATE: judge deadlines as on that day (the end of it); default: now."""
    if text is None:
        return None
    from datetime import datetime, time

    from xlplan.core.settings_grid import parse_day
    from xlplan.core.texts import refuse

    day = parse_day(text)
    if day is None:
        raise refuse("date_invalid", None, value=text)
    return datetime.combine(day, time(23, 59, 59))


def cmd_status(args: argparse.Namespace) -> int:
    from xlplan.core.layout import STATUS_SHEET
    from xlplan.files import status_file

    out = status_file(args.master, write=args.write, now=_as_of(args.as_of))
    col = out.data["collection"]
    if args.json:
        _dump(col.as_json())
    else:
        for line in col.lines():
            print(line)
        print(f"issued {col.issued}, returned {col.returned}, outstanding {col.outstanding}, "
              f"overdue {col.overdue}")
        if out.saved:
            print(say("status.written", sheet=STATUS_SHEET, path=out.path) +
                  " / wrote the collection sheet")
            if out.backup:
                print(f"バックアップ / backup: {out.backup}")
    return 1 if col.overdue else 0


def cmd_remind(args: argparse.Namespace) -> int:
    from xlplan.files import remind_file

    out = remind_file(args.master, args.mail, overdue_only=args.overdue, now=_as_of(args.as_of))
    _print_findings(out.findings)
    for line in out.result.lines:
        print(line)
    written = out.data["written"]
    if written:
        print(say("remind.written", count=len(written), folder=Path(args.mail)) +
              f" / wrote {len(written)} unsent reminder drafts")
        for path in written:
            print(f"  {path}")
    return 0


def cmd_rollover(args: argparse.Namespace) -> int:
    from xlplan.files import rollover_file

    res = rollover_file(args.master, args.to, args.output, targets=args.targets,
                        force=args.force)
    _print_findings(res.findings)
    print(f"{say('cli.rolled', old=res.from_year, new=res.to_year)} / rolled "
          f"{res.from_year} → {res.to_year}: {res.path}")
    print(f"  {say('cli.archived', rows=res.archived)} / archived {res.archived} rows; "
          f"{say('cli.cleared', cells=res.cleared_cells)} / cleared {res.cleared_cells} cells")
    for e in res.target_changes:
        print(f"  {say('cli.target_change')} / target change [{e['state']}] {e['id']} "
              f"{e['target']}: {e['old']} → {e['new']} ({e['reason']})")
    print(f"  {say('cli.source_unchanged')} / {res.source} is unchanged")
    return 0


# --------------------------------------------------------------------------- Excel, installation


def cmd_addin_build(args: argparse.Namespace) -> int:
    from xlplan.addin import AddinError, addin_settings, build_addin, import_vba, macros_dir

    settings = addin_settings(interpreter=args.interpreter, pythonpath=args.pythonpath or "",
                              server_url=args.server_url or "", auth=args.auth or "")
    try:
        res = build_addin(args.output, settings=settings,
                          macros=Path(args.macros) if args.macros else macros_dir())
    except AddinError as e:
        print(f"xlplan: {e}", file=sys.stderr)
        return 2
    print(f"{say('cli.addin_built')} / built add-in: {res.path.resolve()}")
    print("  VBA: " + ", ".join(res.modules))
    for k, v in res.settings.items():
        shown = "********" if k == "AUTH" and v else v
        print(f"  {k} = {shown}")
    if args.import_vba:
        try:
            done = import_vba(res.path)
        except AddinError as e:
            print(f"xlplan: {e}", file=sys.stderr)
            return 2
        print(f"{say('cli.vba_imported')} / re-imported VBA: " + ", ".join(done))
    for note in res.notes:
        print("  " + note)
    return 0


def cmd_addin_install(args: argparse.Namespace) -> int:
    from xlplan.addin import AddinError, install_addin

    try:
        dest = install_addin(args.file, args.dest)
    except AddinError as e:
        print(f"xlplan: {e}", file=sys.stderr)
        return 2
    print(f"{say('cli.addin_installed')} / installed: {dest}")
    print(f"{say('cli.restart_excel')} / Restart Excel to see the tab.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from xlplan.server import serve

    print(f"xlplan server: http://{args.host}:{args.port}/xlplan  "
          f"(Ctrl+C {say('cli.to_stop')} / to stop)")
    serve(args.host, args.port)
    return 0


def cmd_bundle(args: argparse.Namespace) -> int:
    from xlplan.bundle import DEFAULT_PYTHONS, PLATFORM, BundleError, build_bundle

    try:
        res = build_bundle(args.out, pythons=args.python or DEFAULT_PYTHONS,
                           python_installers=args.python_installer or (), addin=args.addin,
                           constraints=args.constraint, source=args.source,
                           progress=lambda m: print("  " + m, flush=True))
    except BundleError as e:
        print(f"xlplan: {e}", file=sys.stderr)
        return 2
    print(f"{say('cli.bundle_written')} / wrote offline bundle: {res.path}")
    print(f"  {len(res.files)} files, {res.size / 1e6:.1f} MB; {len(res.wheels)} wheels for "
          f"CPython {', '.join(res.pythons)} {PLATFORM}")
    for py, reqs in res.windows_only.items():
        print(f"  Windows-only, named for {py}: {', '.join(reqs) or '-'}")
    print(f"  Python installer: {', '.join(res.python_installers) or '-'}")
    for note in res.notes:
        print(f"  {say('cli.note')} / note: {note}")
    print(say("cli.bundle_next") +
          " / Copy the folder to each PC and run install.bat there.")
    return 0



# --------------------------------------------------------------------------- the parser


class _Parser(argparse.ArgumentParser):
    """argparse, with its usage errors as one line in Japanese and English."""

    def error(self, message: str) -> NoReturn:
        # A file named like an option (-o.xlsx) reads as one: argparse says a file is missing.
        dashed = any(a.startswith("-") and "." in a and not a.startswith("--")
                     and not a[1:2].isdigit() for a in _ARGV)
        # A value that starts with a minus (-5%, -1.2) reads as an option too.
        negative = any(a.startswith("-") and a[1:2].isdigit() for a in _ARGV)
        hint = say("cli.dash_hint") if dashed else say("cli.minus_hint") if negative else ""
        self.exit(2, f"xlplan: {say('cli.usage', message=message)}{hint} "
                     f"(usage error: {message})\n")


_ARGV: list[str] = []  # the arguments being parsed, for the usage error's hint


def _file_args(p: argparse.ArgumentParser, *, output: bool = True) -> None:
    p.add_argument("file")
    if output:
        p.add_argument("-o", "--output", help="write the result here instead of in place")
        p.add_argument("--force", action="store_true",
                       help="replace an existing output file (it is backed up first)")


def build_parser() -> argparse.ArgumentParser:
    from xlplan.core.texts import GROUP_KEYS
    from xlplan.engines.excel import ADDIN_FILE as ADDIN_NAME

    ap = _Parser(prog="xlplan",
                 description="資料4 KPI progress report: parse, judge, check, recompute, render.")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND",
                            parser_class=_Parser)

    p = sub.add_parser("parse", help="parse one value cell as staff type it")
    p.add_argument("text")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_parse)

    j = sub.add_parser("judge", help="trend arrow and mark for one indicator")
    j.add_argument("--sheet", choices=["4-1", "4-2", "4-3"], required=True)
    j.add_argument("--baseline", required=True)
    j.add_argument("--actual", default="－")
    j.add_argument("--projection", default="－")
    j.add_argument("--final", required=True)
    j.add_argument("--mid")
    j.add_argument("--direction", choices=["increase", "decrease", "maintain"])
    j.add_argument("--scheme", metavar="NAME",
                   help="grade 4-2/4-3 with this preset (see `xlplan schemes`)")
    j.add_argument("--json", action="store_true")
    j.set_defaults(func=cmd_judge)

    sc = sub.add_parser("schemes", help="the mark scheme presets, one line each")
    sc.set_defaults(func=cmd_schemes)

    c = sub.add_parser("check", help="check a workbook; write findings to its チェック結果 sheet")
    _file_args(c)
    c.add_argument("--no-write", action="store_true", help="only print the findings")
    c.set_defaults(func=cmd_check)

    r = sub.add_parser("recompute", help="write the computed columns (backup + atomic replace)")
    _file_args(r)
    r.set_defaults(func=cmd_recompute)

    rd = sub.add_parser(
        "render",
        help="regenerate 資料4-1/4-2/4-3 and 集計 from the input sheets (backup + atomic replace)")
    _file_args(rd)
    rd.set_defaults(func=cmd_render)

    u = sub.add_parser("update", help="recompute, check and render in one go (the ribbon's すべて更新)")
    _file_args(u)
    u.set_defaults(func=cmd_update)

    e = sub.add_parser("export", help="one record per indicator as JSON or CSV")
    _file_args(e, output=False)
    fmt = e.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="JSON (default)")
    fmt.add_argument("--csv", action="store_true", help="CSV (text a spreadsheet would read as a formula is quoted)")
    fmt.add_argument("--by-year", action="store_true", help="CSV: ID × year → mark, from 過去実績")
    e.add_argument("--history", action="store_true", help="add the years kept in 過去実績")
    e.set_defaults(func=cmd_export)

    pdf = sub.add_parser(
        "pdf", help="export the report sheets (and 集計) to PDF through LibreOffice; "
                    "the workbook is not changed")
    pdf.add_argument("file")
    pdf.add_argument("-o", "--output", help="PDF file (default: the workbook's name with .pdf)")
    pdf.set_defaults(func=cmd_pdf)

    s = sub.add_parser("split", help="write one copy of the master per owner (or other group) to send out")
    s.add_argument("master")
    s.add_argument("--by", choices=GROUP_KEYS, default="owner",
                   help="group rows by this column (default: owner = 担当課)")
    s.add_argument("--out", required=True, help="folder for the copies")
    s.add_argument("--unassigned", action="store_true",
                   help="also issue rows with a blank group column, as one copy named 未設定")
    s.add_argument("--force", action="store_true",
                   help="replace copies of the same names in the folder (backed up first)")
    s.add_argument("--due", metavar="DATE",
                   help="the deadline for returning the copies, e.g. 2021-01-29 "
                        "(default: 設定's 提出期限, or none)")
    s.add_argument("--mail", metavar="DIR",
                   help="also write one unsent mail draft (.eml, the copy attached) per copy here")
    s.set_defaults(func=cmd_split)

    m = sub.add_parser("merge", help="take returned copies back into the master (three-way)")
    m.add_argument("master")
    m.add_argument("returned", nargs="+", help="returned copies, merged in this order")
    m.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    m.add_argument("--report", help="also write what was (or would be) done as a workbook")
    m.add_argument("--force", action="store_true", help="replace an existing --report file")
    m.add_argument("-v", "--verbose", action="store_true", help="list every applied cell")
    m.set_defaults(func=cmd_merge)

    st = sub.add_parser("status", help="which copies came back, which are out and overdue "
                                       "(exit 1 when any is overdue)")
    st.add_argument("master")
    st.add_argument("--json", action="store_true", help="print one JSON object")
    st.add_argument("--write", action="store_true",
                    help="also rebuild the master's 回収状況 sheet (backup + atomic replace)")
    st.add_argument("--as-of", metavar="DATE",
                    help="judge the deadlines as on this day (default: now), e.g. 2021-02-01")
    st.set_defaults(func=cmd_status)

    rm = sub.add_parser("remind", help="write unsent reminder drafts (.eml) for the copies still out")
    rm.add_argument("master")
    rm.add_argument("--mail", metavar="DIR", required=True, help="folder for the drafts")
    rm.add_argument("--overdue", action="store_true", help="only the copies past their deadline")
    rm.add_argument("--as-of", metavar="DATE",
                    help="judge the deadlines as on this day (default: now)")
    rm.set_defaults(func=cmd_remind)

    ro = sub.add_parser("rollover", help="create next year's master from this year's")
    ro.add_argument("master")
    ro.add_argument("--to", type=int, required=True, help="the new reporting year, e.g. 2021")
    ro.add_argument("-o", "--output", required=True, help="the new master's file name")
    ro.add_argument("--targets", help="target changes (CSV or xlsx: ID, 目標, 変更後, 理由, 日付)")
    ro.add_argument("--force", action="store_true", help="replace the output file if it exists")
    ro.set_defaults(func=cmd_rollover)

    t = sub.add_parser("template", help="build the master template from the seed transcription")
    t.add_argument("output")
    t.set_defaults(func=cmd_template)

    d = sub.add_parser("demo", help="the main job on the shipped workbook, written to out/")
    d.add_argument("-o", "--output", default="out", help="folder for the result (default: out)")
    d.set_defaults(func=cmd_demo)

    a = sub.add_parser("addin", help="build or install the Excel add-in (ribbon tab ICT進捗)")
    asub = a.add_subparsers(dest="addin_command", required=True, metavar="ADDIN_COMMAND",
                            parser_class=_Parser)
    b = asub.add_parser("build", help="write xlplan.xlam (ribbon, settings, VBA) from macros/, on any OS")
    b.add_argument("-o", "--output", default=ADDIN_NAME, help=f"default: {ADDIN_NAME}")
    b.add_argument("--interpreter",
                   help="python.exe the buttons start (default: this Python on Windows, "
                        r"%%LOCALAPPDATA%%\xlplan\venv\Scripts\python.exe elsewhere)")
    b.add_argument("--pythonpath", help="extra sys.path entries, separated by ';'")
    b.add_argument("--server-url", help="use xlwings Server at this URL instead of a local Python")
    b.add_argument("--auth", help="Authorization value the server expects (XLPLAN_SERVER_TOKEN)")
    b.add_argument("--macros", help="folder with ribbon.xml and the .bas/.cls modules "
                                    "(default: macros/ of the xlplan folder)")
    b.add_argument("--import-vba", action="store_true",
                   help="Windows with Excel: also re-import the modules through Excel (not needed)")
    b.set_defaults(func=cmd_addin_build)
    i = asub.add_parser("install", help="copy the add-in into Excel's XLSTART folder as xlplan.xlam")
    i.add_argument("file", nargs="?", default=ADDIN_NAME, help=f"default: {ADDIN_NAME}")
    i.add_argument("--dest", help="copy here instead of XLSTART")
    i.set_defaults(func=cmd_addin_install)

    sv = sub.add_parser("serve", help="run the ribbon actions as an xlwings Server (fallback)")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8000)
    sv.set_defaults(func=cmd_serve)

    bu = sub.add_parser("bundle", help="write a folder that installs xlplan on Windows PCs without internet")
    bu.add_argument("--out", required=True, help="the folder to write (missing, empty or a previous bundle)")
    bu.add_argument("--python", action="append", metavar="X.Y",
                    help="CPython version to carry wheels for (repeat; default: 3.11 and 3.12)")
    bu.add_argument("--python-installer", action="append", metavar="EXE",
                    help="python.org Windows installer (64-bit) to ship in python/, e.g. python-3.12.10-amd64.exe")
    bu.add_argument("--addin", help="a finished xlplan.xlam to ship instead of building one")
    bu.add_argument("--constraint", help="pip constraints file to pin versions (e.g. pip freeze output)")
    bu.add_argument("--source", help="the xlplan source folder (default: this xlplan's, or the current folder)")
    bu.set_defaults(func=cmd_bundle)
    return ap


def _console() -> None:
    """Printing never fails on a console or pipe that cannot show a character (a Japanese
    Windows console is cp932 and has no ↗): unknown characters are replaced, or everything
    is printed as UTF-8 when XLPLAN_UTF8=1. A reader that goes away (``xlplan check … |
    head -1``) does not stop the command either: the rest of the output is dropped and the
    exit status is the command's own."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        if os.environ.get(UTF8_ENV) == "1":
            reconfigure(encoding="utf-8", errors="replace")
        else:
            reconfigure(errors="replace")
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout = _Pipe(sys.stdout)


class _Pipe(io.TextIOBase):
    """Standard output that stops writing, quietly, once the reader has closed the pipe."""

    def __init__(self, stream: io.TextIOWrapper) -> None:
        self._stream = stream
        self.closed_by_reader = False

    def _gone(self) -> None:
        self.closed_by_reader = True
        with contextlib.suppress(OSError, ValueError):  # later writes, and the last flush
            os.dup2(os.open(os.devnull, os.O_WRONLY), self._stream.fileno())

    def write(self, text: str) -> int:
        if not self.closed_by_reader:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._gone()
        return len(text)

    def flush(self) -> None:
        if not self.closed_by_reader:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._gone()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._stream.encoding

    def fileno(self) -> int:
        return self._stream.fileno()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def writable(self) -> bool:
        return True


def main(argv: Sequence[str] | None = None) -> int:
    stdout = sys.stdout
    _console()
    try:
        _ARGV[:] = list(sys.argv[1:] if argv is None else argv)
        args = build_parser().parse_args(argv)
        return _run(args.func, args)
    finally:
        if isinstance(sys.stdout, _Pipe):
            sys.stdout.flush()  # now, while a closed pipe can still be noticed quietly
            if not sys.stdout.closed_by_reader:
                sys.stdout = stdout  # called in-process (tests, scripts): as it was


def _run(func: Handler, args: argparse.Namespace) -> int:
    from xlplan.core.texts import Refusal, refusal

    try:
        return func(args)
    except Refusal as e:
        print(f"xlplan: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`xlplan check … | head -1`): the work is done; stay quiet.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - replaces the closed stdout
        return 0
    except OSError as e:  # permissions, full disk, vanished files: say which file
        r = refusal("io_error", e.filename or None, reason=e.strerror or type(e).__name__,
                    detail=e)
        print(f"xlplan: {r}", file=sys.stderr)
        return 2
    except Exception as e:  # never a stack trace for staff: one line and a log file
        from xlplan.excel import log_exception

        log = log_exception(e)
        r = refusal("unexpected", None, detail=f"{type(e).__name__}: {str(e)[:200]}", log=log)
        print(f"xlplan: {r}", file=sys.stderr)
        return 3
