"""`drafter check`: the rules of GB/T 9704-2012 and the facts of a 安全生产月 notice, run on any .docx.

Each rule reads the recognised elements (anatomy.py) and yields findings: severity, element, the text concerned,
the clause broken and what to do. Errors break the standard or the facts; warnings are matters of style."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from .. import gbt9704 as G
from ..consistency import bare, date_problems, theme_of_another_year, theme_problem
from ..conventions import FIRST_YEAR, HALF_PUNCT, LEFTOVER, NOTICE_KINDS, NUMERALS, any_of, chinese_value, ordinal
from ..dates import DATE_IN_TEXT, format_date, parse_date
from ..docnumber import DocNumber
from ..errors import InvalidValue
from ..finding import Finding
from .anatomy import ATTACH_LABEL, Anatomy, Heading, is_red, recognise
from .read import PAGE, Doc, Para, read

STD = "GB/T 9704—2012"
# A bracket's content stops at the next opening bracket too, so that each character is scanned from one opening only
# (linear in the text's length); an unclosed “【待” does not make every later one scan to the end.
PLACEHOLDER = re.compile(r"X{2,}|×{2,}|＊{2,}|A{3,}|【待[^】【]*】|\[待[^\]\[]*\]|（待定）|待填写")
CITED = re.compile(r"《([^《》]+)》\s*[（(]([^（）()]{2,30}?号)[）)]")
# A title cited without 《》: at most 100 characters (no 公文's title is longer) before its 文号 in brackets, so that
# each place in the text is tried against a bounded stretch: linear in the text's length.
UNQUOTED = re.compile(rf"(?<![》\w])((?:[^，。、；《》（）\s]{{4,100}}?){any_of(NOTICE_KINDS)})[（(]"
                      r"([^（）()]{0,30}?\d{4}[^（）()]{0,30}?号)[）)]")
# A page number as GB/T 9704 7.5 writes it: the number between two 一字线 (em dashes), “— 1 —”.
PAGE_NUMBER = re.compile(rf"^—\s*{re.escape(PAGE)}\s*—$")
# A report deadline in the text: “5月30日前”, “2025年7月1日18时前”, “6月5日（星期五）前” (not “6月16日前后”).
DEADLINE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:\s*\d{1,2}(?:时|[:：]\d{2}))?(?:（[^）]{1,6}）)?\s*[之以]?前(?!后)")
DEADLINE_KEYS = (("liaison", re.compile(r"联络员")), ("summary", re.compile(r"总结|统计表")))


def finding(severity: Literal["error", "warning"], element: str, message: str, rule: str = "",
            text: str = "") -> Finding:
    return Finding(severity=severity, element=element, message=message, rule=rule, text=text.strip()[:80])


def check(path: Path) -> list[Finding]:
    """Every finding for one .docx (read errors raise Unreadable)."""
    doc = read(path)
    a = recognise(doc)
    out: list[Finding] = []
    for rule in RULES:
        out.extend(rule(doc, a))
    return out


def page_setup(doc: Doc, a: Anatomy) -> Iterator[Finding]:
    s = doc.setup
    if s is None:
        yield finding("error", "页面设置", "文档没有页面设置（节属性）", f"{STD} 5.1")
        return
    unread = [name for name, value in (("纸张宽度", s.width), ("纸张高度", s.height), ("上边距", s.top),
                                       ("下边距", s.bottom), ("左边距", s.left), ("右边距", s.right)) if value is None]
    if unread:
        yield finding("error", "页面设置", f"页面设置无法读取：{'、'.join(unread)}缺失或不是有效的度量，无法核对"
                                         f"（应为 A4 纸，天头 {G.MARGIN_TOP_MM} mm、订口 {G.MARGIN_LEFT_MM} mm、"
                                         f"下边距 {G.MARGIN_BOTTOM_MM} mm、右边距 {G.MARGIN_RIGHT_MM} mm）；"
                                         "请在 Word 的“布局—页面设置”中重新设置", f"{STD} 5.1、5.2.1")
    if s.width is not None and s.height is not None and (abs(s.width - G.PAPER_W_MM) > 1
                                                         or abs(s.height - G.PAPER_H_MM) > 1):
        yield finding("error", "页面设置", f"纸张应为 A4（{G.PAPER}），此为 {s.width:.0f}×{s.height:.0f} mm", f"{STD} 5.1")
    for name, value, want in (("上边距（天头）", s.top, G.MARGIN_TOP_MM), ("左边距（订口）", s.left, G.MARGIN_LEFT_MM),
                              ("下边距", s.bottom, G.MARGIN_BOTTOM_MM), ("右边距", s.right, G.MARGIN_RIGHT_MM)):
        if value is not None and abs(value - want) > G.MARGIN_TOLERANCE_MM:
            yield finding("error", "页面设置", f"{name}应为 {want} mm（版心 {G.TEXT_BLOCK}），此为 {value:.1f} mm",
                          f"{STD} 5.2.1")
    if s.line_pitch and abs(s.line_pitch - G.LINE_PT) > 0.5:
        yield finding("warning", "页面设置", f"文档网格行距 {s.line_pitch:.2f} 磅，每面排不下或排不满 {G.LINES_PER_PAGE} 行"
                                             f"（应约 {G.LINE_PT:.2f} 磅）", f"{STD} 5.2.3")


def _font(p, want: str, size: float | None, element: str, clause: str) -> Iterator[Finding]:
    if p is None:
        return
    if p.font is None:
        yield finding("warning", element, f"未指定中文字体（Word 会用主题字体），应为{want}", f"{STD} {clause}", p.text)
    elif want not in p.font:
        yield finding("warning", element, f"字体应为{want}，此为“{p.font}”", f"{STD} {clause}", p.text)
    if size and p.size and abs(p.size - size) > 0.5:
        yield finding("warning", element, f"字号应为 {size:g} 磅，此为 {p.size:g} 磅", f"{STD} {clause}", p.text)


def fonts(doc: Doc, a: Anatomy) -> Iterator[Finding]:
    black = next((p for p in a.mark_lines if not is_red(p.color)), None)
    if black is not None:
        yield finding("error", "发文机关标志", "发文机关标志应为红色", f"{STD} 7.2.4", black.text)
    for p in a.mark_lines:  # the first line whose font is not 小标宋 (a stack's lines are one font)
        found = list(_font(p, "小标宋", None, "发文机关标志", "7.2.4"))
        if found:
            yield from found
            break
    yield from _font(a.doc_number, "仿宋", G.BODY_PT, "发文字号", "7.2.5")
    for p in a.title:
        yield from _font(p, "小标宋", G.TITLE_PT, "标题", "7.3.1")
    yield from _font(a.recipients, "仿宋", G.BODY_PT, "主送机关", "7.3.2")
    wanted = {1: "黑体", 2: "楷体", 3: "仿宋", 4: "仿宋"}
    headings = {id(h.para): h for h in a.headings}
    wrong_body = [p for p in a.body if id(p) not in headings
                  and ("仿宋" not in (p.font or "") or (p.size and abs(p.size - G.BODY_PT) > 0.5))]
    if wrong_body:
        p = wrong_body[0]
        yield finding("warning", "正文", f"{len(wrong_body)} 段正文不是三号仿宋（如“{p.font or '未指定字体'} "
                                         f"{p.size or '?'}磅”）", f"{STD} 5.2.2", p.text)
    for h in a.headings:
        if h.level <= 2:  # levels 3–4 run into their text, which is 仿宋 anyway
            yield from _font(h.para, wanted[h.level], G.BODY_PT, f"{h.level}级标题", "7.3.3")
    for label, _ in a.attachments:
        yield from _font(label, "黑体", G.BODY_PT, "附件标签", "7.3.7")
    for tail, element in ((a.copy_to, "抄送机关"), (a.printer, "印发机关和印发日期")):
        yield from _font(tail, "仿宋", G.SMALL_PT, element, "7.4")


def mark(doc: Doc, a: Anatomy) -> Iterator[Finding]:
    """The 发文机关标志: 醒目 (GB/T 9704 7.2.4), so never smaller than the body text (三号, 16 pt); a joint notice's
    names stacked, the host's first, 文件 to their right and centred on them; as many organs as sign."""
    rule = f"{STD} 7.2.4"
    sized = [(p.size, p) for p in a.mark_lines if p.size]
    small = min(sized, key=lambda s: s[0], default=None)
    if small is not None and small[0] < G.BODY_PT - 0.25:
        size, small_line = small
        yield finding("error", "发文机关标志", f"发文机关标志的字号 {size:g} 磅，比正文（三号，{G.BODY_PT} 磅）还小：标志应醒目，"
                                            "字号不小于三号（联合行文的机关名称上下排列，不要挤在一行里缩小字号）", rule, small_line.text)
    names = a.mark_names
    if len(names) == 1:
        parts = [part for part in re.split(r"[ \u3000\t]+", names[0]) if part]
        if len(parts) >= 2 and all(len(part) >= 4 for part in parts):
            yield finding("warning", "发文机关标志", f"发文机关标志把 {len(parts)} 个机关的名称排在一行：联合行文时各机关名称应上下"
                                                  "排列（主办机关在前），“文件”二字置于其右侧、上下居中", rule, a.mark_lines[0].text)
        return
    if len(names) > 1:
        ending = [p for p in a.mark_lines if p.text.strip().endswith("文件") and p.text.strip() != "文件"]
        if ending:
            yield finding("warning", "发文机关标志", "联合行文的“文件”二字应置于各机关名称右侧、上下居中，不接在某一机关名称之后",
                          rule, ending[0].text)
        signed = a.signature_names
        if signed and len(signed) != len(names):
            yield finding("warning", "发文机关标志", f"发文机关标志列了 {len(names)} 个机关，署名有 {len(signed)} 个：联合行文的"
                                                  "标志和署名应列出同样的机关", rule, "、".join(names))
        elif set(signed) == set(names) and signed != names:
            yield finding("warning", "署名", "署名的次序与发文机关标志不同：联合行文时主办机关在前，依次排列", f"{STD} 7.3.5.1",
                          "、".join(signed))


