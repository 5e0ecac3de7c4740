"""`drafter check`: the rules of GB/T 9704-2012 and the facts of a 安全生产月 notice, run on any .docx.

Each rule reads the recognised elements (anatomy.py) and yields findings: severity, element, the text concerned,
the clause broken and what to do. Errors break the standard or the facts; warnings are matters of style."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from .anatomy import CN_NUM, Anatomy, is_red, recognise
from .catalogue import Finding
from .dates import format_date, parse_date
from .docnumber import DocNumber
from .docread import Doc, read
from .errors import InvalidValue

STD = "GB/T 9704—2012"
PLACEHOLDER = re.compile(r"X{2,}|×{2,}|＊{2,}|A{3,}|【待[^】]*】|\[待[^\]]*\]|（待定）|待填写")
HALF_PUNCT = re.compile(r"(?<=[\u4e00-\u9fff])[,;:!?](?!\d)|(?<=[\u4e00-\u9fff])\((?=[\u4e00-\u9fff])")
CITED = re.compile(r"《([^《》]+)》\s*[（(]([^（）()]{2,30}?号)[）)]")
UNQUOTED = re.compile(r"(?<![》\w])((?:[^，。、；《》（）\s]{4,}?)(?:通知|方案|意见))[（(]([^（）()]*?\d{4}[^（）()]*?号)[）)]")


def finding(severity: str, element: str, message: str, rule: str = "", text: str = "") -> Finding:
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
    if abs(s.width - 210) > 1 or abs(s.height - 297) > 1:
        yield finding("error", "页面设置", f"纸张应为 A4（210×297 mm），此为 {s.width:.0f}×{s.height:.0f} mm", f"{STD} 5.1")
    for name, value, want in (("上边距（天头）", s.top, 37), ("左边距（订口）", s.left, 28),
                              ("下边距", s.bottom, 35), ("右边距", s.right, 26)):
        if abs(value - want) > 1:
            yield finding("error", "页面设置", f"{name}应为 {want} mm（版心 156×225 mm），此为 {value:.1f} mm",
                          f"{STD} 5.2.1")
    if s.line_pitch and abs(s.line_pitch - 28.95) > 0.5:
        yield finding("warning", "页面设置", f"文档网格行距 {s.line_pitch:.2f} 磅，每面排不下或排不满 22 行"
                                             "（应约 28.95 磅）", f"{STD} 5.2.3")


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
    if a.mark is not None:
        if not is_red(a.mark.color):
            yield finding("error", "发文机关标志", "发文机关标志应为红色", f"{STD} 7.2.4", a.mark.text)
        yield from _font(a.mark, "小标宋", None, "发文机关标志", "7.2.4")
    yield from _font(a.doc_number, "仿宋", 16, "发文字号", "7.2.5")
    for p in a.title:
        yield from _font(p, "小标宋", 22, "标题", "7.3.1")
    yield from _font(a.recipients, "仿宋", 16, "主送机关", "7.3.2")
    wanted = {1: "黑体", 2: "楷体", 3: "仿宋", 4: "仿宋"}
    headings = {id(h.para): h for h in a.headings}
    wrong_body = [p for p in a.body if id(p) not in headings
                  and ("仿宋" not in (p.font or "") or (p.size and abs(p.size - 16) > 0.5))]
    if wrong_body:
        p = wrong_body[0]
        yield finding("warning", "正文", f"{len(wrong_body)} 段正文不是三号仿宋（如“{p.font or '未指定字体'} "
                                         f"{p.size or '?'}磅”）", f"{STD} 5.2.2", p.text)
    for h in a.headings:
        if h.level <= 2:  # levels 3–4 run into their text, which is 仿宋 anyway
            yield from _font(h.para, wanted[h.level], 16, f"{h.level}级标题", "7.3.3")
    for label, _ in a.attachments:
        yield from _font(label, "黑体", 16, "附件标签", "7.3.7")
    for p, element in ((a.copy_to, "抄送机关"), (a.printer, "印发机关和印发日期")):
        yield from _font(p, "仿宋", 14, element, "7.4")


def doc_number(doc: Doc, a: Anatomy) -> Iterator[Finding]:
    if a.doc_number is None:
        if a.mark is not None:
            yield finding("error", "发文字号", "版头中没有找到发文字号", f"{STD} 7.2.5")
        return
    text = a.doc_number.text.strip()
    try:
        number = DocNumber.parse(text)
    except InvalidValue as exc:
        yield finding("error", "发文字号", str(exc), f"{STD} 7.2.5", text)
        return
    for warning in number.warnings:
        yield finding("error", "发文字号", warning, f"{STD} 7.2.5", text)


def dates(doc: Doc, a: Anatomy) -> Iterator[Finding]:
    for p, element, clause in ((a.date, "成文日期", "7.3.5.1"), (a.printer, "印发日期", "7.4.3")):
        if p is None:
            continue
        m = re.search(r"[\d〇零一二三四五六七八九○０-９]{4}\s*年.{1,3}?月.{1,4}?日", p.text)
        if not m:
            continue
        written = re.sub(r"\s", "", m.group(0))
        try:
            day = parse_date(written)
        except InvalidValue as exc:
            yield finding("error", element, str(exc), f"{STD} {clause}", p.text)
            continue
        if written != format_date(day):
            yield finding("error", element, f"日期应用阿拉伯数字标全年月日、月日不编虚位，写作“{format_date(day)}”",
                          f"{STD} {clause}", p.text)


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


def attachments(doc: Doc, a: Anatomy) -> Iterator[Finding]:
    notes = [_note_name(p.text) for p in a.attach_notes]
    pages = [(label, title) for label, title in a.attachments]
    if not notes and not pages:
        return
    if len(notes) != len(pages):
        yield finding("error", "附件说明", f"附件说明列了 {len(notes)} 个附件，附件页有 {len(pages)} 个",
                      f"{STD} 7.3.7", "；".join(notes))
        return
    for n, (name, (label, title)) in enumerate(zip(notes, pages), 1):
        expected = "附件" if len(pages) == 1 else f"附件{n}"
        if re.sub(r"\s", "", label.text) != expected:
            yield finding("error", "附件", f"第{n}个附件页的标签应为“{expected}”", f"{STD} 7.3.7", label.text)
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
        digits = re.sub(r"[^\d" + CN_NUM + "]", "", h.number)
        n = int(digits) if digits.isdigit() else _cn(digits)
        want = expected.get(h.level, 0) + 1
        if n != want:
            yield finding("error", "标题层次", f"序数不连续：此处应为第{want}个", f"{STD} 7.3.3", text)
        expected[h.level] = n
        for deeper in [k for k in expected if k > h.level]:
            del expected[deeper]
        if h.level <= 2 and text.endswith("。") and len(text) <= 30:
            yield finding("warning", "标题层次", "单独成行的标题末尾不加句号", f"{STD} 7.3.3", text)


def _cn(text: str) -> int:
    if text in ("", "十"):
        return 10 if text else 0
    tens, _, ones = text.partition("十")
    if "十" not in text:
        return CN_NUM.index(text) + 1 if len(text) == 1 else 0
    return (CN_NUM.index(tens) + 1 if tens else 1) * 10 + (CN_NUM.index(ones) + 1 if ones else 0)


def facts(doc: Doc, a: Anatomy) -> Iterator[Finding]:
    from .answers import data

    themes = {p["year"]: p["theme"] for p in data("national.yaml")}
    body = "\n".join(p.text for p in a.body)
    title_year = re.search(r"(\d{4})年", a.title_text)
    year = int(title_year.group(1)) if title_year else None
    m = re.search(r"第(\d+)个全国“安全生产月”", body)
    if m and year and int(m.group(1)) != year - 2001:
        yield finding("error", "正文", f"{year}年是第{year - 2001}个全国“安全生产月”，不是第{m.group(1)}个",
                      "事实：首个全国“安全生产月”在2002年", m.group(0))
    m = re.search(r"主题[是为：:]\s*“([^”]+)”", body)
    if m and year:
        theme = m.group(1)
        other = [y for y, t in themes.items() if t == theme and y != year]
        if other and themes.get(year) != theme:
            yield finding("error", "正文", f"“{theme}”是{other[0]}年的主题" +
                          (f"，{year}年的主题是“{themes[year]}”" if year in themes else ""), "事实：历年主题", theme)
    if year:
        for m in re.finditer(r"(\d{4})年(?:全国)?“安全生产月”", body):
            if int(m.group(1)) != year:
                yield finding("error", "正文", f"正文中的年份{m.group(1)}与标题中的{year}年不一致", "事实：年份",
                              _around(body, m))
                break
    for p in [a.mark, a.doc_number, *a.title, a.recipients, *a.body, *a.attach_notes, a.signature, a.date,
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


def structure(doc: Doc, a: Anatomy) -> Iterator[Finding]:
    if a.title == []:
        yield finding("error", "标题", "没有找到标题", f"{STD} 7.3.1")
    if a.date is None:
        yield finding("error", "成文日期", "没有找到成文日期", f"{STD} 7.3.5")
    for label, _ in a.attachments:
        if label.where == "body" and not _new_page(doc, label):
            yield finding("error", "附件", "附件应另面编排（标签前分页）", f"{STD} 7.3.7", label.text)


def _new_page(doc: Doc, p) -> bool:
    """Whether ``p`` starts a page: a break in it, or in the (empty) paragraphs since the last text."""
    if p.page_break_before:
        return True
    for before in reversed(doc.paras[:p.index]):
        if before.ends_section or (before.page_break_before and not before.text.strip()):
            return True
        if before.text.strip():
            return before.page_break_before and before.text.rstrip().endswith("\n")
    return False


RULES = [page_setup, fonts, doc_number, dates, punctuation, attachments, headings, facts, structure]
