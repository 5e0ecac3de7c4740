import datetime as dt

import pytest

from drafter.dates import format_date, parse_date
from drafter.errors import InvalidValue


def test_printed_without_padding_or_chinese_numerals():
    assert format_date(dt.date(2025, 6, 5)) == "2025年6月5日"
    assert format_date(dt.date(2025, 12, 20)) == "2025年12月20日"


@pytest.mark.parametrize("text", ["2025-06-05", "2025年6月5日", "2025年06月05日", "2025/6/5", "2025.6.5",
                                  "二〇二五年六月五日", dt.date(2025, 6, 5), dt.datetime(2025, 6, 5, 9, 30)])
def test_accepted_forms(text):
    assert parse_date(text) == dt.date(2025, 6, 5)


def test_chinese_numerals_with_tens():
    assert parse_date("二〇二五年十二月三十一日") == dt.date(2025, 12, 31)
    assert parse_date("二〇二五年六月二十日") == dt.date(2025, 6, 20)


@pytest.mark.parametrize("text", ["2025年2月30日", "2025-13-01", "六月五日", "2025年6月", "", None, 20250605])
def test_impossible_or_unreadable_dates_are_rejected(text):
    with pytest.raises(InvalidValue):
        parse_date(text)
