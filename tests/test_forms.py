"""The other forms of GB/T 9704 measured through LibreOffice: joint issuance (7.2.4, 7.3.5), the letter format (10.1),
pre-printed letterhead paper (套打). Positions in mm from the paper's top-left corner."""

import re

import pytest

from drafter import gbt9704 as G

pytestmark = pytest.mark.layout

RED = (1.0, 0.0, 0.0)
TEXT_LEFT, TEXT_RIGHT, TEXT_BOTTOM = G.TEXT_LEFT_MM, G.TEXT_RIGHT_MM, G.TEXT_BOTTOM_MM
CHAR = (G.CHAR + G.TRACKING) * G.TWIP_MM  # a 三号 character as laid out (with its tracking)
PITCH = G.PITCH_MM
HOST = "江城市青山区安全生产委员会办公室"
ORGANS = {2: [HOST, "江城市青山区应急管理局"], 3: ["江城市青山区安委会办公室", "江城市青山区应急管理局", "江城市青山区总工会"]}
DATE = "2025年5月20日"


def joint(organs: int, sealed: bool, **more) -> dict:
    host, *others = ORGANS[organs]
    return {"issuer": {"name": host, "code": "青安办"}, "co_issuers": [{"name": n} for n in others], "number": 7,
            "contact": None, "sealed": sealed, **more}


def red_chars(page):
    return [(ch, ln) for ln in page.lines for ch, c in zip(ln.text, ln.colors) if c and c[:3] == RED]


def red_lines(page):
    return [ln for ln in page.lines if any(c and c[:3] == RED for c in ln.colors)]


@pytest.mark.parametrize("organs", [2, 3])
@pytest.mark.parametrize("sealed", [True, False])
def test_a_joint_mark_stacks_the_names_with_wenjian_centred_beside_them(pdf_of, organs, sealed):
    _, pages = pdf_of(**joint(organs, sealed))
    first = pages[0]
    lines = red_lines(first)
    names = [ln.text.removesuffix("文件") for ln in lines if ln.text != "文件"]
    assert names == ORGANS[organs], names  # each name on its own line, host first, in red
    assert all(c[:3] == RED for ln in lines for c in ln.colors if c)
    stack_top, stack_bottom = lines[0].top, lines[-1].bottom
    assert stack_top == pytest.approx(G.MARK_TOP_MM, abs=2)
    assert all(ln.size >= G.BODY_PT for ln in lines)
    # 文件: right of every name, centred on the stack (LibreOffice lays it on the middle name's line for three)
    wen = [ln for ln in lines if ln.text.endswith("文件")]
    assert len(wen) == 1
    line = wen[0]
    name_right = max(ln.x1 for ln in lines if not ln.text.endswith("文件"))
    if organs == 3:  # on the same line as the middle name: 文件 is its last two characters
        assert line.text == ORGANS[3][1] + "文件"
    else:
        assert line.text == "文件" and line.x0 > name_right
    assert (line.top + line.bottom) / 2 == pytest.approx((stack_top + stack_bottom) / 2, abs=1.5)
    left, right = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
    assert right - left <= G.TEXT_W_MM and (left + right) / 2 == pytest.approx((TEXT_LEFT + TEXT_RIGHT) / 2, abs=1.5)
    # the 文号 is the host's, two lines under the stack, the red line 4 mm under it
    number = next(ln for ln in first.lines if ln.text == "青安办〔2025〕7号")
    assert number.top - stack_bottom == pytest.approx(2 * PITCH + 6, abs=3)
    rule = next(r for r in first.rules if r.color[:3] == RED)
    assert rule.top - number.bottom == pytest.approx(G.RULE_GAP_MM, abs=1)


