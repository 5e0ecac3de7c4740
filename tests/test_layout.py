"""GB/T 9704 measured: notices are rendered through LibreOffice to PDF and measured in millimetres, under the
session's font set-up (tests/conftest.py: DRAFTER_TEST_FONTS=noto|arphic)."""

import re

import pytest
from conftest import FONT_SETUPS, ROOT, need_libreoffice, run_cli
from docx import Document

from drafter import gbt9704 as G
from drafter.check.pdf_pages import read_pdf
from drafter.pdf import to_pdf

pytestmark = pytest.mark.layout

PAGE_NO = re.compile(r"^—(\d+)—$")
CJK = re.compile(r"[\u4e00-\u9fff，。、“”：；（）—]+")  # full-width text only: every character one cell
TEXT_TOP, TEXT_BOTTOM, TEXT_LEFT, TEXT_RIGHT = G.TEXT_TOP_MM, G.TEXT_BOTTOM_MM, G.TEXT_LEFT_MM, G.TEXT_RIGHT_MM
PITCH = G.PITCH_MM
ADVANCE = (G.CHAR + G.TRACKING) * G.TWIP_MM  # a 三号 character as laid out, with the tracking that fits 28 to a line
# How far LibreOffice moves a line's glyphs inside its grid line, by the ascent and descent of the fonts on that line
# (AR PL UMing sits 0.3–0.5 mm higher than Noto CJK, more with Latin digits beside it).
FONT_DRIFT = 0.6
# The notices drafter makes with no questions asked: the sample, each built-in sector's, the README's example.
OUR_NOTICES = {"示例": ["--defaults"], "商务": ["--sector", "商务", "--defaults"],
               "街道": ["--sector", "街道", "--defaults"], "应急": ["--sector", "应急", "--defaults"],
               "examples/街道.yaml": ["--answers", ROOT / "examples" / "街道.yaml"]}


def body_lines(page):
    """Lines inside the text block (not the page number)."""
    return [ln for ln in page.lines if ln.bottom <= TEXT_BOTTOM + 1]


def page_number(page):
    found = [ln for ln in page.lines if PAGE_NO.match(ln.text)]
    return found[0] if found else None


@pytest.fixture(scope="module")
def sealed(pdf_of):
    return pdf_of()


@pytest.fixture(scope="module")
def unsealed(pdf_of):
    return pdf_of(sealed=False, attachments=["stats"])


def test_a4_and_margins(sealed):
    _, pages = sealed
    for page in pages:
        assert page.width == pytest.approx(G.PAPER_W_MM, abs=0.5) and page.height == pytest.approx(G.PAPER_H_MM, abs=0.5)
    full = pages[1]
    lines = body_lines(full)
    # The first grid line starts at the top margin; glyphs sit about 2 mm into their 10.2 mm line.
    assert lines[0].top == pytest.approx(TEXT_TOP + 2.1, abs=1)
    assert min(ln.x0 for ln in lines) == pytest.approx(TEXT_LEFT, abs=1)
    full_lines = [ln for ln in lines if len(ln.text) == G.CHARS_PER_LINE and CJK.fullmatch(ln.text)]
    assert full_lines and all(ln.x1 == pytest.approx(TEXT_RIGHT, abs=1) for ln in full_lines), full_lines
    # 22 lines of 10.2 mm fill 225 mm: the last line ends at the bottom margin.
    assert lines[-1].top == pytest.approx(TEXT_TOP + (G.LINES_PER_PAGE - 1) * PITCH + 2.1, abs=1)


def test_22_lines_of_28_characters_on_a_full_page(sealed):
    _, pages = sealed
    full = [p for p in pages[1:] if len(body_lines(p)) == G.LINES_PER_PAGE]
    assert full, [len(body_lines(p)) for p in pages]
    for page in full:
        lines = body_lines(page)
        pitches = [b.baseline - a.baseline for a, b in zip(lines, lines[1:])]
        assert all(p == pytest.approx(PITCH, abs=FONT_DRIFT) for p in pitches), (page.number, pitches)
        assert lines[-1].baseline - lines[0].baseline == pytest.approx((G.LINES_PER_PAGE - 1) * PITCH, abs=1)
    lines = body_lines(full[0])
    counts = [len(ln.text) for ln in lines if ln.x0 == pytest.approx(TEXT_LEFT, abs=0.5) and CJK.fullmatch(ln.text)]
    assert max(counts) == G.CHARS_PER_LINE and counts.count(G.CHARS_PER_LINE) >= 3, counts


