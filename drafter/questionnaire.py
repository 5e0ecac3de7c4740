"""The questionnaire: `drafter new` on a terminal asks, in Chinese, what the answers do not already say.

It only gathers raw answers (a dict like an answers file); the same validators as for a file check them again
when the notice is drafted. Each prompt validates as it is typed, so a wrong date or 文号 is re-asked with the
reason. Answers fixed by a file or by --set are not asked."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from .answers import CORE_ATTACHMENTS, DEFAULT_SECTOR, defaults, latest_year, merge, national
from .compose import CORE_TITLES, month_day
from .dates import format_date, parse_date
from .docnumber import DocNumber
from .prompts import (Prompter, date_in, doc_number, issuer_code, names, number, optional_date, required,
                      whole_number)

LEVELS = ("市", "区（县）", "街道（乡镇）")
PUBLICITY = ("此件公开发布", "此件主动公开", "此件依申请公开", "此件不予公开")
NEW_PARENT = object()


def get(d: dict, path: str, default: Any = None) -> Any:
    for part in path.split("."):
        if not isinstance(d, dict) or part not in d:
            return default
        d = d[part]
    return d


def has(d: dict, path: str) -> bool:
    """Whether ``path`` is given in ``d`` (even as null: an answers file may say “none”)."""
    missing = object()
    return get(d, path, missing) is not missing


def put(d: dict, path: str, value: Any) -> None:
    *head, last = path.split(".")
    for part in head:
        d = d.setdefault(part, {})
    d[last] = value


class Questionnaire:
    """Asks what ``fixed`` (answers file, --set) does not say; ``suggested`` values are offered as defaults
    (last year's answers, a profile). ``run()`` returns the answers given here."""

    def __init__(self, plugins, registry, prompter: Prompter, fixed: dict | None = None,
                 suggested: dict | None = None, everything: bool = False, say: Callable[[str], None] = print):
        self.plugins, self.registry, self.ask, self.say = plugins, registry, prompter, say
        self.fixed = fixed or {}
        self.suggested = suggested or {}
        self.everything = everything  # ask even what is fixed (but never what --set pinned)
        self.pinned: dict = {}
        self.given: dict = {}  # what was answered here

    # What is known so far, and what is still to ask.

    def view(self) -> dict:
        return merge(merge(self.suggested, self.fixed), self.given)

    def value(self, path: str, default: Any = None) -> Any:
        return get(self.view(), path, default)

    def needs(self, path: str) -> bool:
        if has(self.pinned, path):
            return False
        return self.everything or not has(self.fixed, path)

    def answer(self, path: str, value: Any) -> None:
        put(self.given, path, value)

    def sector(self):
        return self.plugins.sector(self.value("issuer.sector", DEFAULT_SECTOR))

    def base(self) -> dict:
        """The defaults for the issuer as answered so far (the sector's example issuer if it is the example)."""
        sector, issuer = self.sector(), self.value("issuer", {})
        example = issuer.get("name", "") in ("", sector.example.get("issuer", {}).get("name"))  # the name offered
        return merge(defaults(self.year(), sector, self.plugins, issuer, example), self.suggested)

    def default(self, path: str, fallback: Any = None) -> Any:
        return get(merge(self.base(), merge(self.fixed, self.given)), path, fallback)

    def year(self) -> int:
        year = get(self.given, "year") or get(self.fixed, "year") or get(self.suggested, "year")
        if not year and self.first_parent():
            year = self.first_parent().year
        return int(year or latest_year())

    def first_parent(self):
        parents = get(self.given, "parents") or get(self.fixed, "parents") or get(self.suggested, "parents")
        if not parents:
            return None
        from .parents import RegistryError

        try:
            return self.registry.find(parents[0]["doc_number"]).notice
        except (RegistryError, KeyError, TypeError):  # a parent typed into an answers file, not in the registry
            return None

    # The questions, in the order a clerk thinks of them.

    def run(self) -> dict:
        self.issuer()
        self.parents()
        self.year_and_theme()
        self.number_and_addressees()
        self.activities()
        self.extra()
        self.deadlines()
        self.contact()
        self.attachments()
        self.colophon()
        self.signature()
        return self.given

    def issuer(self) -> None:
        fields = ("issuer.sector", "issuer.name", "issuer.code", "issuer.level", "issuer.mark")
        if not any(self.needs(f) for f in fields):
            return
        suggested = get(self.suggested, "issuer")
        if self.needs("issuer.name") and suggested and suggested.get("name") and not self.everything:
            if self.ask.confirm(f"发文机关：{suggested['name']}（机关代字 {suggested.get('code', '')}，"
                                f"{suggested.get('sector', '')}）——沿用？"):
                self.answer("issuer", {k: v for k, v in suggested.items() if self.needs(f"issuer.{k}")})
                return
        if self.needs("issuer.sector"):
            sectors = [(f"{o.item.name}　{o.item.description}", name) for name, o in self.plugins.sectors.items()]
            self.answer("issuer.sector", self.ask.select("行业（决定默认的活动、主送和抄送）", sectors,
                                                        default=self.default("issuer.sector", DEFAULT_SECTOR)))
        example = self.sector().example.get("issuer", {})
        if self.needs("issuer.name"):
            self.answer("issuer.name", self.ask.text("发文机关全称（用于标题和署名）",
                                                     self.value("issuer.name") or example.get("name", ""), required))
        same = self.value("issuer.name") == example.get("name")
        if self.needs("issuer.code"):
            self.answer("issuer.code", self.ask.text(
                "机关代字（发文字号“代字〔年份〕序号号”的代字）",
                self.value("issuer.code") or (example.get("code", "") if same else ""), issuer_code))
        if self.needs("issuer.level"):
            sector = self.value("issuer.sector")
            self.answer("issuer.level", self.ask.select(
                "层级", [(level, level) for level in LEVELS],
                default=self.value("issuer.level") or ("街道（乡镇）" if sector == "街道" else "区（县）")))
        if not self.needs("issuer.mark"):
            return
        name = self.value("issuer.name")
        mark = get(self.fixed, "issuer.mark") or get(self.given, "issuer.mark")
        if not mark and get(self.suggested, "issuer.name") == name:
            mark = get(self.suggested, "issuer.mark")
        if not mark:
            mark = example.get("mark") if name == example.get("name") else f"{name}文件"
        self.answer("issuer.mark", self.ask.text("发文机关标志（红头文字）", mark, required))

    def parents(self) -> None:
        if not self.needs("parents"):
            return
        entries = self.registry.entries()
        own = self.value("issuer.name")
        wanted = self.value("parents") or []
        default = next((e for e in entries for p in wanted[:1] if e.notice.doc_number == p.get("doc_number")), None)
        if default is None:
            newest = max((e.notice.year for e in entries), default=latest_year())
            default = next((e for e in entries if e.notice.issuer != own and e.notice.year == newest), None)
        cited: list = []
        while True:
            left = [e for e in entries if e.notice.doc_number not in {p.doc_number for p in cited}]
            choices = [(e.label(), e) for e in left] + [("+ 添加新的上级来文（输入 + 筛选到此项）", NEW_PARENT)]
            picked = self.ask.select("上级来文（本通知依据的通知）" if not cited else "再引用哪一份上级来文",
                                     choices, default=default if not cited else None, search=True)
            notice = self.new_parent() if picked is NEW_PARENT else picked.notice
            cited.append(notice)
            if not self.ask.confirm("再引用一份上级来文？", default=False):
                break
        self.answer("parents", [p.cited() for p in cited])

    def new_parent(self, save: bool = True):
        """A parent typed in here, saved into the registry (unless ``save`` is False) to be picked next time."""
        from .parents import ParentNotice

        issuer = self.ask.text("上级来文的发文机关", "", required)
        title = self.ask.text("上级来文的标题（不带书名号）", "", required)
        number = self.ask.text("上级来文的发文字号，如 青安办〔2025〕21号", "", doc_number)
        year = DocNumber.parse(number).year
        known = national(year)
        theme = self.ask.text(f"{year}年的“安全生产月”主题", known["theme"] if known else "", required)
        date = self.ask.text("上级来文的成文日期（可留空）", "", optional_date)
        notice = ParentNotice(issuer=issuer, title=title, doc_number=number, year=year, theme=theme,
                              date=parse_date(date) if date else None)
        if save:
            self.say(f"已把 {notice.doc_number} 存入上级来文库：{self.registry.add(notice, force=True)}")
        return notice

    def year_and_theme(self) -> None:
        parent = self.first_parent()
        if self.needs("year"):
            def same_year(text: str) -> int:
                year = whole_number(2002, 2100)(text)
                if parent and parent.year != year:
                    raise ValueError(f"上级来文 {parent.doc_number} 是{parent.year}年的，年份应与之一致")
                return year
            self.answer("year", int(self.ask.text("年份", self.year(), same_year)))
        year = self.year()
        if self.needs("theme"):
            theme = get(self.given, "theme") or get(self.fixed, "theme")
            if not theme or (parent and parent.year == year and not self.everything):
                theme = parent.theme if parent and parent.year == year else (national(year) or {}).get("theme", "")
            self.answer("theme", self.ask.text(f"主题（{year}年是第{year - 2001}个全国“安全生产月”）", theme, required))

    def number_and_addressees(self) -> None:
        code, year = self.value("issuer.code"), self.year()
        if self.needs("number"):
            self.answer("number", int(self.ask.text(f"发文字号序号（{code}〔{year}〕□号）",
                                                    self.default("number", ""), whole_number(1, 99999))))
        if self.needs("scope"):
            self.answer("scope", self.ask.text(f"标题中的范围：关于开展{year}年□“安全生产月”活动的通知",
                                               self.default("scope"), required))
        if self.needs("recipients"):
            self.answer("recipients", self.ask.text("主送机关", self.default("recipients"), required))
        if self.needs("issuer.units"):
            self.answer("issuer.units", self.ask.text("正文中对责任单位的称谓（如“各社区、街道各有关部门”）",
                                                      self.default("issuer.units"), required))

    def activities(self) -> None:
        if not self.needs("activities"):
            return
        chosen = set(self.default("activities", []))
        sector_names = {o.plugin: o.item.name for o in self.plugins.sectors.values()}
        choices = [(f"{self.preview(a.item.title)}〔{sector_names.get(a.plugin, a.plugin)}〕", i, i in chosen)
                   for i, a in self.plugins.activities.items()]
        self.answer("activities", self.ask.checkbox("主要活动（统计表和计划表的行随之增减）", choices, at_least_one=True))

    def preview(self, title: str) -> str:
        """A plugin's title as it will read (most use no facts, some the year)."""
        from .compose import render_text

        year = self.year()
        try:
            return render_text(title, {"year": year, "n": year - 2001, "theme": self.value("theme", ""),
                                       "sector": self.value("issuer.sector"), "issuer": self.value("issuer.name")})
        except Exception:  # a title needing facts not known yet: shown as written
            return title

    def extra(self) -> None:
        used = {self.plugins.activities[i].plugin for i in self.value("activities", []) if i in self.plugins.activities}
        sector = self.value("issuer.sector")
        for qid, owned in self.plugins.questions.items():
            q = owned.item
            if not (owned.serves(sector) or owned.plugin in used) or not self.needs(f"extra.{qid}"):
                continue
            current = self.value(f"extra.{qid}", q.default)
            if q.kind == "confirm":
                value: Any = self.ask.confirm(q.prompt, bool(current))
            elif q.kind == "select":
                value = self.ask.select(q.prompt, [(c, c) for c in q.choices], default=current)
            elif q.kind == "date":
                value = self.ask.text(q.prompt, current or "", date_in(None))
            elif q.kind == "number":
                value = number(self.ask.text(q.prompt, "" if current is None else current, number))
            else:
                value = self.ask.text(q.prompt, current or "", required)
            self.answer(f"extra.{qid}", value)

    def deadlines(self) -> None:
        if not self.needs("deadlines"):
            return
        year = self.year()
        d = self.default("deadlines")
        liaison, summary, weekly = (as_day(d["liaison"]), as_day(d["summary"]), d.get("weekly"))
        shown = (f"联络员名单{month_day(liaison)}前报送，" + (f"{weekly}报送一周情况，" if weekly else "")
                 + f"{month_day(summary)}前报送总结")
        if liaison.year == year and summary.year == year and self.ask.confirm(f"报送时间：{shown}——沿用？"):
            self.answer("deadlines", {"liaison": liaison, "summary": summary, "weekly": weekly})
            return
        liaison = date_in(year)(self.ask.text("联络员名单报送截止日期", _day_text(liaison, year), date_in(year)))
        weekly = self.ask.text("每周报送要求（可留空）", weekly or "") or None
        summary = date_in(year)(self.ask.text("活动总结报送截止日期", _day_text(summary, year), date_in(year)))
        self.answer("deadlines", {"liaison": liaison, "summary": summary, "weekly": weekly})

    def contact(self) -> None:
        if not self.needs("contact"):
            return
        c = self.default("contact") or {}
        if c.get("name") and c.get("phone"):
            shown = f"{c['name']}，{c['phone']}" + (f"，{c['email']}" if c.get("email") else "")
            if self.ask.confirm(f"联系人：{shown}——沿用？"):
                self.answer("contact", dict(c))
                return
        name = self.ask.text("联系人姓名", c.get("name", ""), required)
        phone = self.ask.text("联系电话", c.get("phone", ""), required)
        email = self.ask.text("电子邮箱（可留空）", c.get("email") or "")
        self.answer("contact", {"name": name, "phone": phone, "email": email or None})

    def attachments(self) -> None:
        if not self.needs("attachments"):
            return
        chosen = set(self.default("attachments", []))
        year = self.year()
        choices = [(CORE_TITLES[i].format(year=year), i, i in chosen) for i in CORE_ATTACHMENTS]
        choices += [(self.preview(a.item.title), i, i in chosen) for i, a in self.plugins.attachments.items()]
        self.answer("attachments", self.ask.checkbox("附件", choices))

    def colophon(self) -> None:
        if not (self.needs("copy_to") or self.needs("printer") or self.needs("print_date")):
            return
        year = self.year()
        copy_to, printer = self.default("copy_to", []), self.default("printer")
        print_date = as_day(self.default("print_date"))
        shown = f"抄送 {'、'.join(copy_to) or '（无）'}；印发机关 {printer}；印发日期 {format_date(print_date)}"
        if print_date.year == year and self.ask.confirm(f"版记：{shown}——沿用？"):
            self.answer("copy_to", list(copy_to))
            self.answer("printer", printer)
            self.answer("print_date", print_date)
            return
        self.answer("copy_to", names(self.ask.text("抄送机关（用顿号分隔，可留空）", "、".join(copy_to))))
        self.answer("printer", self.ask.text("印发机关", printer, required))
        self.answer("print_date", date_in(year)(self.ask.text("印发日期", _day_text(print_date, year), date_in(year))))

    def signature(self) -> None:
        if not (self.needs("date") or self.needs("sealed") or self.needs("publicity")):
            return
        year = self.year()
        date, sealed = as_day(self.default("date")), self.default("sealed", True)
        publicity = self.default("publicity")
        shown = f"成文日期 {format_date(date)}；{'加盖印章' if sealed else '不加盖印章'}；附注 {publicity or '（无）'}"
        if date.year == year and self.ask.confirm(f"落款：{shown}——沿用？"):
            self.answer("date", date)
            self.answer("sealed", sealed)
            self.answer("publicity", publicity)
            return
        self.answer("date", date_in(year)(self.ask.text("成文日期", _day_text(date, year), date_in(year))))
        self.answer("sealed", self.ask.confirm("加盖印章？", bool(sealed)))
        picked = self.ask.select("附注（公开属性）", [(p, p) for p in PUBLICITY] + [("不标注", "不标注")],
                                 default=publicity or "不标注")
        self.answer("publicity", None if picked == "不标注" else picked)


def as_day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else parse_date(value)


def _day_text(day: dt.date, year: int) -> str:
    """A default date shown for editing, moved into the notice's year if it was in another."""
    if day.year != year:
        try:
            day = day.replace(year=year)
        except ValueError:  # 2月29日
            day = day.replace(year=year, day=28)
    return day.isoformat()


def describe(notice, answers) -> str:
    """The summary shown before writing: what a clerk checks on a draft."""
    from .model import Section

    lines = ["", "——— 通知概要 ———", f"标题：{notice.title}", f"发文字号：{notice.doc_number}",
             f"主送：{notice.recipients}："]
    lines += [f"依据：《{p.title}》（{p.doc_number}）" for p in answers.parents]
    lines.append(f"第{answers.n}个全国“安全生产月”，主题：{answers.theme}")
    for level, numbering, block in notice.numbered_blocks():
        if isinstance(block, Section) and level <= 2:
            lines.append(("　" * (level - 1)) + numbering + block.title)
    if notice.attachments:
        lines.append("附件：" + "；".join(f"{label} {a.title}" for label, a in
                                          zip(notice.attachment_labels(), notice.attachments)))
    lines.append(f"抄送：{'、'.join(answers.copy_to) or '（无）'}；印发：{answers.printer}")
    lines.append(f"署名：{answers.issuer.name}，{format_date(answers.date)}，{'加盖印章' if answers.sealed else '不加盖印章'}")
    return "\n".join(lines) + "\n"