def letter(doc: Doc, a: Anatomy) -> Iterator[Finding]:
    """信函格式 (GB/T 9704 10.1): the 文号 at the right edge of the text block, a 函 number by custom; a 版记 without
    印发机关 and 印发日期."""
    if a.format != "信函":
        return
    rule = f"{STD} 10.1"
    number = a.doc_number
    if number is not None:
        code = re.split(r"[〔\[【(（［]", number.text.strip())[0]
        if "函" not in code:
            yield finding("warning", "发文字号", "信函格式的发文字号一般用函字号（机关代字后加“函”，如“安委办函〔2025〕3号”）："
                                              "如本机关不用函字号可不理会", "惯例：函的发文字号", number.text)
        if number.align not in ("right", "end"):
            yield finding("warning", "发文字号", "信函格式的发文字号顶格居版心右边缘", rule, number.text)
    if a.printer is not None:
        yield finding("warning", "印发机关和印发日期", "信函格式的版记不加印发机关和印发日期、分隔线", rule, a.printer.text)


def doc_number(doc: Doc, a: Anatomy) -> Iterator[Finding]:
    if a.doc_number is None:
        if a.mark is not None:
            yield finding("warning", "发文字号", "版头中没有发文字号：不编文号的通知可不理会，否则请补上",
                          f"{STD} 7.2.5")
        return
    text = a.doc_number.text.strip()
    try:
        number = DocNumber.parse(text)
    except InvalidValue as exc:
        yield finding("error", "发文字号", str(exc), f"{STD} 7.2.5", text)
        return
    for warning in number.warnings:
        yield finding("error", "发文字号", warning, f"{STD} 7.2.5", text)


