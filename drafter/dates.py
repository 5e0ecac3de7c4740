"""Dates in 公文: printed with Arabic numerals, full year and no padding (2025年6月20日)."""

from __future__ import annotations

import datetime as dt
import re

from .conventions import NUMERALS, YEAR_DIGITS, chinese_value, digits_value
from .errors import InvalidValue, given

FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

_NUMERIC = re.compile(r"^(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?$")
_CHINESE = re.compile(rf"^([{YEAR_DIGITS}]{{4}})年([{NUMERALS}]{{1,3}})月([{NUMERALS}]{{1,3}})日$")
# A line that is a date, in any style a notice may print it (2025年6月20日, 二〇二五年六月二十日, full-width digits),
# and a date within a line (the 成文日期 after a seal's tabs, the 印发日期 after the 印发机关).
DATE_LINE = re.compile(rf"^\s*(\d{{4}}|[{YEAR_DIGITS}Ｏ０-９]{{4}})\s*年.{{1,3}}月.{{1,4}}日\s*$")
DATE_IN_TEXT = re.compile(rf"[\d{YEAR_DIGITS}０-９]{{4}}\s*年.{{1,3}}?月.{{1,4}}?日")


def format_date(day: dt.date) -> str:
    """2025年6月20日 — never zero-padded, never 二〇二五年."""
    return f"{day.year}年{day.month}月{day.day}日"


def _cn_number(text: str) -> int | None:
    """Chinese numerals as written in old-style dates: 二〇二五, 十二, 二十, 三十一; None if it is not a numeral."""
    if "十" in text:
        return chinese_value(text) or None
    return digits_value(text)


def date_or_none(value: object) -> dt.date | None:
    """``value`` read as a date when it is one (parse_date), else None: for what is looked at before validation."""
    try:
        return parse_date(value) if value is not None else None
    except InvalidValue:
        return None


def parse_date(value: object) -> dt.date:
    """A date from YAML (already a date), ISO text, 2025年6月20日, 2025/6/20 or the old 二〇二五年六月二十日."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None or isinstance(value, str) and not value.strip():  # a page's date field too: incomplete or no day
        raise InvalidValue("没有填写日期，或所填的日期不完整、不存在：请写成“2025年6月20日”或“2025-06-20”")
    if not isinstance(value, str):
        raise InvalidValue(f"{given(value)}不是日期，请写成“2025年6月20日”或“2025-06-20”")
    text = value.strip().translate(FULLWIDTH_DIGITS)
    m = _NUMERIC.match(text)
    if not m:
        cn = _CHINESE.match(text)
        if not cn:
            raise InvalidValue(f"“{value}”不是日期，请写成“2025年6月20日”或“2025-06-20”")
        read = [_cn_number(g) for g in cn.groups()]
        parts = [n for n in read if n is not None]
        if len(parts) < len(read):
            raise InvalidValue(f"“{value}”不是日期，请写成“2025年6月20日”")
    else:
        parts = [int(g) for g in m.groups()]
    try:
        return dt.date(*parts)
    except ValueError:
        raise InvalidValue(f"“{value}”不是存在的日期") from None
