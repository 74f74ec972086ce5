"""The ``xlplan`` command: thin shells over library functions.

Each subcommand parses its arguments, calls one library function and prints the result.
English here is for the secretariat's scripts; messages meant for staff are Japanese and
come from the library.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from xlplan.core.judgement import Judgement
from xlplan.core.settings import Direction, Settings

Handler = Callable[[argparse.Namespace], int]

# What `xlplan judge --json` printed before schemes: kept as is without --scheme.
_LEGACY_JUDGE_KEYS = ("trend", "mark", "progress", "basis", "direction", "direction_inferred",
                      "evaluated_value", "baseline_value", "target_value", "reasons")


def judgement_json(j: Judgement, *, full: bool = True) -> dict[str, Any]:
    data = j.as_json()
    return data if full else {k: data[k] for k in _LEGACY_JUDGE_KEYS}


def _dump(obj: object) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2, default=_default)
    sys.stdout.write("\n")


def _default(o: object) -> object:
    if isinstance(o, date):
        return o.isoformat()
    raise TypeError(type(o).__name__)


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


def _print_findings(findings: Sequence[Any], *, quiet_info: bool = False) -> None:
    for f in findings:
        if quiet_info and f.level.value == "info":
            continue
        print(f.line())


def cmd_check(args: argparse.Namespace) -> int:
    from xlplan.book.check_sheet import summary_line
    from xlplan.core.findings import has_errors
    from xlplan.workflow import check_file

    out = check_file(args.file, write=not args.no_write, out=args.output)
    _print_findings(out.findings)
    print(summary_line(out.findings))
    if out.saved:
        print(f"チェック結果シートを書き込みました / wrote check results: {out.path}")
        if out.backup:
            print(f"バックアップ / backup: {out.backup}")
    return 1 if has_errors(out.findings) else 0


def cmd_recompute(args: argparse.Namespace) -> int:
    from xlplan.workflow import recompute_file

    out = recompute_file(args.file, out=args.output)
    _print_findings(out.findings)
    if out.saved:
        print(f"判定を再計算しました（{out.changed_cells}セル更新）/ recomputed, "
              f"{out.changed_cells} cells changed: {out.path}")
        if out.backup:
            print(f"バックアップ / backup: {out.backup}")
    else:
        print(f"変更はありません / nothing changed: {out.path}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    import csv

    from xlplan.workflow import export_file

    records, findings = export_file(args.file)
    for f in findings:
        print(f.line(), file=sys.stderr)
    if args.csv:
        if not records:
            return 0
        w = csv.DictWriter(sys.stdout, fieldnames=list(records[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(records)
    else:
        _dump(records)
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from pathlib import Path

    from xlplan.book.template import write_template

    path = write_template(Path(args.output))
    print(f"テンプレートを作成しました / wrote template: {path}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from xlplan.demo import run_demo

    return run_demo(args.output)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="xlplan",
        description="資料4 KPI progress report: parse, judge, check, recompute, render.",
    )
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

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
    j.add_argument("--direction", choices=[d.value for d in Direction])
    j.add_argument("--scheme", metavar="NAME",
                   help="grade 4-2/4-3 with this preset (see `xlplan schemes`)")
    j.add_argument("--json", action="store_true")
    j.set_defaults(func=cmd_judge)

    sc = sub.add_parser("schemes", help="the mark scheme presets, one line each")
    sc.set_defaults(func=cmd_schemes)

    c = sub.add_parser("check", help="check a workbook; write findings to its チェック結果 sheet")
    c.add_argument("file")
    c.add_argument("-o", "--output", help="write the checked workbook here instead of in place")
    c.add_argument("--no-write", action="store_true", help="only print the findings")
    c.set_defaults(func=cmd_check)

    r = sub.add_parser("recompute", help="write the computed columns (backup + atomic replace)")
    r.add_argument("file")
    r.add_argument("-o", "--output", help="write the result here instead of in place")
    r.set_defaults(func=cmd_recompute)

    e = sub.add_parser("export", help="one record per indicator as JSON or CSV")
    e.add_argument("file")
    fmt = e.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="JSON (default)")
    fmt.add_argument("--csv", action="store_true", help="CSV")
    e.set_defaults(func=cmd_export)

    t = sub.add_parser("template", help="build the master template from the seed transcription")
    t.add_argument("output")
    t.set_defaults(func=cmd_template)

    d = sub.add_parser("demo", help="the main job on the shipped workbook, written to out/")
    d.add_argument("-o", "--output", default="out", help="folder for the result (default: out)")
    d.set_defaults(func=cmd_demo)

    # Commands that live beside their feature: each module has add_commands(sub).
    import importlib

    for mod in PLUGIN_MODULES:
        importlib.import_module(mod).add_commands(sub)

    return ap


PLUGIN_MODULES = (
    "xlplan.report_cli",  # render, pdf
    "xlplan.excel_cli",  # addin build/install, serve
    "xlplan.roundtrip_cli",  # split, merge, rollover
)


def main(argv: Sequence[str] | None = None) -> int:
    from xlplan.book.io import BookError

    args = build_parser().parse_args(argv)
    func: Handler = args.func
    try:
        return func(args)
    except BookError as e:
        print(f"xlplan: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # permissions, full disk, vanished files: say which file
        print(f"xlplan: {e.filename or ''}: ファイルを読み書きできません（{e.strerror}）。"
              f"保存先・権限・空き容量を確認してください。 (I/O error: {e})", file=sys.stderr)
        return 2