DATED = {"date": ("成文日期", f"{STD} 7.3.5.1"), "print_date": ("印发日期", f"{STD} 7.4.3")}


def dates(doc: Doc, a: Anatomy) -> Iterator[Finding]:
    """How each date is written, then whether the dates agree (consistency.date_problems, the one statement)."""
    for dated, key in ((a.date, "date"), (a.printer, "print_date")):
        m = DATE_IN_TEXT.search(dated.text) if dated is not None else None
        if dated is None or not m:
            continue
        element, rule = DATED[key]
        written = re.sub(r"\s", "", m.group(0))
        try:
            day = parse_date(written)
        except InvalidValue as exc:
            yield finding("error", element, str(exc), rule, dated.text)
            continue
        if written != format_date(day):
            yield finding("error", element, f"日期应用阿拉伯数字标全年月日、月日不编虚位，写作“{format_date(day)}”",
                          rule, dated.text)
    year = notice_year(a)
    if year is None:
        return
    date, print_date = _date_of(a.date), _date_of(a.printer)
    for problem in date_problems(year, date, print_date):
        element, rule = DATED[problem.field]
        where = a.date if problem.field == "date" else a.printer
        yield finding("error", element, problem.message, rule, where.text if where else "")
    for key, due, clause in deadlines(a, year):
        if due is None:
            yield finding("error", "正文", f"报送截止日期“{clause}”不是存在的日期", "事实：报送时间", clause)
            continue
        for problem in date_problems(year, date, None, {key: due}):
            if problem.field.startswith("deadlines."):
                yield finding("error", "正文", problem.message, "事实：报送时间", clause)


