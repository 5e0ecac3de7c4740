"""Recognising the elements of a 公文 in paragraphs read from any .docx: 版头, 文号, 标题, 主送, headings, 附件说明,
署名, 日期, 附注, attachment pages, 版记. Recognition is by text and position, not by style names, so that files
made by hand in Word or WPS are read as well as ours."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .docread import Doc, Para

CN_NUM = "一二三四五六七八九十"
DATE = re.compile(r"^\s*(\d{4}|[〇零一二三四五六七八九○Ｏ０-９]{4})\s*年.{1,3}月.{1,4}日\s*$")
DOC_NUMBER = re.compile(r"^\S{1,12}?[〔\[【(（［〈]?\s*\d{2,4}\s*[〕\]】)）］〉]?\s*(第?\s*\d+\s*号?)?$")
HEADING = [  # (level, pattern of its number); "wrong" forms are recognised so that they can be reported
    (1, re.compile(rf"^[{CN_NUM}]+、")),
    (2, re.compile(rf"^[（(][{CN_NUM}]+[）)]")),
    (3, re.compile(r"^\d+[.．、](?!\d)")),
    (4, re.compile(r"^[（(]\d+[）)]")),
]
ATTACH_LABEL = re.compile(r"^附件\s*(\d*)\s*$")


def looks_like_doc_number(text: str) -> bool:
    """A line that is a 文号, well formed or not (a date line is not)."""
    text = re.sub(r"\s", "", text)
    return bool(DOC_NUMBER.match(text)) and "年" not in text and len(text) < 25


@dataclass
class Heading:
    level: int
    number: str  # as written, e.g. "（一）" or "1、"
    para: Para


@dataclass
class Anatomy:
    mark: Para | None = None
    doc_number: Para | None = None
    title: list[Para] = field(default_factory=list)
    recipients: Para | None = None
    body: list[Para] = field(default_factory=list)  # from the first paragraph after 主送 to the end of the text
    headings: list[Heading] = field(default_factory=list)
    attach_notes: list[Para] = field(default_factory=list)
    signature: Para | None = None
    date: Para | None = None
    remark: Para | None = None
    attachments: list[tuple[Para, Para | None]] = field(default_factory=list)  # (label, title)
    copy_to: Para | None = None
    printer: Para | None = None

    @property
    def title_text(self) -> str:
        return "".join(p.text.strip() for p in self.title)


def is_red(color: str | None) -> bool:
    if not color or len(color) != 6:
        return False
    try:
        r, g, b = (int(color[i:i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return False
    return r > 180 and g < 90 and b < 90


def heading_of(text: str) -> tuple[int, str] | None:
    for level, pattern in HEADING:
        m = pattern.match(text)
        if m:
            return level, m.group(0)
    return None


def recognise(doc: Doc) -> Anatomy:
    a = Anatomy()
    flow = [p for p in doc.paras if p.where in ("body", "textbox") and p.text.strip()]
    i = 0
    head = flow[:8]
    # 版头: the red mark (or a “…文件” line), then the 文号.
    for p in head:
        if is_red(p.color) or (p.text.strip().endswith("文件") and (p.size or 0) >= 22):
            a.mark = p
            break
    for p in head:
        if p is not a.mark and looks_like_doc_number(p.text):
            a.doc_number = p
            break
    last_head = max((flow.index(p) for p in (a.mark, a.doc_number) if p is not None), default=-1)
    i = last_head + 1
    # 标题: consecutive large or centred lines, ending with the one that names the kind of document.
    while i < len(flow) and len(a.title) < 4:
        p = flow[i]
        large = (p.size or 0) >= 18 or p.align == "center"
        if not large and a.title:
            break
        if not large and not re.search(r"关于|通知|意见|方案|决定|函$", p.text):
            break
        a.title.append(p)
        i += 1
        if re.search(r"(通知|意见|方案|决定|报告|请示|函|纪要)$", p.text.strip()):
            break
    # 主送: the line after the title that addresses (ends with a colon, or has no sentence in it).
    if i < len(flow):
        p = flow[i]
        text = p.text.strip()
        if text.endswith(("：", ":")) or (len(text) <= 80 and "。" not in text and not heading_of(text)
                                          and not DATE.match(text)):
            a.recipients = p
            i += 1
    rest = flow[i:]
    # The end of the text: the 附件说明, or the signature before the first date.
    date_at = next((k for k, p in enumerate(rest) if DATE.match(p.text) and p.where == "body"), None)
    notes_at = next((k for k, p in enumerate(rest) if re.match(r"^附件\s*[：:]", p.text.strip())), None)
    # without a date (a 方案 printed on its own), the text ends at the first attachment page
    label_at = next((k for k, p in enumerate(rest) if ATTACH_LABEL.match(p.text.strip())
                     and (notes_at is None or k > notes_at)), None)
    end = date_at if date_at is not None else (label_at if label_at is not None else len(rest))
    if date_at is not None:
        a.date = rest[date_at]
        if date_at > 0 and len(rest[date_at - 1].text.strip()) <= 40 and (notes_at is None or date_at - 1 > notes_at):
            a.signature = rest[date_at - 1]
            end = date_at - 1
    if notes_at is not None and notes_at < end:
        a.attach_notes = rest[notes_at:end]
        end = notes_at
    a.body = rest[:end]
    a.headings = [Heading(h[0], h[1], p) for p in a.body if (h := heading_of(p.text.strip()))]
    after = rest[date_at + 1:] if date_at is not None else (rest[label_at:] if label_at is not None else [])
    if after and re.match(r"^[（(].*[）)]$", after[0].text.strip()) and "此件" in after[0].text:
        a.remark = after[0]
    for k, p in enumerate(after):
        if ATTACH_LABEL.match(p.text.strip()):
            title = after[k + 1] if k + 1 < len(after) and not ATTACH_LABEL.match(after[k + 1].text.strip()) else None
            a.attachments.append((p, title))
        if p.text.strip().startswith("抄送"):
            a.copy_to = p
        if "印发" in p.text and re.search(r"\d{4}年", p.text) and not p.text.strip().startswith("抄送"):
            a.printer = p
    return a
