"""How the facts of one notice must agree, stated once for `drafter new` and `drafter check`: its dates, and its
theme with its year.

A 安全生产月 is June of the notice's year. The 成文日期 lies in that year; the 印发日期 is not before it; a report
deadline is in the notice's year, not before the 成文日期 (nobody can report before the notice exists), and not after
the month its report belongs to: the 联络员 are named before or during the month (by 30 June), the 总结 and 统计表 are
sent at its end or just after (by 31 July)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .dates import format_date

# deadline key → (what is reported, the last day it may fall on, as (month, day))
DEADLINE_LATEST = {"liaison": ("联络员报送", (6, 30)), "summary": ("总结和统计表报送", (7, 31))}


@dataclass(frozen=True)
class DateProblem:
    field: str  # the answers key concerned: date, print_date, deadlines.liaison, deadlines.summary
    message: str  # a complete sentence in Chinese


def date_problems(year: int, date: dt.date | None, print_date: dt.date | None = None,
                  deadlines: dict[str, dt.date | None] | None = None) -> list[DateProblem]:
    """Every disagreement among the dates of a notice for ``year``; dates not known (None) are skipped."""
    out: list[DateProblem] = []
    if date is not None and date.year != year:  # said once; the others are not measured against it
        out.append(DateProblem("date", f"成文日期{format_date(date)}不在{year}年，与通知的年份不一致"))
        date = None
    if print_date is not None and date is not None and print_date < date:
        out.append(DateProblem("print_date", f"印发日期{format_date(print_date)}早于成文日期{format_date(date)}"))
    for key, day in (deadlines or {}).items():
        if day is None or key not in DEADLINE_LATEST:
            continue
        what, (month, last_day) = DEADLINE_LATEST[key]
        where = f"deadlines.{key}"
        if day.year != year:
            out.append(DateProblem(where, f"{what}截止日期{format_date(day)}不在{year}年"))
            continue
        if date is not None and day < date:
            out.append(DateProblem(where, f"{what}截止日期{format_date(day)}早于成文日期{format_date(date)}"))
        latest = dt.date(year, month, last_day)
        if day > latest:
            out.append(DateProblem(where, f"{what}截止日期{format_date(day)}晚于{format_date(latest)}"
                                          f"（{what}应在{month}月底前）"))
    return out


def before_parent(date: dt.date, cited: str, parent_date: dt.date) -> str | None:
    """Why a notice of ``date`` cannot forward the parent ``cited`` (its 文号) of ``parent_date``: it is dated
    before the parent was made. None when it is not."""
    if date >= parent_date:
        return None
    return f"成文日期{format_date(date)}早于所依据的上级来文 {cited} 的成文日期{format_date(parent_date)}，请核对"


def bare(text: str) -> str:
    """Text without punctuation and spaces, to compare wordings written with different marks."""
    return re.sub(r"[\W_]", "", text)


def theme_of_another_year(theme: str, year: int, themes: dict[int, str]) -> int | None:
    """The year whose national theme ``theme`` is (punctuation and spaces aside), when that is not ``year`` and
    ``year``'s own theme is worded otherwise; ``themes`` maps year → national theme."""
    wording = bare(theme)
    if not wording or wording == bare(themes.get(year, "")):
        return None
    return next((y for y, t in sorted(themes.items()) if y != year and bare(t) == wording), None)


def theme_problem(theme: str, year: int, themes: dict[int, str]) -> str | None:
    """Why ``theme`` cannot be the theme of a notice of ``year``, in Chinese; None when it can."""
    other = theme_of_another_year(theme, year, themes)
    if other is None:
        return None
    own = f"；{year}年的主题是“{themes[year]}”" if year in themes else ""
    return f"“{theme}”是{other}年的主题，不是{year}年的{own}"