def _date_of(p: Para | None) -> dt.date | None:
    """The date written in a paragraph (成文日期, 印发日期), or None when there is none or it does not exist."""
    m = DATE_IN_TEXT.search(p.text) if p is not None else None
    try:
        return parse_date(re.sub(r"\s", "", m.group(0))) if m else None
    except InvalidValue:
        return None


def deadlines(a: Anatomy, year: int) -> list[tuple[str, dt.date | None, str]]:
    """The report deadlines in the body: (key, day or None if it does not exist, the clause as written). Whose
    deadline it is comes from the words after the date (“5月30日前报送联络员”) up to the next date or the sentence's
    end, else from those before it (“联络员表请于5月30日前报送”); a date with neither is not a report deadline."""
    out = []
    for sentence in re.split(r"[。；;！\n]", "\n".join(p.text for p in a.body)):
        found = list(DEADLINE.finditer(sentence))
        for k, m in enumerate(found):
            after = sentence[m.end():found[k + 1].start() if k + 1 < len(found) else len(sentence)]
            before = sentence[found[k - 1].end() if k else 0:m.start()]
            key = _deadline_key(after, first=True)
            clause = m.group(0) + after
            if key is None:
                key, clause = _deadline_key(before, first=False), before + clause
            if key is None:
                continue
            try:
                day: dt.date | None = dt.date(int(m.group(1) or year), int(m.group(2)), int(m.group(3)))
            except ValueError:
                day = None
            out.append((key, day, clause.strip("，, ")[:40]))
    return out


def _deadline_key(words: str, first: bool) -> str | None:
    """Which report ``words`` name: the first named (words after a date) or the last (words before it)."""
    hits = [(m.start(), key) for key, pattern in DEADLINE_KEYS for m in pattern.finditer(words)]
    if not hits:
        return None
    return (min(hits) if first else max(hits))[1]


def punctuation(doc: Doc, a: Anatomy) -> Iterator[Finding]:
    if a.recipients is not None and not a.recipients.text.strip().endswith("："):
        yield finding("error", "主送机关", "主送机关最后一个名称后应标全角冒号“：”", f"{STD} 7.3.2", a.recipients.text)
    if a.copy_to is not None:
        text = a.copy_to.text.strip()
        if not text.endswith("。"):
            yield finding("error", "抄送机关", "最后一个抄送机关名称后应标句号“。”", f"{STD} 7.4.2", text)
        if text.startswith("抄送:"):
            yield finding("error", "抄送机关", "“抄送”后应为全角冒号“：”", f"{STD} 7.4.2", text)
    for p in a.attach_notes:
        name = _note_name(p.text)
        if name and name[-1] in "。，；、.,;:：":
            yield finding("error", "附件说明", "附件名称后不加标点符号", f"{STD} 7.3.4", p.text)


def _note_name(text: str) -> str:
    text = re.sub(r"^附件\s*[：:]", "", text.strip())
    return re.sub(r"^\d+\s*[.．、]\s*", "", text).strip()


def _named_only(notes: list[str], pages: list) -> list[int] | None:
    """The numbers of the attachments the 附件说明 names that have no page (sent as files of their own), when every
    page there is carries the label and title of its entry; else None."""
    numbers = []
    for label, title in pages:
        m = ATTACH_LABEL.match(re.sub(r"\s", "", label.text))
        n = _count(m.group(1)) if m and m.group(1) else (1 if m and len(notes) == 1 else 0)
        if not 1 <= n <= len(notes) or n in numbers or title is None \
                or notes[n - 1].rstrip("。，；、.,;:：") != title.text.strip():
            return None
        numbers.append(n)
    return [n for n in range(1, len(notes) + 1) if n not in numbers]


