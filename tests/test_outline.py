"""The notice as an outline the clerk composes (issue 12): built-in and plugin sections by id, renamed, dropped,
reordered, or written inline with run-in items; activities from the catalogue or inline, in the order written."""

import zipfile

import docx
import pytest
import yaml
from conftest import run_cli

from drafter.answers import resolve
from drafter.compose import compose
from drafter.errors import AnswersError
from drafter.render import blocks

BASE = {"issuer": {"name": "江城市青山区江南街道办事处", "code": "青江街办", "sector": "街道"}, "number": 9,
        "contact": {"name": "张华", "phone": "0591-87654321"}}


# without deadlines and contact, which print as the last paragraph of a body that has no 工作要求 to hold them
QUIET = {"contact": None, "deadlines": None}


def body(answers: dict) -> list[str]:
    """The body's headings and paragraphs as printed (number + heading, run-in text joined)."""
    notice = compose(resolve({**BASE, **answers}))
    return [(b.get("heading", "") + b.get("text", "")) for b in blocks(notice)]


def headings(answers: dict) -> list[str]:
    notice = compose(resolve({**BASE, **answers}))
    return [b["heading"] for b in blocks(notice) if b["kind"] == "h1"]


def test_without_an_outline_the_sector_default_applies():
    from drafter.compose import default_outline
    from drafter.plugins import load

    ids = default_outline("街道", load())
    assert ids == ["street_leading_group", "overview", "activities", "requirements"]
    assert body({}) == body({"outline": ids})
    assert headings({})[1:] == ["二、总体要求", "三、主要活动", "四、工作要求"]


def test_rename_drop_and_reorder():
    got = headings({"outline": ["activities", {"use": "overview", "title": "总体思路"}, "period", "theme"]})
    assert got == ["一、主要活动", "二、总体思路", "三、活动时间", "四、活动主题"]
    text = body({"outline": ["theme", "period"]})
    assert "人人讲安全、个个会应急——查找身边安全隐患" in text and "2025年6月1日至30日，其中6月16日为全国“安全宣传咨询日”。" in text
    assert not any("工作要求" in t or "主要活动" in t for t in text)


def test_study_section_names_the_year():
    text = body({"outline": ["study"]})
    assert text[1] == "一、深入学习宣传贯彻习近平总书记关于安全生产的重要论述" and "2025年“安全生产月”" in text[2]


def test_an_inline_section_with_run_in_items_and_nested_sections_is_numbered_from_the_tree():
    text = body({**QUIET, "outline": [
        {"title": "活动安排", "paragraphs": ["分三个阶段推进。"],
         "items": [{"title": "动员部署阶段", "text": "5月下旬完成动员部署。"}, {"title": "集中开展阶段", "text": "6月集中开展。"}]},
        {"title": "保障措施", "sections": [{"title": "加强领导", "items": [{"title": "明确专人", "text": "各社区明确一名联络员。"}]},
                                           {"title": "经费保障", "paragraphs": ["所需经费列入年度预算。"]}]},
    ]})
    assert text[1:] == ["一、活动安排", "分三个阶段推进。", "1.动员部署阶段。5月下旬完成动员部署。", "2.集中开展阶段。6月集中开展。",
                        "二、保障措施", "（一）加强领导", "1.明确专人。各社区明确一名联络员。", "（二）经费保障", "所需经费列入年度预算。"]


def test_a_body_of_numbered_items_without_top_level_headings():
    text = body({**QUIET, "outline": [{"items": [{"title": "强化理论学习", "text": "组织专题学习。"},
                                        {"title": "开展隐患排查", "text": "全面排查一遍。"}]}]})
    assert text[1:] == ["1.强化理论学习。组织专题学习。", "2.开展隐患排查。全面排查一遍。"]


def test_a_built_in_section_with_its_text_replaced_by_items():
    text = body({**QUIET, "outline": [{"use": "requirements", "title": "有关要求",
                              "items": [{"title": "强化组织", "text": "各社区要明确专人负责。"}]}]})
    assert text[1:] == ["一、有关要求", "1.强化组织。各社区要明确专人负责。"]


def test_inline_activities_keep_the_order_written_and_give_their_table_rows():
    answers = {"activities": ["fire_lanes", {"title": "开展安全知识竞赛", "paragraphs": ["6月中旬举办知识竞赛。"],
                                             "stats": ["参赛（　　）人"], "plan": {"requirement": "6月20日前完成",
                                                                                  "owner": "街道安监办"}},
                              "grid_patrol"], "outline": ["activities"]}
    text = body(answers)
    heads = [t for t in text if t.startswith(("一、", "（"))]
    assert heads == ["一、主要活动", "（一）清理“生命通道”", "（二）开展安全知识竞赛", "（三）发动网格力量开展隐患巡查"]
    assert "6月中旬举办知识竞赛。" in text
    notice = compose(resolve({**BASE, **answers}))
    stats = next(a for a in notice.attachments if a.kind == "stats")
    plan = next(a for a in notice.attachments if a.kind == "plan")
    assert [r.activity for r in stats.rows][:3] == ["清理“生命通道”", "开展安全知识竞赛", "发动网格力量开展隐患巡查"]
    assert stats.rows[1].blanks == ["参赛（　　）人"]
    assert (plan.rows[1].requirement, plan.rows[1].owner) == ("6月20日前完成", "街道安监办")


