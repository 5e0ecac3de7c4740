"""`drafter check` on our own notices (clean), on ours broken one way at a time, and on hand-made files."""

import json
import time

import docx
import pytest
from conftest import need_libreoffice, run_cli
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from drafter.answers import resolve
from drafter.check import check
from drafter.compose import compose
from drafter.render import render


def draft(path, **answers):
    path.write_bytes(render(compose(resolve(answers))))
    return path


@pytest.fixture(scope="module")
def ours(tmp_path_factory):
    """The sample notice, drafted once; each test breaks a copy of it."""
    return draft(tmp_path_factory.mktemp("ours") / "ours.docx")


def findings(path, element=None):
    return [f for f in check(path) if element is None or f.element == element]


def edited(ours, tmp_path, old, new, count=1):
    """A copy of our notice with ``old`` replaced by ``new`` in the text (text boxes included)."""
    path = tmp_path / "edited.docx"
    d = docx.Document(str(ours))
    done = 0
    for t in d.element.body.iter(qn("w:t")):
        if old in (t.text or "") and done < count:
            t.text = t.text.replace(old, new, 1)
            done += 1
    assert done, f"“{old}” is not in the notice"
    d.save(str(path))
    return path


# Our own notices check clean.

@pytest.mark.parametrize("sector", ["商务", "街道", "应急"])
@pytest.mark.parametrize("sealed", [True, False])
@pytest.mark.parametrize("attachments", [None, []])
def test_our_notices_check_clean(tmp_path, sector, sealed, attachments):
    answers = {"issuer": {"sector": sector}, "sealed": sealed}
    if attachments is not None:
        answers["attachments"] = attachments
    assert findings(draft(tmp_path / "n.docx", **answers)) == []


@pytest.mark.parametrize("sector", ["商务", "街道", "应急"])
def test_drafter_new_defaults_then_check_is_clean(tmp_path, sector):
    path = tmp_path / f"{sector}.docx"
    made = run_cli("new", "--sector", sector, "--defaults", "-o", path)
    assert made.returncode == 0, made.stderr
    done = run_cli("check", path)
    assert done.returncode == 0 and "未发现问题" in done.stdout, done.stdout


@pytest.mark.parametrize("sector, sealed, attachments", [("商务", True, None), ("街道", False, []),
                                                         ("应急", True, ["stats"])])
def test_our_notices_check_clean_as_printed(tmp_path, sector, sealed, attachments):
    need_libreoffice()
    answers = {"issuer": {"sector": sector}, "sealed": sealed}
    if attachments is not None:
        answers["attachments"] = attachments
    path = draft(tmp_path / "n.docx", **answers)
    done = run_cli("check", path, "--render", "--json")
    assert done.returncode == 0, done.stdout
    assert json.loads(done.stdout)["findings"] == []


# Each class of mistake is found, with the clause; the correct twin above has none.

@pytest.mark.parametrize("wrong, words", [
    ("青商务[2025]18号", "六角括号"),
    ("青商务2025 18号", "缺少六角括号"),
    ("青商务〔2025〕第18号", "不加“第”"),
    ("青商务〔2025〕018号", "不编虚位"),
    ("青商务〔2025〕", "以“号”结尾"),
])
def test_doc_number_mistakes(ours, tmp_path, wrong, words):
    found = findings(edited(ours, tmp_path, "青商务〔2025〕18号", wrong), "发文字号")
    assert len(found) >= 1 and any(words in f.message for f in found)
    assert all(f.severity == "error" and f.rule == "GB/T 9704—2012 7.2.5" and f.text == wrong for f in found)


@pytest.mark.parametrize("wrong, words", [
    ("二〇二五年五月二十日", "阿拉伯数字"),
    ("2025年05月20日", "“2025年5月20日”"),
    ("2025年2月30日", "不是存在的日期"),
])
def test_date_mistakes(ours, tmp_path, wrong, words):
    path = edited(ours, tmp_path, "2025年5月20日", wrong)  # the 成文日期 comes before the 印发日期
    found = findings(path, "成文日期")
    assert len(found) == 1 and words in found[0].message and found[0].rule == "GB/T 9704—2012 7.3.5.1"
    assert findings(path, "印发日期") == []


def test_recipients_and_copy_to_punctuation(ours, tmp_path):
    path = edited(ours, tmp_path, "各有关商贸企业：", "各有关商贸企业")
    assert [f.rule for f in findings(path, "主送机关")] == ["GB/T 9704—2012 7.3.2"]
    path = edited(ours, tmp_path, "区应急管理局。", "区应急管理局")
    assert [f.message for f in findings(path, "抄送机关")] == ["最后一个抄送机关名称后应标句号“。”"]