def attachments(doc: Doc, a: Anatomy) -> Iterator[Finding]:
    notes = [_note_name(p.text) for p in a.attach_notes]
    pages = [(label, title) for label, title in a.attachments]
    numbers = [ATTACH_LABEL.match(re.sub(r"\s", "", label.text)) for label, _ in pages]
    counted = [_count(m.group(1)) for m in numbers if m and m.group(1)]
    if len(counted) == len(numbers):  # by their numbers: those printed apart come after the 版记
        pages = [page for _, page in sorted(zip(counted, pages), key=lambda x: x[0])]
    if not notes and not pages:
        return
    named_only = _named_only(notes, pages) if len(notes) > len(pages) else None
    if named_only is not None:
        missing = "、".join(f"第{n}个" for n in named_only)
        yield finding("warning", "附件说明", f"附件说明列了 {len(notes)} 个附件，附件页有 {len(pages)} 个：{missing}没有"
                      "附件页，如随文另行附送（如转发的文件）可不理会，否则请补上", f"{STD} 7.3.7", "；".join(notes))
        return
    if len(notes) != len(pages):
        yield finding("error", "附件说明", f"附件说明列了 {len(notes)} 个附件，附件页有 {len(pages)} 个",
                      f"{STD} 7.3.7", "；".join(notes))
        return
    for n, (name, (label, title)) in enumerate(zip(notes, pages), 1):
        expected = "附件" if len(pages) == 1 else f"附件{n}"
        number, _, rest = re.sub(r"\s", "", label.text).rpartition("附件")  # printed apart: 文号 before 附件N
        if "附件" + rest != expected:
            yield finding("error", "附件", f"第{n}个附件页的标签应为“{expected}”", f"{STD} 7.3.7", label.text)
        own = re.sub(r"\s", "", a.doc_number.text) if a.doc_number is not None else ""
        if number and number != own:
            yield finding("error", "附件", f"第{n}个附件另行装订，首行的发文字号“{number}”应与本件的"
                                           f"“{own or '（无文号）'}”一致", f"{STD} 7.3.7", label.text)
        page_title = title.text.strip() if title is not None else ""
        if name.rstrip("。，；、.,;:：") != page_title:
            yield finding("error", "附件", f"附件说明中的名称与附件页标题不一致（附件页为“{page_title}”）",
                          f"{STD} 7.3.7", name)
    numbered = [bool(re.match(r"^(附件\s*[：:])?\s*\d+\s*[.．、]", p.text.strip())) for p in a.attach_notes]
    if len(notes) == 1 and numbered and numbered[0]:
        yield finding("warning", "附件说明", "只有一个附件时不编序号", f"{STD} 7.3.4", a.attach_notes[0].text)


def headings(doc: Doc, a: Anatomy) -> Iterator[Finding]:
    expected: dict[int, int] = {}
    for h in a.headings:
        text = h.para.text.strip()
        if h.level == 3 and not h.number.endswith("."):
            yield finding("error", "标题层次", f"第三层序数应写作“1.”（半角点），不写作“{h.number}”", f"{STD} 7.3.3", text)
        if h.level in (2, 4) and (h.number[0] != "（" or h.number[-1] != "）"):
            yield finding("error", "标题层次", "序数应使用全角括号“（）”", f"{STD} 7.3.3", text)
        digits = re.sub(r"[^\d" + NUMERALS + "]", "", h.number)
        n = _count(digits) if digits.isdigit() else chinese_value(digits)
        want = expected.get(h.level, 0) + 1
        if n != want:
            yield finding("error", "标题层次", f"序数不连续：此处应为第{want}个", f"{STD} 7.3.3", text)
        expected[h.level] = n
        for deeper in [k for k in expected if k > h.level]:
            del expected[deeper]
        if h.level <= 2 and text.endswith("。") and len(text) <= 30:
            yield finding("warning", "标题层次", "单独成行的标题末尾不加句号", f"{STD} 7.3.3", text)
    yield from _empty_headings(doc, a)


def _empty_headings(doc: Doc, a: Anatomy) -> Iterator[Finding]:
    """A heading with nothing under it: no text of its own, no table after it, and next comes a heading of its level
    or above, or the end of the body (what is left when a section's text was deleted or never written)."""
    at = {id(p): k for k, p in enumerate(a.body)}
    level_of = {id(h.para): h.level for h in a.headings}
    after_body = next((p.index for p in (*a.attach_notes, a.signature, a.date) if p is not None), len(doc.paras))
    for h in a.headings:
        k = at[id(h.para)]
        following = a.body[k + 1] if k + 1 < len(a.body) else None
        between = doc.paras[h.para.index + 1:following.index if following is not None else after_body]
        if _runs_in(h) or any(p.where == "table" for p in between):
            continue
        text = h.para.text.strip()
        if following is None:
            yield finding("error", "标题层次", f"标题“{text}”是正文的最后一段，下面没有内容", f"{STD} 7.3.3", text)
        elif level_of.get(id(following), 99) <= h.level:
            yield finding("error", "标题层次", f"标题“{text}”下面没有内容，紧接着就是“{following.text.strip()[:20]}”",
                          f"{STD} 7.3.3", text)


