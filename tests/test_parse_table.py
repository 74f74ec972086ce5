"""Every value cell of the seed report, and the variants docs/rules.md lists beyond it.

The expected results were written by reading the printed FY2020 report and
``docs/rules.md``, not by running the parser. Cell texts keep the line breaks the PDF
shows inside a cell (``増加を目\\n指しま\\nす。``), because staff paste such text too.

Each expectation names only what differs from an empty result; every other semantic
field must be at its default (no note, no label, no flags, no warnings). A number's
``parts`` default to the headline alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from xlplan.core.dates import parse_period
from xlplan.core.parse import Parser, parse_value, same_unit
from xlplan.core.values import Parsed, Part, Status

# ----------------------------------------------------------------------------- helpers

FIELDS = (
    "value", "unit", "denominator", "per", "approx", "person_times", "cumulative",
    "estimate", "as_of", "period_start", "status", "words", "intent", "note", "label",
)
DEFAULTS: dict[str, Any] = dict.fromkeys(FIELDS)
DEFAULTS.update(approx=False, person_times=False, cumulative=False, estimate=False)


def d(y: int, m: int, day: int) -> date:
    return date(y, m, day)


def N(value: float | None, unit: str | None = None, **kw: Any) -> dict[str, Any]:
    """A number."""
    return {"value": value, "unit": unit, **kw}


def FY(y: int) -> dict[str, Any]:
    """as_of/period_start of fiscal year y (April y – March y+1)."""
    return {"as_of": d(y + 1, 3, 31), "period_start": d(y, 4, 1)}


NONE: dict[str, Any] = {"status": Status.NONE}


def Q(words: str, **kw: Any) -> dict[str, Any]:
    return {"status": Status.QUALITATIVE, "words": words, **kw}


def U(words: str) -> dict[str, Any]:
    return {"status": Status.UNDETERMINED, "words": words}


UP = Q("増加を目指します。", intent="increase")


def got_of(p: Parsed) -> dict[str, Any]:
    out = {f: getattr(p, f) for f in FIELDS}
    out["parts"] = p.parts
    out["warnings"] = p.warning_codes
    return out


def exp_of(e: dict[str, Any]) -> dict[str, Any]:
    out = dict(DEFAULTS)
    out.update({k: v for k, v in e.items() if k not in ("parts", "warnings")})
    if "parts" in e:
        out["parts"] = tuple(e["parts"])
    elif out["value"] is not None:
        out["parts"] = (Part(out["value"], out["unit"], out["label"], False, out["denominator"]),)
    else:
        out["parts"] = ()
    out["warnings"] = tuple(e.get("warnings", ()))
    return out


def check(text: object, e: dict[str, Any]) -> None:
    got = got_of(parse_value(text))
    exp = exp_of(e)
    diff = {k: (got[k], exp[k]) for k in exp if got[k] != exp[k]}
    assert not diff, f"{text!r}: field: (got, exp) {diff}"


# ----------------------------------------------------------------------------- the seed

COLS_41 = ("baseline", "actual", "projection", "mid", "final")
COLS_42 = ("baseline", "actual", "projection", "final")


@dataclass(frozen=True)
class Row:
    sheet: str
    n: int  # row number within the report, 1..68
    indicator: str
    cells: tuple[tuple[str, dict[str, Any], str], ...]  # (text, expected, why) per column


def R(sheet: str, n: int, indicator: str, *cells: tuple[str, dict[str, Any], str]) -> Row:
    return Row(sheet, n, indicator, cells)


def c(text: str, exp: dict[str, Any], why: str = "") -> tuple[str, dict[str, Any], str]:
    return text, exp, why


PLAIN = "plain count with its unit"
DASH = "－ means nothing / not applicable"
SAME = "same text as the column before"

SEED: tuple[Row, ...] = (
    # ---- 資料4-1 波及効果の高いプロジェクト
    R("4-1", 1, "テレワーク実施者数",
      c("25人\n（令和元年12月）", N(25, "人", as_of=d(2019, 12, 31)),
        "as-of month in brackets → last day of that month"),
      c("在宅勤務実施者数\n4～ 5月：57,891人\n6～12月：7,900人\n\n（4～12月計：65,791\n人）",
        N(65791, "人", label="4～12月計", note="在宅勤務実施者数", parts=(
            Part(57891, "人", "4～5月"), Part(7900, "人", "6～12月"),
            Part(65791, "人", "4～12月計", is_total=True))),
        "multi-part: the 計 total wins; month ranges are labels, not as-of dates (no year)"),
      c("算出不可", U("算出不可"), "not known yet"),
      c("140人", N(140, "人"), PLAIN),
      c("280人", N(280, "人"), PLAIN)),
    R("4-1", 2, "RPA導入により削減した作業時間",
      c("0時間", N(0, "時間"), "zero is a number"),
      c("構築中のため未定", U("構築中のため未定"), "未定 → undetermined"),
      c("約2,500時間", N(2500, "時間", approx=True), "約 → approx"),
      c("3,000時間", N(3000, "時間"), PLAIN),
      c("6,000時間", N(6000, "時間"), PLAIN)),
    R("4-1", 3, "電子化済みの手続数",
      c("98手続", N(98, "手続"), PLAIN),
      c("進捗管理を停止して\nいる", {"status": Status.SUSPENDED, "words": "進捗管理を停止している"},
        "suspended tracking, wrapped by the PDF"),
      c("－", NONE, DASH),
      c("130手続", N(130, "手続"), PLAIN),
      c("150手続", N(150, "手続"), PLAIN)),
    R("4-1", 4, "ＩＣＴを利活用し、新たに業務効率化を進めた取組数",
      c("0件", N(0, "件"), PLAIN),
      c("4件", N(4, "件"), PLAIN),
      c("5件", N(5, "件"), PLAIN),
      c("3件", N(3, "件"), PLAIN),
      c("5件", N(5, "件"), PLAIN)),
    R("4-1", 5, "WEB会議機能を利用した回数",
      c("－", NONE, "a new initiative: no baseline"),
      c("主催6,576回\n延べ参加人数\n\n36,503人\n（令和2年12月）",
        N(6576, "回", label="主催", person_times=True, as_of=d(2020, 12, 31), parts=(
            Part(6576, "回", "主催"), Part(36503, "人", "延べ参加人数"))),
        "two labelled parts with different units; headline = first; 延べ → person-times"),
      c("延べ参加人数\n44,472人", N(44472, "人", label="延べ参加人数", person_times=True),
        "label on the line above the number"),
      c("500人", N(500, "人"), PLAIN),
      c("1，000人", N(1000, "人"), "full-width comma is a thousands separator")),
    R("4-1", 6, "ＩＣＴを活用した業務改革に資する取組の数",
      c("0件", N(0, "件"), PLAIN),
      c("－", NONE, DASH),
      c("1件", N(1, "件"), PLAIN),
      c("1件", N(1, "件"), PLAIN),
      c("8件", N(8, "件"), PLAIN)),
    R("4-1", 7, "児童・生徒のＩＣＴ活用を指導する能力を持つ教員の割合",
      c("68.1%\n(平成30年度)", N(68.1, "%", **FY(2018)), "fiscal year 平成30年度 = FY2018"),
      c("70.8%\n（令和元年度)", N(70.8, "%", **FY(2019)), "元年度; mixed full/half-width brackets"),
      c("今年度の状況につい\nては来年度当初に調\n\n査の予定",
        U("今年度の状況については来年度当初に調査の予定"), "…調査の予定 → undetermined"),
      c("100%", N(100, "%"), "percent"),
      c("100%", N(100, "%"), SAME)),
    R("4-1", 8, "産総研デザインスクールへの参加校数",
      c("1校", N(1, "校"), PLAIN),
      c("1校", N(1, "校"), PLAIN),
      c("－", NONE, DASH),
      c("1校\n内容の充\n実に努め\n\nます", N(1, "校", note="内容の充実に努めます"),
        "a number followed by words: the words are a note"),
      c("1校\n内容の充\n実に努め\n\nます", N(1, "校", note="内容の充実に努めます"), SAME)),
    R("4-1", 9, "プログラミング指導をする人数（教員）",
      c("教員25名", N(25, "名", label="教員"), "label typed in front of the number"),
      c("22名", N(22, "名"), PLAIN),
      c("－", NONE, DASH),
      c("増加を目\n指しま\nす。", UP, "qualitative target with an intent"),
      c("増加を目\n指しま\nす。", UP, SAME)),
    R("4-1", 10, "プログラミング指導をする人数（特別非常勤講師）",
      c("特別非常勤講師9名", N(9, "名", label="特別非常勤講師"), "label in front"),
      c("14名", N(14, "名"), PLAIN),
      c("－", NONE, DASH),
      c("増加を目\n指しま\nす。", UP, "qualitative target"),
      c("増加を目\n指しま\nす。", UP, SAME)),
    R("4-1", 11, "県立高等技術専門校のICT関連訓練科の就職率",
      c("89.0%\n（過去5年の平均\n\n値）", N(89.0, "%", note="過去5年の平均値"),
        "bracket without a date: a note; its 5 is not a value"),
      c("90%\n(令和元年度)", N(90, "%", **FY(2019)), "fiscal year"),
      c("－", NONE, DASH),
      c("増加を目\n指しま\nす。", UP, "qualitative target"),
      c("増加を目\n指しま\nす。", UP, SAME)),
    R("4-1", 12, "離職者等再就職訓練事業の情報系コースの就職率",
      c("71.8%\n（令和元年度）", N(71.8, "%", **FY(2019)), "fiscal year"),
      c("60.6%\n(令和2年12月時点)", N(60.6, "%", as_of=d(2020, 12, 31)), "時点 is skipped"),
      c("－", NONE, DASH),
      c("75%", N(75, "%"), "percent"),
      c("75%", N(75, "%"), SAME)),
    # ---- 資料4-2 個別施策
    R("4-2", 13, "ワンストップサービス利用率",
      c("46.51%", N(46.51, "%"), "decimal percent"),
      c("61.02％\n（令和2年11月時点）", N(61.02, "%", as_of=d(2020, 11, 30)), "full-width ％"),
      c("60.76%", N(60.76, "%"), "decimal percent"),
      c("60.00%", N(60.0, "%"), "trailing zeros are fine")),
    R("4-2", 14, "年間用紙使用量",
      c("405，823千枚\n(平成30年度)", N(405_823_000, "枚", **FY(2018)),
        "千 scale folded into the value; full-width comma"),
      c("425,072千枚\n(令和元年度)", N(425_072_000, "枚", **FY(2019)), "千 scale"),
      c("－", NONE, DASH),
      c("365，241千枚", N(365_241_000, "枚"), "千 scale, full-width comma")),
    R("4-2", 15, "「ＩＣＴを活用した庁内業務の効率化 実行プラン」の実施項目数",
      c("0項目", N(0, "項目"), PLAIN),
      c("5項目\n（令和2年12月）", N(5, "項目", as_of=d(2020, 12, 31)), "as-of month"),
      c("－", NONE, DASH),
      c("6項目", N(6, "項目"), PLAIN)),
    R("4-2", 16, "電子決裁を実施した所属の数",
      c("59/465", N(59, None, denominator=465), "fraction"),
      c("209/447\n\n（令和2年12月1日現\n在）", N(209, None, denominator=447, as_of=d(2020, 12, 1)),
        "fraction with an as-of day; 現在 wrapped by the PDF"),
      c("－", NONE, DASH),
      c("447/447", N(447, None, denominator=447), "fraction target")),
    R("4-2", 17, "システムに新規登録された行政資料データの件数（累計）",
      c("2,662件\n(H30実績)", N(2662, "件", **FY(2018)), "H30 abbreviation = FY2018"),
      c("7,625件\n（平成30年度～令和2年\n\n12月累計）",
        N(7625, "件", cumulative=True, as_of=d(2020, 12, 31), period_start=d(2018, 4, 1)),
        "range from a fiscal year to a month, cumulative"),
      c("7,951件\n（平成30年度～令\n和2年度累計）",
        N(7951, "件", cumulative=True, as_of=d(2021, 3, 31), period_start=d(2018, 4, 1)),
        "range of fiscal years; the era name is wrapped"),
      c("7,000件", N(7000, "件"), PLAIN)),
    R("4-2", 18, "システムに新規登録された歴史公文書及び古文書のデータの件数（累計）",
      c("5,500件\n(H30実績)", N(5500, "件", **FY(2018)), "H30 = FY2018"),
      c("19,570\n（令和2年12月現在）", N(19570, None, as_of=d(2020, 12, 31)),
        "no unit typed: unit None, not guessed"),
      c("21,100件", N(21100, "件"), PLAIN),
      c("20,000件", N(20000, "件"), PLAIN)),
    R("4-2", 19, "自治体クラウド導入団体数",
      c("9団体", N(9, "団体"), PLAIN),
      c("14団体", N(14, "団体"),
        "actual or projection: the PDF's reading order does not say which of the two 14団体 "
        "cells carries the date"),
      c("14団体\n\n(令和2年12月末現\n在)", N(14, "団体", as_of=d(2020, 12, 31)),
        "末現在 wrapped by the PDF"),
      c("22団体", N(22, "団体"), PLAIN)),
    R("4-2", 20, "共通語彙基盤等の活用件数",
      c("0件/年", N(0, "件/年", per="年"), "a rate: per year"),
      c("5件", N(5, "件"), "plain count against a 件/年 target"),
      c("－", NONE, DASH),
      c("5件/年", N(5, "件/年", per="年"), "a rate")),
    R("4-2", 21, "電子申請システムの共同利用団体数",
      c("（電子申請）\n県含む21団体", N(21, "団体", label="電子申請", note="県含む"),
        "a leading bracket is the label; words in front of the number become a note"),
      c("（電子申請）\n21団体", N(21, "団体", label="電子申請"), "bracket label"),
      c("（電子申請）\n21団体", N(21, "団体", label="電子申請"), SAME),
      c("増加を目指しま\nす。", UP, "qualitative target")),
    R("4-2", 22, "施設予約システムの共同利用団体数",
      c("（施設予約）\n県含む12団体", N(12, "団体", label="施設予約", note="県含む"), "bracket label"),
      c("（施設予約）\n12団体", N(12, "団体", label="施設予約"), "bracket label"),
      c("（施設予約）\n12団体", N(12, "団体", label="施設予約"), SAME),
      c("増加を目指しま\nす。", UP, "qualitative target")),
    R("4-2", 23, "推奨データセット掲載データの公開件数",
      c("2件", N(2, "件"), PLAIN),
      c("－", NONE, DASH),
      c("3件", N(3, "件"), PLAIN),
      c("8件", N(8, "件"), PLAIN)),
    R("4-2", 24, "オープンデータに関するセミナー・共同イベント等の実施回数",
      c("4回", N(4, "回"), PLAIN),
      c("2回", N(2, "回"), PLAIN),
      c("2回", N(2, "回"), PLAIN),
      c("4回", N(4, "回"), PLAIN)),
    R("4-2", 25, "調査結果を基に半島振興に効果的な事業を実施",
      c("0件", N(0, "件"), PLAIN),
      c("0件", N(0, "件"), PLAIN),
      c("0回", N(0, "回"),
        "unit differs from the 1件 target: kept as typed, the checks flag the mismatch"),
      c("1件", N(1, "件"), PLAIN)),
    R("4-2", 26, "ちば情報マップへの掲載マップ数",
      c("93地図", N(93, "地図"), PLAIN),
      c("97地図\n(令和2年12月現在)", N(97, "地図", as_of=d(2020, 12, 31)), "現在 skipped"),
      c("98地図", N(98, "地図"), PLAIN),
      c("100地図", N(100, "地図"), PLAIN)),
    R("4-2", 27, "新技術を導入した市町村数（累計）",
      c("3市町", N(3, "市町"), PLAIN),
      c("3市町", N(3, "市町"), PLAIN),
      c("6市町", N(6, "市町"), PLAIN),
      c("増加を目指しま\nす。", UP, "qualitative target")),
    R("4-2", 28, "防災拠点等のWi－Fi環境の整備率",
      c("86.50%", N(86.5, "%"), "86.50 → 86.5"),
      c("87.20%", N(87.2, "%"), "decimal percent"),
      c("87.20%", N(87.2, "%"), SAME),
      c("100.00%", N(100.0, "%"), "decimal percent")),
    R("4-2", 29, "MedicalCheckList アクセス件数",
      c("2,850件", N(2850, "件"), PLAIN),
      c("4,159件\n(令和2年12月末現在)", N(4159, "件", as_of=d(2020, 12, 31)), "末現在 skipped"),
      c("－", NONE, DASH),
      c("増加を目指しま\nす。", UP, "qualitative target")),
    R("4-2", 30, "ちば医療なび アクセス件数",
      c("65,667件/月", N(65667, "件/月", per="月"), "a monthly rate"),
      c("40,267件/月\n(令和2年12月末現在)", N(40267, "件/月", per="月", as_of=d(2020, 12, 31)),
        "rate with an as-of date"),
      c("－", NONE, DASH),
      c("増加を目指しま\nす。", UP, "qualitative target")),
    R("4-2", 31, "働き方改革アドバイザー派遣企業数",
      c("20社", N(20, "社"), PLAIN),
      c("25社\n(令和3年2月現在）", N(25, "社", as_of=d(2021, 2, 28)), "February 2021 ends on the 28th"),
      c("25社", N(25, "社"), PLAIN),
      c("25社", N(25, "社"), SAME)),
    R("4-2", 32, "ちばバリアフリーマップ掲載施設数",
      c("1,935施設\n（令和元年度実績）", N(1935, "施設", **FY(2019)), "元年度実績 = FY2019"),
      c("1,959施設\n(令和3年1月現在）", N(1959, "施設", as_of=d(2021, 1, 31)), "as-of month"),
      c("1,985施設", N(1985, "施設"), PLAIN),
      c("2,030施設", N(2030, "施設"), PLAIN)),
    R("4-2", 33, "県有施設に関する情報のオープンデータ化",
      c("0件", N(0, "件"), PLAIN),
      c("0件", N(0, "件"), PLAIN),
      c("全施設公開", Q("全施設公開"), "a state word: qualitative, no intent"),
      c("全施設公開", Q("全施設公開"), SAME)),
    R("4-2", 34, "千葉県立図書館ホームページでの蔵書検索件数",
      c("1,095,825件\n(令和元年11月現在)", N(1_095_825, "件", as_of=d(2019, 11, 30)),
        "two thousands separators"),
      c("1,668,540件\n（令和2年11月末）", N(1_668_540, "件", as_of=d(2020, 11, 30)), "末 skipped"),
      c("2,370,172件", N(2_370_172, "件"), PLAIN),
      c("2,000,000件", N(2_000_000, "件"), PLAIN)),
    R("4-2", 35, "千葉県内図書館横断検索を通じての県内図書館等へのアクセス件数",
      c("11,512,514件\n(令和元年11月現在)", N(11_512_514, "件", as_of=d(2019, 11, 30)), "as-of"),
      c("10,770,966件\n（令和2年11月末）", N(10_770_966, "件", as_of=d(2020, 11, 30)), "as-of"),
      c("16,502,491件", N(16_502_491, "件"), PLAIN),
      c("18,000,000件", N(18_000_000, "件"), PLAIN)),
    R("4-2", 36, "ちばりすネットへの情報登録件数",
      c("7,090件\n(令和元年11月現在)", N(7090, "件", as_of=d(2019, 11, 30)), "as-of"),
      c("5,944件\n（令和2年10月末）", N(5944, "件", as_of=d(2020, 10, 31)), "as-of"),
      c("6,900件", N(6900, "件"), PLAIN),
      c("9,000件", N(9000, "件"), PLAIN)),
    R("4-2", 37, "デジタルミュージアムの制作・公開件数",
      c("75件\n（令和元年4月1日時\n点）", N(75, "件", as_of=d(2019, 4, 1)), "as-of day; 時点 wrapped"),
      c("81件\n（令和2年11月1日時\n点）", N(81, "件", as_of=d(2020, 11, 1)), "as-of day"),
      c("－", NONE, DASH),
      c("80件", N(80, "件"), PLAIN)),
    R("4-2", 38, "所蔵資料情報の登録・公開件数",
      c("254,367件\n（令和元年4月1日時\n点）", N(254_367, "件", as_of=d(2019, 4, 1)), "as-of day"),
      c("315,999件\n（令和2年11月1日時\n点）", N(315_999, "件", as_of=d(2020, 11, 1)), "as-of day"),
      c("－", NONE, DASH),
      c("290,000件", N(290_000, "件"), PLAIN)),
    R("4-2", 39, "ふさの国文化財ナビゲーションのアクセス数",
      c("38,382件", N(38382, "件"), PLAIN),
      c("35,323件\n（令和2年9月末）", N(35323, "件", as_of=d(2020, 9, 30)), "9月末 → 30th"),
      c("70,000件", N(70000, "件"), PLAIN),
      c("70,000件", N(70000, "件"), SAME)),
    R("4-2", 40, "新指定文化財等、…埋蔵文化財包蔵地の数",
      c("49件", N(49, "件"), PLAIN),
      c("46件\n（令和2年9月末）", N(46, "件", as_of=d(2020, 9, 30)), "as-of"),
      c("65件", N(65, "件"), PLAIN),
      c("70件", N(70, "件"), PLAIN)),
    R("4-2", 41, "対象者に対する登録者の割合",
      c("0.58%", N(0.58, "%"), "decimal percent below 1"),
      c("1.29%\n\n（3878人：令和2年12\n月）", N(1.29, "%", as_of=d(2020, 12, 31), parts=(
          Part(1.29, "%"), Part(3878, "人"))),
        "percent with the count behind it as a second part and a date"),
      c("1.30%", N(1.3, "%"), "decimal percent"),
      c("1.00%", N(1.0, "%"), "decimal percent")),
    R("4-2", 42, "新たに掲載された求人件数",
      c("130件\n(令和2年3月末時\n点）", N(130, "件", as_of=d(2020, 3, 31)), "末時点 wrapped"),
      c("148件\n(令和2年12月現在）", N(148, "件", as_of=d(2020, 12, 31)), "as-of"),
      c("160件", N(160, "件"), PLAIN),
      c("280件", N(280, "件"), PLAIN)),
    R("4-2", 43, "IoT等の活用に向けたセミナー等の開催件数（累計）",
      c("31件", N(31, "件"), PLAIN),
      c("34件\n（令和2年12月末現在）", N(34, "件", as_of=d(2020, 12, 31)), "as-of"),
      c("39件", N(39, "件"), PLAIN),
      c("41件", N(41, "件"), PLAIN)),
    R("4-2", 44, "連携の件数（累計）",
      c("2件", N(2, "件"), PLAIN),
      c("3件\n（令和2年12月末現在）", N(3, "件", as_of=d(2020, 12, 31)), "as-of"),
      c("4件", N(4, "件"), PLAIN),
      c("6件", N(6, "件"), PLAIN)),
    R("4-2", 45, "介護職員の離職率",
      c("16.9％\n（平成30年）", N(16.9, "%", as_of=d(2018, 12, 31), period_start=d(2018, 1, 1)),
        "平成30年 without 度 is the calendar year"),
      c("18.5％\n(令和元年度)", N(18.5, "%", **FY(2019)), "fiscal year"),
      c("－", NONE, DASH),
      c("令和2年の目標\n値：全産業と同じ\n水準【参考全産業\n離職率（平成28年\n度：12.0％）次期\n"
        "千葉県高齢者福祉\n計画は令和3年度\nから5年度で令和2\n年度に策定予定",
        Q("令和2年の目標値:全産業と同じ水準【参考全産業離職率(平成28年度:12.0%)次期"
          "千葉県高齢者福祉計画は令和3年度から5年度で令和2年度に策定予定",
          warnings=["bracket_unclosed"]),
        "no number outside brackets (only a date; 12.0％ is a reference inside 【): "
        "qualitative; the 【 is never closed in the source")),
    R("4-2", 46, "【関係者向け】応需情報等のアクセス件数",
      c("【関係者向け】\n 103,222件\n\n(平成30年度実績)",
        N(103_222, "件", label="関係者向け", **FY(2018)), "【】 label before the number"),
      c("【関係者向け】\n82,092件\n\n(令和2年12月末現在)",
        N(82_092, "件", label="関係者向け", as_of=d(2020, 12, 31)), "label and as-of"),
      c("【関係者向け】\n109,456件（見込）", N(109_456, "件", label="関係者向け", estimate=True),
        "（見込） → estimate"),
      c("増加を目指しま\nす。", UP, "qualitative target")),
    R("4-2", 47, "【県民向け】夜間休日診療所情報アクセス件数",
      c("【県民向け】\n 107,285件\n\n(平成30年度実績)",
        N(107_285, "件", label="県民向け", **FY(2018)), "【】 label"),
      c("【県民向け】\n80,897件\n\n(令和2年12月末現在)",
        N(80_897, "件", label="県民向け", as_of=d(2020, 12, 31)), "label and as-of"),
      c("【県民向け】\n107,863件（見込）", N(107_863, "件", label="県民向け", estimate=True),
        "estimate"),
      c("増加を目指しま\nす。", UP, "qualitative target")),
    R("4-2", 48, "「ちば福祉ナビ」アクセス件数",
      c("2,788,888件\n(平成30年度実績)", N(2_788_888, "件", **FY(2018)), "FY"),
      c("2,184,656件\n(令和2年10月現在)", N(2_184_656, "件", as_of=d(2020, 10, 31)), "as-of"),
      c("3,109,021件", N(3_109_021, "件"), PLAIN),
      c("増加を目指しま\nす。", UP, "qualitative target")),
    R("4-2", 49, "「健康福祉情報の森」アクセス件数",
      c("1,117,975件\n(平成29年度実績)", N(1_117_975, "件", **FY(2017)), "FY2017"),
      c("2,984,420件\n(令和2年11月現在)", N(2_984_420, "件", as_of=d(2020, 11, 30)), "as-of"),
      c("4,937,391件", N(4_937_391, "件"), PLAIN),
      c("増加を目指しま\nす。", UP, "qualitative target")),
    R("4-2", 50, "「健康情報ナビ」アクセス数",
      c("2,069件\n(平成30年度)", N(2069, "件", **FY(2018)), "FY"),
      c("3,861件\n（令和元年度）", N(3861, "件", **FY(2019)), "FY"),
      c("7,030件", N(7030, "件"), PLAIN),
      c("3,000件", N(3000, "件"), PLAIN)),
    R("4-2", 51, "オンライン看護技術学習の受講者数",
      c("延8,341人\n（令和元年11時点）",
        N(8341, "人", person_times=True, warnings=["date_incomplete"]),
        "延 → person-times; 令和元年11時点 lacks 月: flagged, as_of not guessed"),
      c("延15,3728人\n（令和2年11月末）",
        N(153_728, "人", person_times=True, as_of=d(2020, 11, 30), warnings=["digit_grouping"]),
        "typo 15,3728: digits read without commas and flagged, never silently fixed"),
      c("延19,650人", N(19_650, "人", person_times=True), "person-times"),
      c("延11,000人", N(11_000, "人", person_times=True), "person-times")),
    R("4-2", 52, "高収益型園芸施設の新規導入面積（累計）",
      c("404a", N(404, "a"), "are (a)"),
      c("744a\n(令和2年12月末現在)", N(744, "a", as_of=d(2020, 12, 31)), "as-of"),
      c("942a", N(942, "a"), "are"),
      c("750a", N(750, "a"), "are")),
    R("4-2", 53, "ICT等の現地実証試験・技術導入戸数（累計）",
      c("418戸", N(418, "戸"), PLAIN),
      c("494戸\n（令和2年9月末）", N(494, "戸", as_of=d(2020, 9, 30)), "as-of"),
      c("550件", N(550, "件"), "unit 件 against 戸 elsewhere: kept, the checks flag it"),
      c("577戸", N(577, "戸"), PLAIN)),
    R("4-2", 54, "森林クラウドを利用する団体数",
      c("県、52市町村", N(None, parts=(Part(1, "県", "県"), Part(52, "市町村"))),
        "labelled counts: a bare word counts 1 of itself; no headline"),
      c("県、52市町村", N(None, parts=(Part(1, "県", "県"), Part(52, "市町村"))), SAME),
      c("県、52市町村、\n1林業事業体",
        N(None, parts=(Part(1, "県", "県"), Part(52, "市町村"), Part(1, "林業事業体"))),
        "labelled counts across a line break"),
      c("県、52市町村、13\n林業事業体",
        N(None, parts=(Part(1, "県", "県"), Part(52, "市町村"), Part(13, "林業事業体"))),
        "the unit is on the next line")),
    R("4-2", 55, "学会発表等公表できる試験研究成果数",
      c("0件\n（試験課題数11）", N(0, "件", note="試験課題数11"),
        "a bracketed count without a unit is a note; 11 is not the value"),
      c("1件\n(令和2年12月末)", N(1, "件", as_of=d(2020, 12, 31)), "as-of"),
      c("4件\n（試験課題数13）", N(4, "件", note="試験課題数13"), "note"),
      c("5件\n（試験課題数14）", N(5, "件", note="試験課題数14"), "note")),
    R("4-2", 56, "分娩間隔",
      c("449日", N(449, "日"), "days: 日 after a number without a year is a unit, not a date"),
      c("469日", N(469, "日"), "days"),
      c("464日", N(464, "日"), "days"),
      c("419日", N(419, "日"), "days")),
    R("4-2", 57, "公衆無線LAN環境整備事業整備箇所数",
      c("369箇所", N(369, "箇所"), PLAIN),
      c("378箇所\n（令和2年12月末時点）", N(378, "箇所", as_of=d(2020, 12, 31)), "as-of"),
      c("397箇所", N(397, "箇所"), PLAIN),
      c("395箇所\n（年度末見込)", N(395, "箇所", estimate=True),
        "年度末見込: estimate, but no year so no as-of date")),
    R("4-2", 58, "「まるごとe!ちば」フェイスブックアカウントのフォロワー数",
      c("50,000人", N(50_000, "人"), PLAIN),
      c("66,600人\n（令和2年12月現在）", N(66_600, "人", as_of=d(2020, 12, 31)), "as-of"),
      c("－", NONE, DASH),
      c("増加を目指しま\nす。", UP, "qualitative target")),
    R("4-2", 59, "千葉県の太陽光発電設備（出力合計10kW未満）の導入量",
      c("443,555kW\n (平成31年3月31日)", N(443_555, "kW", as_of=d(2019, 3, 31)),
        "kW; as-of day after a leading space"),
      c("478,984kW\n（令和2年3月31日", N(478_984, "kW", as_of=d(2020, 3, 31),
                                       warnings=["bracket_unclosed"]),
        "the closing bracket is missing in the source: date still read, bracket flagged"),
      c("508,984kW", N(508_984, "kW"), "kW"),
      c("503,555kW\n(令和3年3月31日)", N(503_555, "kW", as_of=d(2021, 3, 31)), "target with a date")),
    R("4-2", 60, "BEMSを設置している事業所数",
      c("31事業所\n(平成31年4月1日)", N(31, "事業所", as_of=d(2019, 4, 1)), "平成31年4月 is valid"),
      c("32事業所\n（令和2年4月1日）", N(32, "事業所", as_of=d(2020, 4, 1)), "as-of day"),
      c("32事業所", N(32, "事業所"), PLAIN),
      c("32事業所\n(令和3年4月1日)", N(32, "事業所", as_of=d(2021, 4, 1)), "target with a date")),
    # ---- 資料4-3 推進を支える土台づくり
    R("4-3", 61, "情報交換の場の開催回数",
      c("0回", N(0, "回"), PLAIN),
      c("0回", N(0, "回"), PLAIN),
      c("1回", N(1, "回"), PLAIN),
      c("2回", N(2, "回"), PLAIN)),
    R("4-3", 62, "共同研究等の実施回数",
      c("2回", N(2, "回"), PLAIN),
      c("2回", N(2, "回"), PLAIN),
      c("2回", N(2, "回"), PLAIN),
      c("2回", N(2, "回"), PLAIN)),
    R("4-3", 63, "ニーズ把握の体制整備",
      c("未整備", Q("未整備"), "a state word is qualitative"),
      c("未整備", Q("未整備"), SAME),
      c("未整備", Q("未整備"), SAME),
      c("相談窓口等の設置\n（ネット・出前等）", Q("相談窓口等の設置(ネット・出前等)"),
        "qualitative target; brackets normalised")),
    R("4-3", 64, "県内市町村のオープンデータ取組率",
      c("37%\n（20団体）", N(37, "%", parts=(Part(37, "%"), Part(20, "団体"))),
        "percent with the count as a second part"),
      c("55.6%\n（30団体）", N(55.6, "%", parts=(Part(55.6, "%"), Part(30, "団体"))), "same shape"),
      c("100%\n（54団体）", N(100, "%", parts=(Part(100, "%"), Part(54, "団体"))), "same shape"),
      c("100%\n（54団体）", N(100, "%", parts=(Part(100, "%"), Part(54, "団体"))), SAME)),
    R("4-3", 65, "意見交換会の開催回数",
      c("0回", N(0, "回"), PLAIN),
      c("2回", N(2, "回"), PLAIN),
      c("2回", N(2, "回"), PLAIN),
      c("1回", N(1, "回"), PLAIN)),
    R("4-3", 66, "データ活用事例の創出件数",
      c("2件", N(2, "件"), PLAIN),
      c("2件", N(2, "件"), PLAIN),
      c("2件", N(2, "件"), PLAIN),
      c("3件", N(3, "件"), PLAIN)),
    R("4-3", 67, "見学会・体験会等の開催回数",
      c("1回", N(1, "回"), PLAIN),
      c("1回", N(1, "回"), PLAIN),
      c("1回", N(1, "回"), PLAIN),
      c("2回", N(2, "回"), PLAIN)),
    R("4-3", 68, "ICT関連セミナー等の開催回数",
      c("2回", N(2, "回"), PLAIN),
      c("2回", N(2, "回"), PLAIN),
      c("2回", N(2, "回"), PLAIN),
      c("3回", N(3, "回"), PLAIN)),
)


def _seed_params() -> list[Any]:
    out = []
    for row in SEED:
        cols = COLS_41 if row.sheet == "4-1" else COLS_42
        assert len(row.cells) == len(cols), row.indicator
        for col, (text, exp, why) in zip(cols, row.cells, strict=True):
            reason = f"{row.sheet} #{row.n} {row.indicator} / {col}: {why}"
            out.append(pytest.param(text, exp, reason, id=f"{row.sheet}-{row.n:02d}-{col}"))
    return out


SEED_PARAMS = _seed_params()


def test_seed_table_covers_every_row() -> None:
    assert [r.n for r in SEED] == list(range(1, 69))
    assert sum(r.sheet == "4-1" for r in SEED) == 12
    assert sum(r.sheet == "4-2" for r in SEED) == 48
    assert sum(r.sheet == "4-3" for r in SEED) == 8
    assert len(SEED_PARAMS) == 12 * 5 + 56 * 4


@pytest.mark.parametrize(("text", "exp", "why"), SEED_PARAMS)
def test_seed_cell(text: str, exp: dict[str, Any], why: str) -> None:
    check(text, exp)


# ----------------------------------------------------------------------------- variants

VARIANTS: list[Any] = [
    # width and scales
    ("１２３件", N(123, "件"), "full-width digits"),
    ("４０５，８２３千枚", N(405_823_000, "枚"), "full-width digits, comma and a scale"),
    ("1万2千人", N(12_000, "人"), "kanji multipliers"),
    ("約1.2万件", N(12_000, "件", approx=True), "decimal with 万 and 約"),
    ("3億円", N(300_000_000, "円"), "億"),
    ("三件", N(3, "件"), "kanji numeral before a known unit"),
    ("二十五人", N(25, "人"), "kanji numeral with 十"),
    # signs
    ("▲5", N(-5), "accounting minus ▲"),
    ("△1,000", N(-1000), "△ in a value cell means minus"),
    ("▲5件", N(-5, "件"), "minus with a unit"),
    ("-3", N(-3), "ASCII minus"),
    ("－3", N(-3), "full-width dash directly before a digit is a minus"),
    ("―3", N(-3), "horizontal bar before a digit is a minus"),
    ("ー3", N(-3), "a long-vowel mark not after katakana, before a digit, is a minus"),
    # none
    ("", NONE, "empty"),
    ("   ", NONE, "whitespace only"),
    ("\n", NONE, "a line break only"),
    ("―", NONE, "horizontal bar"),
    ("-", NONE, "ASCII dash"),
    ("‐", NONE, "hyphen"),
    ("—", NONE, "em dash"),
    ("ー", NONE, "a lone long-vowel mark"),
    ("－ －", NONE, "two dashes"),
    ("該当なし", NONE, "none word"),
    # dates
    ("5件（2021/3/31）", N(5, "件", as_of=d(2021, 3, 31)), "Western date"),
    ("5件\n2021年3月", N(5, "件", as_of=d(2021, 3, 31)), "Western year-month outside brackets"),
    ("5件（R3.3末）", N(5, "件", as_of=d(2021, 3, 31)), "era abbreviation with a dot"),
    ("5件（令和2年度）", N(5, "件", **FY(2020)), "令和2年度 = April 2020 – March 2021"),
    ("5件（令和元年度）", N(5, "件", **FY(2019)), "元年度"),
    ("5件（平成元年）", N(5, "件", as_of=d(1989, 12, 31), period_start=d(1989, 1, 1)),
     "平成元年 calendar year"),
    ("5件（R元.12）", N(5, "件", as_of=d(2019, 12, 31)), "R元 with a month"),
    ("5件（令和２年１２月末現在）", N(5, "件", as_of=d(2020, 12, 31)), "full-width date digits"),
    ("5件（令和2年）", N(5, "件", as_of=d(2020, 12, 31), period_start=d(2020, 1, 1)),
     "calendar year"),
    ("5件（令和2年4月～12月）", N(5, "件", as_of=d(2020, 12, 31), period_start=d(2020, 4, 1)),
     "range whose end leaves the year out"),
    ("5件（R元.12～令和2年3）", N(5, "件", as_of=d(2020, 3, 31), period_start=d(2019, 12, 1)),
     "range in dotted style: the bare 3 at the end is the month"),
    ("5件（令和2年13月）", N(5, "件", warnings=["date_invalid"]), "no 13th month"),
    ("5件（2021/2/30）", N(5, "件", warnings=["date_invalid"]), "no 30 February"),
    ("令和2年12月末", Q("令和2年12月末", as_of=d(2020, 12, 31), warnings=["date_only"]),
     "a date alone is not a value (flagged; the date is kept as as_of, like a date cell)"),
    # units, rates, fractions
    ("12ヶ所", N(12, "箇所"), "ヶ所 → 箇所"),
    ("3か所", N(3, "箇所"), "か所 → 箇所 (a unit with hiragana)"),
    ("5 件", N(5, "件"), "space between number and unit"),
    ("10kw", N(10, "kW"), "kw → kW"),
    ("5件/年", N(5, "件/年", per="年"), "rate"),
    ("3/10", N(3, None, denominator=10), "fraction"),
    ("0.865", N(0.865), "a plain decimal has no unit"),
    # qualifiers, labels, notes
    ("20,000件（累計）", N(20_000, "件", cumulative=True), "（累計）"),
    ("5件見込", N(5, "件", estimate=True), "見込 after the unit"),
    ("約100人程度", N(100, "人", approx=True), "約 and 程度"),
    ("50%以上", N(50, "%", note="以上"), "% ends the unit; 以上 is a note"),
    ("100人以上", N(100, "人", note="以上"), "以上 is cut off the unit"),
    ("テレワ－ク実施者数25人", N(25, "人", label="テレワーク実施者数"),
     "PDF long-vowel dash folded in the label"),
    ("1校内容の充実に努めます", N(1, "校", note="内容の充実に努めます"),
     "the unit is cut off the words that run on"),
    ("主催6,576回延べ参加人数36,503人",
     N(6576, "回", label="主催", person_times=True,
       parts=(Part(6576, "回", "主催"), Part(36503, "人", "延べ参加人数"))),
     "two parts on one line"),
    ("（100%）", N(100, "%"), "a cell that is only a bracket: its number is the headline"),
    ("5件、3団体", N(None, parts=(Part(5, "件"), Part(3, "団体"))), "labelled counts"),
    ("合計：65,791人", N(65_791, "人", label="合計",
                        parts=(Part(65_791, "人", "合計", is_total=True),)), "a total label"),
    # statuses and words
    ("減少を目指します", Q("減少を目指します", intent="decrease"), "decrease intent"),
    ("集計中", U("集計中"), "not known yet"),
    ("進捗管理の停止", {"status": Status.SUSPENDED, "words": "進捗管理の停止"}, "suspended"),
    ("検討中", Q("検討中"), "other words are qualitative"),
    # tricky negatives
    ("△", Q("△"), "△ alone is not a number"),
    ("▲", Q("▲"), "▲ alone is not a number"),
    ("千葉県", Q("千葉県"), "千 is a scale only after a digit"),
    ("県民一人ひとり", Q("県民一人ひとり"), "一人 inside a word is not a number"),
    ("一年間で増加を目指します", Q("一年間で増加を目指します", intent="increase"),
     "a kanji numeral is read only when its unit ends the item"),
    ("H2O", Q("H2O"), "digits inside an ASCII word (H2O, CO2) are not a value"),
    ("CO2削減量500t", N(500, "t", label="CO2削減量"), "CO2 is part of the label"),
    # digit grouping
    ("1,2345件", N(12_345, "件", warnings=["digit_grouping"]), "group of four"),
    ("12,34", N(1234, warnings=["digit_grouping"]), "group of two"),
    ("1,000", N(1000), "a correct group"),
    ("1,095,825件", N(1_095_825, "件"), "two correct groups"),
    ("86.50", N(86.5), "a decimal point is not a grouping"),
    ("405，823", N(405_823), "full-width comma"),
]


@pytest.mark.parametrize(
    ("text", "exp", "why"), [pytest.param(*v, id=f"v{i:02d}-{v[0][:12]}") for i, v in
                             enumerate(VARIANTS)])
def test_variant(text: str, exp: dict[str, Any], why: str) -> None:
    check(text, exp)


# ----------------------------------------------------------------------------- non-text

@pytest.mark.parametrize(
    ("value", "exp"),
    [
        pytest.param(None, NONE, id="None"),
        pytest.param(25, N(25), id="int"),
        pytest.param(0.865, N(0.865), id="float: a fraction formatted as % is the caller's"),
        pytest.param(float("nan"), NONE, id="nan is an empty cell"),
        pytest.param(float("inf"), Q("inf", warnings=["not_finite"]), id="inf"),
        pytest.param(True, Q("TRUE"), id="bool"),
    ],
)
def test_non_text(value: object, exp: dict[str, Any]) -> None:
    check(value, exp)


def test_date_cell() -> None:
    p = parse_value(date(2021, 3, 31))
    assert p.status is Status.QUALITATIVE
    assert p.as_of == date(2021, 3, 31)
    assert p.warning_codes == ("date_only",)


def test_text_kept_as_typed() -> None:
    raw = "延15,3728人\n（令和2年11月末）"
    p = parse_value(raw)
    assert p.text == raw
    assert p.label is None


def test_warning_messages_name_the_fragment() -> None:
    w = parse_value("延15,3728人").warnings[0]
    assert w.code == "digit_grouping"
    assert "15,3728" in w.message and "直してください" in w.message
    w = parse_value("延8,341人（令和元年11時点）").warnings[0]
    assert w.code == "date_incomplete"
    assert "令和元年11" in w.message


def test_safety_net_returns_unparseable() -> None:
    """A bug inside the reader becomes a warning, never an exception."""

    class Broken(Parser):
        def _parse_normalized(self, raw: str, s: str) -> Parsed:
            raise RuntimeError("boom")

    p = Broken().parse("5件、3団体")  # not the fast path
    assert p.warning_codes == ("unparseable",)
    assert p.status is Status.UNDETERMINED and p.value is None

    class Unprintable:
        def __str__(self) -> str:
            raise ValueError("no text")

    p = parse_value(Unprintable())
    assert p.warning_codes == ("unparseable",)


def test_seed_cells_never_reach_the_safety_net() -> None:
    for param in SEED_PARAMS:
        assert "unparseable" not in parse_value(param.values[0]).warning_codes


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("件", "件", True),
        ("件", None, True),
        (None, None, True),
        ("件", "件/年", False),
        ("件/年", "件/月", False),
        ("ヶ所", "箇所", True),
        ("名", "人", True),
        ("％", "%", True),
        ("件", "回", False),
        ("戸", "件", False),
    ],
)
def test_same_unit(a: str | None, b: str | None, same: bool) -> None:
    assert same_unit(a, b) is same


# ----------------------------------------------------------------------------- dates

@pytest.mark.parametrize(
    ("text", "start", "end", "codes"),
    [
        ("令和2年12月1日", None, d(2020, 12, 1), ()),
        ("令和2年12月末(現在)", None, d(2020, 12, 31), ()),
        ("令和2年9月末", None, d(2020, 9, 30), ()),
        ("令和元年度", d(2019, 4, 1), d(2020, 3, 31), ()),
        ("(H30実績)", d(2018, 4, 1), d(2019, 3, 31), ()),
        ("平成31年3月31日", None, d(2019, 3, 31), ()),
        ("平成30年度～令和2年12月累計", d(2018, 4, 1), d(2020, 12, 31), ()),
        ("R元.12～令和2年3", d(2019, 12, 1), d(2020, 3, 31), ()),
        ("R3.3末", None, d(2021, 3, 31), ()),
        ("令和3年2月現在", None, d(2021, 2, 28), ()),
        ("令和2年11月末", None, d(2020, 11, 30), ()),
        ("2021/3/31", None, d(2021, 3, 31), ()),
        ("2021年3月", None, d(2021, 3, 31), ()),
        ("(令和2年)", d(2020, 1, 1), d(2020, 12, 31), ()),
        ("令和元年11時点", None, None, ("date_incomplete",)),
        ("令和２年１２月", None, d(2020, 12, 31), ()),
        ("2020-12-31", None, d(2020, 12, 31), ()),
        ("令和2年13月", None, None, ("date_invalid",)),
        ("H2O", None, None, ()),
        ("2,000,000件", None, None, ()),
        ("209/447", None, None, ()),
    ],
)
def test_parse_period(text: str, start: date | None, end: date | None,
                      codes: tuple[str, ...]) -> None:
    got_start, got_end, warnings = parse_period(text)
    assert (got_start, got_end, tuple(w.code for w in warnings)) == (start, end, codes)
