"""Answers + plugins → Notice: the one place where a notice's wording is assembled.

The shared wording (drafter/data/common.yaml) and the plugins' text are Jinja templates rendered with the notice's
facts; what a user typed is inserted as is, never rendered as a template."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .answers import BUILTIN_SECTIONS, CORE_ATTACHMENTS, Answers, InlineSection, UseSection, data
from .errors import RenderError
from .model import (Block, Colophon, FormGrid, Notice, Paragraph, PlanRow, PlanTable, Section, Signature, StatRow,
                    StatsTable, TextList)
from .plugins import PluginError, Plugins

CORE_TITLES = {
    "slogans": "{year}年“安全生产月”宣传标语",
    "liaison": "{year}年“安全生产月”活动联络员表",
    "stats": "{year}年“安全生产月”活动进展情况统计表",
    "plan": "{year}年“安全生产月”活动计划表",
}
CORE_SECTIONS = {"overview": 10, "activities": 20, "requirements": 30}  # id → order among plugins' sections
DEFAULT_REQUIREMENT = "按通知要求组织开展"  # an activity's 计划表 line when it gives none
OTHER_ACTIVITIES = StatRow("其他特色活动", ["活动名称（　　　　），开展（　　）场，参与（　　）人次"])
# A line break inside a YAML paragraph folds into a space; between Chinese characters (or a Jinja tag next to
# them) it is not wanted. Full-width spaces are text, not folding.
_FOLD = re.compile(r"(?:(?<=[^\x00-\x7f])|(?<=\}))[ \t\r\n]+(?=[^\x00-\x7f]|\{)")


def printable(value):
    """Jinja's ``finalize`` for every template drafter fills: a value that is None would print "None" into a notice
    that goes out under a seal, so it stops the run instead (answers are validated to be given, so this is a bug
    in a template or a plugin, reported by whoever renders it)."""
    if value is None:
        from jinja2 import TemplateRuntimeError

        raise TemplateRuntimeError("模板中的某个值为空（None），不能写入公文")
    return value


@lru_cache(maxsize=None)
def _env():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, finalize=printable)


@lru_cache(maxsize=None)
def _template(source: str):
    return _env().from_string(_FOLD.sub("", source))


def render_text(source: str, facts: dict) -> str:
    """A text template with the given facts; plain text is only unfolded."""
    if "{" not in source:
        return _FOLD.sub("", source).strip()
    return _template(source).render(facts).strip()


def citation(parent) -> str:
    """《标题》（文号）, or 《标题》 for a parent cited without its 文号."""
    return f"《{parent.title}》" + (f"（{parent.doc_number}）" if parent.doc_number else "")


def month_day(day) -> str:
    return f"{day.month}月{day.day}日"


class Writer:
    """Renders the text templates of one notice, naming the plugin whose text is at fault."""

    def __init__(self, facts: dict):
        self.facts = facts

    def __call__(self, source: str, plugin: str | None = None, where: str = "") -> str:
        from jinja2 import TemplateError

        try:
            return render_text(source, self.facts)
        except TemplateError as exc:
            if plugin:
                raise PluginError(f"插件 {plugin} 的{where}文字有误：{exc}；可用 --disable-plugin {plugin} 停用") from None
            raise RenderError(f"内置文字 {where} 有误：{exc}") from None

    def section(self, plugin: str, item, kind: str) -> Section:
        where = f"{kind}“{item.id}”"
        children = [Paragraph(self(p, plugin, where)) for p in item.paragraphs]
        children += [Section(self(i.title, plugin, where), [Paragraph(self(i.text, plugin, where))])
                     for i in item.items]
        return Section(self(item.title, plugin, where), children, id=item.id)


def _facts(answers: Answers, labels: dict[str, str]) -> dict:
    d = answers.deadlines
    reporting = [f"请于{month_day(d.liaison)}前报送本单位活动联络员"
                 + (f"（{labels['liaison']}）" if "liaison" in labels else "")]
    if d.weekly:
        reporting.append(f"活动期间{d.weekly}报送一周活动开展情况，重要活动随时报送")
    reporting.append(f"{month_day(d.summary)}前报送活动总结"
                     + (f"和活动进展情况统计表（{labels['stats']}）" if "stats" in labels else ""))
    contact = f"联系人：{answers.contact.name}，电话：{answers.contact.phone}"
    if answers.contact.email:
        contact += f"，电子邮箱：{answers.contact.email}"
    return {
        "year": answers.year, "n": answers.n, "theme": answers.theme, "scope": answers.scope,
        "sector": answers.issuer.sector, "issuer": answers.issuer.name, "units": answers.issuer.units,
        "deadlines": {"liaison": month_day(d.liaison), "summary": month_day(d.summary), "weekly": d.weekly},
        "contact": answers.contact.model_dump(), "extra": dict(answers.extra), "labels": labels,
        "reporting_text": "；".join(reporting) + "。" + contact + "。",
    }


def compose(answers: Answers, plugins: Plugins | None = None) -> Notice:
    from .plugins import load

    plugins = plugins or load()
    common = data("common.yaml")

    wanted = set(answers.attachments)
    order = {**CORE_ATTACHMENTS, **{i: a.item.order for i, a in plugins.attachments.items()}}
    chosen_attachments = sorted((i for i in order if i in wanted), key=lambda i: order[i])
    labels = {i: (f"附件{n}" if len(chosen_attachments) > 1 else "附件") for n, i in enumerate(chosen_attachments, 1)}
    write = Writer(_facts(answers, labels))

    chosen = [Chosen.of(entry, plugins, write, answers) for entry in answers.activities]  # in the order written
    sections = outline_sections(answers, plugins, write, common, [c.section for c in chosen])

    citations = "和".join(citation(p) for p in answers.parents)
    basis = f"根据{citations}要求，" if citations else ""
    preamble = (f"今年6月是第{answers.n}个全国“安全生产月”，主题是“{answers.theme}”，6月16日是全国“安全宣传咨询日”。"
                f"为{write(common['purpose'], where='purpose')}，{basis}结合{answers.scope}实际，"
                f"现就开展{answers.year}年“安全生产月”活动有关事项通知如下：")

    attachments = []
    for kind in chosen_attachments:
        if kind in CORE_TITLES:
            attachments.append(_core_attachment(kind, answers, chosen, write, common))
        else:
            owned = plugins.attachments[kind]
            a, where = owned.item, f"附件“{kind}”"
            title = write(a.title, owned.plugin, where)
            note = write(a.note, owned.plugin, where) if a.note else None
            if a.kind == "list":
                attachments.append(TextList(title, [write(e, owned.plugin, where) for e in a.entries]))
            else:
                attachments.append(FormGrid(title, [list(r) for r in a.rows], note=note))

    issuer = answers.issuer
    return Notice(
        mark=issuer.mark or f"{issuer.name}文件",
        doc_number=answers.doc_number,
        title=answers.title or f"{issuer.name}关于开展{answers.year}年{answers.scope}“安全生产月”活动的通知",
        recipients=answers.recipients,
        body=[Paragraph(preamble), *sections],
        signature=Signature(issuer.signature or issuer.name, answers.date, answers.sealed),
        colophon=Colophon(answers.printer, answers.print_date, answers.copy_to, answers.colophon_on_even_page),
        attachments=attachments,
        remark=answers.publicity,
        title_keep=(issuer.name, answers.scope),
    )


def _core_attachment(kind: str, answers: Answers, chosen: list, write: Writer, common: dict):
    title = CORE_TITLES[kind].format(year=answers.year)
    if kind == "slogans":
        return TextList(title, [write(s, where="slogans") for s in common["slogans"]])
    if kind == "liaison":
        return FormGrid(title, common["liaison_form"]["rows"],
                        note=f"注：请于{month_day(answers.deadlines.liaison)}前报送。")
    if kind == "stats":
        return StatsTable(title, [*(c.stat for c in chosen), OTHER_ACTIVITIES],
                          note=f"注：请于{month_day(answers.deadlines.summary)}前报送。")
    return PlanTable(title, [c.plan for c in chosen])


@dataclass
class Chosen:
    """One activity of the notice, from the catalogue or written inline: its section, 统计表 row and 计划表 row."""

    section: Section
    stat: StatRow
    plan: PlanRow

    @classmethod
    def of(cls, entry, plugins: Plugins, write: Writer, answers: Answers) -> "Chosen":
        if isinstance(entry, str):  # the catalogue's: its text is a template
            owned = plugins.activities[entry]
            a, where = owned.item, f"活动“{entry}”"
            title = write(a.title, owned.plugin, where)
            plan = a.plan
            return cls(write.section(owned.plugin, a, "活动"),
                       StatRow(title, [write(s, owned.plugin, where) for s in a.stats]),
                       PlanRow(title, write(plan.requirement, owned.plugin, where) if plan else DEFAULT_REQUIREMENT,
                               write(plan.owner, owned.plugin, where) if plan else answers.issuer.units))
        return cls(Section(entry.title, typed(entry.paragraphs, entry.items)), StatRow(entry.title, list(entry.stats)),
                   PlanRow(entry.title, entry.plan.requirement if entry.plan else DEFAULT_REQUIREMENT,
                           entry.plan.owner if entry.plan else answers.issuer.units))


def typed(paragraphs: list[str], items: list) -> list:
    """What a clerk wrote: paragraphs as typed, then run-in numbered items (“1.标题。正文”)."""
    return [*(Paragraph(p) for p in paragraphs),
            *(Section(i.title, [Paragraph(i.text)] if i.text else [], item=True) for i in items)]


def default_outline(sector: str, plugins: Plugins) -> list[str]:
    """The outline of a notice whose answers give none: 总体要求, 主要活动, 工作要求 and the sections the sector's
    plugins offer it, by their order."""
    entries = [*CORE_SECTIONS.items(), *((i, s.item.order) for i, s in plugins.sections.items() if s.serves(sector))]
    return [i for i, _ in sorted(entries, key=lambda pair: pair[1])]  # stable: built-ins first at an equal order


def outline_sections(answers: Answers, plugins: Plugins, write: Writer, common: dict,
                     activities: list[Section]) -> list[Block]:
    """The top-level blocks of the body, in the order of the outline (answers.outline, else the default)."""
    out: list[Block] = []
    for entry in answers.outline if answers.outline is not None else default_outline(answers.issuer.sector, plugins):
        if isinstance(entry, InlineSection):
            out.extend(inline(entry))
            continue
        use = UseSection(use=entry) if isinstance(entry, str) else entry
        section = builtin(use.use, write, common, activities) if use.use in BUILTIN_SECTIONS else \
            write.section(plugins.sections[use.use].plugin, plugins.sections[use.use].item, "章节")
        if section is None:  # 主要活动 without activities: no empty heading
            continue
        if use.title:
            section.title = use.title
        if use.paragraphs is not None or use.items is not None:
            text = typed(use.paragraphs or [], use.items or [])
            section.children = text + (activities if use.use == "activities" else [])
        out.append(section)
    return out


def inline(entry: InlineSection) -> list[Block]:
    """A section written in the answers; one without a title is its content alone."""
    children = typed(entry.paragraphs, entry.items) + [b for s in entry.sections for b in inline(s)]
    return [Section(entry.title, children)] if entry.title else children


def builtin(key: str, write: Writer, common: dict, activities: list[Section]) -> Section | None:
    """A built-in section with its wording from common.yaml (Jinja, with the notice's facts)."""
    if key == "activities":
        return Section(BUILTIN_SECTIONS[key], list(activities), id=key) if activities else None
    wording = common[key]
    children: list[Block] = [Paragraph(write(p, where=key)) for p in wording.get("paragraphs", [])]
    children += [Section(s["title"], [Paragraph(write(s["text"], where=key))]) for s in wording.get("sections", [])]
    return Section(wording["title"], children, id=key)