@pytest.mark.parametrize("organs", [2, 3])
def test_a_joint_title_breaks_between_names_never_inside_one(pdf_of, organs):
    _, pages = pdf_of(**joint(organs, True))
    title = [ln.text for ln in pages[0].lines if ln.size == pytest.approx(G.TITLE_PT, abs=0.3)]
    whole = "".join(title)
    assert whole.startswith("".join(ORGANS[organs]) + "关于开展2025年") and whole.endswith("活动的通知")
    breaks, at = set(), 0
    for line in title[:-1]:
        at += len(line)
        breaks.add(at)
    kept = [m.span() for word in [*ORGANS[organs], "通知", "2025"] for m in re.finditer(word, whole)]
    assert not [b for b in breaks for s, e in kept if s < b < e], title
    assert all(len(line) * G.TITLE_PT * G.PT_MM <= G.TEXT_W_MM + 1 for line in title)


def signature_page(pages, names):
    page = next(p for p in pages if any(ln.text == DATE for ln in p.lines))
    date = next(ln for ln in page.lines if ln.text == DATE)
    above = [ln for ln in page.lines if ln.bottom <= date.top]
    return page, date, above


@pytest.mark.parametrize("organs", [2, 3])
def test_sealed_joint_signatures_leave_a_seal_for_each_over_the_date(pdf_of, organs):
    _, pages = pdf_of(**joint(organs, True))
    page, date, above = signature_page(pages, ORGANS[organs])
    chars = {ln.text: ln for ln in above}
    text = "".join(ln.text for ln in above)
    assert all(name in text for name in ORGANS[organs])  # every organ signs, on the date's page
    rows = [ln for ln in above if any(n in ln.text for n in ORGANS[organs]) and ln.size == pytest.approx(G.BODY_PT, abs=0.3)
            and ln.top > above[0].top]
    last = rows[-1]
    assert last.text.endswith(ORGANS[organs][-1])
    # the date four characters from the right; the last name centred over it
    assert TEXT_RIGHT - date.x1 == pytest.approx(4 * CHAR, abs=1)
    width = len(ORGANS[organs][-1]) * CHAR
    assert last.x1 - width / 2 == pytest.approx((date.x0 + date.x1) / 2, abs=1.5)
    # rows of seals: a 42 mm seal each, rows far enough apart that seals do not touch
    for a, b in zip(rows, rows[1:]):
        assert b.top - a.top >= 42 + 2
    assert all(ln.x0 >= TEXT_LEFT - 0.5 and ln.x1 <= TEXT_RIGHT + 0.5 for ln in rows)
    # body text on the same page, above the first row of names
    body = [ln for ln in above if ln.bottom < rows[0].top - PITCH and ln.size == pytest.approx(G.BODY_PT, abs=0.3)]
    assert body, chars


@pytest.mark.parametrize("organs", [2, 3])
def test_unsealed_joint_signatures_one_below_another_and_the_date_under_the_last(pdf_of, organs):
    _, pages = pdf_of(**joint(organs, False))
    page, date, above = signature_page(pages, ORGANS[organs])
    names = above[-organs:]
    assert [ln.text for ln in names] == ORGANS[organs]
    for a, b in zip(names, names[1:] + [date]):
        assert b.top - a.top == pytest.approx(PITCH, abs=0.6)
    rights = {round(ln.x1, 0) for ln in names}
    assert len(rights) == 1  # right-aligned, the same distance from the right
    assert TEXT_RIGHT - names[0].x1 >= 2 * CHAR - 1
    # the date starts two characters right of the last name's first character, or ends two from the right
    last = names[-1]
    assert (date.x0 - last.x0 == pytest.approx(2 * CHAR, abs=1.5)
            or (TEXT_RIGHT - date.x1 == pytest.approx(2 * CHAR, abs=1)
                and date.x0 - last.x0 == pytest.approx(2 * CHAR, abs=1.5)))
    assert [ln for ln in above[:-organs] if ln.size == pytest.approx(G.BODY_PT, abs=0.3)]  # body text on the page