def _runs_in(h: Heading) -> bool:
    """Whether a heading runs into its text (“1.初起火灾处置。以楼层……”): a sentence ends and more follows."""
    return bool(re.search(r"[。；！？：:].", h.para.text.strip()[len(h.number):]))


def _count(digits: str) -> int:
    """A number written in digits as a count (a heading's, an attachment's, an anniversary's); 0, none, when it has
    more than nine digits: no notice counts that far, and int() of thousands of digits fails."""
    return int(digits) if digits and len(digits) <= 9 else 0


def notice_year(a: Anatomy) -> int | None:
    """The year the notice is for: from its title, else its 文号, else the first “2025年“安全生产月”” of the body."""
    m = re.search(r"(\d{4})年", a.title_text)
    if not m and a.doc_number is not None:
        m = re.search(r"[〔\[【(（［]\s*(\d{4})\s*[〕\]】)）］]", a.doc_number.text)
    if not m:
        m = re.search(r"(\d{4})年(?:全国)?“安全生产月”", "\n".join(p.text for p in a.body))
    return int(m.group(1)) if m else None




def facts(doc: Doc, a: Anatomy) -> Iterator[Finding]:
    from ..shipped import themes as shipped

    themes = shipped()
    body = "\n".join(p.text for p in a.body)
    year = notice_year(a)
    m = re.search(r"第(\d+)个全国“安全生产月”", body)
    if m and year and _count(m.group(1)) != ordinal(year):
        yield finding("error", "正文", f"{year}年是第{ordinal(year)}个全国“安全生产月”，不是第{m.group(1)}个",
                      f"事实：首个全国“安全生产月”在{FIRST_YEAR}年", m.group(0))
    stated = re.search(r"主题[是为：:]\s*“([^”“]+)”", body)  # not past the next “: linear in the body's length
    if year:
        yield from _other_years(doc, a, year, themes, stated.group(1) if stated else None)
    for p in [*a.mark_lines, a.doc_number, *a.title, a.recipients, *a.body, *a.attach_notes, *a.signatures, a.date,
              a.copy_to, a.printer]:
        if p is None:
            continue
        m = PLACEHOLDER.search(p.text)
        if m:
            yield finding("error", "占位符", f"留有未填写的占位符“{m.group(0)}”", "事实：未完成的文字", p.text)
        m = HALF_PUNCT.search(p.text)
        if m:
            yield finding("warning", "标点", f"中文中使用了半角标点“{m.group(0)}”，应为全角", "GB/T 15834—2011",
                          _around(p.text, m))
    for m in CITED.finditer(body):
        try:
            DocNumber.parse(m.group(2), strict=True)
        except InvalidValue as exc:
            yield finding("error", "引用上级来文", f"所引文号有误：{exc}", f"{STD} 7.2.5", m.group(0))
    for m in UNQUOTED.finditer(body):
        yield finding("error", "引用上级来文", "引用公文应先引标题、后引发文字号，标题加书名号：《标题》（文号）",
                      "《党政机关公文处理工作条例》第十九条", m.group(0))


def _around(text: str, m: re.Match) -> str:
    return text[max(0, m.start() - 12):m.end() + 12]


