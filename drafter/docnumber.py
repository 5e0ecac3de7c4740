"""发文字号 (document number): 机关代字〔年份〕序号号, parsed strictly or repaired with warnings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import FULLWIDTH_DIGITS
from .errors import InvalidValue
from .files import INVISIBLE  # the characters a 文号 may not hold

OPEN, CLOSE = "〔", "〕"
_WRONG_BRACKETS = {"[": "]", "【": "】", "(": ")", "（": "）", "〖": "〗", "{": "}", "［": "］", "〈": "〉"}
_ALL_BRACKETS = set(_WRONG_BRACKETS) | set(_WRONG_BRACKETS.values()) | {OPEN, CLOSE}
_BRACKETED = re.compile(r"^(?P<code>\D+?)(?P<open>[^\w\s])(?P<year>\d+)(?P<close>[^\w\s])(?P<di>第?)(?P<num>\d+)号$")
_BARE = re.compile(r"^(?P<code>\D+?)(?P<year>\d{4})(?P<di>第?)(?P<num>\d+)号$")
# A line that is a 文号, well formed or not: any brackets or none around the year, 第 and 号 there or not.
_LOOSE = re.compile(r"^\S{1,12}?[〔\[【(（［〈]?\s*\d{2,4}\s*[〕\]】)）］〉]?\s*(第?\s*\d+\s*号?)?$")


def invisible(text: str) -> str | None:
    """“看不见的字符 U+202E” for the first character of ``text`` that INVISIBLE describes; None if there is none."""
    found = INVISIBLE.search(text)
    return f"看不见的字符 U+{ord(found.group()):04X}（控制字符、零宽字符或改变文字方向的字符）" if found else None


def looks_like_doc_number(text: str) -> bool:
    """A line that is a 文号, well formed or not (a date line is not)."""
    text = re.sub(r"\s", "", text)
    return bool(_LOOSE.match(text)) and "年" not in text and len(text) < 25


def shown(text: str) -> str:
    """``text`` with each invisible character written as <U+XXXX>, to quote it in a message safely."""
    return INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)



@dataclass(frozen=True)
class DocNumber:
    """A 发文字号. ``str()`` always prints the standard form, e.g. 泉洛商务〔2025〕33号."""

    code: str  # 机关代字, e.g. 泉洛商务
    year: int
    number: int
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        return f"{self.code}{OPEN}{self.year}{CLOSE}{self.number}号"

    @classmethod
    def parse(cls, text: str, *, strict: bool = False) -> DocNumber:
        """Read a 文号. Forms clerks often get wrong are repaired, each repair noted in ``warnings``;
        with ``strict=True`` any repair is an error instead. Unrecoverable forms raise InvalidValue."""
        if not isinstance(text, str) or not text.strip():
            raise InvalidValue("发文字号不能为空")
        hidden = invisible(text)
        if hidden:
            raise InvalidValue(f"“{shown(text.strip())}”中有{hidden}，请删除")
        original = text
        notes: list[str] = []
        text = text.strip().translate(FULLWIDTH_DIGITS)
        squeezed = re.sub(r"[\s\u3000]+", "", text)
        if squeezed != text:
            notes.append("删除了多余的空格")
        text = squeezed
        if not text.endswith("号"):
            raise InvalidValue(f"“{original}”不完整：发文字号应以“号”结尾，如“泉洛商务〔2025〕33号”")
        m = _BRACKETED.match(text)
        if m:
            opening, closing = m["open"], m["close"]
            if (opening, closing) != (OPEN, CLOSE):
                if _WRONG_BRACKETS.get(opening) != closing:
                    raise InvalidValue(f"“{original}”中年份两侧的括号不成对，应为六角括号〔〕")
                notes.append(f"年份应使用六角括号〔〕，不用“{opening}{closing}”")
        else:
            m = _BARE.match(text)
            if not m or any(ch in _ALL_BRACKETS for ch in text):
                raise InvalidValue(f"“{original}”不是有效的发文字号，应为“机关代字〔年份〕序号号”，如“泉洛商务〔2025〕33号”")
            notes.append("年份缺少六角括号〔〕")
        code, year_text, num_text = m["code"], m["year"], m["num"]
        if len(year_text) != 4:
            raise InvalidValue(f"“{shown(original[:40])}”中的年份“{year_text[:8]}”应为四位数字")
        if len(num_text) > 6:
            raise InvalidValue(f"“{shown(original[:40])}…”的序号有{len(num_text)}位，不是发文字号的序号")
        year = int(year_text)
        if not 1949 <= year <= 2100:
            raise InvalidValue(f"“{original}”中的年份{year}不合理")
        if m["di"]:
            notes.append("序号前不加“第”")
        if num_text.startswith("0"):
            if int(num_text) == 0:
                raise InvalidValue(f"“{original}”的序号不能为0")
            notes.append("序号不编虚位（如“1号”不写作“01号”）")
        if any(ch in code for ch in "〔〕"):
            raise InvalidValue(f"“{original}”的机关代字中有多余的括号")
        result = cls(code, year, int(num_text), tuple(f"发文字号“{original}”已更正为“{code}{OPEN}{year}{CLOSE}{int(num_text)}号”：{n}" for n in notes))
        if strict and result.warnings:
            raise InvalidValue("；".join(notes) + f"（应为“{result}”）")
        return result