def test_a_letter_has_its_head_by_the_paper_edges_and_no_page_number_on_page_one(pdf_of):
    _, pages = pdf_of(format="信函", issuer={"code": "青商务函"}, copy_to=["区应急管理局"])
    first = pages[0]
    mark = red_lines(first)
    assert [ln.text for ln in mark] == ["江城市青山区商务局"]  # the name alone, no 文件
    assert mark[0].top == pytest.approx(G.LETTER_MARK_TOP_MM, abs=1) and mark[0].size >= G.BODY_PT
    red = [r for r in first.rules if r.color[:3] == RED]
    assert len(red) == 4, first.rules
    upper, lower = red[:2], red[2:]
    assert all(r.length == pytest.approx(G.LETTER_RULE_MM, abs=1) for r in red)
    assert all((r.x0 + r.x1) / 2 == pytest.approx((TEXT_LEFT + TEXT_RIGHT) / 2, abs=1) for r in red)
    assert upper[0].width_pt > upper[1].width_pt and lower[0].width_pt < lower[1].width_pt  # thick/thin, thin/thick
    thick_mm = upper[0].width_pt * G.PT_MM
    assert upper[0].top - thick_mm / 2 - mark[0].bottom == pytest.approx(G.LETTER_RULE_GAP_MM, abs=1)
    lower_bottom = lower[1].top + lower[1].width_pt * G.PT_MM / 2
    assert G.PAPER_H_MM - lower_bottom == pytest.approx(G.LETTER_BOTTOM_MM, abs=1)
    number = next(ln for ln in first.lines if ln.text == "青商务函〔2025〕18号")
    assert number.x1 == pytest.approx(TEXT_RIGHT, abs=1)
    upper_bottom = upper[1].top + upper[1].width_pt * G.PT_MM / 2
    assert number.top - upper_bottom == pytest.approx(G.CHAR_MM * 7 / 8, abs=1)
    assert not [ln for ln in first.lines if re.fullmatch(r"—\d+—", ln.text)]
    assert any(re.fullmatch(r"—2—", ln.text) for ln in pages[1].lines)
    assert all(not red_lines(p) and not [r for r in p.rules if r.color[:3] == RED] for p in pages[1:])
    # the 版记: 抄送 alone, no rules, no 印发 line
    last = pages[-1]
    assert any(ln.text.startswith("抄送：区应急管理局") for ln in last.lines)
    assert not any("印发" in ln.text and re.search(r"\d+年", ln.text) for p in pages for ln in p.lines)


@pytest.mark.parametrize("organs", [1, 2])
def test_taoda_draws_nothing_red_and_keeps_everything_in_place(pdf_of, organs):
    more = joint(organs, True) if organs > 1 else {}
    _, drawn = pdf_of(**more)
    _, plain = pdf_of(letterhead="套打", **more)
    assert not [ch for p in plain for ch in red_chars(p)]
    assert not [r for p in plain for r in p.rules if r.color[:3] == RED]
    number = re.compile(r".+〔2025〕\d+号")
    at = [next(ln for ln in pages[0].lines if number.fullmatch(ln.text)) for pages in (drawn, plain)]
    assert at[0].top == pytest.approx(at[1].top, abs=1)
    titles = [[ln for ln in pages[0].lines if ln.size == pytest.approx(G.TITLE_PT, abs=0.3)][0] for pages in (drawn, plain)]
    assert titles[0].top == pytest.approx(titles[1].top, abs=1)


def test_taoda_moves_with_the_offices_paper(pdf_of):
    _, standard = pdf_of(letterhead="套打")
    _, lower = pdf_of(letterhead="套打", letterhead_reserve_mm=80)
    number = re.compile(r".+〔2025〕\d+号")
    at = [next(ln for ln in pages[0].lines if number.fullmatch(ln.text)).top for pages in (standard, lower)]
    assert at[1] - at[0] == pytest.approx(80 - G.MARK_TOP_MM, abs=1)