def test_no_activities_drops_the_activities_section_instead_of_an_empty_heading():
    assert "主要活动" not in " ".join(headings({"activities": []}))


def test_no_parent_and_a_parent_without_doc_number():
    none = body({"parents": []})[0]
    assert "根据" not in none and "为深入学习贯彻" in none and "结合" in none
    titled = body({"parents": [{"title": "江城市青山区安委办关于开展2025年全区“安全生产月”活动的通知"}]})[0]
    assert "根据《江城市青山区安委办关于开展2025年全区“安全生产月”活动的通知》要求" in titled


def test_a_title_override_and_a_signature_name():
    notice = compose(resolve({**BASE, "title": "江南街道关于开展2025年“安全生产月”暨“安全宣传咨询日”活动的通知",
                              "issuer": {**BASE["issuer"], "signature": "江南街道办事处"}}))
    assert notice.title.startswith("江南街道关于开展2025年") and notice.signature.issuer == "江南街道办事处"
    with pytest.raises(AnswersError, match="标题“关于开展安全生产月活动的通知”中没有写明年份2025"):
        resolve({**BASE, "title": "关于开展安全生产月活动的通知"})


@pytest.mark.parametrize("outline, words", [
    (["overveiw"], "outline（章节）：不认识的章节 overveiw，是否想写“overview”？"),
    (["overview", "overview"], "outline（章节）：overview 写了不止一次"),
    ([{"use": "activities", "items": [{"title": "甲"}]}], "不能另写 items"),
    ([{"titel": "甲"}], "titel：不认识的项，是否想写“title”？"),
    ([{"title": "空章节"}], "章节“空章节”没有内容"),
])
def test_outline_mistakes_are_named(outline, words):
    with pytest.raises(AnswersError, match=words.replace("（", r"\（").replace("）", r"\）").replace("“", ".").replace("”", ".")
                       .replace("？", ".")):
        resolve({**BASE, "outline": outline})


def test_an_answers_file_with_an_outline_drafts_and_redrafts_the_same(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text(yaml.safe_dump({**BASE, "outline": ["study", {"use": "overview", "title": "总体思路"},
                                                           {"title": "活动安排", "items": [{"title": "动员", "text": "5月底前。"}]},
                                                           "activities"],
                                       "activities": ["fire_lanes", {"title": "知识竞赛", "paragraphs": ["6月举办。"],
                                                                     "stats": ["参赛（　　）人"]}]},
                                      allow_unicode=True), encoding="utf-8")
    first = run_cli("new", "--answers", answers, "-o", tmp_path / "a.docx")
    assert first.returncode == 0, first.stderr
    saved = yaml.safe_load((tmp_path / "a.answers.yaml").read_text(encoding="utf-8")
                           if (tmp_path / "a.answers.yaml").exists() else (tmp_path / "a.yaml").read_text(encoding="utf-8"))
    assert saved["outline"][1] == {"use": "overview", "title": "总体思路"}
    again = run_cli("new", "--answers", tmp_path / "a.answers.yaml", "-o", tmp_path / "b.docx")
    assert again.returncode == 0, again.stderr
    xml = [zipfile.ZipFile(tmp_path / n).read("word/document.xml") for n in ("a.docx", "b.docx")]
    assert xml[0] == xml[1]
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "a.docx")).paragraphs)
    assert "二、总体思路" in text and "三、活动安排" in text and "1.动员。5月底前。" in text and "（二）知识竞赛" in text
    assert run_cli("check", tmp_path / "a.docx").returncode == 0


def test_an_inline_activity_without_text_is_refused():
    with pytest.raises(AnswersError, match="活动“知识竞赛”没有正文"):
        resolve({**BASE, "activities": [{"title": "知识竞赛"}]})


def nested(depth: int, titled: bool = True) -> dict:
    entry: dict = {"title": f"第{depth}层", "paragraphs": ["内容。"]}
    for level in range(depth - 1, 0, -1):
        entry = {"title": f"第{level}层" if titled or level == 1 else None, "sections": [entry]}
    return entry


def test_a_fifth_level_of_sections_is_refused_naming_where():
    with pytest.raises(AnswersError, match=r"outline（章节） → 第1项 → sections.*章节最多四层.*第5层"):
        resolve({**BASE, "outline": [nested(5)]})
    assert body({"outline": [nested(4)], **QUIET})[1:5] == ["一、第1层", "（一）第2层", "1.第3层", "（1）第4层。内容。"]
    # untitled sections add no level: their content stands in the section above
    assert body({"outline": [nested(5, titled=False)], **QUIET})[1:3] == ["一、第1层", "（一）第5层"]


def test_a_hundred_sections_and_more_are_numbered_in_chinese():
    outline = [{"title": "甲", "sections": [{"title": f"节{i}", "paragraphs": ["内容。"]} for i in range(111)]}]
    numbers = [b.split("）")[0] + "）" for b in body({"outline": outline, **QUIET}) if b.startswith("（")]
    assert numbers[98:101] == ["（九十九）", "（一百）", "（一百零一）"] and numbers[109] == "（一百一十）"