def test_lines_with_digits_stop_at_the_right_edge(sealed):
    """Digits and Latin letters are set in Times New Roman's metric twin whichever Chinese stand-in sets the text:
    no line with them runs past the right edge of the text block (a closing punctuation mark may hang past it, as
    Word and LibreOffice let it), and a full line with them ends on the edge like any other."""
    _, pages = sealed
    with_digits = [ln for p in pages for ln in body_lines(p)
                   if re.search(r"[0-9A-Za-z]", ln.text) and ln.size == pytest.approx(G.BODY_PT, abs=0.3)]
    ends = [ln.x1 - (G.CHAR_MM if ln.text[-1] in "，。、；：！？”）" else 0) for ln in with_digits]
    assert all(end <= TEXT_RIGHT + 1 for end in ends), [ln.text for ln, e in zip(with_digits, ends) if e > TEXT_RIGHT + 1]
    assert sum(end == pytest.approx(TEXT_RIGHT, abs=1) for end in ends) >= 5


def test_sizes_body_16_title_22_centred(sealed):
    _, pages = sealed
    first = pages[0].lines
    title = [ln for ln in first if ln.size == pytest.approx(G.TITLE_PT, abs=0.3)]
    assert len(title) == 2 and "".join(t.text for t in title).startswith("江城市青山区商务局关于开展2025年")
    for ln in title:
        assert (ln.x0 + ln.x1) / 2 == pytest.approx((TEXT_LEFT + TEXT_RIGHT) / 2, abs=1.5)
    body = [ln for ln in body_lines(pages[1])]
    assert all(ln.size == pytest.approx(G.BODY_PT, abs=0.3) for ln in body)


def test_red_mark_number_and_red_line(sealed):
    _, pages = sealed
    first = pages[0]
    mark = first.lines[0]
    assert mark.text == "江城市青山区商务局文件"
    assert all(c[:3] == (1.0, 0.0, 0.0) for c in mark.colors if c)
    assert mark.top == pytest.approx(G.MARK_TOP_MM, abs=2)
    assert (mark.x0 + mark.x1) / 2 == pytest.approx((TEXT_LEFT + TEXT_RIGHT) / 2, abs=1.5)
    number = next(ln for ln in first.lines if ln.text == "青商务〔2025〕18号")
    red = [r for r in first.rules if r.color[:3] == (1.0, 0.0, 0.0)]
    assert red, first.rules
    assert red[0].length == pytest.approx(G.TEXT_W_MM, abs=1)
    assert red[0].top - number.bottom == pytest.approx(G.RULE_GAP_MM, abs=1)
    assert number.top - mark.bottom > 2 * PITCH - 3  # two blank lines between mark and number


def test_page_numbers_odd_right_even_left(sealed):
    _, pages = sealed
    for page in pages:
        num = page_number(page)
        assert num is not None, f"page {page.number} has no number"
        assert PAGE_NO.match(num.text).group(1) == str(page.number)
        assert num.top == pytest.approx(TEXT_BOTTOM + G.PAGE_NUMBER_BELOW_MM, abs=1)
        if page.number % 2:
            assert num.x1 == pytest.approx(TEXT_RIGHT - G.CHAR_SMALL_MM, abs=1)
        else:
            assert num.x0 == pytest.approx(TEXT_LEFT + G.CHAR_SMALL_MM, abs=1)


def test_attachments_each_start_a_page_with_label_and_title(sealed):
    _, pages = sealed
    starts = [p for p in pages if body_lines(p) and re.fullmatch(r"附件\d", body_lines(p)[0].text)]
    docx, _ = sealed
    labels = [p.text for p in Document(str(docx)).paragraphs if p.style.style_id == "AttachLabel"]
    assert len(labels) >= 4 and labels == [f"附件{i}" for i in range(1, len(labels) + 1)]
    assert [body_lines(p)[0].text for p in starts] == labels
    notes = "\n".join(p.text() for p in pages)
    for p in starts:
        label, title = body_lines(p)[0], body_lines(p)[1]
        assert label.top == pytest.approx(TEXT_TOP + 2.1, abs=1) and label.x0 == pytest.approx(TEXT_LEFT, abs=0.5)
        assert title.top == pytest.approx(TEXT_TOP + 2 * PITCH + 1, abs=1.5)  # line 3
        assert title.size == pytest.approx(G.TITLE_PT, abs=0.3)
        assert title.text in notes.replace(" ", "")


def test_tables_stay_on_the_grid_and_repeat_their_header(sealed):
    _, pages = sealed
    start = next(p.number for p in pages if "填报单位" in p.text())
    stats = [p for p in pages if p.number >= start and "进展情况" in p.text()]
    assert len(stats) >= 2, "the statistics table should run over a page here"
    for p in stats:
        assert any(ln.text.startswith("序号活动项目进展情况") for ln in p.lines)
        rows = sorted({round(r.top, 1) for r in p.rules if r.length > 150})
        offsets = [(r - rows[0]) / PITCH for r in rows]
        assert all(abs(o - round(o)) < 0.1 for o in offsets), offsets


