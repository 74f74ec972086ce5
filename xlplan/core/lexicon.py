"""The vocabulary of value cells, as data.

Everything the parser (:mod:`xlplan.core.parse`) and the date reader
(:mod:`xlplan.core.dates`) recognise by name lives here: eras, units, scale words,
status words, qualifiers, intents, the words an as-of note may carry, and the Japanese
messages of the warnings. Like dateutil's ``parserinfo``, :class:`Lexicon` is a class of
plain data that can be subclassed to extend the vocabulary; the code does not hide any
word of its own.

All words are written in their *normalised* spelling (see
:func:`xlplan.core.normalize.normalize`): ASCII digits and brackets, ``%``, ``:``,
``～`` for every wave dash, ``-`` for every dash that is not a katakana long vowel.
"""

from __future__ import annotations

from typing import ClassVar

from xlplan.core.values import Status


class Lexicon:
    """The words of value cells. Subclass and override attributes to extend."""

    # ------------------------------------------------------------------ dates
    # (name, abbreviation, Western year of 元年). 令和元年 = 2019, R3 = 2021.
    ERAS: ClassVar[tuple[tuple[str, str, int], ...]] = (
        ("令和", "R", 2019),
        ("平成", "H", 1989),
        ("昭和", "S", 1926),
    )
    FIRST_YEAR: ClassVar[str] = "元"  # 令和元年, R元.12
    FISCAL_YEAR_START_MONTH: ClassVar[int] = 4  # 令和2年度 = April 2020 – March 2021
    # Words that may follow a date in an as-of note and carry no meaning of their own
    # for the period (令和2年12月末現在, H30実績, 令和元年4月1日時点).
    DATE_SKIP_WORDS: ClassVar[tuple[str, ...]] = (
        "年度末", "末日", "末", "現在", "時点", "実績", "頃", "まで", "迄", "付け", "付",
        "分", "現",
    )

    # ------------------------------------------------------------------ numbers
    # Scale words after an Arabic number: 405,823千枚 = 405,823,000枚, 1万2千人 = 12,000人.
    SCALES: ClassVar[dict[str, int]] = {
        "百": 100,
        "千": 1_000,
        "万": 10_000,
        "億": 100_000_000,
        "兆": 1_000_000_000_000,
    }
    # Kanji numerals (三件, 二十五人): only read when a known unit follows.
    KANJI_DIGITS: ClassVar[dict[str, int]] = {
        "〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4,
        "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    }
    KANJI_SMALL_SCALES: ClassVar[dict[str, int]] = {"十": 10, "百": 100, "千": 1_000}
    # Signs before a number. In a value cell △ and ▲ are the accounting minus.
    MINUS_SIGNS: ClassVar[tuple[str, ...]] = ("-", "△", "▲")

    # ------------------------------------------------------------------ units
    # Spelling variants → the canonical unit. Units not listed are kept as typed.
    UNIT_CANONICAL: ClassVar[dict[str, str]] = {
        "パーセント": "%",
        "ヶ所": "箇所", "ヵ所": "箇所", "か所": "箇所", "カ所": "箇所", "ケ所": "箇所",
        "個所": "箇所",
        "ヶ月": "か月", "ヵ月": "か月", "カ月": "か月", "ケ月": "か月", "箇月": "か月",
        "KW": "kW", "kw": "kW", "Kw": "kW",
        "KWh": "kWh", "kwh": "kWh",
        "手続き": "手続",
    }
    # Units that count the same thing: same_unit() treats them as one.
    UNIT_EQUIVALENT: ClassVar[dict[str, str]] = {"名": "人"}
    # Units that are complete by themselves: whatever follows is not part of the unit
    # (50%以上 → unit %, note 以上).
    SYMBOL_UNITS: ClassVar[tuple[str, ...]] = ("%", "‰")
    # Units the parser knows. Any other word after a number is a unit too; this list is
    # only used to cut a unit off words that run on without a break
    # (1校内容の充実に努めます, 6,576回延べ参加人数) and to accept kanji numerals (三件).
    KNOWN_UNITS: ClassVar[tuple[str, ...]] = (
        "人", "名", "件", "回", "時間", "手続", "手続き", "団体", "施設", "地図", "市町村",
        "市町", "項目", "社", "校", "日", "a", "ha", "戸", "kW", "kWh", "MW", "事業所",
        "箇所", "か所", "ヶ所", "ヵ所", "カ所", "ケ所", "事業体", "林業事業体", "点", "冊",
        "枚", "台", "本", "個", "機関", "世帯", "所属", "館", "園", "講座", "コース",
        "業務", "地区", "円", "年", "か月", "ヶ月", "カ月", "週", "%", "km", "m", "t", "kg",
        "頭", "隻", "県", "市", "町", "村", "課", "局", "店", "者", "種類", "分野", "部会",
        "件数", "人数", "回数", "アカウント", "ページ", "サイト",
    )

    # ------------------------------------------------------------------ words
    # A cell that is only dashes means "nothing / not applicable". After normalisation
    # every dash is "-", except a lone katakana long vowel "ー" which stays as typed.
    DASHES: ClassVar[str] = "-ー－―‐‑‒–—−ｰ"
    # Whole-cell words that also mean "nothing".
    NONE_WORDS: ClassVar[tuple[str, ...]] = ("なし", "無し", "該当なし", "該当無し", "対象外", "N/A")
    # Words of a cell without a number → its status. Looked up in the cell with
    # spaces and line breaks removed, in this order.
    STATUS_WORDS: ClassVar[tuple[tuple[str, Status], ...]] = (
        ("進捗管理を停止", Status.SUSPENDED),
        ("進捗管理の停止", Status.SUSPENDED),
        ("進捗管理停止", Status.SUSPENDED),
        ("算出不可", Status.UNDETERMINED),
        ("算出中", Status.UNDETERMINED),
        ("未定", Status.UNDETERMINED),
        ("調査の予定", Status.UNDETERMINED),
        ("調査予定", Status.UNDETERMINED),
        ("調査中", Status.UNDETERMINED),
        ("集計中", Status.UNDETERMINED),
        ("未集計", Status.UNDETERMINED),
        ("確認中", Status.UNDETERMINED),
        ("精査中", Status.UNDETERMINED),
        ("不明", Status.UNDETERMINED),
    )
    # Intent phrases of a qualitative target (増加を目指します。).
    INTENTS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("増加を目指", "increase"),
        ("拡大を目指", "increase"),
        ("向上を目指", "increase"),
        ("減少を目指", "decrease"),
        ("削減を目指", "decrease"),
        ("低減を目指", "decrease"),
    )

    # ------------------------------------------------------------------ qualifiers
    APPROX_PREFIXES: ClassVar[tuple[str, ...]] = ("約", "概ね", "およそ")
    APPROX_SUFFIXES: ClassVar[tuple[str, ...]] = ("程度", "前後")
    # 延 only counts directly before a number (延8,341人); 延べ counts anywhere
    # (延べ参加人数).
    PERSON_TIMES_PREFIXES: ClassVar[tuple[str, ...]] = ("延べ", "延")
    PERSON_TIMES_WORDS: ClassVar[tuple[str, ...]] = ("延べ",)
    CUMULATIVE_WORDS: ClassVar[tuple[str, ...]] = ("累計",)
    ESTIMATE_WORDS: ClassVar[tuple[str, ...]] = ("見込",)
    # Words that may end a unit but are not part of it (100人以上 → 人, note 以上).
    UNIT_SUFFIX_WORDS: ClassVar[tuple[str, ...]] = (
        "以上", "以下", "未満", "超", "余り", "程度", "前後", "見込み", "見込", "累計",
    )
    # Words an as-of note may carry besides its date: (令和2年12月末現在), (年度末見込),
    # (平成30年度～令和2年12月累計), (見込).
    NOTE_QUALIFIER_WORDS: ClassVar[tuple[str, ...]] = (
        "見込み", "見込", "累計", "年度末", "実績値", "実績", "速報値", "速報", "確定値", "確定",
    )
    # A label ending in one of these marks a total that wins over its breakdown
    # (4～12月計: 65,791人), unless it ends in one of NOT_TOTAL_SUFFIXES.
    TOTAL_SUFFIXES: ClassVar[tuple[str, ...]] = ("合計", "総計", "総数", "計")
    NOT_TOTAL_SUFFIXES: ClassVar[tuple[str, ...]] = (
        "累計", "小計", "推計", "集計", "統計", "会計", "設計", "家計", "時計", "生計",
    )

    # ------------------------------------------------------------------ warnings
    # Stable code → Japanese message for staff; {fragment} is the text that triggered it.
    WARNINGS: ClassVar[dict[str, str]] = {
        "digit_grouping": "桁区切りが不正です（{fragment}）。正しい数値に直してください。",
        "date_incomplete": (
            "時点の日付が不完全です（{fragment}）。「令和元年11月」のように年と月を"
            "書いてください。"
        ),
        "date_invalid": "存在しない日付です（{fragment}）。年月日を確認してください。",
        "bracket_unclosed": "括弧が閉じられていません（{fragment}）。括弧を閉じてください。",
        "bracket_unopened": "閉じ括弧に対応する開き括弧がありません（{fragment}）。括弧を確認してください。",
        "date_only": "日付だけが入力されています（{fragment}）。数値または「－」を入力してください。",
        "not_finite": "数値として扱えない値です（{fragment}）。数値を入力してください。",
        "unparseable": (
            "値を読み取れませんでした（{fragment}）。数値と単位（例：1,234件）、"
            "または「－」を入力してください。"
        ),
    }


LEXICON = Lexicon()