def test_attachment_notes_against_the_pages(ours, tmp_path):
    path = edited(ours, tmp_path, "2025年“安全生产月”宣传标语", "2025年“安全生产月”宣传标语。")
    found = findings(path)
    assert any(f.element == "附件说明" and "不加标点" in f.message for f in found)
    # a name on the page that differs from the note
    path = edited(ours, tmp_path, "2025年“安全生产月”活动计划表", "2025年安全生产月活动计划表", count=2)
    d = docx.Document(str(path))  # undo the first (the note), keep the page's
    for p in d.paragraphs:
        if p.text.startswith("5.\t2025年安全生产月"):
            p.runs[-1].text = p.runs[-1].text.replace("2025年安全生产月活动计划表", "2025年“安全生产月”活动计划表")
    d.save(str(path))
    assert [f.message for f in findings(path, "附件")] == ["附件说明中的名称与附件页标题不一致（附件页为“2025年安全生产月活动计划表”）"]
    # a page without its note
    d = docx.Document(str(ours))
    note = next(p for p in d.paragraphs if p.text.startswith("5.\t"))
    note._p.getparent().remove(note._p)
    d.save(str(tmp_path / "fewer.docx"))
    assert ["附件说明列了 4 个附件，附件页有 5 个"] == [f.message for f in findings(tmp_path / "fewer.docx", "附件说明")]


def test_headings_out_of_sequence_or_written_1_dunhao(ours, tmp_path):
    found = findings(edited(ours, tmp_path, "三、压实", "四、压实"), "标题层次")
    assert [f.message for f in found] == ["序数不连续：此处应为第3个", "序数不连续：此处应为第5个"]
    found = findings(edited(ours, tmp_path, "1.初起火灾处置", "1、初起火灾处置"), "标题层次")
    assert [f.message for f in found] == ["第三层序数应写作“1.”（半角点），不写作“1、”"]


@pytest.mark.parametrize("old, new, words", [
    ("第24个全国", "第23个全国", "2025年是第24个全国“安全生产月”，不是第23个"),
    ("人人讲安全、个个会应急——查找身边安全隐患”，6月16日", "人人讲安全、个个会应急——畅通生命通道”，6月16日",
     "是2024年的主题"),
    ("现就开展2025年“安全生产月”", "现就开展2024年“安全生产月”", "年份2024与通知的2025年不一致"),
    ("联系人：李明", "联系人：XXX", "占位符“XXX”"),
    ("联系人：李明", "联系人：【待定】", "占位符“【待定】”"),
])
def test_facts_that_do_not_hold(ours, tmp_path, old, new, words):
    found = findings(edited(ours, tmp_path, old, new))
    assert any(words in f.message for f in found), [f.message for f in found]
    assert all(f.severity == "error" for f in found if words in f.message)


def test_half_width_punctuation_and_citations(ours, tmp_path):
    found = findings(edited(ours, tmp_path, "查隐患、强培训", "查隐患,强培训"), "标点")
    assert [f.severity for f in found] == ["warning"] and "“,”" in found[0].message
    cited = "《国务院安委会办公室 应急管理部关于开展2025年全国“安全生产月”活动的通知》（安委办〔2025〕1号）"
    found = findings(edited(ours, tmp_path, cited, cited.replace("〔2025〕", "[2025]")), "引用上级来文")
    assert len(found) == 1 and "六角括号" in found[0].message
    bare = cited.strip("《").replace("》", "")
    found = findings(edited(ours, tmp_path, cited, bare), "引用上级来文")
    assert len(found) == 1 and "《标题》（文号）" in found[0].message


def test_page_setup_fonts_and_colours(ours, tmp_path):
    d = docx.Document(str(ours))
    d.sections[0].top_margin = Mm(25)
    d.element.body.find(qn("w:sectPr")).find(qn("w:docGrid")).set(qn("w:linePitch"), "312")
    title = next(p for p in d.paragraphs if p.style.name == "标题")
    for run in title.runs:
        run.font.size = Pt(18)
        run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    mark = next(p for p in d.paragraphs if p.style.name == "发文机关标志")
    for run in mark.runs:
        run.font.color.rgb = RGBColor(0, 0, 0)
    d.save(str(tmp_path / "set-up.docx"))
    found = {(f.element, f.message) for f in findings(tmp_path / "set-up.docx")}
    assert ("页面设置", "上边距（天头）应为 37 mm（版心 156×225 mm），此为 25.0 mm") in found
    assert any(e == "页面设置" and "28.95" in m for e, m in found)
    assert ("标题", "字体应为小标宋，此为“宋体”") in found and ("标题", "字号应为 22 磅，此为 18 磅") in found
    assert ("发文机关标志", "发文机关标志应为红色") in found