def test_colophon_last_rule_on_the_bottom_edge(sealed):
    _, pages = sealed
    last = pages[-1]
    assert "抄送：区安委会办公室，区应急管理局。" in last.text()
    assert "2025年5月20日印发" in last.text()
    rules = [r for r in last.rules if r.length == pytest.approx(G.TEXT_W_MM, abs=0.3)][-3:]  # 版记: thick, thin, thick
    assert rules[-1].top == pytest.approx(TEXT_BOTTOM, abs=1)
    assert rules[0].width_pt > rules[1].width_pt and rules[-1].width_pt > rules[1].width_pt


def test_signature_sealed_layout(sealed):
    _, pages = sealed
    lines = [ln for p in pages for ln in p.lines]
    signer = next(ln for ln in lines if ln.text == "江城市青山区商务局")
    date = next(ln for ln in lines if ln.text == "2025年5月20日")
    remark = next(ln for ln in lines if ln.text == "（此件公开发布）")
    assert date.x1 == pytest.approx(TEXT_RIGHT - 4 * ADVANCE, abs=1.5)
    # 署名 centred over the date as printed: its 6.5 characters (digits half a character wide, in Times New Roman or
    # its metric twin whatever the Chinese font) and the little space set where a Chinese character meets a digit
    assert (signer.x0 + signer.x1) / 2 == pytest.approx((date.x0 + date.x1) / 2, abs=1)
    assert date.top - signer.top == pytest.approx(PITCH, abs=0.5)
    assert remark.top - date.top == pytest.approx(PITCH, abs=0.5)
    assert remark.x0 == pytest.approx(TEXT_LEFT + 2 * G.CHAR_MM, abs=1)


def test_signature_unsealed_layout(unsealed):
    _, pages = unsealed
    lines = [ln for p in pages for ln in p.lines]
    signer = next(ln for ln in lines if ln.text == "江城市青山区商务局")
    date = next(ln for ln in lines if ln.text == "2025年5月20日")
    assert signer.x1 == pytest.approx(TEXT_RIGHT - 2 * G.CHAR_MM, abs=1)
    assert date.x0 - signer.x0 == pytest.approx(2 * ADVANCE, abs=1)
    note = next(ln for ln in lines if ln.text.startswith("附件："))
    assert "活动进展情况统计表" in note.text and "1." not in note.text  # a single attachment has no number


def test_colophon_on_its_own_even_page(pdf_of):
    _, pages = pdf_of(colophon_on_even_page=True)
    last = pages[-1]
    assert last.number % 2 == 0
    assert page_number(last) is None
    assert [ln.text for ln in body_lines(last)][-2].startswith("抄送：")
    rules = [r for r in last.rules if r.length == pytest.approx(G.TEXT_W_MM, abs=1)]
    assert rules[-1].top == pytest.approx(TEXT_BOTTOM, abs=1)
    before = pages[-2]
    if not before.lines:  # a blank page inserted to reach an even page carries no number either
        assert page_number(before) is None
    assert all(page_number(p) is not None for p in pages[:-1] if p.lines)


def test_a_long_mark_is_set_smaller_with_its_top_edge_in_place(pdf_of):
    name = "江城市青山区安全生产委员会办公室"
    _, pages = pdf_of(issuer={"sector": "应急"})  # its example issuer has this long name
    mark = pages[0].lines[0]
    assert mark.text == name + "文件" and mark.size < 30
    assert mark.top == pytest.approx(G.MARK_TOP_MM, abs=2) and mark.x1 - mark.x0 <= G.TEXT_W_MM


@pytest.mark.parametrize("notice", OUR_NOTICES)
def test_our_notices_are_clean_as_printed(notice, tmp_path):
    """drafter check --render's measurements (drafter.check.layout_measured) find no error in any notice drafter makes by
    default: text inside the 156×225 mm block, 22 lines of 28 characters, page numbers, the red mark."""
    from drafter.check import measured

    need_libreoffice()
    done = run_cli("new", *OUR_NOTICES[notice], "-o", tmp_path / "通知.docx")
    assert done.returncode == 0, done.stderr
    found = measured(tmp_path / "通知.docx")
    assert [f for f in found if f.severity == "error"] == [], found


