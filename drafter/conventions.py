"""The text conventions of 公文 and of the 安全生产月 notices, in one place for check, import and compose: Chinese
numerals both ways, heading numbers, the campaign's ordinal (第N个), the kinds of document a title names.

The 文号's patterns are docnumber.py's and the dates' are dates.py's (made with the numerals here). Standard library
only: `drafter check` imports this at start-up."""

from __future__ import annotations

import re

# Chinese numerals. DIGITS as written (index = value); NUMERALS those a count is written with (a heading's number,
# a date's month and day: 一 … 十); YEAR_DIGITS those of a year written digit by digit (二〇二五, ○ often typed for 〇).
DIGITS = "零一二三四五六七八九"
NUMERALS = DIGITS[1:] + "十"
YEAR_DIGITS = "〇○" + DIGITS
_VALUE = {ch: i for i, ch in enumerate(DIGITS)} | {"〇": 0, "○": 0}


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五, 100 → 一百, 105 → 一百零五, 110 → 一百一十."""
    if n < 10:
        return DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    if n >= 1000:
        return str(n)
    return DIGITS[hundreds] + "百" + ("" if not rest else ("零" + DIGITS[rest]) if rest < 10 else
                                      DIGITS[rest // 10] + "十" + (DIGITS[rest % 10] if rest % 10 else ""))


def chinese_value(text: str) -> int:
    """A Chinese numeral from 一 to 九十九 (一, 十, 十二, 二十, 二十三) as a number; anything else (十十, 二三) 0."""
    ones_digits = NUMERALS[:9]
    if len(text) == 1 and text in ones_digits:
        return DIGITS.index(text)
    tens, ten, ones = text.partition("十")
    if not ten or len(tens) > 1 or len(ones) > 1 or not set(tens + ones) <= set(ones_digits):
        return 0
    return (DIGITS.index(tens) if tens else 1) * 10 + (DIGITS.index(ones) if ones else 0)


def digits_value(text: str) -> int | None:
    """A number written digit by digit, as a year is (二〇二五 → 2025; 〇, ○ and 零 are 0); None if it is not one."""
    if not text or any(ch not in _VALUE for ch in text):
        return None
    return int("".join(str(_VALUE[ch]) for ch in text))


# Heading numbers, by level (GB/T 9704—2012 7.3.3): 一、 （一） 1. （1）. The patterns match the forms clerks type by
# mistake too (1、 1． (一)), so that they can be reported; a level-3 number is not followed by a digit (2.5万元).
HEADING_NUMBER = {1: rf"[{NUMERALS}]+、", 2: rf"[（(][{NUMERALS}]+[）)]", 3: r"\d+[.．、](?!\d)", 4: r"[（(]\d+[）)]"}
HEADING = [(level, re.compile("^" + pattern)) for level, pattern in HEADING_NUMBER.items()]
# A text that starts with a number of any level, in any form one might type (a title given its own number).
NUMBERED = re.compile(rf"^\s*(?:[{NUMERALS}]+[、.．]|[（(][{NUMERALS}\d]+[）)]|\d+[、.．])")


def heading_number(level: int, n: int) -> str:
    """The four levels of GB/T 9704: 一、 （一） 1. （1）."""
    return {1: f"{chinese_number(n)}、", 2: f"（{chinese_number(n)}）", 3: f"{n}.", 4: f"（{n}）"}[level]


def heading_of(text: str) -> tuple[int, str] | None:
    """(level, the number as written) of a text that starts with a heading number, else None."""
    for level, pattern in HEADING:
        m = pattern.match(text)
        if m:
            return level, m.group(0)
    return None


# The campaign's ordinal: 2002 was the first national 安全生产月, so 2025's is the 24th (第24个).
FIRST_YEAR = 2002


def ordinal(year: int) -> int:
    """N of 第N个全国“安全生产月” in ``year``."""
    return year - FIRST_YEAR + 1


def year_of(n: int) -> int:
    """The year of the Nth national 安全生产月."""
    return FIRST_YEAR + n - 1


# Kinds of document, by the word a title ends with (…的通知). Each reader looks for the kinds it may meet there:
# NOTICE_KINDS: what a 安全生产月 notice is or attaches (cited without 《》 in a text, check reports it);
# PARENT_KINDS: the kinds a parent notice is, whose title ends a line of its own in a source text;
# HEADED_KINDS: the kinds of 公文 printed under a 版头 (a red line ending so is a title, not the 发文机关标志);
# TITLE_KINDS: every kind a title of a notice published online may end with (import looks for its title).
NOTICE_KINDS = ("通知", "方案", "意见")
PARENT_KINDS = (*NOTICE_KINDS, "决定")
HEADED_KINDS = ("通知", "意见", "方案", "决定", "报告", "请示", "函", "纪要")
TITLE_KINDS = ("通知", "通报", "方案", "意见", "决定", "办法", "规定", "要点", "安排", "计划", "公告", "通告", "函")


def any_of(words: tuple[str, ...]) -> str:
    """A pattern matching any of ``words`` (a group of its own: it can be followed by $)."""
    return "(?:" + "|".join(map(re.escape, words)) + ")"


# What a template leaves in a text (printed, or checked) when a value was missing or a tag was not filled in.
LEFTOVER = re.compile(r"(?<![A-Za-z])(?:None|null|NULL|Null)(?![A-Za-z])|\{\{|\}\}|\{%|%\}|\{#|#\}")

# A half-width mark in Chinese text (GB/T 15834—2011: Chinese text takes full-width marks): , ; : ! ? after a Chinese
# character (not a time such as 18:00), ( between two, a straight double quote beside one (“安全生产月” typed as "…").
HALF_PUNCT = re.compile(r'(?<=[\u4e00-\u9fff])[,;:!?](?!\d)|(?<=[\u4e00-\u9fff])\((?=[\u4e00-\u9fff])'
                        r'|(?<=[\u4e00-\u9fff])"|"(?=[\u4e00-\u9fff])')