def test_layout_measured_through_libreoffice(ours, tmp_path):
    need_libreoffice()
    d = docx.Document(str(ours))
    d.sections[0].left_margin = Mm(15)
    d.save(str(tmp_path / "wide.docx"))
    done = run_cli("check", tmp_path / "wide.docx", "--render", "--json")
    found = json.loads(done.stdout)["findings"]
    assert done.returncode == 1
    assert any(f["element"] == "版心" and "超出版心" in f["message"] for f in found)


# Files made by hand.

def hand_made(path):
    """A notice typed into a blank document, the way they often arrive: default styles and the usual slips."""
    d = docx.Document()
    mark = d.add_paragraph().add_run("江城市某某区某某局文件")
    mark.font.size = Pt(26)
    d.add_paragraph("某某〔2025〕3号")
    d.add_paragraph("关于开展2025年“安全生产月”活动的通知")
    d.add_paragraph("各科室、各企业")
    d.add_paragraph("今年6月是第23个全国“安全生产月”。根据国务院安委会办公室关于开展2025年全国“安全生产月”活动的通知"
                    "（安委办〔2025〕1号）要求,现通知如下：")
    d.add_paragraph("一、总体要求")
    d.add_paragraph('各单位要高度重视"安全生产月"活动。')
    d.add_paragraph("二、主要活动")
    d.add_paragraph("1、开展应急演练。XX月XX日前完成。")
    d.add_paragraph("附件：1.活动统计表。")
    d.add_paragraph("江城市某某区某某局")
    d.add_paragraph("二〇二五年五月二十日")
    d.save(str(path))
    return path


def test_a_hand_made_file_gets_a_readable_report_in_chinese(tmp_path):
    path = hand_made(tmp_path / "手工.docx")
    done = run_cli("check", path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    report = done.stdout
    for words in ("纸张应为 A4", "发文机关标志应为红色", "主送机关最后一个名称后应标全角冒号", "第23个",
                  "第三层序数应写作“1.”", "占位符“XX”", "半角标点“,”", '半角标点“"”', "《标题》（文号）", "日期应用阿拉伯数字",
                  "附件说明列了 1 个附件，附件页有 0 个", "依据：GB/T 9704—2012", "未指定中文字体（Word 会用主题字体），应为仿宋",
                  "段正文不是三号仿宋"):
        assert words in report, words
    data = json.loads(run_cli("check", path, "--json").stdout)
    assert data["errors"] >= 8 and {"severity", "element", "message", "rule", "text"} <= set(data["findings"][0])


def test_missing_file_exits_with_2(tmp_path):
    done = run_cli("check", tmp_path / "没有.docx")
    assert done.returncode == 2 and "找不到文件" in done.stderr and "Traceback" not in done.stderr


def _damaged_docx(path):
    import zipfile

    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document 没有结束")


UNREADABLE = {  # name → (how to make it, words the message must have)
    "旧版.docx": (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), "另存为"),
    "旧版.doc": (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), "另存为"),
    "扫描件.docx": (lambda p: p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), "PDF"),
    "文字.docx": (lambda p: p.write_text("这不是 Word 文件", encoding="utf-8"), "不是 Word 文档"),
    "空的.docx": (lambda p: p.write_bytes(b""), "空文件"),
    "文件夹.docx": (lambda p: p.mkdir(), "文件夹"),
    "损坏.docx": (_damaged_docx, "已损坏"),
}


@pytest.mark.parametrize("name", UNREADABLE)
@pytest.mark.parametrize("as_json", [False, True])
def test_unreadable_files_say_what_they_are_in_chinese_and_exit_with_2(tmp_path, name, as_json):
    make, words = UNREADABLE[name]
    path = tmp_path / name
    make(path)
    done = run_cli("check", path, *(["--json"] if as_json else []))
    assert done.returncode == 2, done.stderr
    assert str(path) in done.stderr and words in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "Package not found" not in done.stderr
    if as_json:  # stdout is one JSON document even then, carrying the same message
        report = json.loads(done.stdout)
        assert report["file"] == str(path) and words in report["error"] and report["findings"] == []
    else:
        assert done.stdout == ""


