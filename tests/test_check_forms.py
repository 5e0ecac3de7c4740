"""`drafter check` on the other forms a notice takes (issue 13): a joint notice (联合行文: the organs' names stacked in
the mark, every organ in the 署名), the letter format (信函: the mark in a text box 30 mm from the top, the 文号 at
the right, no page number on page 1) and paper with the red head printed on it (套打: no mark at all). Each,
drafted by the command line, checks clean; each broken one way is found, in the .docx or on the printed page."""

import json
import re

import docx
import pytest
import yaml
from conftest import ROOT, need_libreoffice, run_cli
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from drafter.check import check
from drafter.check.anatomy import recognise
from drafter.check.read import read

HOST = "江城市青山区江南街道办事处"
CO = "江城市青山区应急管理局"

FORMS = {  # name → what the answers (examples/街道.yaml) change
    "joint": {"co_issuers": [{"name": CO}], "number": 9},
    "joint_sealed": {"co_issuers": [{"name": CO, "signature": "青山区应急局"},
                                    {"name": "江城市青山区教育局", "signature": "青山区教育局"}],
                     "issuer": {"signature": "江南街道办事处"}, "sealed": True},
    "letter": {"format": "信函", "issuer": {"code": "青江街办函"}},
    "letter_sealed": {"format": "信函", "issuer": {"code": "青江街办函"}, "sealed": True, "copy_to": []},
    "preprinted": {"letterhead": "套打"},
    "preprinted_letter": {"letterhead": "套打", "format": "信函", "issuer": {"code": "青江街办函"}},
    "apart": {"attachments": ["slogans", {"use": "liaison", "detached": True}, {"use": "stats", "detached": True}]},
    "landscape": {"attachments": ["slogans", {"kind": "table", "title": "活动安排表", "landscape": True,
                                              "columns": ["单位", "活动项目", "时间", "地点", "参加人数", "负责人",
                                                          "联系电话", "备注"], "blank_rows": 8}, "liaison"]},
    # 附件1 printed apart after the 版记, 附件2 bound before it: matched by number, not by order
    "apart_first": {"attachments": [{"use": "liaison", "detached": True}, "stats"]},
    # the last section a landscape one: the notice's page set-up is its first section's
    "apart_wide": {"attachments": ["stats", {"kind": "table", "title": "活动安排表", "landscape": True,
                                             "detached": True, "columns": ["单位", "活动项目", "时间", "地点"],
                                             "blank_rows": 8}]},
    # a landscape table last, the 版记 on an even page of its own
    "wide_own_page": {"colophon_on_even_page": True, "attachments": [
        "liaison", {"kind": "table", "title": "活动安排表", "landscape": True,
                    "columns": ["单位", "活动项目", "时间", "地点", "参加人数", "负责人", "联系电话", "备注"],
                    "blank_rows": 8}]},
}


def answers(**changes):
    base = yaml.safe_load((ROOT / "examples" / "街道.yaml").read_text(encoding="utf-8"))
    for key, value in changes.items():
        base[key] = {**base[key], **value} if isinstance(value, dict) else value
    return base


@pytest.fixture(scope="module")
def drafted(tmp_path_factory):
    """Each form drafted once by `drafter new --answers`; returns the .docx's path."""
    made = {}

    def make(name):
        if name not in made:
            folder = tmp_path_factory.mktemp(name)
            source = folder / "answers-in.yaml"
            source.write_text(yaml.safe_dump(answers(**FORMS[name]), allow_unicode=True), encoding="utf-8")
            done = run_cli("new", "--answers", source, "-o", folder / f"{name}.docx")
            assert done.returncode == 0, done.stderr
            made[name] = folder / f"{name}.docx"
        return made[name]

    return make


def findings(path, element=None):
    return [f for f in check(path) if element is None or f.element == element]


def changed(path, tmp_path, change, name="changed.docx"):
    d = docx.Document(str(path))
    change(d)
    d.save(str(tmp_path / name))
    return tmp_path / name


# Recognised, and clean.

@pytest.mark.parametrize("name", list(FORMS))
def test_each_form_drafted_by_the_cli_checks_clean(drafted, name):
    done = run_cli("check", drafted(name))
    assert done.returncode == 0 and "未发现问题" in done.stdout, done.stdout


