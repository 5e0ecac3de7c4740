"""The facts of a parent notice, from the file that arrived (.docx, .pdf with a text layer, .txt pasted from a web
page): its text is cleaned first (sourcetext.py), then each fact is looked for where notices put it. A malformed
文号 is normalised and the damage reported, never silently repaired."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..conventions import PARENT_KINDS, TITLE_KINDS, any_of, ordinal
from ..dates import DATE_LINE, format_date, parse_date
from ..docnumber import DocNumber, looks_like_doc_number
from ..errors import DrafterError, InvalidValue
from ..files import strip_controls
from ..shipped import national
from .sourcetext import CUT, HEADING1, KINDS, Source, clean, text_of, untagged


class Incomplete(DrafterError):
    """An imported notice that lacks what the registry must keep (its issuer, title, 文号)."""


@dataclass
class Extracted:
    issuer: str | None = None  # the host, when several issue jointly
    co_issuers: list[str] = field(default_factory=list)  # 联合发文: the other organs, in the order of issue
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
    source = clean(text, kind)
    lines, furniture = source.lines, source.furniture
    flat = "".join(lines)
    x = Extracted()
    suffix = Path(path).suffix.lower()
    if kind != "txt" and suffix != f".{kind}":
        x.notes.append(f"文件扩展名是 {suffix}，内容其实是{KINDS[kind]}，已按其内容读取")
    _header(x, source)
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


HEAD_LINES = 40  # the header (版头, title, 主送) is looked for in the first lines only
ORG_END = tuple("局办会委厅部署院所心站队府处道镇乡组司团科室馆联社校行")  # how the name of an office ends
TITLE_END = re.compile(any_of(TITLE_KINDS) + "$")
NOT_IN_TITLE = re.compile(r"[，。；：:！？!?]")
NOT_IN_NAME = re.compile(r"[，。；：:、《》“”！？!?<>＞|｜/\d]")
OPENING = re.compile(r"^(今年|根据|按照|依据|近日|近期|现将|现就|为(深入|做好|进一步|切实|认真|贯彻|全面|确保|加强|扎实|推动|"
                     r"有效|落实))")


def _is_name(line: str) -> bool:
    """A line that is the name of an office (a 发文机关 or a signature), or several separated by spaces."""
    return (2 < len(line) <= 40 and line.endswith(ORG_END) and "关于" not in line and not NOT_IN_NAME.search(line)
            and not TITLE_END.search(line))


def _organs(text: str | None) -> list[str]:
    """The offices a text names: several written one after another, separated by spaces (a joint notice's “A B关于…”
    or its signature lines), else the text as one name."""
    if not text:
        return []
    parts = text.split()
    return parts if len(parts) > 1 and all(_is_name(p) for p in parts) else [text.strip()]


JOINT_MOST = 6  # the most organs looked for on the lines of a joint title, mark or signature


def _title_like(line: str) -> bool:
    return bool(line) and len(line) <= 100 and not NOT_IN_TITLE.search(line) and not looks_like_doc_number(line)


def _addressed(line: str) -> bool:
    """The 主送 line: it ends with a colon."""
    return line.endswith(("：", ":")) and "。" not in line and len(line) <= 200


def _opens_body(line: str) -> bool:
    return bool("。" in line or "；" in line or HEADING1.match(line) or OPENING.match(line)
                or ("，" in line and len(line) > 40) or len(line) > 200)


def _header(x: Extracted, source: Source) -> None:
    """Issuer, 文号, title and 主送 from the lines before the body; what is not there is reported, never guessed."""
    raw, furniture = source.raw, source.furniture
    end = next((i for i, line in enumerate(raw[:HEAD_LINES]) if line and (_addressed(line) or _opens_body(line))),
               min(len(raw), HEAD_LINES))
    head = [untagged(line) if line else CUT for line in raw[:end]]
    first, last = _title_in(head)
    title = None
    if first is not None and last is not None:
        names: list[str] = []
        # A joint notice's issuers on the lines just before the one with 关于 (a title broken after each name),
        # the last of them maybe on that line; a page's own banner naming the same office is not one of them.
        before = head[first].split("关于")[0].strip()
        if not before or _is_name(before):
            while first - len(names) - 1 >= 0 and len(names) < JOINT_MOST:
                line = head[first - len(names) - 1]
                if not _is_name(line) or any(line in o or o in line for o in (before, *names) if o):
                    break
                names.insert(0, line)
        title = " ".join([*names, head[first]]) + "".join(head[first + 1:last + 1])  # "A B 关于" loses its last space
        first -= len(names)
    elif furniture.get("title"):
        title = untagged(furniture["title"]) or None
    if title:
        x.title = re.sub(r"\s+(?=[“《]|关于)|(?<=[”》])\s+", "", title)
    else:
        x.notes.append("没有找到标题（来文可能只是正文的摘录，如从主送机关开始），请补上")
    outside = [i for i in range(len(head)) if first is None or last is None or not first <= i <= last]
    number_at = next((i for i in outside if looks_like_doc_number(head[i])), None)
    mark_at = next((i for i in outside if (first is None or i < first) and head[i].endswith("文件")
                    and (4 < len(head[i]) <= 30 or head[i] == "文件") and not NOT_IN_NAME.search(head[i])), None)
    _number(x, head[number_at] if number_at is not None else furniture.get("doc_number"))
    # The 主送: the line ending with a colon, with the lines of a list of names it wrapped from (a PDF breaks it),
    # or, without a colon, the list of names just before the body.
    after = max(i for i in (last, number_at, mark_at, -1) if i is not None)
    parts: list[str] = []
    for i in range(end - 1, after, -1):
        if head[i] == CUT or len(parts) == 3 or not re.search(r"[，、,]", head[i]):
            break
        parts.insert(0, head[i])
    if end < len(raw) and _addressed(raw[end]):
        parts.append(raw[end])
    if parts:
        x.recipients = "".join(parts).rstrip("：:")
    elif x.title:
        x.notes.append("没有找到主送机关")
    # The issuers: the title's, the mark's (fuller), the signature's, or the page's 发布机构; for a joint notice the
    # host (named first) is the issuer and the others are its co-issuers.
    named = x.title.split("关于")[0].strip() if x.title and "关于" in x.title else ""
    if NOT_IN_NAME.search(named):  # what stands before 关于 is not a name (a column tag, a citation)
        named = ""
    in_title, in_mark = _organs(named), _marked(head, mark_at)
    if in_mark and (not in_title or in_mark[0].endswith(in_title[0]) or in_title[0] in in_mark[0]):
        organs = in_mark[:1] + in_title[1:] if len(in_title) > 1 else in_mark
    else:
        organs = in_title or _organs(_signature(raw, end)) or _organs(furniture.get("issuer"))
    if organs:
        x.issuer, x.co_issuers = organs[0], organs[1:]
    else:
        x.notes.append("没有找到发文机关（标题、版头、落款和网页信息中都没有），请补上")


def _marked(head: list[str], at: int | None) -> list[str]:
    """The organs of the 发文机关标志 on line ``at``: its name before 文件, after the names stacked on the lines just
    above it (a joint mark); a line of 文件 alone stands between the names."""
    if at is None:
        return []
    own = head[at][:-2].strip()
    names: list[str] = []
    while at - len(names) - 1 >= 0 and len(names) < JOINT_MOST and _is_name(head[at - len(names) - 1]):
        names.insert(0, head[at - len(names) - 1])
    if own:
        names += _organs(own)
    else:  # 文件 on a line of its own, centred on the stack: the names below it too
        below = at + 1
        while below < len(head) and len(names) < JOINT_MOST and _is_name(head[below]):
            names.append(head[below])
            below += 1
    return names


def _title_in(head: list[str]) -> tuple[int | None, int | None]:
    """Where the last title in the header is: from the line with 关于 to the line that ends like a title (the
    notice's own title comes after whatever title the web page put above it)."""
    for last in range(len(head) - 1, -1, -1):
        if not (_title_like(head[last]) and TITLE_END.search(head[last])):
            continue
        for first in range(last, max(last - 4, -1), -1):
            if not _title_like(head[first]):
                break
            line = head[first]
            if "关于" in line and not 0 <= line.find("《") < line.find("关于"):
                return first, last
    return None, None


def _signature(raw: list[str], start: int) -> str | None:
    """The names of the offices on the lines just before the first date line of the body (a joint notice has one
    line for each), separated by spaces."""
    date_at = next((i for i in range(start, len(raw)) if raw[i] and DATE_LINE.match(raw[i])), None)
    names: list[str] = []
    while date_at is not None and date_at - len(names) - 1 >= start and len(names) < JOINT_MOST:
        line = raw[date_at - len(names) - 1]
        if not _is_name(line):
            break
        names.insert(0, line)
    return " ".join(names) or None


def _number(x: Extracted, source: str | None) -> None:
    if not source:
        x.notes.append("没有找到发文字号")
        return
    try:
        number = DocNumber.parse(source)
        x.doc_number = str(number)
        if number.warnings:
            x.notes.append(f"来文的发文字号写作“{source}”，不合规范：" + "；".join(
                w.split("：", 1)[-1] for w in number.warnings) + f"（已按标准写作“{number}”）")
    except InvalidValue as exc:
        x.notes.append(f"来文的发文字号“{source}”无法识别：{exc}")


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
        try:
            x.date, x.date_kind = parse_date(furniture["date"]), "网页发布日期"
        except InvalidValue as exc:  # the page's metadata can be wrong too: said, not fatal
            x.notes.append(f"网页上的发布日期无法采用：{exc}")
            return
        x.notes.append("没有找到成文日期，取网页上的发布日期")


def _year_and_theme(x: Extracted, flat: str) -> None:
    title_year = re.search(r"(\d{4})年", x.title or "")
    x.year = int(title_year.group(1)) if title_year else (DocNumber.parse(x.doc_number).year if x.doc_number else None)
    m = re.search(r"第\s*(\d+)\s*个[^。]{0,6}“安全生产月”", flat) or re.search(r"第(\d+)个全国", flat)
    if m:
        x.n = int(m.group(1))
    if x.year and x.n and x.n != ordinal(x.year):
        x.notes.append(f"来文写“第{x.n}个”，{x.year}年应为第{ordinal(x.year)}个")
    if x.year and not x.n:
        x.n = ordinal(x.year)
    m = (re.search(r"主题[是为：]“([^”]{2,40})”", flat) or re.search(r"以“([^”]{2,40})”为主题", flat)
         or re.search(r"活动主题[^“]{0,4}“?([^“”。]{2,40})[”。]", flat))
    if m:
        theme = m.group(1).strip()
        known = national(x.year) if x.year else None
        if known and _bare(theme) == _bare(known["theme"]):
            if theme != known["theme"]:
                x.notes.append(f"主题写作“{theme}”，全国主题为“{known['theme']}”")
            theme = known["theme"]
        x.theme = theme
    elif x.year and (upstream := national(x.year)):
        x.theme = upstream["theme"]
        x.notes.append("正文中没有找到主题，取当年的全国主题")


def _bare(text: str) -> str:
    return re.sub(r"[\s，、,；;。—\-·]", "", text)


NUMBER_AFTER = re.compile(r"\s*(?:[（(](?P<paren>[^（）()《》]{2,30}?)[）)]|"
                          r"(?P<bare>[\u4e00-\u9fff]{1,10}[〔\[【(（]?\s*\d{4}[^《》，。、；要和]{0,8}))?")


BASIS_END = re.compile(r"(?:要求|精神|部署)[，,。]")


def _citations(x: Extracted, flat: str) -> None:
    """The notices the text is based on: those cited in its 根据……要求 sentence."""
    start = flat.find("根据《")
    basis = BASIS_END.search(flat, start + 3) if start >= 0 else None
    if not basis:
        return
    # Each 《 opens a citation that runs to the next 《 (one pass over the sentence, however many there are).
    for segment in flat[start + 3:basis.start()].split("《"):
        close = segment.find("》")
        if close >= 0:
            title, rest, closed = segment[:close], segment[close + 1:], True
        else:  # the closing 书名号 was lost: the title ends with the kind of document
            m = re.match(rf"(.{{6,160}}{any_of(PARENT_KINDS)})", segment)
            if not m:
                continue
            title, rest, closed = m.group(1), segment[len(m.group(1)):], False
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
                if parsed.warnings or (number and number.group("bare")):
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
    # what is due runs to the sentence's end, or to the next date ("5月30日前报送联络员，7月5日前报送总结")
    for m in re.finditer(r"(\d{1,2}月\d{1,2}日)(?:\d{1,2}时)?(?:前|之前)[，,]?([^。；]{2,40}?)"
                         r"(?=[。；（]|[，,]?[^，,。；]{0,4}\d{1,2}月\d{1,2}日|$)", flat):
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


def to_parent(x: Extracted, source: Path | None = None):
    """The registry's record of an extracted notice. What the text did not carry is never guessed: a notice
    without its issuer, title or 文号 is refused with the missing facts named."""
    from pydantic import ValidationError

    from ..validation import explain
    from .store import ParentNotice

    where = f"{source}：" if source else ""
    missing = [name for name, value in (("发文机关", x.issuer), ("标题", x.title), ("发文字号", x.doc_number))
               if not value]
    if missing:
        again = f"drafter parents import {source}" if source else "drafter parents import 文件"
        lacking = f"{where}来文中没有找到{'、'.join(missing)}，未存入上级来文库（不作猜测）"
        raise Incomplete(f"{lacking}。请在终端上运行“{again}”（不加 --yes）逐项补上，或用“drafter parents add”手工录入",
                         page=f"{lacking}。请在上面补上{'、'.join(missing)}后再点确认")
    raw = {"issuer": x.issuer, "co_issuers": x.co_issuers, "title": x.title, "doc_number": x.doc_number,
           "year": x.year, "theme": x.theme, "date": x.date if x.date_kind == "成文日期" else None,
           "headings": x.headings}
    try:
        return ParentNotice.model_validate({k: v for k, v in raw.items() if v is not None})
    except ValidationError as exc:
        raise Incomplete(f"{where}从来文中读出的内容不能存入上级来文库，请改正后再存入：\n  " + "\n  ".join(explain(exc))) from None


def describe(x: Extracted, source: Path) -> str:
    """What was found, for the user to check before it is saved, without any control character (files.strip_controls)
    that would act on the terminal."""
    rows = [("发文机关", x.issuer)] + ([("联合发文机关", "、".join(x.co_issuers))] if x.co_issuers else [])
    rows += [("发文字号", x.doc_number), ("标题", x.title),
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
    return strip_controls("\n".join(lines))  # the text is clean already; the file's name may not be


def import_parent(path: Path, reg, yes: bool = False, as_json: bool = False, force: bool = False,
                  prompter=None) -> int:
    """`drafter parents import`: show what was found, let the user correct it, save it into the registry.

    stdout carries what was found (one JSON document with --json); every status line goes to stderr."""
    import json
    import sys

    from ..errors import Unreadable

    try:
        x = extract(path)
    except Unreadable as exc:
        if as_json:  # stdout is one JSON document whatever happens; the message goes to stderr too
            print(json.dumps({"file": str(path), "error": str(exc)}, ensure_ascii=False, indent=2))
        raise
    if as_json:
        print(json.dumps(x.as_json(), ensure_ascii=False, indent=2))
        if not yes:
            return 0
    else:
        print(describe(x, path))
    asking = not yes and (prompter is not None or (sys.stdin.isatty() and sys.stdout.isatty()))
    if not yes and not asking:
        print("未存入：没有终端可供确认。确认无误后加 --yes 存入。", file=sys.stderr)
        return 1
    if asking:
        confirmed = confirm(x, prompter)
        if confirmed is None:
            print("未存入。", file=sys.stderr)
            return 0
        x = confirmed
    notice = to_parent(x, path)
    print(f"已存入 {notice.doc_number}：{reg.add(notice, force=force)}", file=sys.stderr)
    return 0


def confirm(x: Extracted, prompter=None) -> Extracted | None:
    """Each fact the registry keeps, offered for correction (Enter keeps it); then save or not."""
    from ..prompts import Prompter, date_in, doc_number, required
    from .store import issuers_typed

    ask = prompter or Prompter()
    organs = issuers_typed(ask.text("发文机关（联合发文的，主办机关在前，各机关用顿号分隔）",
                                    "、".join(o for o in [x.issuer, *x.co_issuers] if o), issuers_typed))
    x.issuer, x.co_issuers = organs[0], organs[1:]
    x.title = ask.text("标题（不带书名号）", x.title or "", required)
    x.doc_number = ask.text("发文字号", x.doc_number or "", doc_number)
    day = ask.text(f"{x.date_kind or '成文日期'}（可留空）", x.date.isoformat() if x.date else "",
                   lambda t: date_in(None)(t) if t else None)
    x.date, x.date_kind = (parse_date(day), "成文日期") if day else (None, None)
    x.year = DocNumber.parse(x.doc_number).year
    x.theme = ask.text(f"{x.year}年的主题", x.theme or (national(x.year) or {}).get("theme", ""), required)
    return x if ask.confirm("存入上级来文库？") else None
