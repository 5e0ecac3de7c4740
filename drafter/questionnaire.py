"""The questionnaire: `drafter new` on a terminal asks, in Chinese, what the answers do not already say.

It only gathers raw answers (a dict like an answers file); the same validators as for a file check them again
when the notice is drafted. Each prompt validates as it is typed, through the answers model's own validators, so a
wrong date, 文号 or telephone is re-asked with the reason. Answers fixed by a file or by --set are not asked.

Defaults follow what they derive from: when 逐项修改 changes the issuer, the sector, the parent or the year, an
answer that had simply taken the default (印发机关 = name + 办公室, the sector's 抄送 and activities…) takes the new
default; what the clerk chose differently stays.

After the issuer: 联合发文 (no, by default; else the co-issuers one by one) and the 公文格式 with its 红头 (文件格式,
印制, by default) — an Enter each for a single issuer printing its own red head.

The body's structure is asked once the parent is known (照上级来文 takes the parent's headings), before the 文号
and the addressees (which a 方案 may word otherwise): the shape, then the outline to edit; the activities follow,
in the order the clerk arranges them."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

from .answers import (
    BUILTIN_SECTIONS,
    CORE_ATTACHMENTS,
    DEFAULT_SECTOR,
    PLAN_OUTLINE,
    Answers,
    CoIssuer,
    Contact,
    Issuer,
    after_date,
    defaults,
    extra_answer,
    merge,
    questions_for,
    theme_problem,
)
from .compose import CORE_TITLES, default_outline, month_day
from .consistency import date_problems
from .conventions import heading_number, ordinal
from .dates import format_date, parse_date
from .docnumber import DocNumber
from .errors import InvalidValue
from .prompts import Prompter, date_in, doc_number, field, heading, names, number
from .shipped import national

LEVELS = ("市", "区（县）", "街道（乡镇）")
PUBLICITY = ("此件公开发布", "此件主动公开", "此件依申请公开", "此件不予公开")
NEW_PARENT = object()
# a profile's answers that belong to its own office: who it is (with whom it issues, on what paper), whom it writes to
OFFICE = ("issuer", "co_issuers", "joint_mark", "letterhead", "letterhead_reserve_mm", "printer", "copy_to",
          "recipients")
TICKED = ("activities", "attachments")  # lists answered by ticking items, each item serving some sectors
DATES = ("date", "print_date", "deadlines.liaison", "deadlines.summary")
MISSING = object()
BACK = "back"  # the choice that leaves a list unchanged
# A parent's heading that names a built-in section (in one of the usual wordings) takes that section, under the
# parent's wording: its text is drafter's own, and 主要活动 holds the activities chosen.
SAME_AS = {"overview": ("总体要求", "总体思路"), "theme": ("活动主题",), "period": ("活动时间",),
           "activities": ("主要活动", "重点活动", "活动内容"), "requirements": ("工作要求", "有关要求", "活动要求")}
STUDY_WORDS = "习近平总书记关于安全生产"
SHAPES = {"方案": "只起草方案", "印发方案": "印发通知，方案作为附件1"}
# 公文格式 and 红头, asked as one choice: (format, letterhead)
FORMATS = [("文件格式（红头文件）", ("文件", "印制")),
           ("文件格式，套打（打印在已印好红头的公文纸上）", ("文件", "套打")),
           ("信函格式", ("信函", "印制")),
           ("信函格式，套打（打印在已印好版头的信函纸上）", ("信函", "套打"))]
RESERVE_LOW = {"文件": 42, "信函": 20}  # the pre-printed mark's top edge, at least (answers.Answers._forms)

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
        self.joined = False  # the profile's co-issuers taken with its issuer in this round
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
        out = after_date(out, self.value("date"))  # a date given or suggested: the 印发日期 and deadlines follow
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
        if not isinstance(item, str):  # written inline: the clerk's own
            return True
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
        self.asked, self.joined = set(), False
        self.issuer()
        self.joint()
        self.forms()
        self.parents()
        self.year_and_theme()
        self.structure()
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
            joint = co_issuers(get(self.suggested, "co_issuers")) if self.needs("co_issuers") else []
            with_them = f"，与{'、'.join(c['name'] for c in joint)}联合发文" if joint else ""
            if self.ask.confirm(f"发文机关：{suggested['name']}（机关代字 {suggested.get('code', '')}，"
                                f"{suggested.get('sector', '')}）{with_them}——沿用？"):
                self.answer("issuer", {k: v for k, v in suggested.items() if self.needs(f"issuer.{k}")})
                if joint:  # the office issues with them: not asked again
                    self.answer("co_issuers", joint)
                    if self.needs("joint_mark"):
                        self.answer("joint_mark", get(self.suggested, "joint_mark", "全部"))
                    self.joined = True
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

    def saved_issuer(self) -> bool:
        """Whether the answers file names the issuer: a saved answers file (the one beside a notice, last year's for
        --from) leaves out co_issuers, joint_mark, format and letterhead when they are the usual ones, so they are
        not asked again (逐项修改 asks them)."""
        return not self.everything and has(self.fixed, "issuer.name")

    def joint(self) -> None:
        """联合发文: the other organs one by one (the issuer asked above is the host), each with the name it signs
        with, then the host's; with more than three organs in all, whether the red mark stacks them all or shows
        the host's alone. Co-issuers taken with the profile's issuer are not asked again."""
        if self.needs("co_issuers") and not self.joined and not self.saved_issuer():
            current = co_issuers(self.suggest("co_issuers", []))
            if self.ask.confirm("联合发文？（与其他机关联合发文时，上面的发文机关是主办机关）", default=bool(current)):
                shown = "、".join(c["name"] + (f"（署名“{c['signature']}”）" if c.get("signature") else "")
                                 for c in current)
                if not (current and self.ask.confirm(f"联合发文机关：{shown}——沿用？")):
                    current = self.co_issuer_list(current)
                    if self.needs("issuer.signature"):  # several names in a row of seals: short ones may be needed
                        host, signed = self.value("issuer.name") or "", field(Issuer, "signature", optional=True)
                        typed = signed(self.ask.text(f"主办机关“{host}”在署名中的名称（规范化简称；留空则署全称）",
                                                     self.value("issuer.signature") or "", signed))
                        self.answer("issuer.signature", typed if typed != host else None)
                self.answer("co_issuers", current)
            else:
                self.answer("co_issuers", [])
        organs = 1 + len(co_issuers(self.value("co_issuers")))
        if organs > 1 and self.needs("joint_mark") and not self.joined and not self.saved_issuer():
            mark = self.suggest("joint_mark", "全部")
            if organs > 3:  # a tall stack: the host's mark alone is the usual choice then
                mark = self.ask.select("联合发文的版头（发文机关标志）", [
                    (f"{organs}个机关的名称并列，主办机关在前", "全部"), ("只用主办机关的发文机关标志", "主办机关")],
                    default=mark)
            self.answer("joint_mark", mark)

    def co_issuer_list(self, current: list[dict]) -> list[dict]:
        """The co-issuers typed one by one, each offered as it was; an empty name after the first ends the list."""
        host = self.value("issuer.name") or ""
        out: list[dict] = []
        while True:
            before = current[len(out)] if len(out) < len(current) else {}

            def check(text: str) -> str | None:
                if not text and out:
                    return None
                name = field(CoIssuer, "name")(text)
                if name == host:
                    raise ValueError(f"“{name}”是主办机关（上面的发文机关），这里填与它联合发文的其他机关")
                if name in (c["name"] for c in out):
                    raise ValueError(f"“{name}”已经填过")
                return name
            hint = "（用于标题和署名）" if not out else "（没有了就清空后回车）"
            name = check(self.ask.text(f"第{len(out) + 1}个联合发文机关的全称{hint}", before.get("name", ""), check))
            if name is None:
                return out
            same = before.get("name") == name  # its mark and signature go with it
            signed = field(CoIssuer, "signature", optional=True)
            signature = signed(self.ask.text(f"“{name}”在署名中的名称（规范化简称；留空则署全称）",
                                             (before.get("signature") or "") if same else "", signed))
            entry = {"name": name, **({"mark": before["mark"]} if same and before.get("mark") else {})}
            out.append({**entry, **({"signature": signature} if signature and signature != name else {})})

    def forms(self) -> None:
        """公文格式 (文件 / 信函) and 红头 (印制 / 套打) as one choice, and for 套打 where the printed mark stands. A 方案
        printed alone has no 版头: nothing to ask."""
        if self.value("form") == "方案":
            return
        settled = self.saved_issuer()
        ask_format, ask_head = self.needs("format") and not settled, self.needs("letterhead") and not settled
        fmt = self.suggest("format", "文件") if ask_format else self.value("format", "文件")
        head = self.suggest("letterhead", "印制") if ask_head else self.value("letterhead", "印制")
        if ask_format and ask_head:
            fmt, head = self.ask.select("公文格式", FORMATS, default=(fmt, head))
        elif ask_format:
            fmt = self.ask.select("公文格式", [("文件格式（红头文件）", "文件"), ("信函格式", "信函")], default=fmt)
        elif ask_head:
            head = self.ask.select("红头", [("印制：红头随正文一起打印", "印制"),
                                           ("套打：打印在已印好红头的纸上", "套打")], default=head)
        if ask_format:
            self.answer("format", fmt)
        if ask_head:
            self.answer("letterhead", head)
        if not self.needs("letterhead_reserve_mm"):
            return
        if head != "套打":
            if self.value("letterhead_reserve_mm") is not None:  # only for 套打
                self.answer("letterhead_reserve_mm", None)
            return
        low = RESERVE_LOW.get(fmt, RESERVE_LOW["文件"])

        def reserve(text: str) -> float | None:
            if not text:
                return None
            value = field(Answers, "letterhead_reserve_mm")(text)
            if value < low:
                raise ValueError(f"{value:g} mm 太小，{fmt}格式的发文机关标志上边缘距纸张上边至少 {low} mm")
            return value
        current = self.suggest("letterhead_reserve_mm")
        self.answer("letterhead_reserve_mm", reserve(self.ask.text(
            "套打：已印好的发文机关标志上边缘距纸张上边多少毫米（留空则按标准位置）",
            f"{current:g}" if isinstance(current, (int, float)) else current, reserve)))

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
        if first is None:  # this year's, not one of this office's own (nor of those it issues with)
            year = self.year()
            own = {self.value("issuer.name"), *(c["name"] for c in co_issuers(self.value("co_issuers")))}
            first = next((e.notice.cited() for e in entries
                          if e.notice.year == year and not own & set(e.notice.issuers)), NEW_PARENT)
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
        from .parents import ParentNotice, issuers_typed

        issuer, *joint = issuers_typed(self.ask.text("上级来文的发文机关（联合发文的，主办机关在前，用顿号分隔）", "",
                                                     issuers_typed))
        title = self.ask.text("上级来文的标题（不带书名号）", "", field(ParentNotice, "title"))
        number = self.ask.text("上级来文的发文字号，如 青安办〔2025〕21号", "", doc_number)
        year = DocNumber.parse(number).year
        known = national(year)
        theme = self.ask.text(f"{year}年的“安全生产月”主题", known["theme"] if known else "", theme_of(year))
        date = self.ask.text("上级来文的成文日期（可留空）", "", lambda text: date_in(year)(text) if text else None)
        notice = ParentNotice(issuer=issuer, co_issuers=joint, title=title, doc_number=number, year=year, theme=theme,
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
            self.text("theme", f"主题（{year}年是第{ordinal(year)}个全国“安全生产月”）", theme_of(year))

    def number_and_addressees(self) -> None:
        """A 方案 printed alone has no 文号 and no 主送: neither is asked."""
        code, year, form = self.value("issuer.code"), self.year(), self.value("form", "通知")
        if self.needs("number"):
            if form == "方案":
                self.answer("number", None)
            else:
                self.text("number", f"发文字号序号（{code}〔{year}〕□号）", field(Answers, "number"))
        if self.needs("scope"):
            title = {"方案": f"{year}年□“安全生产月”活动方案",
                     "印发方案": f"关于印发《{year}年□“安全生产月”活动方案》的通知"}.get(
                form, f"关于开展{year}年□“安全生产月”活动的通知")
            self.text("scope", f"标题中的范围：{title}", field(Answers, "scope"))
        if self.needs("recipients") and form != "方案":
            self.text("recipients", "主送机关", field(Answers, "recipients"))
        if self.needs("issuer.units"):
            self.text("issuer.units", "正文中对责任单位的称谓（如“各社区、街道各有关部门”）", field(Issuer, "units"))

    def activities(self) -> None:
        """Ticked in the catalogue's order (inline ones after it), each with its text below the list; then, with two
        or more, arranged in the order they are printed."""
        if not self.needs("activities"):
            return
        current = list(self.suggest("activities", []))  # ids and activities written inline, in their order
        facts = self.facts()
        inline = [e for e in current if not isinstance(e, str)]
        choices = [(self.activity_label(i, facts), i, i in current, self.activity_text(i, facts))
                   for i in self.plugins.activities]  # the catalogue's order
        choices += [(self.activity_label(e, facts), e, True, self.activity_text(e, facts)) for e in inline]
        ticked = self.ask.checkbox("主要活动（统计表和计划表的行随之增减）", choices, at_least_one=True)
        # what was chosen before keeps the order it was written in; what is newly ticked follows
        chosen = [e for e in current if e in ticked] + [e for e in ticked if e not in current]
        while len(chosen) > 1:
            labels = [f"{k}.{self.activity_title(e, facts)}" for k, e in enumerate(chosen, 1)]
            self.say("活动的顺序（正文、统计表和计划表都按此顺序）：\n" + "\n".join(f"　{line}" for line in labels))
            if self.ask.select("活动的顺序", [("就按这个顺序", "done"), ("调整一项的位置", "move")],
                               default="done") == "done":
                break
            self.move(chosen, labels, "哪一项活动")
        self.answer("activities", chosen)

    def activity_label(self, entry, facts: dict | None = None) -> str:
        """An activity in the list to tick: its title and, in brackets, its sector (or 自写)."""
        if not isinstance(entry, str):
            return f"{self.activity_title(entry)}〔自写〕"
        sector_names = {o.plugin: o.item.name for o in self.plugins.sectors.values()}
        owner = self.plugins.activities[entry].plugin
        return f"{self.activity_title(entry, facts)}〔{sector_names.get(owner, owner)}〕"

    def activity_title(self, entry, facts: dict | None = None) -> str:
        if isinstance(entry, str):
            return self.preview(self.plugins.activities[entry].item.title, facts)
        return str(entry.get("title", "") if isinstance(entry, dict) else entry.title)

    def activity_text(self, entry, facts: dict | None = None) -> list[str]:
        """An activity's text as the notice will print it (a catalogue one rendered with the facts known so far),
        shown before it is picked."""
        if isinstance(entry, str):
            a = self.plugins.activities[entry].item
            paragraphs = [self.preview(p, facts) for p in a.paragraphs]
            items = [(self.preview(i.title, facts), self.preview(i.text, facts)) for i in a.items]
        elif isinstance(entry, dict):
            paragraphs = [str(p) for p in entry.get("paragraphs") or []]
            items = [(i.get("title", ""), i.get("text", "")) for i in entry.get("items") or [] if isinstance(i, dict)]
        else:
            return []
        return paragraphs + [f"{k}.{title}。{text}" for k, (title, text) in enumerate(items, 1)]

    def move(self, entries: list, labels: list[str], which: str) -> None:
        """One entry moved, in place: picked, then one up or down, or to a position."""
        i = self.ask.select(f"移动{which}", [(label, k) for k, label in enumerate(labels)] + [("（返回）", BACK)],
                            default=0)
        if i == BACK:
            return
        places = [("上移一位", i - 1)] if i > 0 else []
        places += [("下移一位", i + 1)] if i < len(entries) - 1 else []
        places += [(f"移到第{k + 1}位（现为 {labels[k]}）", k) for k in range(len(entries)) if abs(k - i) > 1]
        to = self.ask.select("移到哪里", places + [("（不移动）", BACK)], default=places[0][1])
        if to != BACK:
            entries.insert(to, entries.pop(i))

    def facts(self) -> dict:
        """The facts a plugin's text uses (compose._facts), as far as they are known before the answers are
        complete: what is answered so far, else the defaults."""
        year, facts = self.year(), dict[str, Any]()
        facts.update(year=year, n=ordinal(year), theme=self.value("theme", ""), sector=self.value("issuer.sector"),
                     issuer=self.value("issuer.name"))
        try:
            facts.update(scope=self.default("scope"), units=self.default("issuer.units"),
                         extra={qid: self.default(f"extra.{qid}", q.item.default)
                                for qid, q in self.plugins.questions.items()})
            d = self.default("deadlines") or {}
            facts["deadlines"] = {"liaison": month_day(as_day(d["liaison"])),
                                  "summary": month_day(as_day(d["summary"])), "weekly": d.get("weekly")}
            facts["contact"] = dict(self.default("contact") or {})
            listed = ([None] if self.value("form") == "印发方案" else []) + list(self.default("attachments") or [])
            facts["labels"] = {e: f"附件{k}" if len(listed) > 1 else "附件" for k, e in enumerate(listed, 1)
                               if isinstance(e, str)}
        except Exception:  # an answers file's malformed value: the text needing it is shown as written
            pass
        return facts

    def preview(self, text: str, facts: dict | None = None) -> str:
        """A plugin's text as it will read; a text needing facts not known yet is shown as written."""
        from .compose import render_text

        try:
            return render_text(text, self.facts() if facts is None else facts)
        except Exception:
            return text

    # The body's structure: its shape, then its outline.

    def structure(self) -> None:
        """The shape (照上级来文 / 方案 / 印发方案 / 本行业默认), then the outline to edit. Not asked when the answers
        give ``outline`` or ``form``, nor when they give the activities: a saved answers file (the one beside a
        notice, last year's for --from) leaves out outline and form when they are the defaults."""
        settled = not self.everything and has(self.fixed, "activities")
        ask_form, ask_outline = self.needs("form") and not settled, self.needs("outline") and not settled
        form, outline = self.value("form", "通知"), self.value("outline")
        if not isinstance(outline, list):  # none, or an answers file's malformed one (reported when validated)
            outline = None
        if ask_form and ask_outline:
            form, start = self.shape(form, outline)
        elif ask_form:
            form = self.ask.select("文种", [("通知", "通知")] + [(f"{k}（{v}）", k) for k, v in SHAPES.items()],
                                   default=form)
        elif ask_outline:
            start = copy.deepcopy(outline) if outline is not None else self.default_for(form)
        if ask_form:
            self.answer("form", form)
        if not ask_outline:
            return
        edited: list | None = self.edit_outline(start, form)
        if form == "通知" and edited == self.default_for("通知"):
            edited = None  # the sector's default: it follows the sector if that is changed
        if edited is not None or self.value("outline") is not None:
            self.answer("outline", edited)

    def default_for(self, form: str) -> list:
        if form in SHAPES:
            return copy.deepcopy(PLAN_OUTLINE)
        return default_outline(self.value("issuer.sector", DEFAULT_SECTOR), self.plugins)

    def shape(self, form: str, outline) -> tuple[str, list]:
        parent, cited = self.first_parent(), self.value("parents")
        if parent is not None:
            following = "、".join(parent.headings) if parent.headings else "来文没有记录一级标题"
        else:
            following = "所引来文不在上级来文库中"
        choices = [(cut(f"照上级来文（{following}", 58) + "）", "parent")] if cited else []
        choices += [(f"{k}：{v}（{self.titles(PLAN_OUTLINE)}）", k) for k, v in SHAPES.items()]
        choices.append((f"本行业默认：通知（{self.titles(self.default_for('通知'))}）", "default"))
        kept = outline is not None or form != "通知"
        if kept:
            choices.insert(0, (f"保留现有的结构：{form}（{self.titles(outline or self.default_for(form))}）", "keep"))
        picked = self.ask.select("文种和结构", choices, default="keep" if kept else "default")
        if picked == "keep":
            return form, copy.deepcopy(outline) if outline is not None else self.default_for(form)
        if picked in SHAPES:
            return picked, self.default_for(picked)
        if picked == "parent":
            return "通知", self.following(parent) or self.default_for("通知")
        return "通知", self.default_for("通知")

    def following(self, parent) -> list | None:
        """The parent's top-level headings as the outline: a heading that names a built-in section takes it (its
        text is drafter's), the clerk writes the text of each other one."""
        if parent is None:
            self.say("所引的上级来文不在上级来文库中，无从照其结构：从本行业默认的结构开始。")
            return None
        if not parent.headings:
            self.say(f"上级来文 {parent.doc_number} 没有记录一级标题（用 drafter parents import 读入的来文才有）："
                     "从本行业默认的结构开始。")
            return None
        found: list[tuple[str, str | None]] = []  # each heading, and the built-in section it names
        for title in parent.headings:
            found.append((title, self.builtin_named(title, [key for _, key in found if key])))
        named = [title for title, key in found if key]
        said = f"照 {parent.doc_number} 的一级标题：{'、'.join(parent.headings)}。"
        if named:
            said += f"{'、'.join(named)}用内置的文字" + "".join(
                f"（“{title}”一节即所选的活动）" for title, key in found if key == "activities") + "。"
        if len(named) < len(found):
            said += ("其余" if named else "") + "各节的文字请自己写。"
        if "activities" not in [key for _, key in found]:
            said += "\n提示：没有“主要活动”一节，所选的活动不写入正文，仍列入统计表和计划表；可用“新增一节”加上。"
        self.say(said)
        entries: list = []
        for title, key in found:
            if key is None:
                entries.append({"title": title, "paragraphs": self.ask.paragraphs(f"“{title}”一节的文字")})
            else:
                entries.append(key if BUILTIN_SECTIONS[key] == title else {"use": key, "title": title})
        return entries

    @staticmethod
    def builtin_named(title: str, taken: list[str]) -> str | None:
        """The built-in section a parent's heading names, unless the outline has it already."""
        found = next((key for key, words in SAME_AS.items() if title in words), None)
        if found is None and STUDY_WORDS in title:
            found = "study"
        return found if found not in taken else None

    def edit_outline(self, start: list, form: str) -> list:
        """The outline shown as it will print; sections dropped, renamed, moved, added, until 完成."""
        entries = copy.deepcopy(start)
        what = "方案" if form in SHAPES else "通知正文"
        while True:
            labels = self.outline_labels(entries)
            self.say(f"{what}的结构：\n" + "\n".join(f"　{line}" for line in labels or ["（没有章节）"]))
            actions = [("完成", "done"), ("删除一节", "drop"), ("重命名一节", "rename")] if entries else []
            actions += [("调整顺序", "move")] if len(entries) > 1 else []
            actions.append(("新增一节", "add"))
            actions += [("恢复默认", "reset")] if entries != start else []
            action = self.ask.select(f"{what}的结构", actions, default="done" if entries else "add")
            if action == "done":
                return entries
            if action == "reset":
                entries = copy.deepcopy(start)
            elif action == "move":
                self.move(entries, labels, "哪一节")
            elif action == "add":
                self.add_section(entries, labels)
            else:
                k = self.ask.select("删除哪一节" if action == "drop" else "重命名哪一节",
                                    [(label, k) for k, label in enumerate(labels)] + [("（返回）", BACK)], default=0)
                if k == BACK:
                    continue
                if action == "drop":
                    dropped = entries.pop(k)
                    if self.section_id(dropped) == "activities":
                        self.say("提示：没有“主要活动”一节，所选的活动不写入正文，仍列入统计表和计划表。")
                else:
                    entries[k] = self.renamed(entries[k], self.ask.text("新的标题", self.section_title(entries[k]) or "",
                                                                         heading))

    def add_section(self, entries: list, labels: list[str]) -> None:
        """A section of the clerk's own (title, then paragraphs), or a built-in or plugin one not in the outline."""
        present = {self.section_id(e) for e in entries}
        sector = self.value("issuer.sector", DEFAULT_SECTOR)
        sector_names = {o.plugin: o.item.name for o in self.plugins.sectors.values()}
        offered = [(BUILTIN_SECTIONS[i], i) for i in BUILTIN_SECTIONS if i not in present]
        offered += [(f"{self.preview(o.item.title)}〔{sector_names.get(o.plugin, o.plugin)}〕", i)
                    for i, o in self.plugins.sections.items() if i not in present and o.serves(sector)]
        picked = self.ask.select("新增哪一节", [("自己写的一节（输入标题和文字）", "own"), *offered, ("（返回）", BACK)],
                                 default="own")
        if picked == BACK:
            return
        if picked == "own":
            title = heading(self.ask.text("新一节的标题", "", heading))
            picked = {"title": title, "paragraphs": self.ask.paragraphs(f"“{title}”一节的文字")}
        if not entries:
            entries.append(picked)
            return
        at = self.ask.select("放在哪里", [("放在最后", len(entries))]
                             + [(f"放在 {label} 之前", k) for k, label in enumerate(labels)], default=len(entries))
        entries.insert(at, picked)

    @staticmethod
    def section_id(entry) -> str | None:
        if isinstance(entry, str):
            return entry
        return entry.get("use") if isinstance(entry, dict) else None

    def section_title(self, entry) -> str | None:
        """The heading an outline entry prints (None: an inline section without one)."""
        if isinstance(entry, dict) and "use" not in entry:
            return entry.get("title")
        key = self.section_id(entry)
        if isinstance(entry, dict) and entry.get("title"):
            return entry["title"]
        if key in BUILTIN_SECTIONS:
            return BUILTIN_SECTIONS[key]
        owned = self.plugins.sections.get(key)
        return self.preview(owned.item.title) if owned else str(key if key is not None else entry)

    def renamed(self, entry, title: str):
        """A built-in or plugin section renamed is {use, title} (back to its id under its own title again); an
        inline section's title changes."""
        if isinstance(entry, dict) and "use" not in entry:
            return {**entry, "title": title}
        key = self.section_id(entry)
        rest = {k: v for k, v in entry.items() if k not in ("use", "title")} if isinstance(entry, dict) else {}
        if title == self.section_title(key) and not rest:
            return key
        return {"use": key, "title": title, **rest}

    def outline_labels(self, entries: list) -> list[str]:
        """Each entry as it prints: 一、总体要求 …; an inline section without a title is not numbered."""
        out, n = [], 0
        for entry in entries:
            title = self.section_title(entry)
            if title is None:
                out.append("（无标题的正文）")
            else:
                n += 1
                out.append(heading_number(1, n) + title)
        return out

    def titles(self, entries: list) -> str:
        return "、".join(t for t in (self.section_title(e) for e in entries) if t)

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
            if q.help:
                self.say(q.help)
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
        if d is None:  # the answers say: no 报送 deadlines
            if self.ask.confirm("报送时间：不写——沿用？"):
                self.answer("deadlines", None)
                return
            d = get(defaults(self.year(), self.sector(), self.plugins), "deadlines")
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
        c = self.suggest("contact")
        if c is None and self.value("contact", MISSING) is None:  # the answers say: no contact line
            if self.ask.confirm("联系人：不写——沿用？"):
                self.answer("contact", None)
                return
        c = c or {}
        if c.get("name") and c.get("phone") and valid(Contact, c):
            shown = f"{c['name']}，{c['phone']}" + (f"，{c['email']}" if c.get("email") else "")
            if self.ask.confirm(f"联系人：{shown}——沿用？"):
                self.answer("contact", dict(c))
                return
        asked = {k: v for k, v in c.items() if k not in ("name", "phone", "email")}  # what is not asked is kept
        for key, message in (("name", "联系人姓名"), ("phone", "联系电话"), ("email", "电子邮箱（可留空）")):
            check = field(Contact, key, optional=key == "email")
            asked[key] = check(self.ask.text(message, c.get(key) or "", check))
        self.answer("contact", asked)

    def attachments(self) -> None:
        """Ticked in the catalogue's order, attachments written inline after it; printed in the order written (what
        was chosen before keeps its order, what is newly ticked follows), as activities are."""
        if not self.needs("attachments"):
            return
        current = list(self.suggest("attachments", []))
        year = self.year()
        choices = [(CORE_TITLES[i].format(year=year), i, i in current) for i in CORE_ATTACHMENTS]
        choices += [(self.preview(a.item.title), i, i in current) for i, a in self.plugins.attachments.items()]
        choices += [(f"{e.get('title', '') if isinstance(e, dict) else e}〔自写〕", e, True) for e in current
                    if not isinstance(e, str)]
        ticked = self.ask.checkbox("附件", choices)
        self.answer("attachments", [e for e in current if e in ticked] + [e for e in ticked if e not in current])

    def colophon(self) -> None:
        if self.value("form") == "方案":  # printed alone, a 方案 has no 版记
            return
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
        if self.value("form") == "方案":  # nor 署名, 成文日期 or 附注
            return
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