def test_docread_unreadable_is_the_one_error_class():
    from drafter import errors
    from drafter.check import read as docread

    assert docread.Unreadable is errors.Unreadable


# Page numbers: “— 1 —”, odd pages right and even pages left, one character in.

def changed(ours, tmp_path, change, name="changed.docx"):
    """A copy of our notice after ``change(document)``."""
    d = docx.Document(str(ours))
    change(d)
    d.save(str(tmp_path / name))
    return tmp_path / name


def _number_paragraphs(d):
    section = d.sections[0]
    return [section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]]


def page_numbers_written(before, after):
    """A change writing the page numbers as ``before`` + the number + ``after`` (ours: “— ” and “ —”)."""
    def change(d):
        for p in _number_paragraphs(d):
            texts = list(p._p.iter(qn("w:t")))
            assert [t.text for t in texts] == ["— ", "1", " —"]
            texts[0].text, texts[-1].text = before, after
    return change


@pytest.mark.parametrize("before, after, shown", [("-", "-", "-1-"), ("- ", " -", "- 1 -"), ("", "", "1"),
                                                  ("第", "页", "第1页"), ("一", "一", "一1一"), ("——", "——", "——1——")])
def test_page_numbers_not_between_em_dashes(ours, tmp_path, before, after, shown):
    path = changed(ours, tmp_path, page_numbers_written(before, after))
    done = run_cli("check", path, "--json")
    assert done.returncode == 1
    found = [f for f in json.loads(done.stdout)["findings"] if f["element"] == "页码"]
    assert [(f["severity"], f["text"], f["rule"]) for f in found] == [("error", shown, "GB/T 9704—2012 7.5")] * 2
    assert "单页页码应写作“— 1 —”" in found[0]["message"] and "双页页码应写作“— 1 —”" in found[1]["message"]


def test_page_number_typed_in_instead_of_a_field(ours, tmp_path):
    def typed(d):
        for p in _number_paragraphs(d):
            for r in list(p._p.iter(qn("w:r"))):
                if r.find(qn("w:fldChar")) is not None or r.find(qn("w:instrText")) is not None:
                    p._p.remove(r)
    found = findings(changed(ours, tmp_path, typed), "页码")
    assert [f.text for f in found] == ["— 1 —", "— 1 —"] and all("固定文字" in f.message for f in found)


def test_page_numbers_on_one_side_or_on_the_wrong_sides(ours, tmp_path):
    def same_footer_everywhere(d):
        d.settings.odd_and_even_pages_header_footer = False
    found = findings(changed(ours, tmp_path, same_footer_everywhere), "页码")
    assert [f.severity for f in found] == ["error"] and "没有设置“奇偶页不同”" in found[0].message

    def centred_and_swapped(d):
        odd, even = _number_paragraphs(d)
        odd.alignment, even.alignment = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    found = findings(changed(ours, tmp_path, centred_and_swapped), "页码")
    assert [f.message for f in found] == ["单页页码应居右（单页居右、双页居左），此为居中",
                                          "双页页码应居左（单页居右、双页居左），此为居右"]

    def no_even_footer(d):
        sect = d.element.body.find(qn("w:sectPr"))
        sect.remove(next(r for r in sect.findall(qn("w:footerReference")) if r.get(qn("w:type")) == "even"))
    assert [f.message for f in findings(changed(ours, tmp_path, no_even_footer), "页码")] == ["双页页脚中没有页码"]

    def flush_right(d):
        _number_paragraphs(d)[0].paragraph_format.right_indent = Mm(0)
    found = findings(changed(ours, tmp_path, flush_right), "页码")
    assert [(f.severity, f.message) for f in found] == [("warning", "单页页码居右应空一字（右缩进 1 字符），此为 0.0 mm")]


def test_page_number_in_a_frame_placed_outside_alternates_by_itself(ours, tmp_path):
    def framed_outside(d):
        d.settings.odd_and_even_pages_header_footer = False
        frame = OxmlElement("w:framePr")
        frame.set(qn("w:xAlign"), "outside")
        frame.set(qn("w:hAnchor"), "margin")
        _number_paragraphs(d)[0]._p.get_or_add_pPr().append(frame)
    assert findings(changed(ours, tmp_path, framed_outside), "页码") == []

    def framed_inside(d):
        framed_outside(d)
        _number_paragraphs(d)[0]._p.pPr.find(qn("w:framePr")).set(qn("w:xAlign"), "inside")
    found = findings(changed(ours, tmp_path, framed_inside), "页码")
    assert [f.message for f in found][0].startswith("页码应单页居右、双页居左：文档没有设置“奇偶页不同”")