def test_a_joint_notice_is_read_whole(drafted):
    a = recognise(read(drafted("joint")))
    assert a.mark_names == [HOST, CO] and a.mark_text == HOST + CO + "文件"
    assert all(p.where == "table" and p.color == "FF0000" for p in a.mark_lines)
    assert a.signature_names == [HOST, CO] and a.signature.text.strip() == HOST
    assert a.body[-1].text.startswith("请于6月3日前") and len(a.attach_notes) == 3
    assert a.title_text == f"{HOST}{CO}关于开展2025年江南街道“安全生产月”活动的通知"
    assert a.recipients.text.endswith("辖区各相关企业：") and a.format == "文件" and not a.preprinted


def test_sealed_rows_of_names_are_one_signature(drafted):
    a = recognise(read(drafted("joint_sealed")))
    # two rows of names between tabs (the tab stops are not text), blank lines for the seals between the rows
    assert [p.text for p in a.signatures] == ["\t江南街道办事处\t青山区应急局", "\t青山区教育局"]
    assert a.signature_names == ["江南街道办事处", "青山区应急局", "青山区教育局"]
    assert len(a.mark_names) == 3 and len(a.attach_notes) == 3


def test_a_letter_and_preprinted_paper_are_told_apart(drafted):
    a = recognise(read(drafted("letter")))
    assert (a.format, a.preprinted, a.mark.where, a.mark_text) == ("信函", False, "textbox", HOST)
    assert a.doc_number.text == "青江街办函〔2025〕9号" and a.doc_number.align == "right"
    a = recognise(read(drafted("preprinted")))
    assert (a.format, a.preprinted, a.mark, a.doc_number.text) == ("文件", True, None, "青江街办〔2025〕9号")
    assert a.title_text.startswith(HOST + "关于开展")
    a = recognise(read(drafted("preprinted_letter")))
    assert (a.format, a.preprinted, a.mark) == ("信函", True, None)


def test_a_joint_notice_typed_by_hand(tmp_path):
    """Names in red lines one under another, 文件 after the last; the 署名 right-aligned, one name a line."""
    d = docx.Document()
    for text in ("江城市某某区某某局", "江城市某某区应急管理局文件"):
        run = d.add_paragraph().add_run(text)
        run.font.size, run.font.color.rgb = Pt(26), RGBColor(255, 0, 0)
    for text in ("某某〔2025〕3号", "关于开展2025年“安全生产月”活动的通知", "各科室：", "各单位要高度重视。", "特此通知"):
        d.add_paragraph(text)
    for text in ("江城市某某区某某局", "江城市某某区应急管理局", "2025年5月20日"):
        d.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.save(str(tmp_path / "hand.docx"))
    a = recognise(read(tmp_path / "hand.docx"))
    assert a.mark_names == ["江城市某某区某某局", "江城市某某区应急管理局"] and a.mark_text.endswith("管理局文件")
    assert a.signature_names == a.mark_names and [p.text for p in a.body] == ["各单位要高度重视。", "特此通知"]
    found = [f.message for f in findings(tmp_path / "hand.docx", "发文机关标志")]
    assert "联合行文的“文件”二字应置于各机关名称右侧、上下居中，不接在某一机关名称之后" in found


# Broken one way at a time, found in the .docx.

def _mark_runs(d):
    """The runs of the mark's first line (in a paragraph, a table's cell or a text box)."""
    for p in d.element.body.iter(qn("w:p")):
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        runs = [r for r in p.findall(qn("w:r")) if r.find(qn("w:t")) is not None]
        if style is not None and style.get(qn("w:val")) == "Mark" and runs:
            return runs
    raise AssertionError("no mark")


def _set_size(run, half_points: str):
    run.find(qn("w:rPr")).find(qn("w:sz")).set(qn("w:val"), half_points)


@pytest.mark.parametrize("name", ["joint", "letter"])
def test_a_mark_smaller_than_the_text_is_an_error(drafted, tmp_path, name):
    def shrink(d):
        for run in _mark_runs(d):
            _set_size(run, "23")  # 11.5 pt
    found = findings(changed(drafted(name), tmp_path, shrink), "发文机关标志")
    assert [(f.severity, f.rule) for f in found] == [("error", "GB/T 9704—2012 7.2.4")]
    assert "11.5 磅" in found[0].message and "比正文（三号，16 磅）还小" in found[0].message


