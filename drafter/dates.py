"""Dates in 公文: printed with Arabic numerals, full year and no padding (2025年6月20日)."""

from __future__ import annotations

import datetime as dt
import re

from .errors import InvalidValue

FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMERIC = re.compile(r"^(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?$")


def format_date(day: dt.date) -> str:
    """2025年6月20日 — never zero-padded, never 二〇二五年."""
    return f"{day.year}年{day.month}月{day.day}日"


def _cn_number(text: str) -> int:
    """Chinese numerals as written in old-style dates: 二〇二五, 十二, 二十, 三十一."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return int("".join(str(_CN_DIGITS[ch]) for ch in text))


def parse_date(value: object) -> dt.date:
    """A date from YAML (already a date), ISO text, 2025年6月20日, 2025/6/20 or the old 二〇二五年六月二十日."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(f"“{value}”不是日期，请写成“2025年6月20日”或“2025-06-20”")
    text = value.strip().translate(FULLWIDTH_DIGITS)
    m = _NUMERIC.match(text)
    if not m:
        cn = re.match(r"^([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$", text)
        if not cn:
            raise InvalidValue(f"“{value}”不是日期，请写成“2025年6月20日”或“2025-06-20”")
        try:
            parts = tuple(_cn_number(g) for g in cn.groups())
        except KeyError:
            raise InvalidValue(f"“{value}”不是日期，请写成“2025年6月20日”") from None
    else:
        parts = tuple(int(g) for g in m.groups())
    try:
        return dt.date(*parts)
    except ValueError:
        raise InvalidValue(f"“{value}”不是存在的日期") from None