@pytest.mark.parametrize("sector", ["商务", "街道", "应急"])
def test_lines_break_alike_whatever_the_chinese_stand_in(sector, fontconfigs, tmp_path, monkeypatch):
    """The same notice converted under each font set-up: the same lines, each with the same left and right edge.
    Only glyph shapes change with the Chinese stand-in, never where a line breaks."""
    need_libreoffice(*FONT_SETUPS)
    done = run_cli("new", "--sector", sector, "--defaults", "-o", tmp_path / "通知.docx")
    assert done.returncode == 0, done.stderr
    laid = {}
    for setup in FONT_SETUPS:
        monkeypatch.setenv("DRAFTER_FONTCONFIG", str(fontconfigs[setup]))
        (tmp_path / setup).mkdir()
        laid[setup] = [(page.number, ln) for page in read_pdf(to_pdf(tmp_path / "通知.docx", tmp_path / setup))
                       for ln in page.lines]
    noto, arphic = laid["noto"], laid["arphic"]
    assert [(n, ln.text) for n, ln in noto] == [(n, ln.text) for n, ln in arphic]
    for (n, a), (_, b) in zip(noto, arphic):
        assert (a.x0, a.x1) == pytest.approx((b.x0, b.x1), abs=0.3), (n, a.text)


TABLE = {"kind": "table", "title": "相关活动情况报送表", "numbered": True, "reporter": True,
         "columns": ["类别", "活动内容", "时间", "刊登媒体", "媒体链接"],
         "rows": [["学习", "理论学习中心组集中学习", "", "", ""]],
         "groups": [{"title": "宣传报道", "rows": [["企业主要负责人“五带头”宣传报道", "", "", ""],
                                                   ["一案双罚典型案例曝光", "", "", ""]]}],
         "blank_rows": 3}


def test_the_plan_alone_starts_with_its_title_on_the_first_line(pdf_of):
    docx, pages = pdf_of(form="方案", attachments=["stats"])
    first = body_lines(pages[0])
    assert first[0].text == "2025年全区商务系统“安全生产月”活动方案"
    assert first[0].size == pytest.approx(G.TITLE_PT, abs=0.3) and first[0].top == pytest.approx(TEXT_TOP + 2, abs=1.5)
    assert (first[0].x0 + first[0].x1) / 2 == pytest.approx((TEXT_LEFT + TEXT_RIGHT) / 2, abs=1)
    assert not [r for r in pages[0].rules if r.color and r.color[0] > 0.5]  # no red line
    assert first[1].text.startswith("今年6月是第24个") and first[1].top == pytest.approx(TEXT_TOP + 2 * PITCH + 2.1, abs=1)
    assert not any("抄送" in p.text() or "印发" in p.text() for p in pages)


def test_a_cover_note_and_its_plan_as_attachment_1(pdf_of):
    _, pages = pdf_of(form="印发方案", attachments=["liaison"])
    plan = next(p for p in pages if body_lines(p) and body_lines(p)[0].text == "附件1")
    lines = body_lines(plan)
    assert lines[1].text == "2025年全区商务系统“安全生产月”活动方案" and lines[1].size == pytest.approx(G.TITLE_PT, abs=0.3)
    assert lines[1].top == pytest.approx(TEXT_TOP + 2 * PITCH + 1, abs=1.5)
    assert any(ln.text == "一、总体要求" for p in pages[plan.number - 1:] for ln in p.lines)
    assert "现将《2025年全区商务系统“安全生产月”活动方案》印发给你们" in pages[0].text().replace(" ", "").replace("\n", "")


def test_a_written_table_spans_the_text_block_on_the_grid(pdf_of):
    _, pages = pdf_of(attachments=[TABLE])
    page = next(p for p in pages if "相关活动情况报送表" in p.text() and "序号" in p.text())
    across = [r for r in page.rules if r.length > 100]  # under a group's label, the rules start after its column
    assert across and all(r.x1 == pytest.approx(TEXT_RIGHT, abs=0.6) for r in across)
    assert [r.x0 for r in across if r.x0 == pytest.approx(TEXT_LEFT, abs=0.6)]
    rows = sorted({round(r.top, 1) for r in across})
    assert len(rows) >= 1 + 3 + 3 + 1  # header, three written rows, three blank rows, the bottom edge
    offsets = [(r - rows[0]) / PITCH for r in rows]
    assert all(abs(o - round(o)) < 0.1 for o in offsets), offsets
    assert any(ln.text.startswith("填报单位") for ln in page.lines)


def test_a_forms_labels_of_six_characters_stand_on_one_line(pdf_of):
    """A label cell holds six 四号 characters besides its margins (render.FORM_LABEL_W)."""
    labels = ["联系人及电话", "填报单位名称", "检查发现问题"]
    _, pages = pdf_of(attachments=[{"kind": "form", "title": "检查登记表",
                                    "rows": [labels[:2], labels[2:]]}])
    texts = [ln.text.replace(" ", "") for page in pages for ln in page.lines]
    assert all(any(label in text for text in texts) for label in labels), [t for t in texts if "联系" in t or "问" in t]
