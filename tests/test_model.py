import datetime as dt

from drafter.conventions import chinese_number, heading_number
from drafter.docnumber import DocNumber
from drafter.model import Colophon, Notice, Paragraph, Section, Signature, TextList
from drafter.render import blocks
from drafter.textwidth import cells
from drafter.title import split_title


def notice(body, attachments=()):
    return Notice("某局文件", DocNumber.parse("某〔2025〕1号"), "某局关于开展2025年“安全生产月”活动的通知", "各单位",
                  body, Signature("某局", dt.date(2025, 6, 1)), Colophon("某局办公室", dt.date(2025, 6, 1)),
                  list(attachments))


def test_chinese_numbers():
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 21, 35)] == ["一", "九", "十", "十一", "二十", "二十一", "三十五"]


def test_four_heading_levels():
    assert [heading_number(level, 2) for level in (1, 2, 3, 4)] == ["二、", "（二）", "2.", "（2）"]


def test_numbers_follow_the_tree_and_restart_per_parent():
    body = [Paragraph("导语"),
            Section("甲", [Section("甲一", [Section("细", [Paragraph("正文")])]), Section("甲二")]),
            Section("乙", [Section("乙一")])]
    numbered = [(level, number) for level, number, _ in notice(body).numbered_blocks()]
    assert numbered == [(0, ""), (1, "一、"), (2, "（一）"), (3, "1."), (0, ""), (2, "（二）"), (1, "二、"), (2, "（一）")]


def test_level_three_heading_runs_into_its_first_paragraph():
    body = [Section("甲", [Section("甲一", [Section("强化学习", [Paragraph("各单位要学习。"), Paragraph("再一段。")])])])]
    out = blocks(notice(body))
    assert out[2] == {"kind": "hp", "level": 3, "heading": "1.强化学习。", "text": "各单位要学习。"}
    assert out[3] == {"kind": "p", "text": "再一段。"}


def test_attachment_notes_come_from_the_attachments():
    one = notice([], [TextList("宣传标语", ["a"])])
    assert one.attachment_notes() == [(0, "宣传标语")] and one.attachment_labels() == ["附件"]
    two = notice([], [TextList("宣传标语", ["a"]), TextList("联络员表", ["b"])])
    assert two.attachment_notes() == [(1, "宣传标语"), (2, "联络员表")]
    assert two.attachment_labels() == ["附件1", "附件2"]


def test_long_title_breaks_into_a_trapezoid_at_phrase_boundaries():
    title = "江城市青山区商务局关于开展2025年全区商务系统“安全生产月”活动的通知"
    lines = split_title(title, ("江城市青山区商务局", "全区商务系统"))
    assert "".join(lines) == title and len(lines) == 2
    assert all(cells(line) <= 20 for line in lines)
    assert cells(lines[0]) <= cells(lines[1])
    joined = "|".join(lines)
    for whole in ("“安全生产月”", "2025年", "江城市青山区商务局", "全区商务系统"):
        assert whole in joined


def test_three_line_title_keeps_names_whole():
    title = "江城市青山区安全生产委员会办公室 江城市青山区应急管理局关于开展2025年全区“安全生产月”暨“安全宣传咨询日”活动的通知"
    lines = split_title(title, ("江城市青山区安全生产委员会办公室", "江城市青山区应急管理局"))
    assert len(lines) >= 3 and all(cells(line) <= 20 for line in lines)
    assert "|".join(lines).count("“安全生产月”") == 1 and "江城市青山区应急管理局" in "|".join(lines)


def test_short_title_stays_on_one_line():
    assert split_title("关于开展安全检查的通知") == ["关于开展安全检查的通知"]