def _other_years(doc: Doc, a: Anatomy, year: int, themes: dict[int, str], stated: str | None) -> Iterator[Finding]:
    """Wording of another year's 安全生产月 anywhere in the notice (body, slogans, tables, 版记): the theme stated in
    the body, another year's national theme written out (in a slogan, say), “2024年“安全生产月”” in a 2025 notice.
    A theme that is part of this year's (“人人讲安全、个个会应急” in 2025's) or recurs inside other years' themes is
    a standing motto, not another year's wording."""
    own = bare(themes.get(year) or stated or "")
    reported: set[int] = set()
    other = theme_of_another_year(stated, year, themes) if stated else None
    if stated and other is not None:
        reported.add(other)
        yield finding("error", "正文", theme_problem(stated, year, themes) or "", "事实：历年主题", stated)
    distinct = {y: bare(t) for y, t in themes.items() if y != year and bare(t) not in own
                and not any(bare(t) in bare(u) for z, u in themes.items() if z != y)}
    years_seen = False
    for p in doc.paras:
        flat = bare(p.text)
        for y, theme in distinct.items():
            if y not in reported and theme in flat:
                reported.add(y)
                yield finding("error", _element(a, p), f"“{themes[y]}”是{y}年的主题，不是{year}年的",
                              "事实：历年主题", p.text)
        m = next((m for m in re.finditer(r"(\d{4})年(?:全国)?“安全生产月”", p.text) if int(m.group(1)) != year), None)
        if m and not years_seen:
            years_seen = True
            yield finding("error", _element(a, p), f"{_element(a, p)}中的年份{m.group(1)}与通知的{year}年不一致",
                          "事实：年份", _around(p.text, m))


def _named(a: Anatomy) -> dict[int, str]:
    """The recognised paragraphs (by id) and the element each is: a single element before a group holding it."""
    singles = ((a.mark, "发文机关标志"), (a.doc_number, "发文字号"), (a.recipients, "主送机关"), (a.signature, "署名"),
               (a.date, "成文日期"), (a.remark, "附注"), (a.copy_to, "抄送机关"), (a.printer, "印发机关和印发日期"))
    groups = ((a.mark_lines, "发文机关标志"), (a.title, "标题"), (a.body, "正文"), (a.attach_notes, "附件说明"),
              (a.signatures, "署名"))
    named: dict[int, str] = {}
    for one, name in singles:
        if one is not None:
            named.setdefault(id(one), name)
    for group, name in groups:
        for one in group:
            named.setdefault(id(one), name)
    return named


def _element(a: Anatomy, p: Para, named: dict[int, str] | None = None) -> str:
    """Which element of the notice a paragraph is, for naming it in a finding (``named``: _named(a), given when
    asked for many paragraphs)."""
    name = (named if named is not None else _named(a)).get(id(p))
    if name is not None:
        return name
    if p.where == "table":
        return "表格"
    if p.where == "footer":
        return "页脚"
    if a.date is not None and p.index > a.date.index and p.where == "body":
        return "附件"
    return "正文"


def leftovers(doc: Doc, a: Anatomy) -> Iterator[Finding]:
    """Templating accidents: a value printed as None or null, a {{ tag }} or {% block %} not filled in."""
    named = _named(a)
    for p in doc.paras + [f for s in doc.sections for footer in s.footers.values() for f in footer.paras]:
        m = LEFTOVER.search(p.text)
        if m:
            text = p.text.strip()
            start = text[:20] + ("……" if len(text) > 20 else "")
            yield finding("error", _element(a, p, named), f"“{start}”一段中留有“{m.group(0)}”：这是模板没有填上的值或没有处理的"
                                                   "模板标记，应改为实际内容", "事实：未完成的文字", _around(p.text, m))


SIDES = {"right": "居右", "end": "居右", "center": "居中", "left": "居左", "start": "居左", "both": "居左",
         "distribute": "分散对齐", None: "居左", "inside": "居内侧（单页居左、双页居右）"}
ONE_CHAR = (3.0, 7.5)  # mm: “空一字” of a 4号 (14 pt, 4.9 mm) page number, as an indent


