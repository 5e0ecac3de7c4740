"""What real notices do besides the one shape (issue 12): a cover note issuing the 方案, the 方案 alone, no 文号,
no contact, no deadlines, attachments written in the answers (lists, forms, tables, documents, files named only),
the clerk's own slogans and the year's built-in ones, citations of titles that cite, text for the issuer's level."""

import zipfile

import docx
import pytest
import yaml
from conftest import run_cli

from drafter.answers import resolve
from drafter.compose import compose
from drafter.errors import AnswersError
from drafter.model import Document, FileRef, FormGrid, Table, TextList
from drafter.render import blocks, context, form_layout

BASE = {"issuer": {"name": "江城市青山区商务局", "code": "青商务", "sector": "商务"}, "number": 18,
        "contact": {"name": "李明", "phone": "0591-87654321"}}


def notice_of(answers: dict):
    return compose(resolve({**BASE, **answers}))


def printed(notice) -> list[str]:
    return [(b.get("heading", "") + b.get("text", "")) for b in blocks(notice)]


def drafted(tmp_path, answers: dict, name: str = "通知"):
    """Draft through the command line, as a clerk does; the document's paragraph texts and tables."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump({**BASE, **answers}, allow_unicode=True), encoding="utf-8")
    done = run_cli("new", "--answers", path, "-o", tmp_path / f"{name}.docx")
    assert done.returncode == 0, done.stderr
    d = docx.Document(str(tmp_path / f"{name}.docx"))
    return [p.text for p in d.paragraphs if p.text.strip()], d.tables


# 印发方案 and 方案

def test_a_cover_note_issues_the_plan_as_attachment_1(tmp_path):
    notice = notice_of({"form": "印发方案", "outline": ["overview", "activities"], "attachments": ["liaison"]})
    plan = "2025年全区商务系统“安全生产月”活动方案"
    assert notice.title == f"江城市青山区商务局关于印发《{plan}》的通知"
    assert printed(notice) == [f"现将《{plan}》印发给你们，请结合实际认真贯彻落实。"]
    assert notice.attachment_notes() == [(1, plan), (2, "2025年“安全生产月”活动联络员表")]
    document = notice.attachments[0]
    assert isinstance(document, Document) and document.title == plan
    text = printed(document)
    assert text[0].endswith("结合全区商务系统实际，制定本方案。") and text[1] == "一、总体要求" and "二、主要活动" in text
    paragraphs, _ = drafted(tmp_path, {"form": "印发方案"})
    assert paragraphs[paragraphs.index("附件1") + 1] == plan and "一、总体要求" in paragraphs
    assert run_cli("check", tmp_path / "通知.docx").returncode == 0


def test_the_plan_alone_has_no_head_recipients_signature_or_colophon(tmp_path):
    notice = notice_of({"form": "方案", "outline": [{"use": "overview", "title": "总体思路"}, "theme", "period",
                                                    "activities", "requirements"], "attachments": ["stats"]})
    assert notice.title == "2025年全区商务系统“安全生产月”活动方案"
    assert (notice.mark, notice.doc_number, notice.recipients, notice.signature, notice.colophon) == (None,) * 5
    assert [t for t in printed(notice) if t.startswith(("一", "二", "三", "四", "五"))] == [
        "一、总体思路", "二、活动主题", "三、活动时间", "四、主要活动", "五、工作要求"]
    paragraphs, _ = drafted(tmp_path, {"form": "方案", "attachments": ["stats"]})
    assert paragraphs[0] == "2025年全区商务系统“安全生产月”活动方案"
    assert not any(p.endswith(("文件", "企业：")) or "青商务〔" in p or p.startswith("抄送") for p in paragraphs)
    done = run_cli("check", tmp_path / "通知.docx")
    assert done.returncode == 0 and "未发现问题" in done.stdout, done.stdout


def test_an_unknown_form_is_named():
    with pytest.raises(AnswersError, match="form"):
        notice_of({"form": "请示"})


# What real notices leave out

def test_no_doc_number_leaves_the_line_blank_and_check_only_reminds(tmp_path):
    notice = notice_of({"number": None})
    assert notice.doc_number is None and context(notice)["doc_number"] == ""
    paragraphs, _ = drafted(tmp_path, {"number": None})
    assert not any("青商务〔" in p for p in paragraphs)
    done = run_cli("check", tmp_path / "通知.docx")
    assert done.returncode == 0 and "版头中没有发文字号" in done.stdout
    saved = yaml.safe_load((tmp_path / "通知.answers.yaml").read_text(encoding="utf-8")) \
        if (tmp_path / "通知.answers.yaml").exists() else yaml.safe_load((tmp_path / "通知.yaml").read_text("utf-8"))
    assert saved["number"] is None


def test_no_contact_and_no_deadlines_drop_the_reporting_paragraph():
    text = printed(notice_of({"contact": None, "deadlines": None, "attachments": ["liaison", "stats"]}))
    assert not any("联系人" in t or "报送" in t and "前报送" in t for t in text)
    assert not any("按时报送材料" in t for t in text)
    notice = notice_of({"contact": None, "deadlines": None, "attachments": ["liaison", "stats"]})
    assert [a.note for a in notice.attachments] == [None, None]  # no “请于…前报送” under the forms either


def test_no_contact_keeps_the_deadlines_and_contact_carries_fax_and_more():
    text = " ".join(printed(notice_of({"contact": None})))
    assert "前报送本单位活动联络员" in text and "联系人" not in text
    text = " ".join(printed(notice_of({"contact": {"name": "小庄", "phone": "22355951", "fax": "22355063",
                                                   "email": "bgs@example.com", "more": {"OA识别码": "000839"}}})))
    assert "联系人：小庄，电话：22355951，传真：22355063，电子邮箱：bgs@example.com，OA识别码：000839。" in text


def test_a_plugin_text_needing_deadlines_says_so_when_there_are_none():
    answers = {"issuer": {"name": "江城市青山区安全生产委员会办公室", "code": "青安办", "sector": "应急"},
               "deadlines": None, "activities": ["news_reporting"]}
    text = " ".join(printed(notice_of(answers)))
    assert "活动期间及时向区安委办报送活动信息" in text and "前报送活动总结" not in text


# Attachments written in the answers

SIX = {"kind": "table", "title": "2025年“安全生产月”相关活动情况报送表",
       "columns": ["类别", "活动内容", "时间", "刊登媒体", "媒体链接", "备注"],
       "rows": [["学习", "党委（党组）理论学习中心组集中学习", "", "", "", ""]],
       "groups": [{"title": "宣传报道", "rows": [["企业主要负责人“五带头”宣传报道", "", "", "", ""],
                                                 ["典型案例曝光", "", "", "", ""]]}],
       "blank_rows": 2, "note": "备注：未在媒体刊登的，“刊登媒体”“媒体链接”栏可不填。"}


def test_an_inline_table_with_six_columns_and_a_row_group(tmp_path):
    table = notice_of({"attachments": [SIX]}).attachments[0]
    assert isinstance(table, Table) and table.groups[0][0] == "宣传报道"
    paragraphs, tables = drafted(tmp_path, {"attachments": [SIX]})
    assert SIX["note"] in paragraphs
    cells = [[c.text for c in r.cells] for r in tables[0].rows]
    assert cells[0] == ["类别", "活动内容", "时间", "刊登媒体", "媒体链接", "备注"]  # six columns
    assert cells[1][:2] == ["学习", "党委（党组）理论学习中心组集中学习"]
    assert cells[2][:2] == ["宣传报道", "企业主要负责人“五带头”宣传报道"]
    assert cells[3][:2] == ["宣传报道", "典型案例曝光"]  # one merged cell, read on each row it spans
    assert "w:vMerge" in tables[0].rows[3].cells[0]._tc.tcPr.xml
    assert cells[4:] == [[""] * 6, [""] * 6]  # the blank rows
    widths = [c.width for c in tables[0].rows[0].cells]
    assert max(widths) == widths[1]  # the column with the long texts is the widest
    numbered = notice_of({"attachments": [{**SIX, "numbered": True}]})
    assert "序号" in str(context(numbered)["attachments"][0]["table"])


def test_a_group_row_leaves_the_first_column_to_the_groups_label():
    with pytest.raises(AnswersError, match="“宣传报道”组第1行有6格；组名占第一列，每行应写其余5格"):
        notice_of({"attachments": [{**SIX, "groups": [{"title": "宣传报道", "rows": [["a", "b", "c", "d", "e", "f"]]}]}]})


def test_a_table_row_of_the_wrong_width_is_named():
    with pytest.raises(AnswersError, match="第1行有2格，与6列不符"):
        notice_of({"attachments": [{**SIX, "rows": [["a", "b"]]}]})


def test_a_form_row_with_three_labels_and_a_list_and_a_file(tmp_path):
    answers = {"attachments": [
        {"kind": "list", "title": "宣传标语", "items": ["安全第一", "预防为主"]},
        {"kind": "form", "title": "活动联络员推荐表", "rows": [["姓名", "性别", "职务"], ["微信号", "电子邮箱"], ["单位名称"]],
         "note": "注：请于6月5日前报送。"},
        {"kind": "file", "title": "江城市安委会办公室关于开展2025年全市“安全生产月”活动的通知"}]}
    notice = notice_of(answers)
    assert [type(a) for a in notice.attachments] == [TextList, FormGrid, FileRef]
    assert [label for label, _ in notice.attachment_pages()] == ["附件1", "附件2"]  # the file has no page
    assert len(notice.attachment_notes()) == 3
    assert [label for _, label in form_layout(["姓名", "性别", "职务"])[0]] == ["姓名", "性别", "职务"]
    paragraphs, tables = drafted(tmp_path, answers)
    assert "3.\t江城市安委会办公室关于开展2025年全市“安全生产月”活动的通知" in paragraphs
    assert "附件3" not in paragraphs
    first = [c.text for c in tables[0].rows[0].cells]
    assert [t for i, t in enumerate(first) if t and (i == 0 or t != first[i - 1])] == ["姓名", "性别", "职务"]
    done = run_cli("check", tmp_path / "通知.docx")
    assert done.returncode == 0 and "第3个没有附件页" in done.stdout


def test_an_attached_document_has_its_own_outline():
    notice = notice_of({"attachments": [{"kind": "document", "title": "江南街道安全宣传“五进”工作方案",
                                         "paragraphs": ["为推进安全宣传“五进”，制定本方案。"],
                                         "outline": [{"title": "工作目标", "paragraphs": ["覆盖全部社区。"]},
                                                     "requirements"]}]})
    text = printed(notice.attachments[0])
    assert text[:4] == ["为推进安全宣传“五进”，制定本方案。", "一、工作目标", "覆盖全部社区。", "二、工作要求"]


def test_an_attachment_without_kind_is_named():
    with pytest.raises(AnswersError, match="kind"):
        notice_of({"attachments": [{"title": "报送表", "rows": [["a"]]}]})


def test_attachments_keep_the_order_written():
    notice = notice_of({"attachments": ["stats", "liaison"]})
    assert [t for _, t in notice.attachment_notes()] == ["2025年“安全生产月”活动进展情况统计表",
                                                        "2025年“安全生产月”活动联络员表"]


# Slogans

def test_own_slogans_replace_the_built_in_ones():
    slogans = notice_of({"attachments": ["slogans"], "slogans": ["安全第一，预防为主", "我的标语"]}).attachments[0]
    assert slogans.items == ["安全第一，预防为主", "我的标语"]


def test_the_built_in_slogans_are_the_years_with_its_theme_first():
    def slogans(year):
        return notice_of({"year": year, "attachments": ["slogans"]}).attachments[0].items

    s2020 = slogans(2020)
    assert s2020[0] == "消除事故隐患，筑牢安全防线"
    later = {s for y in (2023, 2024, 2025) for s in slogans(y)} - set(slogans(2019))
    assert later and not later & set(s2020)
    assert not any("应急" in s or "生命通道" in s or "身边" in s for s in s2020)
    assert slogans(2025)[0] == "人人讲安全、个个会应急——查找身边安全隐患"


# Citations and the issuer's level

def test_a_cited_title_that_cites_uses_angle_brackets_inside():
    text = printed(notice_of({"parents": [{"title": "江城市安委会办公室关于印发《2025年全市“安全生产月”活动方案》的通知"}]}))
    assert "根据《江城市安委会办公室关于印发〈2025年全市“安全生产月”活动方案〉的通知》要求" in text[0]


@pytest.mark.parametrize("name, level, words, not_words", [
    ("江城市青山区安全生产委员会办公室", None, ["区安委办择优组队", "组织全区机关干部"], []),
    ("江城市安全生产委员会办公室", "市", ["市安委办择优组队", "组织全市机关干部", "各区（县）、各有关部门"], ["区安委办", "全区"]),
    ("江城市青山区江南街道办事处", None, ["街道择优组队", "各社区、各有关部门"], ["区安委办", "全区", "各街道"]),
])
def test_activity_text_follows_the_issuers_level(name, level, words, not_words):
    issuer = {"name": name, "code": "青安办", "sector": "应急", **({"level": level} if level else {})}
    notice = notice_of({"issuer": issuer, "activities": ["knowledge_contest"], "scope": "全域"})
    activity = next(t for t in printed(notice) if "择优组队" in t)
    assert all(w in activity for w in words) and not any(w in activity for w in not_words)


def test_saved_answers_draft_the_same_document_again(tmp_path):
    answers = {"form": "印发方案", "number": None, "contact": None, "slogans": ["安全第一"],
               "attachments": ["slogans", SIX]}
    answers["attachments"][1] = {**SIX, "numbered": True, "reporter": True}
    drafted(tmp_path, answers, "一")
    saved = tmp_path / "一.answers.yaml" if (tmp_path / "一.answers.yaml").exists() else tmp_path / "一.yaml"
    again = run_cli("new", "--answers", saved, "-o", tmp_path / "二.docx")
    assert again.returncode == 0, again.stderr
    with zipfile.ZipFile(tmp_path / "一.docx") as a, zipfile.ZipFile(tmp_path / "二.docx") as b:
        assert a.read("word/document.xml") == b.read("word/document.xml")


def test_the_readme_examples_of_forms_and_attachments_draft():
    import re
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    blocks_ = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", readme, flags=re.S)]
    examples = [b for b in blocks_ if isinstance(b, dict) and ("form" in b or "attachments" in b)]
    assert len(examples) >= 2
    for example in examples:
        notice = notice_of(example)
        assert notice.attachment_notes()


def test_last_years_own_slogans_naming_its_theme_are_refused():
    with pytest.raises(AnswersError, match=r"slogans（宣传标语） → 第1项：“人人讲安全、个个会应急——畅通生命通道”是2024年的主题"):
        notice_of({"slogans": ["人人讲安全、个个会应急——畅通生命通道", "安全第一"]})


def test_next_year_keeps_the_choice_of_no_doc_number_no_deadlines_and_no_parent(tmp_path):
    last = tmp_path / "去年.yaml"
    last.write_text(yaml.safe_dump({**BASE, "year": 2024, "number": None, "deadlines": None, "parents": []},
                                   allow_unicode=True), encoding="utf-8")
    done = run_cli("new", "--from", last, "-o", tmp_path / "今年.docx")
    assert done.returncode == 0, done.stderr
    saved = yaml.safe_load((tmp_path / "今年.yaml").read_text(encoding="utf-8"))
    assert saved["year"] == 2025 and saved["number"] is None and saved["deadlines"] is None and saved["parents"] == []


def test_a_choice_out_of_the_list_is_told_in_chinese():
    with pytest.raises(AnswersError, match="“请示”不是可选值（可选：通知、印发方案、方案）"):
        notice_of({"form": "请示"})


def test_every_shipped_text_drafts_without_deadlines_or_contact():
    from drafter.plugins import load

    plugins = load()
    for level in ("市", "区（县）", "街道（乡镇）"):
        notice = notice_of({"issuer": {**BASE["issuer"], "level": level}, "deadlines": None, "contact": None,
                            "activities": list(plugins.activities),
                            "attachments": ["slogans", "liaison", "stats", "plan", *plugins.attachments]})
        assert len(notice.attachments) == 4 + len(plugins.attachments)


def test_three_parents_are_cited_with_a_pause_mark_then_and():
    parents = [{"title": f"江城市{w}关于开展2025年“安全生产月”活动的通知", "doc_number": f"江{c}〔2025〕{n}号"}
               for w, c, n in (("安委会办公室", "安办", 1), ("商务局", "商务", 2), ("应急管理局", "应急", 3))]
    opening = printed(notice_of({"parents": parents}))[0]
    assert "（江安办〔2025〕1号）、《江城市商务局" in opening and "（江商务〔2025〕2号）和《江城市应急管理局" in opening


def test_without_the_requirements_section_the_deadlines_and_contact_still_print():
    text = printed(notice_of({"outline": ["overview", "activities"]}))
    assert text[-1].startswith("请于5月30日前报送本单位活动联络员") and "联系人：李明" in text[-1]
    assert sum("联系人：李明" in t for t in printed(notice_of({}))) == 1  # printed once when 工作要求 has it


def test_a_built_in_section_takes_sections_of_the_clerks_and_an_attachment_a_title():
    notice = notice_of({"outline": [{"use": "requirements", "title": "有关要求",
                                     "sections": [{"title": "加强组织领导", "paragraphs": ["明确专人负责。"]}]}],
                        "attachments": [{"use": "stats", "title": "江城市“安全生产月”活动进展情况统计表"}, "liaison"]})
    text = printed(notice)
    assert text[1:4] == ["一、有关要求", "（一）加强组织领导", "明确专人负责。"]
    assert "统计表（附件1）" in text[-1]  # the reporting text names it by its label
    assert notice.attachment_notes()[0] == (1, "江城市“安全生产月”活动进展情况统计表")
    assert notice.attachments[0].rows  # still the built-in table, with a row per activity


def test_the_clerks_own_opening():
    text = printed(notice_of({"opening": ["为扎实开展今年“安全生产月”活动，现将有关事项通知如下："]}))
    assert text[0] == "为扎实开展今年“安全生产月”活动，现将有关事项通知如下：" and text[1] == "一、总体要求"


def test_the_coordinators_reminder_sees_a_consult_day_the_clerk_wrote(tmp_path):
    issuer = {"name": "江城市青山区安全生产委员会办公室", "code": "青安办", "sector": "应急"}
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump({**BASE, "issuer": issuer, "activities": ["launch_ceremony"]}, allow_unicode=True),
                    encoding="utf-8")
    done = run_cli("new", "--answers", path, "-o", tmp_path / "a.docx")
    assert "未部署 6月16日“安全宣传咨询日”主场活动" in done.stderr
    path = tmp_path / "b.yaml"
    path.write_text(yaml.safe_dump({**BASE, "issuer": issuer, "activities": [
        "launch_ceremony", {"title": "开展“安全宣传咨询日”活动", "paragraphs": ["6月16日在各街道设点咨询。"]}]},
        allow_unicode=True), encoding="utf-8")
    done = run_cli("new", "--answers", path, "-o", tmp_path / "b.docx")
    assert done.returncode == 0 and "咨询日”主场活动" not in done.stderr, done.stderr


# Found in review: wrong facts that printed silently

def test_a_decimal_in_a_table_cell_is_refused_rather_than_changed():
    table = {"kind": "table", "title": "活动安排表", "columns": ["活动", "日期"], "rows": [["启动仪式", 6.10]]}
    with pytest.raises(AnswersError, match="6.10 会读成 6.1"):
        notice_of({"attachments": [table]})


@pytest.mark.parametrize("name, tier, scope", [
    ("江城市安全生产委员会办公室", "市", "全市"), ("某某县应急管理局", "县", "全县"), ("某某镇人民政府", "镇", "全镇"),
    ("江城市青山区市场监督管理局", "区", "全区"), ("镇江市商务局", "市", "全市"), ("某某区某某乡人民政府", "乡", "全乡")])
def test_the_level_read_from_the_name_gives_the_scope_and_the_words(name, tier, scope):
    notice = notice_of({"issuer": {"name": name, "code": "某安", "sector": "应急"}, "activities": ["knowledge_contest"]})
    assert f"开展2025年{scope}“安全生产月”活动的通知" in notice.title
    contest = next(t for t in printed(notice) if "择优组队" in t)
    assert f"组织{scope}机关干部" in contest and ("区安委办" not in contest or tier == "区")


def test_the_title_of_a_cover_note_names_the_plan_it_issues():
    title = "江城市青山区商务局关于印发《青山区商务系统2025年“安全生产月”活动实施方案》的通知"
    notice = notice_of({"form": "印发方案", "title": title})
    assert notice.attachments[0].title == "青山区商务系统2025年“安全生产月”活动实施方案"
    assert "现将《青山区商务系统2025年“安全生产月”活动实施方案》印发给你们" in printed(notice)[0]


def test_a_retitled_statistics_table_is_cited_by_its_title():
    notice = notice_of({"attachments": [{"use": "stats", "title": "活动开展情况汇总表"}]})
    assert any("报送活动总结和活动开展情况汇总表（附件）" in t for t in printed(notice))


def test_last_years_titles_duplicates_and_unknown_ids_in_an_attached_plan_are_named():
    with pytest.raises(AnswersError, match="写的是2024年"):
        notice_of({"attachments": [{"kind": "list", "title": "2024年活动情况报送表", "items": ["甲乙"]}]})
    with pytest.raises(AnswersError, match="liaison 写了不止一次"):
        notice_of({"attachments": ["liaison", "stats", "liaison"]})
    with pytest.raises(AnswersError, match="mall_fire_drills 写了不止一次"):
        notice_of({"activities": ["mall_fire_drills", "mall_fire_drills"]})
    with pytest.raises(AnswersError, match="不认识的章节 nosuch"):
        notice_of({"attachments": [{"kind": "document", "title": "实施方案", "outline": ["nosuch"]}]})
    with pytest.raises(AnswersError, match="slogans"):
        notice_of({"slogans": []})


def test_forms_of_issue_are_checked_with_the_key_named():
    from drafter.answers import resolve
    from drafter.errors import AnswersError

    cases = [({"number": None, "attachments": [{"use": "stats", "detached": True}]}, "detached"),
             ({"letterhead_reserve_mm": 60}, "letterhead_reserve_mm"),
             ({"letterhead": "套打", "letterhead_reserve_mm": 30}, "至少 42 mm"),
             ({"co_issuers": [{"name": "江城市青山区商务局"}]}, "写了两次"),
             ({"issuer": {"mark": "江城市青山区商务局" * 3 + "文件"}}, "issuer → mark"),
             ({"co_issuers": [{"name": "江城市青山区应急管理局", "mark": "江城市青山区应急管理局" * 3}]}, "co_issuers → 第1项 → mark"),
             ({"format": "公函"}, "format（公文格式）"),
             ({"issuer": {"name": "江城市青山区安全生产委员会办公室", "code": "青安办"}, "number": 1, "contact": None,
               "co_issuers": [{"name": "江城市青山区应急管理局"}, {"name": "江城市青山区教育局"}]}, "三排以上"),
             ({"colophon_on_even_page": True, "attachments": [{"use": "stats", "detached": True}]}, "不能再另起双页"),
             ({"letterhead": "套打", "letterhead_reserve_mm": "八十"}, "应为数字（不写单位，如 80）"),
             ({"letterhead": "套打", "letterhead_reserve_mm": 500}, "应不大于 150"),
             ({"attachments": [{"use": "stats", "landscape": True}]}, "横排只用于自己写的表格（kind: table）"),
             ({"attachments": [{"kind": "list", "title": "标语", "items": ["一"], "landscape": True}]},
              "landscape（横排）：不认识的项（此处不能写这一项）")]
    for given, words in cases:
        with pytest.raises(AnswersError) as caught:
            resolve({}, given)
        assert words in str(caught.value), (given, str(caught.value))
    # a co-issuer written as a name alone, as the registry keeps them
    assert resolve({}, {"co_issuers": ["江城市青山区应急管理局"]}).co_issuers[0].name == "江城市青山区应急管理局"
    # the same with a joint notice whose names fit, in either format
    assert resolve({}, {"co_issuers": [{"name": "江城市青山区应急管理局"}], "format": "信函"}).mark().names == ["江城市青山区商务局"]
