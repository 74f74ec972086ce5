"""One spelling for what staff type: the first step of every parse.

:func:`normalize` folds the ways the same cell can be typed into one string:

* NFKC width folding: ``４０５，８２３`` → ``405,823``, ``（）`` → ``()``, ``％`` → ``%``,
  ``：`` → ``:``, half-width katakana → full-width, ``㍻`` → ``平成``, ``㎡`` → ``m2``.
  Circled numbers (``①利用件数``) are kept: they number a label, and NFKC would turn
  them into digits that read like a value.
* one wave dash ``～`` (NFKC would turn ``～`` into ``~``; the report writes ``～``),
  one bracket pair ``()`` for ``[] {} 〔〕``; ``【】`` stay (they mark labels);
* one dash ``-`` for ``－ ― ‐ — − –``, except right after a katakana, where the PDF's
  long-vowel habit wrote a dash for ``ー``: ``テレワ－ク`` → ``テレワーク``. A ``ー`` that
  follows no katakana and stands before a digit is a minus (``ー5`` → ``-5``).
* whitespace: runs of spaces → one space, line breaks kept (they separate the parts
  of a multi-part cell) but trimmed, empty lines dropped, no whitespace around
  ``～ : 、`` (``4～ 5月`` → ``4～5月``).

△ and ▲ are kept. The function is idempotent: ``normalize(normalize(x)) ==
normalize(x)`` for every string (a property test checks it). The order of the steps is
what makes it so: width folding first (it turns ``－`` into ``-``), then the dash and
long-vowel rules, which only ever produce characters that NFKC leaves alone.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize"]

# Invisible characters Excel users paste in. Removed before NFKC so that removing them
# can never bring together two characters that NFKC would then compose.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")

# Circled numbers ①–⑳, ㉑–㉟, ㊱–㊿, ⓪: numbering, kept out of NFKC (which makes them digits).
_CIRCLED = re.compile("[\u2460-\u2473\u24ea\u3251-\u325f\u32b1-\u32bf]")

_TRANSLATE = str.maketrans(
    {
        "~": "～",
        "〜": "～",
        "∼": "～",
        "‐": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
        "[": "(",
        "]": ")",
        "{": "(",
        "}": ")",
        "〔": "(",
        "〕": ")",
        "〖": "【",
        "〗": "】",
        "\t": " ",
        "\r": "\n",
        "\v": "\n",
        "\f": "\n",
        "\x1c": "\n",
        "\x1d": "\n",
        "\x1e": "\n",
        "\x85": "\n",
        "\u2028": "\n",
        "\u2029": "\n",
    }
)

_KATAKANA = "ァ-ヺー"
# A dash run after a katakana is a long vowel: テレワ－ク, デ－タ.
_LONG_VOWEL = re.compile(f"(?<=[{_KATAKANA}])-+")
# A long-vowel mark that follows no katakana and stands before a digit is a minus.
_VOWEL_MINUS = re.compile(f"(?<![{_KATAKANA}])ー(?=\\d)")
_SPACES = re.compile(r"[^\S\n]+")
_LINE_BREAKS = re.compile(r" ?\n[ \n]*")
_AROUND_SEPARATORS = re.compile(r"[ \n]*([～:、])[ \n]*")


def _long_vowels(m: re.Match[str]) -> str:
    return "ー" * len(m.group())


def _nfkc(s: str) -> str:
    """NFKC everywhere but on circled numbers; the pieces between them are folded alone,
    so a second pass splits at the same places and changes nothing."""
    if _CIRCLED.search(s) is None:
        return unicodedata.normalize("NFKC", s)
    out: list[str] = []
    pos = 0
    for m in _CIRCLED.finditer(s):
        out.append(unicodedata.normalize("NFKC", s[pos : m.start()]))
        out.append(m.group())
        pos = m.end()
    out.append(unicodedata.normalize("NFKC", s[pos:]))
    return "".join(out)


def normalize(text: str) -> str:
    """The canonical spelling of ``text`` (see the module docstring)."""
    s = _INVISIBLE.sub("", text)
    s = _nfkc(s).translate(_TRANSLATE)
    if "-" in s:
        s = _LONG_VOWEL.sub(_long_vowels, s)
    if "ー" in s:
        s = _VOWEL_MINUS.sub("-", s)
    s = _SPACES.sub(" ", s)
    if "\n" in s:
        s = _LINE_BREAKS.sub("\n", s)
    s = s.strip(" \n")
    return _AROUND_SEPARATORS.sub(r"\1", s)
