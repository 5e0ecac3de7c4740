"""The facts of a parent notice, from the file that arrived (.docx, .pdf with a text layer, .txt pasted from a web
page): its text is cleaned first (sourcetext.py), then each fact is looked for where notices put it. A malformed
文号 is normalised and the damage reported, never silently repaired."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .answers import FIRST_YEAR, national
from .dates import format_date, parse_date
from .docnumber import DocNumber
from .errors import InvalidValue
from .anatomy import looks_like_doc_number
from .sourcetext import DATE_LINE, HEADING1, ImportFailed, clean, text_of

@dataclass
class Extracted:
    issuer: str | None = None
    doc_number: str | None = None
    title: str | None = None
    date: dt.date | None = None
    date_kind: str | None = None  # 成文日期 / 印发日期 / 网页发布日期
    year: int | None = None
    n: int | None = None
    theme: str | None = None
    cited: list[dict] = field(default_factory=list)  # {title, doc_number, note}
    headings: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    deadlines: list[dict] = field(default_factory=list)  # {date, what}
    recipients: str | None = None
    copy_to: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was damaged or missing in the source

    def as_json(self) -> dict:
        out = asdict(self)
        out["date"] = self.date.isoformat() if self.date else None
        return out


# Finding the facts.

def extract(path: Path) -> Extracted:
    text, kind = text_of(path)
    lines, furniture = clean(text, kind)
    flat = "".join(lines)
    x = Extracted()
    _header(x, lines, furniture)
    _dates(x, lines, furniture)
    _year_and_theme(x, flat)
    _citations(x, flat)
    x.headings = [HEADING1.sub("", line).rstrip("。") for line in lines if HEADING1.match(line)]
    x.headings = [h for h in x.headings if len(h) <= 60]
    _attachments(x, lines)
    signed = next((i for i, line in enumerate(lines) if DATE_LINE.match(line)), len(lines))
    _deadlines(x, "".join(lines[:signed]))
    for line in lines:
        if line.startswith("抄送"):
            body = re.sub(r"^抄送\s*[：:]?", "", line).rstrip("。.")
            x.copy_to = [n for n in re.split(r"[，、,]", body) if n]
    return x


def _header(x: Extracted, lines: list[str], furniture: dict) -> None:
    head = lines[:12]
    mark = next((line for line in head[:3] if line.endswith("文件") and len(line) <= 30), None)
    number_line = next((line for line in head if looks_like_doc_number(line)), None)
    source = number_line or furniture.get("doc_number")
    if source:
        try:
            number = DocNumber.parse(source)
            x.doc_number = str(number)
            if number.warnings:
                x.notes.append(f"来文的发文字号写作“{source}”，不合规范：" + "；".join(
                    w.split("：", 1)[-1] for w in number.warnings) + f"（已按标准写作“{number}”）")
        except InvalidValue as exc:
            x.notes.append(f"来文的发文字号“{source}”无法识别：{exc}")
    else:
        x.notes.append("没有找到发文字号")
    # The title: from the line with 关于 to the line ending with 通知 (or what the page said it was).
    start = next((i for i, line in enumerate(head) if "关于" in line and line is not number_line), None)
    if start is not None:
        title = ""
        for line in head[start:start + 4]:
            title += line
            if re.search(r"(通知|方案|意见|决定)$", line):
                break
        x.title = title
    elif furniture.get("title"):
        x.title = furniture["title"]
    if x.title:
        x.title = re.sub(r"\s+(?=[“《]|关于)|(?<=[”》])\s+", "", x.title)
        i = lines.index(head[start]) if start is not None else -1
        after = [line for line in lines[i + 1:i + 6] if not (x.title.endswith(line) or line in x.title)]
        opening = after and (after[0].startswith("今年") or "通知如下" in after[0])
        if after and not opening and (after[0].endswith(("：", ":")) or ("。" not in after[0] and len(after[0]) < 80)):
            x.recipients = after[0].rstrip("：:")
        elif after:
            x.notes.append("没有找到主送机关")
    # The issuer: the title's, the mark's (fuller), or the signature's.
    named = x.title.split("关于")[0].strip() if x.title and "关于" in x.title else ""
    from_mark = mark[:-2] if mark else ""
    if from_mark and (not named or from_mark.endswith(named) or named in from_mark):
        x.issuer = from_mark
    elif named:
        x.issuer = named
    if not x.issuer:
        dates = [i for i, line in enumerate(lines) if DATE_LINE.match(line)]
        if dates and dates[0] > 0 and len(lines[dates[0] - 1]) <= 40:
            x.issuer = lines[dates[0] - 1]
    if not x.issuer:
        x.notes.append("没有找到发文机关")


def _dates(x: Extracted, lines: list[str], furniture: dict) -> None:
    for kind, pattern in (("成文日期", DATE_LINE), ("印发日期", re.compile(r"(\d{4}年\d{1,2}月\d{1,2}日)印发$"))):
        for line in lines:
            m = pattern.search(line)
            if m:
                try:
                    x.date, x.date_kind = parse_date(m.group(1) if kind == "印发日期" else line), kind
                except InvalidValue as exc:
                    x.notes.append(f"{kind}“{line}”无法识别：{exc}")
                    continue
                if kind == "成文日期" and line != format_date(x.date):
                    x.notes.append(f"成文日期写作“{line}”，应为“{format_date(x.date)}”")
                return
    if furniture.get("date"):
        x.date, x.date_kind = parse_date(furniture["date"]), "网页发布日期"
        x.notes.append("没有找到成文日期，取网页上的发布日期")


def _year_and_theme(x: Extracted, flat: str) -> None:
    title_year = re.search(r"(\d{4})年", x.title or "")
    x.year = int(title_year.group(1)) if title_year else (DocNumber.parse(x.doc_number).year if x.doc_number else None)
    m = re.search(r"第\s*(\d+)\s*个[^。]{0,6}“安全生产月”", flat) or re.search(r"第(\d+)个全国", flat)
    if m:
        x.n = int(m.group(1))
    if x.year and x.n and x.n != x.year - FIRST_YEAR + 1:
        x.notes.append(f"来文写“第{x.n}个”，{x.year}年应为第{x.year - FIRST_YEAR + 1}个")
    if x.year and not x.n:
        x.n = x.year - FIRST_YEAR + 1
    m = (re.search(r"主题[是为：]“([^”]{2,40})”", flat) or re.search(r"以“([^”]{2,40})”为主题", flat)
         or re.search(r"活动主题[^“]{0,4}“?([^”。]{2,40})[”。]", flat))
    if m:
        theme = m.group(1).strip()
        known = national(x.year) if x.year else None
        if known and _bare(theme) == _bare(known["theme"]):
            if theme != known["theme"]:
                x.notes.append(f"主题写作“{theme}”，全国主题为“{known['theme']}”")
            theme = known["theme"]
        x.theme = theme
    elif x.year and national(x.year):
        x.theme = national(x.year)["theme"]
        x.notes.append("正文中没有找到主题，取当年的全国主题")


def _bare(text: str) -> str:
    return re.sub(r"[\s，、,；;。—\-·]", "", text)


NUMBER_AFTER = re.compile(r"\s*(?:[（(](?P<paren>[^（）()《》]{2,30}?)[）)]|"
                          r"(?P<bare>[\u4e00-\u9fff]{1,10}[〔\[【(（]?\s*\d{4}[^《》，。、；要和]{0,8}))?")


def _citations(x: Extracted, flat: str) -> None:
    """The notices the text is based on: those cited in its 根据……要求 sentence."""
    basis = re.search(r"根据(《.*?)(?:要求|精神|部署)[，,。]", flat)
    if not basis:
        return
    text = basis.group(1)
    for start in [m.start() for m in re.finditer("《", text)]:
        close, following = text.find("》", start), text.find("《", start + 1)
        following = len(text) if following < 0 else following
        if 0 < close < following:
            title, rest, closed = text[start + 1:close], text[close + 1:following], True
        else:  # the closing 书名号 was lost: the title ends with the kind of document
            m = re.match(r"《(.{6,160}(?:通知|方案|意见|决定))", text[start:following])
            if not m:
                continue
            title, rest, closed = m.group(1), text[start + 1 + len(m.group(1)):following], False
        number = NUMBER_AFTER.match(rest)
        written = ((number.group("paren") or number.group("bare") or "") if number else "").strip()
        cited: dict = {"title": title, "doc_number": None, "note": None}
        notes = [] if closed else ["书名号不完整"]
        if not written:
            notes.append("引用时没有写发文字号")
        else:
            try:
                parsed = DocNumber.parse(written)
                cited["doc_number"] = str(parsed)
                if parsed.warnings or number.group("bare"):
                    notes.append(f"发文字号写作“{written}”，不合规范（应为“{parsed}”）")
            except InvalidValue as exc:
                notes.append(f"发文字号“{written}”残缺或有误：{exc}")
        cited["note"] = "；".join(notes) or None
        x.cited.append(cited)
        if cited["note"]:
            x.notes.append(f"所引《{title}》：{cited['note']}")


def _attachments(x: Extracted, lines: list[str]) -> None:
    labels = [i for i, line in enumerate(lines) if re.fullmatch(r"附件\s*\d*", line)]
    if labels:
        x.attachments = [lines[i + 1] for i in labels if i + 1 < len(lines)]
        return
    for i, line in enumerate(lines):
        if re.match(r"^附件\s*[：:]", line):
            names = [re.sub(r"^附件\s*[：:]\s*", "", line)]
            names += [n for n in lines[i + 1:i + 10] if re.match(r"^\d+\s*[.．、]", n)]
            x.attachments = [re.sub(r"^\d+\s*[.．、]\s*", "", n).rstrip("。；;") for n in names]
            return


def _deadlines(x: Extracted, flat: str) -> None:
    for m in re.finditer(r"(\d{1,2}月\d{1,2}日)(?:\d{1,2}时)?(?:前|之前)[，,]?([^。；]{2,40}?)(?=[。；（]|$)", flat):
        what = m.group(2)
        if len(what) < 4 or not re.search(r"报|交|送|完成", what):
            continue
        when = m.group(1)
        if x.year:
            try:
                when = parse_date(f"{x.year}年{when}").isoformat()
            except InvalidValue:
                pass
        if {"date": when, "what": what.strip()} not in x.deadlines:
            x.deadlines.append({"date": when, "what": what.strip()})


def to_parent(x: Extracted):
    """The registry's record of an extracted notice (raises with the missing facts named)."""
    from pydantic import ValidationError

    from .parents import ParentNotice
    from .validation import explain

    raw = {"issuer": x.issuer, "title": x.title, "doc_number": x.doc_number, "year": x.year, "theme": x.theme,
           "date": x.date if x.date_kind == "成文日期" else None}
    try:
        return ParentNotice.model_validate({k: v for k, v in raw.items() if v is not None})
    except ValidationError as exc:
        raise ImportFailed("来文缺少入库所需的信息，请补上后再存入：\n  " + "\n  ".join(explain(exc))) from None