def test_attachments_printed_apart_carry_the_doc_number_and_number_their_own_pages(pdf_of):
    _, pages = pdf_of(attachments=["slogans", {"use": "liaison", "detached": True},
                                   {"use": "stats", "detached": True}])
    starts = {p.lines[0].text: p for p in pages if p.lines}
    bound = starts["附件1"]
    assert any(ln.text.endswith("印发") for ln in bound.lines)  # the 版记 closes the notice before them
    for n in (2, 3):
        first = starts[f"青商务〔2025〕18号附件{n}"]  # 发文字号 and label on the first line (7.3.7)
        assert first.lines[0].x0 == pytest.approx(TEXT_LEFT, abs=0.5)
        assert first.number % 2 == 1  # on a sheet of its own
        assert any(ln.text == "—1—" for ln in first.lines)
    assert bound.number < starts["青商务〔2025〕18号附件2"].number


def turned_numbers(pdf_path):
    """The page numbers set across landscape pages (text running down the page), per page: (text, box in mm)."""
    import pdfplumber

    mm = G.PT_MM
    out = {}
    with pdfplumber.open(str(pdf_path)) as pdf:
        for page in pdf.pages:
            chars = sorted((c for c in page.chars if not c["upright"]), key=lambda c: c["top"])
            if chars:
                out[page.page_number] = ("".join(c["text"] for c in chars),
                                         (min(c["x0"] for c in chars) * mm, max(c["x1"] for c in chars) * mm,
                                          min(c["top"] for c in chars) * mm, max(c["bottom"] for c in chars) * mm))
    return out


def test_a_wide_table_on_landscape_pages_keeps_the_page_numbers_where_the_portrait_pages_have_them(pdf_of):
    columns = ["单位", "活动项目", "时间", "地点", "参加人数", "负责人", "联系电话", "备注"]
    docx, pages = pdf_of(attachments=["slogans", {"kind": "table", "title": "活动安排表", "landscape": True,
                                                  "columns": columns, "blank_rows": 12}, "liaison"])
    wide = [p for p in pages if p.width > p.height]
    assert wide and all(p.width == pytest.approx(G.PAPER_H_MM, abs=0.5) and p.height == pytest.approx(G.PAPER_W_MM, abs=0.5)
                        for p in wide)
    first = wide[0]
    assert first.lines[0].text == "附件2"
    # the head of the table at the top of the turned page (the binding side), across its 225 mm text block
    head = next(ln for ln in first.lines if ln.text.startswith("单位活动项目"))
    rules = [r for r in first.rules if r.length > 200]
    assert rules and max(r.length for r in rules) == pytest.approx(G.TEXT_H_MM, abs=1.5)
    assert head.top < 80
    for page in wide[1:]:  # the head repeated at the top of each following page
        assert any(ln.text.endswith("单位活动项目时间地点参加人数负责人联系电话备注") and ln.top < G.MARGIN_LEFT_MM + 8
                   for ln in page.lines)
    # the pages around it are portrait again, the 版记 on the last
    assert pages[-1].width < pages[-1].height and pages[wide[0].number - 2].width < pages[wide[0].number - 2].height
    numbers = turned_numbers(docx.with_suffix(".pdf"))
    assert sorted(numbers) == [p.number for p in wide]
    for n, (text, (_x0, x1, top, bottom)) in numbers.items():
        assert text.replace(" ", "") == f"—{n}—"
        # 7 mm under the portrait text block (x = 297 − 269) and one 四号 character from its right (odd) or left
        # (even) edge: the portrait x becomes the landscape y
        assert x1 == pytest.approx(G.PAPER_H_MM - (TEXT_BOTTOM + G.PAGE_NUMBER_BELOW_MM), abs=1)
        if n % 2:
            assert bottom == pytest.approx(TEXT_RIGHT - G.CHAR_SMALL_MM, abs=1.5)
        else:
            assert top == pytest.approx(TEXT_LEFT + G.CHAR_SMALL_MM, abs=1.5)