def test_page_numbers_measured_on_odd_and_even_pages(ours, tmp_path):
    need_libreoffice()
    path = changed(ours, tmp_path, lambda d: (page_numbers_written("- ", " -")(d),
                                              setattr(d.settings, "odd_and_even_pages_header_footer", False)))
    done = run_cli("check", path, "--render", "--json")
    assert done.returncode == 1
    found = [f["message"] for f in json.loads(done.stdout)["findings"] if f["element"] == "页码"]
    measured = [m for m in found if m.startswith("第")]  # the PDF's; the others are read from the footers
    assert len(measured) == 2, found
    assert measured[0].startswith("第1、2、3、4、5") and "的页码写作“-1-”，应写作“— 1 —”" in measured[0]
    assert measured[1].startswith("第2、4、6、8") and "是双页，页码应居左" in measured[1]


# Templating accidents, headings with nothing under them.

@pytest.mark.parametrize("old, new, element, paragraph", [
    ("联系人：李明", "联系人：None", "正文", "“请于5月30日前报送本单位活动联络员（附……”一段中留有“None”"),
    ("区应急管理局。", "null。", "抄送机关", "“抄送：区安委会办公室，null。”一段中留有“null”"),
    ("安全第一", "{{ slogan }}", "附件", "“4.生命至上，{{ slogan }}”一段中留有“{{”"),
    ("主要负责人亲自部署", "{% if lead %}主要负责人亲自部署", "正文", "留有“{%”"),
    ("1.初起火灾处置。", "1.初起火灾处置。}}", "正文", "留有“}}”"),
])
def test_template_leftovers_named_with_their_paragraph(ours, tmp_path, old, new, element, paragraph):
    path = edited(ours, tmp_path, old, new)
    done = run_cli("check", path)
    assert done.returncode == 1 and "模板" in done.stdout
    found = [f for f in findings(path) if "模板没有填上" in f.message]
    assert [(f.severity, f.element) for f in found] == [("error", element)] and paragraph in found[0].message


def without(ours, tmp_path, *starts):
    """A copy of our notice without the body paragraphs that start with ``starts``."""
    def change(d):
        for start in starts:
            p = next(p for p in d.paragraphs if p.text.startswith(start))
            p._p.getparent().remove(p._p)
    return changed(ours, tmp_path, change, "without.docx")


def test_headings_with_nothing_under_them(ours, tmp_path):
    found = findings(without(ours, tmp_path, "按照“管行业必须管安全"), "标题层次")
    assert [f.message for f in found] == ["标题“三、压实商贸企业安全生产责任”下面没有内容，紧接着就是“四、工作要求”"]
    found = findings(without(ours, tmp_path, "请于5月30日前"), "标题层次")
    assert [f.message for f in found] == ["标题“（三）按时报送材料”是正文的最后一段，下面没有内容"]
    found = findings(without(ours, tmp_path, "活动要贴近基层"), "标题层次")  # a 二级 heading before the next
    assert [f.text for f in found] == ["（二）注重宣传实效"]


def test_a_heading_with_only_a_table_under_it_is_not_empty(ours, tmp_path):
    def table_instead_of_text(d):
        text = next(p for p in d.paragraphs if p.text.startswith("按照“管行业必须管安全"))
        table = d.add_table(rows=2, cols=2)
        table.cell(0, 0).text = "责任单位"
        text._p.addprevious(table._tbl)
        text._p.getparent().remove(text._p)
    assert findings(changed(ours, tmp_path, table_instead_of_text), "标题层次") == []


# Wording of another year; dates that do not agree.

@pytest.mark.parametrize("old, new, words, element", [
    ("查找身边隐患，守护平安家园", "人人讲安全、个个会应急——畅通生命通道", "是2024年的主题，不是2025年的", "附件"),
    ("查找身边隐患，守护平安家园", "遵守安全生产法，当好第一责任人", "是2022年的主题", "附件"),
    ("查找身边隐患，守护平安家园", "2024年“安全生产月”，隐患早排查", "附件中的年份2024与通知的2025年不一致", "附件"),
    ("按时报送材料", "按时报送材料。消除事故隐患，筑牢安全防线", "是2020年的主题", "正文"),
])
def test_slogans_and_themes_of_another_year(ours, tmp_path, old, new, words, element):
    found = [f for f in findings(edited(ours, tmp_path, old, new)) if words in f.message]
    assert [(f.severity, f.element) for f in found] == [("error", element)]