def page_numbers(doc: Doc, a: Anatomy) -> Iterator[Finding]:
    """Page numbers as the footers write them: “— 1 —” with a PAGE field, odd pages right and even pages left (which
    needs different odd and even footers, or a frame placed “outside”), each one character in from the edge."""
    rule = f"{STD} 7.5"
    numbered = [s for s in doc.sections if any(f.page_number for f in s.footers.values())]
    if not numbered:
        yield finding("warning", "页码", "页脚中没有页码", rule)
        return
    default = numbered[0].footers.get("default")
    alternates = default is not None and default.page_number is not None and default.page_number.frame_align == "outside"
    if not doc.even_and_odd and not alternates:
        yield finding("error", "页码", "页码应单页居右、双页居左：文档没有设置“奇偶页不同”（页面设置—版式），"
                                     "各页的页码都在同一侧", rule)
    if a.format == "信函" and doc.sections:
        opening = doc.sections[0]
        footer = opening.footers.get("first" if opening.title_page else "default")
        if footer is not None and footer.page_number is not None:
            yield finding("error", "页码", "信函格式首页不显示页码：应设置“首页不同”（页面设置—版式），首页页脚不放页码",
                          f"{STD} 10.1", _shown(footer.page_number.text))
    done: set = set()  # footers checked and problems reported, each once however many sections share them
    for section in numbered:
        default, even, first = (section.footers.get(k) for k in ("default", "even", "first"))
        sides = [(default, "right", "单页"), (even, "left", "双页")] if doc.even_and_odd else [(default, None, "")]
        if section.title_page and (first is None or first.page_number is None) and "first" not in done:
            done.add("first")
            if not (a.format == "信函" and section is doc.sections[0]):  # a letter's first page has none (10.1)
                yield finding("warning", "页码", "设置了“首页不同”，首页却没有页码", rule)
        for footer, side, which in sides:
            number = footer.page_number if footer is not None else None
            key = id(footer) if number is not None else which
            if key in done:
                continue
            done.add(key)
            if number is None:
                yield finding("error", "页码", f"{which}页脚中没有页码", rule)
            else:
                yield from _page_number(number, side, which)


def _page_number(p: Para, side: str | None, which: str) -> Iterator[Finding]:
    """One footer's page number: its form, and (``side`` given) its side and the one character's indent."""
    rule = f"{STD} 7.5"
    text = p.text.strip(" \t")
    shown = _shown(text)
    core = text.strip("\u3000")
    if PAGE not in text:
        yield finding("error", "页码", f"{which}页码是输入的固定文字，每页都一样：应插入页码（PAGE 域），写作“— 1 —”",
                      rule, shown)
    elif not PAGE_NUMBER.match(core):
        yield finding("error", "页码", f"{which}页码应写作“— 1 —”：阿拉伯数字，左右各一条一字线（—），此为“{shown}”",
                      rule, shown)
    if side is None or p.frame_align == "outside":  # a frame “outside” is right on odd pages, left on even ones
        return
    align = p.frame_align or p.align
    if SIDES.get(align, align) != SIDES[side]:
        yield finding("error", "页码", f"{which}页码应{SIDES[side]}（单页居右、双页居左），此为{SIDES.get(align, align)}",
                      rule, shown)
        return
    if p.frame_align:  # a frame sits at the text block's edge; its spacing is the frame's, not an indent
        return
    if side == "right":
        indent, spaced, words = p.right_indent, text.endswith("\u3000"), "右"
    else:
        indent, spaced, words = p.left_indent + p.first_indent, text.startswith("\u3000"), "左"
    if not spaced and not ONE_CHAR[0] <= indent <= ONE_CHAR[1]:
        yield finding("warning", "页码", f"{which}页码{SIDES[side]}应空一字（{words}缩进 1 字符），此为 {indent:.1f} mm",
                      rule, shown)


def _shown(text: str) -> str:
    """A footer's text as a page shows it (the PAGE field as 1)."""
    return text.replace(PAGE, "1").strip()


def structure(doc: Doc, a: Anatomy) -> Iterator[Finding]:
    if a.title == []:
        yield finding("error", "标题", "没有找到标题", f"{STD} 7.3.1")
    if a.date is None and not (a.mark is None and a.title_text.endswith("方案")):  # a 方案 printed alone has none
        yield finding("error", "成文日期", "没有找到成文日期", f"{STD} 7.3.5")
    for label, _ in a.attachments:
        if label.where == "body" and not _new_page(doc, label):
            yield finding("error", "附件", "附件应另面编排（标签前分页）", f"{STD} 7.3.7", label.text)


def _new_page(doc: Doc, p) -> bool:
    """Whether ``p`` starts a page: a break in it, or in the (empty) paragraphs since the last text."""
    if p.page_break_before:
        return True
    for k in range(p.index - 1, -1, -1):  # back to the last text only, never copying what lies before
        before = doc.paras[k]
        if before.ends_section or (before.page_break_before and not before.text.strip()):
            return True
        if before.text.strip():
            return before.page_break_before and before.text.rstrip().endswith("\n")
    return False


RULES = [page_setup, fonts, mark, letter, doc_number, dates, punctuation, attachments, headings, facts, leftovers,
         page_numbers, structure]
