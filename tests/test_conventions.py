"""The 公文 text conventions (drafter/conventions.py): numerals both ways, heading numbers, the campaign's ordinal, the
kinds of document; and that they stay in that one module."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from drafter.conventions import (
    FIRST_YEAR,
    HEADED_KINDS,
    HEADING,
    NOTICE_KINDS,
    NUMBERED,
    NUMERALS,
    PARENT_KINDS,
    TITLE_KINDS,
    any_of,
    chinese_number,
    chinese_value,
    digits_value,
    heading_number,
    heading_of,
    ordinal,
    year_of,
)

DRAFTER = Path(__file__).resolve().parent.parent / "drafter"


def test_numerals_round_trip_from_1_to_99():
    for n in range(1, 100):
        assert chinese_value(chinese_number(n)) == n, n


def test_numerals_as_written():
    assert [chinese_number(n) for n in (1, 10, 11, 20, 23, 99, 100, 105, 110)] == \
        ["一", "十", "十一", "二十", "二十三", "九十九", "一百", "一百零五", "一百一十"]
    assert [chinese_value(t) for t in ("一", "十", "十二", "二十", "一十", "九十九")] == [1, 10, 12, 20, 10, 99]


@pytest.mark.parametrize("text", ["", "零", "十十", "二三", "一百", "三十十", "甲", "1"])
def test_what_is_not_a_numeral_from_1_to_99_is_0(text):
    assert chinese_value(text) == 0


def test_years_written_digit_by_digit():
    assert [digits_value(t) for t in ("二〇二五", "二○二五", "二零二五", "一二")] == [2025, 2025, 2025, 12]
    assert digits_value("二〇二十") is None and digits_value("") is None


def test_the_campaigns_ordinal():
    assert FIRST_YEAR == 2002
    assert (ordinal(2002), ordinal(2025)) == (1, 24)
    assert (year_of(1), year_of(24)) == (2002, 2025)
    assert all(year_of(ordinal(year)) == year for year in range(FIRST_YEAR, 2101))


def test_each_level_numbers_and_is_recognised():
    assert [heading_number(level, 3) for level in (1, 2, 3, 4)] == ["三、", "（三）", "3.", "（3）"]
    for level in (1, 2, 3, 4):
        for n in range(1, 100):
            number = heading_number(level, n)
            assert heading_of(number + "总体要求") == (level, number)
            assert NUMBERED.match(number + "总体要求")
    assert [level for level, _ in HEADING] == [1, 2, 3, 4]


@pytest.mark.parametrize(("text", "found"), [
    ("(一)半角括号", (2, "(一)")), ("1、顿号", (3, "1、")), ("1．全角点", (3, "1．")), ("(1)半角", (4, "(1)")),
    ("2.5万元的投入", None), ("2025年6月", None), ("总体要求", None), ("（此件公开发布）", None),
])
def test_the_wrong_forms_are_recognised_to_be_reported(text, found):
    assert heading_of(text) == found


def test_kinds_of_document():
    assert set(NOTICE_KINDS) < set(PARENT_KINDS) < set(HEADED_KINDS) | set(TITLE_KINDS)
    ends = re.compile(any_of(HEADED_KINDS) + "$")
    assert ends.search("关于开展2025年“安全生产月”活动的通知") and ends.search("关于商请协助的函")
    assert not ends.search("各区安委办：") and not ends.search("关于通知的说明")


def test_the_module_imports_the_standard_library_only():
    code = ("import sys; before = set(sys.modules); import drafter.conventions; "
            "print(sorted(m for m in set(sys.modules) - before if m.split('.')[0] not in sys.stdlib_module_names))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['drafter', 'drafter.conventions']"


# Re-statements of what conventions.py holds: a table of Chinese numerals (three of them in counting order, as in a
# string or a character class, or one mapped to its value) and the campaign's ordinal worked out by hand.
TABLE = re.compile("|".join(NUMERALS[i:i + 3] for i in range(len(NUMERALS) - 2))
                   + r"|['\"][〇○零一二三四五六七八九十]['\"]\s*:\s*\d")
ORDINAL = re.compile(r"\b2001\b|FIRST_YEAR\s*(?:\+\s*1|=)|-\s*FIRST_YEAR\b")
# The page's script cannot import Python: its chinese() numbers the outline on the page (1–99, as chinese_number).
SCRIPT = DRAFTER / "serve" / "static" / "drafter.js"


def _sources():
    for path in sorted(DRAFTER.rglob("*")):
        if path.suffix in (".py", ".js", ".html", ".yaml") and not path.name.endswith(".min.js") \
                and path != DRAFTER / "conventions.py":
            yield path


def test_the_patterns_find_what_they_are_meant_to():
    for duplicate in ('_CN = "零一二三四五六七八九"', 'CN_NUM = "一二三四五六七八九十"', r'[〇零一二三四五六七八九○]{4}',
                      '{"〇": 0, "○": 0, "零": 0, "一": 1}', "[（(][一二三四五六七八九十]+[）)]"):
        assert TABLE.search(duplicate), duplicate
    for duplicate in ("n=year - 2001", "year -2001", "x.year - FIRST_YEAR + 1", "FIRST_YEAR = 2002"):
        assert ORDINAL.search(duplicate), duplicate
    assert not TABLE.search("第一、二个") and not ORDINAL.search("tag:yaml.org,2002:null")


def test_numerals_and_the_ordinal_are_stated_in_conventions_only():
    sources = list(_sources())
    assert DRAFTER / "check" / "rules.py" in sources and SCRIPT in sources
    found = []
    for path in sources:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ORDINAL.search(line) or (TABLE.search(line) and path != SCRIPT):
                found.append(f"{path.relative_to(DRAFTER.parent)}:{number}: {line.strip()}")
    assert not found, "use drafter/conventions.py instead:\n" + "\n".join(found)
    assert sum(bool(TABLE.search(line)) for line in SCRIPT.read_text(encoding="utf-8").splitlines()) == 1  # its own