def describe(x: Extracted, source: Path) -> str:
    """What was found, for the user to check before it is saved."""
    rows = [("发文机关", x.issuer), ("发文字号", x.doc_number), ("标题", x.title),
            (x.date_kind or "日期", format_date(x.date) if x.date else None),
            ("年份", f"{x.year}年（第{x.n}个全国“安全生产月”）" if x.year else None), ("主题", x.theme),
            ("主送", x.recipients), ("抄送", "、".join(x.copy_to) or None)]
    lines = [f"——— 从 {source} 读到 ———"] + [f"{k}：{v if v else '（未找到）'}" for k, v in rows]
    lines += [f"引用：《{c['title']}》（{c['doc_number'] or '无文号'}）" for c in x.cited]
    if x.headings:
        lines.append("一级标题：" + "；".join(x.headings))
    if x.attachments:
        lines.append("附件：" + "；".join(x.attachments))
    lines += [f"截止：{d['date']} {d['what']}" for d in x.deadlines]
    lines += [f"注意：{n}" for n in x.notes]
    return "\n".join(lines)


def import_parent(path: Path, reg, yes: bool = False, as_json: bool = False, force: bool = False,
                  prompter=None) -> int:
    """`drafter parents import`: show what was found, let the user correct it, save it into the registry."""
    import json
    import sys

    x = extract(path)
    if as_json:
        print(json.dumps(x.as_json(), ensure_ascii=False, indent=2))
        if not yes:
            return 0
    else:
        print(describe(x, path))
    asking = not yes and (prompter is not None or (sys.stdin.isatty() and sys.stdout.isatty()))
    if not yes and not asking:
        print("未存入：没有终端可供确认。确认无误后加 --yes 存入。")
        return 0
    if asking:
        x = confirm(x, prompter)
        if x is None:
            print("未存入。")
            return 0
    notice = to_parent(x)
    print(f"已存入 {notice.doc_number}：{reg.add(notice, force=force)}")
    return 0


def confirm(x: Extracted, prompter=None) -> Extracted | None:
    """Each fact the registry keeps, offered for correction (Enter keeps it); then save or not."""
    from .prompts import Prompter, date_in, doc_number, required

    ask = prompter or Prompter()
    x.issuer = ask.text("发文机关", x.issuer or "", required)
    x.title = ask.text("标题（不带书名号）", x.title or "", required)
    x.doc_number = ask.text("发文字号", x.doc_number or "", doc_number)
    day = ask.text(f"{x.date_kind or '成文日期'}（可留空）", x.date.isoformat() if x.date else "",
                   lambda t: date_in(None)(t) if t else None)
    x.date, x.date_kind = (parse_date(day), "成文日期") if day else (None, None)
    x.year = DocNumber.parse(x.doc_number).year
    x.theme = ask.text(f"{x.year}年的主题", x.theme or (national(x.year) or {}).get("theme", ""), required)
    return x if ask.confirm("存入上级来文库？") else None
