"""The questionnaire: `drafter new` on a terminal asks, in Chinese, what the answers do not already say.

It only gathers raw answers (a dict like an answers file); the same validators as for a file check them again
when the notice is drafted. Each prompt validates as it is typed, through the answers model's own validators, so a
wrong date, 文号 or telephone is re-asked with the reason. Answers fixed by a file or by --set are not asked.

Defaults follow what they derive from: when 逐项修改 changes the issuer, the sector, the parent or the year, an
answer that had simply taken the default (印发机关 = name + 办公室, the sector's 抄送 and activities…) takes the new
default; what the clerk chose differently stays."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from .answers import (CORE_ATTACHMENTS, DEFAULT_SECTOR, Answers, Contact, Issuer, defaults, extra_answer, merge,
                      national, questions_for, theme_problem)
from .compose import CORE_TITLES, month_day
from .consistency import date_problems
from .dates import format_date, parse_date
from .docnumber import DocNumber
from .errors import InvalidValue
from .prompts import Prompter, date_in, doc_number, field, names, number, optional_date

LEVELS = ("市", "区（县）", "街道（乡镇）")
PUBLICITY = ("此件公开发布", "此件主动公开", "此件依申请公开", "此件不予公开")
NEW_PARENT = object()
OFFICE = ("issuer", "printer", "copy_to", "recipients")  # a profile's answers that belong to its own office
TICKED = ("activities", "attachments")  # lists answered by ticking items, each item serving some sectors
DATES = ("date", "print_date", "deadlines.liaison", "deadlines.summary")
MISSING = object()

today = dt.date.today  # the clock, replaced in tests


def coming_year(day: dt.date) -> int:
    """The year of the next 安全生产月 (June): this year until June is over, then the next."""
    return day.year if day.month < 7 else day.year + 1


def get(d: dict, path: str, default: Any = None) -> Any:
    for part in path.split("."):
        if not isinstance(d, dict) or part not in d:
            return default
        d = d[part]
    return d


def has(d: dict, path: str) -> bool:
    """Whether ``path`` is given in ``d`` (even as null: an answers file may say “none”)."""
    return get(d, path, MISSING) is not MISSING


def put(d: dict, path: str, value: Any) -> None:
    *head, last = path.split(".")
    for part in head:
        d = d.setdefault(part, {})
    d[last] = value


def theme_of(year: int) -> Callable[[str], str]:
    """The check of a typed theme: an answers file's, and not another year's national theme."""
    def check(text: str) -> str:
        theme = field(Answers, "theme")(text)
        problem = theme_problem(theme, year)
        if problem:
            raise ValueError(problem)
        return theme
    return check


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
        self.offered: dict[str, Any] = {}  # path → the default offered when it was last asked
        self.asked: set[str] = set()  # plugin questions asked in this round
        if plugins is not None:
            self.known_sector()

    def known_sector(self) -> None:
        """A profile naming a sector no installed plugin provides (the plugin was removed or disabled) would
        stop every question that depends on the sector: the default sector is offered instead, and said so."""
        name = get(self.suggested, "issuer.sector")
        if name is None or name in self.plugins.sectors or not self.plugins.sectors:
            return
        instead = DEFAULT_SECTOR if DEFAULT_SECTOR in self.plugins.sectors else next(iter(self.plugins.sectors))
        self.say(f"提示：发文机关资料中的行业“{name}”没有插件提供，改用“{instead}”。")
        self.suggested = merge(self.suggested, {"issuer": {"sector": instead}})

    # What is known so far, and what is still to ask.

    def suggestions(self) -> dict:
        """The suggested answers that apply: a profile's answers about its office only while drafting for it."""
        profile_name = get(self.suggested, "issuer.name")
        if profile_name and get(merge(self.fixed, self.given), "issuer.name", profile_name) != profile_name:
            return {k: v for k, v in self.suggested.items() if k not in OFFICE}
        return self.suggested

    def view(self) -> dict:
        return merge(merge(self.suggestions(), self.fixed), self.given)

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
        """The defaults for the issuer, sector, year and parent as answered so far (the sector's example issuer's
        answers if it is the example), with what is suggested over them."""
        sector, issuer, year = self.sector(), self.value("issuer", {}), self.year()
        example = sector.example.get("issuer", {})
        name = issuer.get("name") or example.get("name", "")
        derived = {"name": example.get("name", ""), "code": "", "mark": f"{name}文件",
                   "level": "街道（乡镇）" if sector.name == "街道" else "区（县）"}
        out = defaults(year, sector, self.plugins, issuer, name == example.get("name"))
        out = merge(merge(out, {"issuer": merge(derived, out["issuer"])}), self.suggestions())
        parent = self.first_parent()
        if parent and parent.year == year:
            out["theme"] = parent.theme
        return out

    def default(self, path: str, fallback: Any = None) -> Any:
        """What to offer for ``path``: the answer given here, the answers file's, else the default. An answer
        given here that had taken the default offered then takes the default as it is now."""
        now = get(merge(self.base(), self.fixed), path, fallback)
        previous = get(self.given, path, MISSING)
        if previous is MISSING:
            return now
        then = self.offered.get(path, MISSING)
        if then is MISSING or then == now:
            return previous
        if path in TICKED:  # the clerk's own ticks and unticks, on the new defaults
            added = [i for i in previous if i not in then and self.serves(path, i)]
            dropped = [i for i in then if i not in previous]
            return [i for i in now if i not in dropped] + [i for i in added if i not in now]
        return now if previous == then else previous

    def suggest(self, path: str, fallback: Any = None) -> Any:
        """The default for ``path``, remembered as offered (to tell later whether the answer was the default)."""
        self.offered[path] = self.default(path, fallback)
        return self.offered[path]

    def serves(self, path: str, item: str) -> bool:
        """Whether an activity or attachment (``path``) serves the issuer's sector."""
        if path == "attachments" and item in CORE_ATTACHMENTS:
            return True
        owned = (self.plugins.activities if path == "activities" else self.plugins.attachments).get(item)
        return owned is not None and owned.serves(self.value("issuer.sector"))

    def year(self) -> int:
        year = get(self.given, "year") or get(self.fixed, "year") or get(self.suggested, "year")
        if not year and self.first_parent():
            year = self.first_parent().year
        try:
            return int(year or coming_year(today()))
        except (TypeError, ValueError):  # a file's malformed year: reported when the answers are validated
            return coming_year(today())

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
        self.asked = set()
        self.issuer()
        self.parents()
        self.year_and_theme()
        self.number_and_addressees()
        self.activities()
        self.extra()
        self.deadlines()
        self.contact()
        self.attachments()
        self.extra()  # the questions of a plugin whose attachment was just chosen
        self.colophon()
        self.signature()
        return self.given

    def text(self, path: str, message: str, check: Callable[[str], Any], fallback: Any = "") -> None:
        """Ask for ``path`` with its default; answer the value as ``check`` returns it."""
        self.answer(path, check(self.ask.text(message, self.suggest(path, fallback), check)))

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
                                                        default=self.suggest("issuer.sector", DEFAULT_SECTOR)))
        if self.needs("issuer.name"):
            self.text("issuer.name", "发文机关全称（用于标题和署名）", field(Issuer, "name"))
        if self.needs("issuer.code"):
            self.text("issuer.code", "机关代字（发文字号“代字〔年份〕序号号”的代字）", field(Issuer, "code"))
        if self.needs("issuer.level"):
            self.answer("issuer.level", self.ask.select("层级", [(level, level) for level in LEVELS],
                                                        default=self.suggest("issuer.level")))
        if self.needs("issuer.mark"):
            self.text("issuer.mark", "发文机关标志（红头文字）", field(Issuer, "mark"))

    def parents(self) -> None:
        """One or more parents: from the registry (the coming year's by default), one typed in, or those an
        answers file names. Asked again (逐项修改), each parent cited before is offered again in its place."""
        if not self.needs("parents"):
            return
        entries = self.registry.entries()
        listed = {e.notice.doc_number: e.notice.cited() for e in entries}
        wanted = [listed.get(canonical(p.get("doc_number")), p) for p in self.value("parents") or []
                  if isinstance(p, dict)]
        first: Any = wanted[0] if wanted else None
        if first is None:
            year, own = self.year(), self.value("issuer.name")
            first = next((e.notice.cited() for e in entries if e.notice.year == year and e.notice.issuer != own),
                         NEW_PARENT)
            if first is NEW_PARENT:
                self.say(f"上级来文库中还没有{year}年的上级来文：可添加一份新的，或从库中选取。")
        written = [(f"{p.get('doc_number') or ''}　{p.get('title') or ''}（答案文件中）", p) for p in wanted
                   if p not in listed.values()]
        cited: list[dict] = []
        while True:
            taken = {p.get("doc_number") for p in cited}
            choices = [(e.label(), e.notice.cited()) for e in entries if e.notice.doc_number not in taken]
            choices += [c for c in written if c[1].get("doc_number") not in taken]
            choices.append(("+ 添加新的上级来文（输入 + 筛选到此项）", NEW_PARENT))
            default = first if not cited else wanted[len(cited)] if len(cited) < len(wanted) else None
            picked = self.ask.select("上级来文（本通知依据的通知）" if not cited else "再引用哪一份上级来文",
                                     choices, default=default, search=True)
            cited.append(self.new_parent().cited() if picked is NEW_PARENT else picked)
            if not self.ask.confirm("再引用一份上级来文？", default=len(cited) < len(wanted)):
                break
        self.answer("parents", cited)

    def new_parent(self, save: bool = True):
        """A parent typed in here, saved into the registry (unless ``save`` is False) to be picked next time."""
        from .parents import ParentNotice

        issuer = self.ask.text("上级来文的发文机关", "", field(ParentNotice, "issuer"))
        title = self.ask.text("上级来文的标题（不带书名号）", "", field(ParentNotice, "title"))
        number = self.ask.text("上级来文的发文字号，如 青安办〔2025〕21号", "", doc_number)
        year = DocNumber.parse(number).year
        known = national(year)
        theme = self.ask.text(f"{year}年的“安全生产月”主题", known["theme"] if known else "", theme_of(year))
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
                year = field(Answers, "year")(text)
                if parent and parent.year != year:
                    raise ValueError(f"上级来文 {parent.doc_number} 是{parent.year}年的，年份应与之一致")
                return year
            self.answer("year", same_year(self.ask.text("年份", parent.year if parent else self.year(), same_year)))
        year = self.year()
        if self.needs("theme"):  # the parent's, the year's national one, or typed when neither is known
            self.text("theme", f"主题（{year}年是第{year - 2001}个全国“安全生产月”）", theme_of(year))

    def number_and_addressees(self) -> None:
        code, year = self.value("issuer.code"), self.year()
        if self.needs("number"):
            self.text("number", f"发文字号序号（{code}〔{year}〕□号）", field(Answers, "number"))
        if self.needs("scope"):
            self.text("scope", f"标题中的范围：关于开展{year}年□“安全生产月”活动的通知", field(Answers, "scope"))
        if self.needs("recipients"):
            self.text("recipients", "主送机关", field(Answers, "recipients"))
        if self.needs("issuer.units"):
            self.text("issuer.units", "正文中对责任单位的称谓（如“各社区、街道各有关部门”）", field(Issuer, "units"))

    def activities(self) -> None:
        if not self.needs("activities"):
            return
        current = list(self.suggest("activities", []))  # ids and activities written inline, in their order
        sector_names = {o.plugin: o.item.name for o in self.plugins.sectors.values()}

        def label(entry) -> str:
            if not isinstance(entry, str):
                return f"{entry.get('title', '') if isinstance(entry, dict) else entry.title}〔自写〕"
            a = self.plugins.activities[entry]
            return f"{self.preview(a.item.title)}〔{sector_names.get(a.plugin, a.plugin)}〕"
        inline = [e for e in current if not isinstance(e, str)]
        choices = [(label(i), i, i in current) for i in self.plugins.activities]  # the catalogue's order
        choices += [(label(e), e, True) for e in inline]
        ticked = self.ask.checkbox("主要活动（统计表和计划表的行随之增减）", choices, at_least_one=True)
        # what was chosen before keeps the order it was written in; what is newly ticked follows
        self.answer("activities", [e for e in current if e in ticked] + [e for e in ticked if e not in current])

    def preview(self, title: str) -> str:
        """A plugin's title as it will read (most use no facts, some the year)."""
        from .compose import render_text

        year = self.year()
        try:
            return render_text(title, {"year": year, "n": year - 2001, "theme": self.value("theme", ""),
                                       "sector": self.value("issuer.sector"), "issuer": self.value("issuer.name")})
        except Exception:  # a title needing facts not known yet: shown as written
            return title

    def concerned(self) -> dict:
        """The plugin questions this notice asks, as its answers are checked (answers.questions_for)."""
        return questions_for(self.plugins, self.value("issuer.sector"), self.value("activities") or [],
                             self.value("attachments") or [])

    def extra(self) -> None:
        """Each plugin question that concerns the notice, once a round; typed answers are checked as an answers
        file's are (none may be left empty)."""
        for qid, owned in self.concerned().items():
            if qid in self.asked or not self.needs(f"extra.{qid}"):
                continue
            self.asked.add(qid)
            q = owned.item
            current = self.suggest(f"extra.{qid}", q.default)
            if q.kind == "confirm":
                value: Any = self.ask.confirm(q.prompt, bool(current))
            elif q.kind == "select":
                value = self.ask.select(q.prompt, [(c, c) for c in q.choices], default=current)
            else:
                def check(text: str, q=q) -> Any:
                    return extra_answer(q, (number(text) if q.kind == "number" else text) if text else None)
                value = check(self.ask.text(q.prompt, "" if current is None else current, check))
            self.answer(f"extra.{qid}", value)

    # Dates: each one typed must agree with the others known (consistency.date_problems, as for a file).

    def known_date(self, path: str) -> dt.date | None:
        """The date answered for ``path``, if it is one of the notice's year (one of another year, answered before
        the year was changed in 逐项修改, is asked again and cannot stand)."""
        value = get(merge(self.fixed, self.given), path)
        try:
            day = as_day(value) if value else None
        except (InvalidValue, ValueError):  # a file's malformed date: reported when the answers are validated
            return None
        return day if day and day.year == self.year() else None

    def date_faults(self, typed: dict[str, dt.date]) -> list[str]:
        """What the dates ``typed`` (path → date) would put at odds with the dates already answered."""
        def problems(over: dict) -> list[str]:
            known = {**{p: self.known_date(p) for p in DATES}, **over}
            deadlines = {"liaison": known["deadlines.liaison"], "summary": known["deadlines.summary"]}
            return [p.message for p in date_problems(self.year(), known["date"], known["print_date"], deadlines)]
        before = problems(dict.fromkeys(typed))
        return [m for m in problems(typed) if m not in before]

    def ask_date(self, path: str, message: str, day: dt.date) -> dt.date:
        year = self.year()

        def check(text: str) -> dt.date:
            typed = date_in(year)(text)
            faults = self.date_faults({path: typed})
            if faults:
                raise ValueError("；".join(faults))
            return typed
        return check(self.ask.text(message, _day_text(day, year), check))

    def deadlines(self) -> None:
        if not self.needs("deadlines"):
            return
        d = self.suggest("deadlines")
        liaison, summary, weekly = (as_day(d["liaison"]), as_day(d["summary"]), d.get("weekly"))
        shown = (f"联络员名单{month_day(liaison)}前报送，" + (f"{weekly}报送一周情况，" if weekly else "")
                 + f"{month_day(summary)}前报送总结")
        if (not self.date_faults({"deadlines.liaison": liaison, "deadlines.summary": summary})
                and self.ask.confirm(f"报送时间：{shown}——沿用？")):
            self.answer("deadlines", {"liaison": liaison, "summary": summary, "weekly": weekly})
            return
        liaison = self.ask_date("deadlines.liaison", "联络员名单报送截止日期", liaison)
        weekly = self.ask.text("每周报送要求（可留空）", weekly or "") or None
        summary = self.ask_date("deadlines.summary", "活动总结报送截止日期", summary)
        self.answer("deadlines", {"liaison": liaison, "summary": summary, "weekly": weekly})

    def contact(self) -> None:
        if not self.needs("contact"):
            return
        c = self.suggest("contact") or {}
        if c.get("name") and c.get("phone") and valid(Contact, c):
            shown = f"{c['name']}，{c['phone']}" + (f"，{c['email']}" if c.get("email") else "")
            if self.ask.confirm(f"联系人：{shown}——沿用？"):
                self.answer("contact", dict(c))
                return
        asked = {}
        for key, message in (("name", "联系人姓名"), ("phone", "联系电话"), ("email", "电子邮箱（可留空）")):
            check = field(Contact, key, optional=key == "email")
            asked[key] = check(self.ask.text(message, c.get(key) or "", check))
        self.answer("contact", asked)

    def attachments(self) -> None:
        if not self.needs("attachments"):
            return
        chosen = set(self.suggest("attachments", []))
        year = self.year()
        choices = [(CORE_TITLES[i].format(year=year), i, i in chosen) for i in CORE_ATTACHMENTS]
        choices += [(self.preview(a.item.title), i, i in chosen) for i, a in self.plugins.attachments.items()]
        self.answer("attachments", self.ask.checkbox("附件", choices))

    def colophon(self) -> None:
        if not (self.needs("copy_to") or self.needs("printer") or self.needs("print_date")):
            return
        year = self.year()
        copy_to, printer = self.suggest("copy_to", []), self.suggest("printer")
        print_date = as_day(self.suggest("print_date"))
        shown = f"抄送 {'、'.join(copy_to) or '（无）'}；印发机关 {printer}；印发日期 {format_date(print_date)}"
        if (print_date.year == year and not self.date_faults({"print_date": print_date})
                and self.ask.confirm(f"版记：{shown}——沿用？")):
            self.answer("copy_to", list(copy_to))
            self.answer("printer", printer)
            self.answer("print_date", print_date)
            return
        self.answer("copy_to", names(self.ask.text("抄送机关（用顿号分隔，可留空）", "、".join(copy_to))))
        self.answer("printer", field(Answers, "printer")(self.ask.text("印发机关", printer, field(Answers, "printer"))))
        self.answer("print_date", self.ask_date("print_date", "印发日期", print_date))

    def signature(self) -> None:
        if not (self.needs("date") or self.needs("sealed") or self.needs("publicity")):
            return
        date, sealed = as_day(self.suggest("date")), self.suggest("sealed", True)
        publicity = self.suggest("publicity")
        shown = f"成文日期 {format_date(date)}；{'加盖印章' if sealed else '不加盖印章'}；附注 {publicity or '（无）'}"
        if not self.date_faults({"date": date}) and self.ask.confirm(f"落款：{shown}——沿用？"):
            self.answer("date", date)
            self.answer("sealed", sealed)
            self.answer("publicity", publicity)
            return
        self.answer("date", self.ask_date("date", "成文日期", date))
        self.answer("sealed", self.ask.confirm("加盖印章？", bool(sealed)))
        picked = self.ask.select("附注（公开属性）", [(p, p) for p in PUBLICITY] + [("不标注", "不标注")],
                                 default=publicity or "不标注")
        self.answer("publicity", None if picked == "不标注" else picked)


def canonical(doc_number: Any) -> Any:
    """A 文号 as the registry writes it (an answers file may space or bracket it otherwise)."""
    try:
        return str(DocNumber.parse(str(doc_number)))
    except InvalidValue:
        return doc_number


def valid(model, raw: dict) -> bool:
    from pydantic import ValidationError

    try:
        model.model_validate(raw)
    except ValidationError:
        return False
    return True


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
    c, d = answers.contact, answers.deadlines
    lines.append(f"联系人：{c.name}，电话：{c.phone}" + (f"，电子邮箱：{c.email}" if c.email else "，电子邮箱：（无）"))
    lines.append(f"报送：联络员报送 {format_date(d.liaison)}前；总结报送 {format_date(d.summary)}前；"
                 f"每周报送 {d.weekly or '（无）'}")
    lines.append(f"抄送：{'、'.join(answers.copy_to) or '（无）'}")
    lines.append(f"印发机关：{answers.printer}；印发日期：{format_date(answers.print_date)}")
    lines.append(f"署名：{answers.issuer.name}，{format_date(answers.date)}，{'加盖印章' if answers.sealed else '不加盖印章'}")
    return "\n".join(lines) + "\n"