def test_two_organs_squeezed_into_one_line_of_mark(tmp_path):
    """What the joint mark used to be: “A B文件” on one line, shrunk to fit."""
    path = tmp_path / "one-line.docx"
    source = tmp_path / "in.yaml"
    source.write_text(yaml.safe_dump(answers(), allow_unicode=True), encoding="utf-8")
    assert run_cli("new", "--answers", source, "-o", path).returncode == 0

    def squeeze(d):
        run = _mark_runs(d)[0]
        run.find(qn("w:t")).text = f"{HOST} {CO}文件"
        _set_size(run, "23")
    found = findings(changed(path, tmp_path, squeeze), "发文机关标志")
    assert [f.severity for f in found] == ["error", "warning"]
    assert "11.5 磅" in found[0].message and "上下排列" in found[1].message


def test_a_joint_mark_and_signature_that_do_not_agree(drafted, tmp_path):
    def one_signer_less(d):
        signer = [p for p in d.paragraphs if p.style.name == "署名"][-1]
        signer._p.getparent().remove(signer._p)
    found = findings(changed(drafted("joint"), tmp_path, one_signer_less), "发文机关标志")
    assert [f.message for f in found] == ["发文机关标志列了 2 个机关，署名有 1 个：联合行文的标志和署名应列出同样的机关"]

    def swapped(d):
        first, second = [p for p in d.paragraphs if p.style.name == "署名"]
        first.runs[-1].text, second.runs[-1].text = CO, HOST
    found = findings(changed(drafted("joint"), tmp_path, swapped), "署名")
    assert [f.severity for f in found] == ["warning"] and "主办机关在前" in found[0].message


def test_a_letter_with_a_page_number_on_page_1_or_without_a_letter_number(drafted, tmp_path):
    def numbered_first_page(d):
        d.sections[0].different_first_page_header_footer = False
    found = findings(changed(drafted("letter"), tmp_path, numbered_first_page), "页码")
    assert [(f.severity, f.rule) for f in found] == [("error", "GB/T 9704—2012 10.1")]
    assert "信函格式首页不显示页码" in found[0].message and found[0].text == "— 1 —"

    def no_han(d):
        number = next(p for p in d.paragraphs if p.text == "青江街办函〔2025〕9号")
        number.runs[-1].text = "青江街办〔2025〕9号"
    found = findings(changed(drafted("letter"), tmp_path, no_han), "发文字号")
    assert [f.severity for f in found] == ["warning"] and "函字号" in found[0].message


def test_a_first_page_without_a_number_is_still_told_in_a_notice(drafted, tmp_path):
    """Only a letter's first page goes without its number; a notice's, set “首页不同” and left empty, is told."""
    def first_page_different(d):
        d.sections[0].different_first_page_header_footer = True
    found = findings(changed(drafted("joint"), tmp_path, first_page_different), "页码")
    assert [f.message for f in found] == ["设置了“首页不同”，首页却没有页码"]


# As printed (LibreOffice).

def render_check(path):
    need_libreoffice()
    done = run_cli("check", path, "--render", "--json")
    return done.returncode, json.loads(done.stdout)["findings"]


@pytest.mark.layout
@pytest.mark.parametrize("name", ["joint", "letter", "preprinted", "apart", "landscape", "apart_first",
                                  "apart_wide", "wide_own_page"])
def test_each_form_checks_clean_as_printed(drafted, name):
    code, found = render_check(drafted(name))
    assert (code, found) == (0, [])


@pytest.mark.layout
def test_a_date_on_the_page_after_the_signature(drafted, tmp_path):
    def date_on_next_page(d):
        next(p for p in d.paragraphs if p.style.name == "成文日期").paragraph_format.page_break_before = True
    code, found = render_check(changed(drafted("joint"), tmp_path, date_on_next_page))
    assert code == 1
    assert [(f["severity"], f["element"], f["rule"]) for f in found] == [("error", "成文日期", "GB/T 9704—2012 7.3.5.5")]
    m = re.match(r"署名和成文日期应在同一页（署名在第(\d+)页，成文日期在第(\d+)页）", found[0]["message"])
    assert m and int(m.group(2)) == int(m.group(1)) + 1, found[0]["message"]


