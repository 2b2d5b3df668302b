"""Cleaning of single cells as PDF extraction leaves them: tags, stray spaces, broken numbers.

Every function here is pure: it takes the printed text and returns what it means, or says why it
cannot. Callers decide what to report.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TypeVar

_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
# Characters between which extraction inserts spaces that the printed page does not have.
_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’（）()【】\[\]、，。：；"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_NUMBER = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_DASHES = {"-", "--", "—", "——", "–", "/", "－"}


def strip_tags(text: str) -> str:
    """Remove the HTML tags (`<b>`, `<p>`) some extractors leave in cells."""
    return _TAG.sub(" ", text) if "<" in text else text


# Memos for the functions below: a disclosure repeats the same cells and labels many times.
# Plain dicts, emptied when full (memory stays flat over any batch), are cheaper to consult
# than functools caches, above all from the compiled build.
MEMO_SIZE = 1 << 16
_CLEAN_TEXT: dict[str, str] = {}
_COMPACT: dict[str, str] = {}
_AMOUNTS: dict[str, Amount] = {}


K = TypeVar("K")
V = TypeVar("V")


def remember(memo: dict[K, V], key: K, value: V) -> V:
    """Keep an answer in a memo (emptied first when full) and give it back. Callers look the
    memo up themselves: a lookup inline is the cheap path, above all compiled."""
    if len(memo) >= MEMO_SIZE:
        memo.clear()
    memo[key] = value
    return value


def clean_text(text: str) -> str:
    """Text of a cell as printed: tags gone, spaces the extractor added between CJK characters gone."""
    cleaned = _CLEAN_TEXT.get(text)
    return remember(_CLEAN_TEXT, text, _clean_text(text)) if cleaned is None else cleaned


def _clean_text(text: str) -> str:
    # split() breaks on exactly the characters \s matches: runs of them become one space
    return " ".join(_SPACE_NEAR_CJK.sub("", strip_tags(text).replace("\u00a0", " ").strip()).split())


def page_furniture(text: str) -> bool:
    """Page numbers and similar lines that repeat at a page's top or bottom (- 6 -, 第 3 页)."""
    stripped = text.strip("-—–·第页共/ \u3000")
    return stripped.isdigit() or not stripped


def compact(text: str) -> str:
    """A form for comparing labels and names: NFKC (full-width to half-width), no whitespace."""
    compacted = _COMPACT.get(text)
    return remember(_COMPACT, text, _compact(text)) if compacted is None else compacted


def _compact(text: str) -> str:
    plain = strip_tags(text)
    return "".join((plain if plain.isascii() else unicodedata.normalize("NFKC", plain)).split())


@dataclass(frozen=True)
class Amount:
    """An amount cell: `value` is None for a blank cell; `problem` says why a non-blank cell has no value."""

    value: Decimal | None
    problem: str | None = None
    repaired: str | None = None
    # to_yuan of the value by factor: an amount recurs across a disclosure's tables
    yuan_by_factor: dict[int, Decimal] = field(default_factory=dict, compare=False, repr=False)

    def in_yuan(self, factor: int) -> Decimal:
        """The value in yuan (to_yuan), worked out once per factor."""
        yuan = self.yuan_by_factor.get(factor)
        if yuan is None:
            assert self.value is not None
            yuan = self.yuan_by_factor[factor] = to_yuan(self.value, factor)
        return yuan


def parse_amount(text: str) -> Amount:
    """Read a printed amount exactly. Blank is None; '0.00' is 0; separators and tags are dropped."""
    amount = _AMOUNTS.get(text)
    return remember(_AMOUNTS, text, _parse_amount(text)) if amount is None else amount


def _parse_amount(text: str) -> Amount:
    raw = strip_tags(text).strip()
    if not raw:
        return Amount(None)
    norm = unicodedata.normalize("NFKC", raw).replace("，", ",")
    if norm in _DASHES:
        return Amount(None, problem=f"{raw!r} is a placeholder, not a number (read as blank)")
    if _NUMBER.match(norm):
        return Amount(Decimal(norm.replace(",", "")))
    joined = re.sub(r"\s+", "", norm)
    if joined != norm and _NUMBER.match(joined):
        return Amount(Decimal(joined.replace(",", "")), repaired=f"digits split by spaces {raw!r} joined")
    return Amount(None, problem=f"{raw!r} is not a number")


def placeholder_mark(text: str) -> str | None:
    """The mark of a cell printed as a dash or slash instead of an amount ('—', '-', '/', '－'),
    normalised (full-width to half-width); None for any other cell."""
    norm = unicodedata.normalize("NFKC", strip_tags(text).strip())
    return norm if norm in _DASHES else None


def looks_numeric(text: str) -> bool:
    """True for a cell that reads as an amount (used to find where amounts start in a row)."""
    a = parse_amount(text)
    return a.value is not None or a.repaired is not None


def to_yuan(value: Decimal, factor: int) -> Decimal:
    """Convert to yuan exactly; at least two decimal places so CSV columns line up."""
    yuan = value * factor
    if yuan.as_tuple().exponent > -2:  # type: ignore[operator]
        yuan = yuan.quantize(Decimal("0.01"))
    return yuan


def format_decimal(value: Decimal | None) -> str:
    """Plain decimal notation, never exponent form, for CSV and JSON."""
    if value is None:
        return ""
    text = str(value)  # plain already unless it has an exponent; format() is several times slower
    if "E" not in text:
        return text
    try:
        return format(value, "f")
    except (InvalidOperation, ValueError):  # pragma: no cover - Decimal always formats
        return text


_CODE = re.compile(r"^[0-9A-Z]+$")


def clean_code(text: str) -> str:
    """A code cell without tags or the spaces extraction put inside long project codes."""
    return "".join(strip_tags(text).split())


def is_code(text: str) -> bool:
    """Digits, or digits and capitals (project codes such as 42010026157Y000000106)."""
    code = clean_code(text)
    return bool(code) and bool(_CODE.match(code)) and code[0].isdigit()