def co_issuers(value: Any) -> list[dict]:
    """The co-issuers as answered (an answers file's malformed entries are left to be reported when validated)."""
    if not isinstance(value, list):
        return []
    return [copy.deepcopy(c) for c in value if isinstance(c, dict) and c.get("name")]


def cut(text: str, most: int) -> str:
    return text if len(text) <= most else text[:most - 2] + "……"


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
    """The summary shown before writing: what a clerk checks on a draft (a 方案 printed alone has no 文号, 主送,
    版记 or 署名; a cover note's 方案 is shown under its 附件 label)."""
    from .model import Document, Section

    def headings(blocks, indent: str = "") -> list[str]:
        return [indent + ("　" * (level - 1)) + numbering + block.title for level, numbering, block in blocks
                if isinstance(block, Section) and level <= 2]

    lines = ["", "——— 通知概要 ———" if notice.signature else "——— 方案概要 ———", f"标题：{notice.title}",
             f"发文字号：{notice.doc_number or '（无）'}"]
    if notice.mark is not None:  # a 方案 printed alone has no 版头
        if answers.co_issuers:
            lines.append(f"联合发文：主办机关 {answers.issuer.name}，联合发文机关 "
                         + "、".join(c.name for c in answers.co_issuers)
                         + ("；版头只用主办机关的标志" if answers.joint_mark == "主办机关" else ""))
        if answers.format != "文件" or answers.letterhead != "印制":
            mm = answers.letterhead_reserve_mm
            lines.append(f"公文格式：{answers.format}格式" + (
                "，套打" + (f"（发文机关标志上边缘距纸张上边 {mm:g} mm）" if mm is not None else "")
                if answers.letterhead == "套打" else ""))
    if notice.recipients:
        lines.append(f"主送：{notice.recipients}：")
    lines += [f"依据：《{p.title}》" + (f"（{p.doc_number}）" if p.doc_number else "") for p in answers.parents]
    lines.append(f"第{answers.n}个全国“安全生产月”，主题：{answers.theme}")
    lines += headings(notice.numbered_blocks())
    labels = notice.attachment_labels()
    for label, attached in zip(labels, notice.attachments):
        if isinstance(attached, Document):
            lines.append(f"{label}：{attached.title}")
            lines += headings(attached.numbered_blocks(), "　")
    if notice.attachments:
        lines.append("附件：" + "；".join(f"{label} {a.title}" for label, a in zip(labels, notice.attachments)))
    c, d = answers.contact, answers.deadlines
    if c:
        lines.append(f"联系人：{c.name}，电话：{c.phone}" + (f"，电子邮箱：{c.email}" if c.email else "，电子邮箱：（无）"))
    else:
        lines.append("联系人：（无）")
    if d:
        lines.append(f"报送：联络员报送 {format_date(d.liaison)}前；总结报送 {format_date(d.summary)}前；"
                     f"每周报送 {d.weekly or '（无）'}")
    else:
        lines.append("报送：（无）")
    if notice.colophon:
        lines.append(f"抄送：{'、'.join(answers.copy_to) or '（无）'}")
        lines.append(f"印发机关：{answers.printer}；印发日期：{format_date(answers.print_date)}")
    if notice.signature:
        signed = [answers.issuer.signature or answers.issuer.name, *(c.signature or c.name for c in answers.co_issuers)]
        lines.append(f"署名：{'、'.join(signed)}，{format_date(answers.date)}，{'加盖印章' if answers.sealed else '不加盖印章'}")
    return "\n".join(lines) + "\n"