@pytest.mark.layout
def test_a_signature_on_a_page_of_its_own(drafted, tmp_path):
    def signature_on_next_page(d):
        next(p for p in d.paragraphs if p.style.name == "署名").paragraph_format.page_break_before = True
    code, found = render_check(changed(drafted("letter"), tmp_path, signature_on_next_page))
    assert code == 1
    assert [(f["severity"], f["element"], f["rule"]) for f in found] == [("error", "署名", "GB/T 9704—2012 7.3.5.5")]
    assert re.fullmatch(r"第\d+页只有署名和成文日期，没有正文：应调整行距、字距，使署名、成文日期与正文同处一面，"
                        r"不采用标注“此页无正文”的办法", found[0]["message"])


@pytest.mark.layout
def test_a_letter_broken_as_printed(drafted, tmp_path):
    """A letter with its mark too small and too low, a short double rule, and a page number on page 1."""
    def broken(d):
        d.sections[0].different_first_page_header_footer = False
        box, rules = None, []
        for anchor in d.element.body.iter(qn("wp:anchor")):
            name = anchor.find(qn("wp:docPr")).get("name")
            if name == "发文机关标志":
                box = anchor
            elif name == "红色双线":
                rules.append(anchor)
        offset = box.find(qn("wp:positionV")).find(qn("wp:posOffset"))
        offset.text = str(int(offset.text) + 36000 * 10)  # 10 mm lower
        for sz in box.iter(qn("w:sz")):
            sz.set(qn("w:val"), "23")
        extent = rules[0].find(qn("wp:extent"))
        extent.set("cx", str(150 * 36000))
        rules[0].find(f".//{qn('a:ext')}").set("cx", str(150 * 36000))
    code, found = render_check(changed(drafted("letter"), tmp_path, broken))
    assert code == 1
    messages = [f["message"] for f in found if f["severity"] == "error"]
    for words in ("发文机关标志上边缘距纸张上边", "应为 30 mm（信函格式）", "印出来只有 11.5 磅", "信函格式首页不显示页码，第1页却有页码",
                  "信函格式上方的红色双线长 150 mm，应为 170 mm"):
        assert any(words in m for m in messages), (words, messages)


@pytest.mark.layout
def test_a_small_mark_measured(drafted, tmp_path):
    def shrink(d):
        for p in d.element.body.iter(qn("w:p")):
            style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            if style is not None and style.get(qn("w:val")) == "Mark":
                for sz in p.iter(qn("w:sz")):
                    sz.set(qn("w:val"), "23")
    code, found = render_check(changed(drafted("joint"), tmp_path, shrink))
    measured = [f["message"] for f in found if "印出来" in f["message"]]
    assert code == 1 and measured and "11.5 磅" in measured[0]


@pytest.mark.layout
def test_preprinted_paper_needs_room_for_its_red_head(drafted, tmp_path):
    """No mark is right on 套打 paper; a 文号 on the first lines of the text block leaves the printed head no room."""
    def no_room(d):
        for p in list(d.paragraphs):
            if p.text.startswith("青江街办"):
                break
            p._p.getparent().remove(p._p)
    code, found = render_check(changed(drafted("preprinted"), tmp_path, no_room))
    assert code == 0 and [(f["severity"], f["element"]) for f in found] == [("warning", "发文机关标志")]
    assert "以上没有留出红头的位置" in found[0]["message"]


def test_an_attachment_printed_apart_carries_this_notices_number(drafted, tmp_path):
    """Its first line is the 发文字号 and 附件N (GB/T 9704 7.3.7): another notice's number there is an error."""
    d = docx.Document(str(drafted("apart")))
    label = next(p for p in d.paragraphs if p.text.endswith("附件2"))
    number = label.text.removesuffix("附件2")
    for run in label.runs:
        run.text = run.text.replace(number, "青江街办〔2024〕3号")
    d.save(str(tmp_path / "other.docx"))
    found = [f for f in check(tmp_path / "other.docx") if f.element == "附件"]
    assert [f.message for f in found] == [f"第2个附件另行装订，首行的发文字号“青江街办〔2024〕3号”应与本件的“{number}”一致"]