def test_report_deadlines_read_from_the_body(ours, tmp_path):
    from drafter.check.anatomy import recognise
    from drafter.check.read import read
    from drafter.check.rules import deadlines

    # “6月16日前后” is a day of activities, not a deadline, even in a sentence about the 总结
    path = edited(ours, tmp_path, "现场演示灭火器使用方法", "现场演示灭火器使用方法，做好活动总结")
    found = [(key, day.isoformat()) for key, day, _ in deadlines(recognise(read(path)), 2025)]
    assert found == [("liaison", "2025-05-30"), ("summary", "2025-07-01")]


@pytest.mark.parametrize("year", [2019, 2022, 2023, 2024])
def test_our_notices_of_other_years_check_clean(tmp_path, year):
    assert findings(draft(tmp_path / "n.docx", year=year)) == []


@pytest.mark.parametrize("old, new, element, words, text", [
    ("2025年5月20日", "2024年5月20日", "成文日期", "成文日期2024年5月20日不在2025年", "2024年5月20日"),
    ("2025年5月20日印发", "2025年5月10日印发", "印发日期", "印发日期2025年5月10日早于成文日期2025年5月20日",
     "江城市青山区商务局办公室\t2025年5月10日印发"),
    ("请于5月30日前", "请于5月10日前", "正文", "联络员报送截止日期2025年5月10日早于成文日期2025年5月20日",
     "5月10日前报送本单位活动联络员（附件2）"),
    ("请于5月30日前报送本单位活动联络员", "本单位活动联络员请于7月5日前报送", "正文",
     "联络员报送截止日期2025年7月5日晚于2025年6月30日", "本单位活动联络员请于7月5日前报送（附件2）"),
    ("7月1日前报送活动总结", "8月10日前报送活动总结", "正文", "总结和统计表报送截止日期2025年8月10日晚于2025年7月31日",
     "8月10日前报送活动总结和活动进展情况统计表（附件3）"),
])
def test_dates_that_do_not_agree(ours, tmp_path, old, new, element, words, text):
    path = edited(ours, tmp_path, old, new)
    found = [f for f in findings(path) if f.rule.startswith(("GB/T 9704—2012 7.3.5", "GB/T 9704—2012 7.4", "事实：报送"))]
    assert [(f.severity, f.element, f.text) for f in found] == [("error", element, text)]
    assert words in found[0].message
    done = run_cli("check", path)
    assert done.returncode == 1 and words in done.stdout


def test_a_ten_page_notice_is_checked_in_under_a_second(tmp_path):
    from drafter.check.pdf_pages import read_pdf
    from drafter.pdf import to_pdf
    from drafter.plugins import load

    path = draft(tmp_path / "long.docx", activities=list(load().activities))  # every sector's activities
    need_libreoffice()
    assert len(read_pdf(to_pdf(path, tmp_path))) >= 10
    start = time.perf_counter()
    assert findings(path) == []
    assert time.perf_counter() - start < 1.0


def test_attachment_notes_in_another_order_than_the_pages(ours, tmp_path):
    d = docx.Document(str(ours))
    notes = [p for p in d.paragraphs if p.style.name.startswith("附件说明")][:2]
    first, second = notes[0].runs[-1], notes[1].runs[-1]
    first.text, second.text = second.text, first.text
    d.save(str(tmp_path / "swapped.docx"))
    found = [f for f in findings(tmp_path / "swapped.docx", "附件") if "不一致" in f.message]
    assert [f.text for f in found] == ["2025年“安全生产月”活动联络员表", "2025年“安全生产月”宣传标语"]


@pytest.mark.parametrize("name, words", [
    ("通知.pdf", "是 PDF 文件：drafter check 只检查 Word 文件，请索取 Word 原件"),
    ("扫描件.docx", "其实是 PDF 文件（扩展名却是 .docx）"),
])
def test_a_pdf_is_told_for_what_its_name_says(tmp_path, name, words):
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    done = run_cli("check", path)
    assert done.returncode == 2 and words in done.stderr, done.stderr
    assert "扩展名却是 .docx" not in done.stderr or name.endswith(".docx")
