"""Answers + plugins → Notice: the one place where a notice's wording is assembled.

The shared wording (drafter/data/common.yaml) and the plugins' text are Jinja templates rendered with the notice's
facts; what a user typed is inserted as is, never rendered as a template."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .answers import (
    BUILTIN_SECTIONS,
    Answers,
    DocumentAttachment,
    FileAttachment,
    FormAttachment,
    InlineSection,
    ListAttachment,
    TableAttachment,
    UseAttachment,
    UseSection,
    tier_of,
)
from .errors import RenderError
from .model import (
    Block,
    Colophon,
    Document,
    FileRef,
    FormGrid,
    Notice,
    Paragraph,
    PlanRow,
    PlanTable,
    Section,
    Signature,
    StatRow,
    StatsTable,
    Table,
    TextList,
    numbered,
)
from .plugins import PluginError, Plugins
from .shipped import data

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


@cache
def _env():
    from .sandbox import BoundedSandbox

    return BoundedSandbox(finalize=printable)


@cache
def _template(source: str):
    return _env().compiled(_FOLD.sub("", source))


def render_text(source: str, facts: dict) -> str:
    """A text template with the given facts, within drafter's limits (drafter/sandbox.py); plain text is only
    unfolded."""
    if "{" not in source:
        return _FOLD.sub("", source).strip()
    return _env().render(_template(source), facts).strip()


def quoted(title: str) -> str:
    """《标题》; a title that cites another keeps its inner marks as 〈〉: 《…印发〈…方案〉的通知》."""
    return "《" + title.replace("《", "〈").replace("》", "〉") + "》"


def citation(parent) -> str:
    """《标题》（文号）, or 《标题》 for a parent cited without its 文号."""
    return quoted(parent.title) + (f"（{parent.doc_number}）" if parent.doc_number else "")


def month_day(day) -> str:
    return f"{day.month}月{day.day}日"


class Writer:
    """Renders the text templates of one notice, naming the plugin whose text is at fault."""

    def __init__(self, facts: dict):
        self.facts = facts

    def __call__(self, source: str, plugin: str | None = None, where: str = "") -> str:
        """``source`` rendered; whatever goes wrong (a mistake, a limit, RecursionError …) stops the run, naming the
        plugin and its text (a plugin's text runs within the plugins' time limit too, see plugins.limited)."""
        from .plugins import limited
        from .sandbox import TemplateLimit

        try:
            if not plugin or "{" not in source:  # built-in text, or plain text: no plugin code runs
                return render_text(source, self.facts)
            return limited(f"插件 {plugin} 的{where}文字", plugin, lambda: render_text(source, self.facts))
        except PluginError:  # the time limit, or a template error already named
            raise
        except TemplateLimit as exc:
            if plugin:
                raise PluginError(f"{exc.limit.message(f'插件 {plugin} 的{where}文字', exc.found)}；"
                                  f"可用 --disable-plugin {plugin} 停用") from None
            raise RenderError(exc.limit.message(f"内置文字 {where}", exc.found)) from None
        except Exception as exc:  # whatever the template's code raised
            if plugin:
                raise PluginError(f"插件 {plugin} 的{where}文字有误：{_failure(exc)}；"
                                  f"可用 --disable-plugin {plugin} 停用") from None
            raise RenderError(f"内置文字 {where} 有误：{_failure(exc)}") from None

    def section(self, plugin: str, item, kind: str) -> Section:
        where = f"{kind}“{item.id}”"
        children: list[Block] = [Paragraph(self(p, plugin, where)) for p in item.paragraphs]
        children += [Section(self(i.title, plugin, where), [Paragraph(self(i.text, plugin, where))])
                     for i in item.items]
        return Section(self(item.title, plugin, where), children, id=item.id)


def _failure(exc: BaseException) -> str:
    """What went wrong in a template, in one line."""
    from jinja2 import TemplateError

    if isinstance(exc, RecursionError):
        return "递归过深（宏或循环调用自身的层数太多）"
    if isinstance(exc, MemoryError):
        return "内存不足"
    if isinstance(exc, TemplateError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _reporting(answers: Answers, labels: dict[str, str], titles: dict[str, str]) -> str:
    """The 报送 deadlines and the contact line, as one paragraph ("" when the answers give neither)."""
    d, c = answers.deadlines, answers.contact
    parts = []
    if d:
        reporting = [f"请于{month_day(d.liaison)}前报送本单位活动联络员"
                     + (f"（{labels['liaison']}）" if "liaison" in labels else "")]
        if d.weekly:
            reporting.append(f"活动期间{d.weekly}报送一周活动开展情况，重要活动随时报送")
        stats = titles.get("stats", "活动进展情况统计表")  # as the clerk retitled it
        reporting.append(f"{month_day(d.summary)}前报送活动总结"
                         + (f"和{stats}（{labels['stats']}）" if "stats" in labels else ""))
        parts.append("；".join(reporting) + "。")
    if c:
        lines = [("联系人", c.name), ("电话", c.phone), ("传真", c.fax), ("电子邮箱", c.email), *c.more.items()]
        parts.append("，".join(f"{label}：{value}" for label, value in lines if value) + "。")
    return "".join(parts)


BELOW = {"市": "各区（县）", "区": "各街道", "县": "各乡镇", "街道": "各社区", "乡": "各村", "镇": "各村（社区）"}


def _facts(answers: Answers, labels: dict[str, str]) -> dict:
    titles = {a.use: a.title for a in answers.attachments if isinstance(a, UseAttachment) and a.title}
    level = tier_of(answers.issuer.name, answers.issuer.level)
    facts = {
        "year": answers.year, "n": answers.n, "theme": answers.theme, "scope": answers.scope,
        "sector": answers.issuer.sector, "issuer": answers.issuer.name, "units": answers.issuer.units,
        "tier": level, "area": "全" + level, "below": BELOW[level],  # who acts below
        "organiser": f"{level}安委办" if level in ("市", "区", "县") else level,
        "emergency": f"{level}应急管理局" if level in ("市", "区", "县") else f"{level}应急管理办公室",
        "extra": dict(answers.extra), "labels": labels, "reporting_text": _reporting(answers, labels, titles),
    }
    # Facts the answers leave out (null) are absent: a text that needs them stops, named, instead of printing blanks.
    if answers.deadlines:
        d = answers.deadlines
        facts["deadlines"] = {"liaison": month_day(d.liaison), "summary": month_day(d.summary), "weekly": d.weekly}
    if answers.contact:
        facts["contact"] = answers.contact.model_dump()
    return facts


def plan_title(answers: Answers) -> str:
    return f"{answers.year}年{answers.scope}“安全生产月”活动方案"


def compose(answers: Answers, plugins: Plugins | None = None) -> Notice:
    from .plugins import load

    plugins = plugins or load()
    common = data("common.yaml")
    form, issuer = answers.form, answers.issuer
    plan = (answers.title if form == "方案" else None) or plan_title(answers)
    named = re.search(r"印发《(.+)》的?通知$", answers.title or "") if form == "印发方案" else None
    if named:  # the plan the clerk's title names
        plan = named.group(1).replace("〈", "《").replace("〉", "》")

    # the attachments in the order written; a cover note's 方案 comes first
    listed = ([None] if form == "印发方案" else []) + list(answers.attachments)
    several = len(listed) > 1
    labels = {e if isinstance(e, str) else e.use: (f"附件{n}" if several else "附件")
              for n, e in enumerate(listed, 1) if isinstance(e, (str, UseAttachment))}
    write = Writer(_facts(answers, labels))

    chosen = [Chosen.of(entry, plugins, write, answers) for entry in answers.activities]  # in the order written
    activities = [c.section for c in chosen]
    outline = answers.outline if answers.outline is not None else default_outline(issuer.sector, plugins)
    sections = outline_sections(outline, plugins, write, common, activities)
    reporting = write.facts["reporting_text"]
    if reporting and not any(isinstance(b, Paragraph) and reporting in b.text for _, _, b in numbered(sections)):
        sections.append(Paragraph(reporting))  # 工作要求 left out: the deadlines and contact given still print

    cited = [citation(p) for p in answers.parents]
    citations = "和".join(filter(None, ["、".join(cited[:-1]), *cited[-1:]]))  # 《A》、《B》和《C》
    basis = f"根据{citations}要求，" if citations else ""
    opening = (f"今年6月是第{answers.n}个全国“安全生产月”，主题是“{answers.theme}”，6月16日是全国“安全宣传咨询日”。"
               f"为{write(common['purpose'], where='purpose')}，{basis}结合{answers.scope}实际，")
    attachments = [attachment(e, answers, chosen, write, common, plugins, activities) for e in answers.attachments]
    if answers.opening is not None:  # the clerk's own, as typed
        body = [*(Paragraph(p) for p in answers.opening), *sections]
    elif form == "通知":
        body = [Paragraph(opening + f"现就开展{answers.year}年“安全生产月”活动有关事项通知如下："), *sections]
    else:
        body = [Paragraph(opening + "制定本方案。"), *sections]
    if form == "印发方案":
        attachments.insert(0, Document(plan, body))
        body = [Paragraph(f"现将{quoted(plan)}印发给你们，请结合实际认真贯彻落实。")]

    if form == "方案":  # the plan alone: no 版头, 主送, 署名 or 版记
        return Notice(mark=None, doc_number=None, title=plan, recipients=None, body=body, signature=None,
                      colophon=None, attachments=attachments, remark=None, title_keep=(answers.scope,))
    issuers = " ".join([issuer.name, *(c.name for c in answers.co_issuers)])  # a joint title names them all
    default_title = (f"{issuers}关于印发{quoted(plan)}的通知" if form == "印发方案" else
                     f"{issuers}关于开展{answers.year}年{answers.scope}“安全生产月”活动的通知")
    return Notice(
        mark=answers.mark(),
        doc_number=answers.doc_number,  # the host's only, when several issue jointly
        title=answers.title or default_title,
        recipients=answers.recipients,
        body=body,
        signature=Signature(issuer.signature or issuer.name, answers.date, answers.sealed,
                            [c.signature or c.name for c in answers.co_issuers]),
        colophon=Colophon(answers.printer, answers.print_date, answers.copy_to, answers.colophon_on_even_page),
        attachments=attachments,
        remark=answers.publicity,
        title_keep=(issuer.name, *(c.name for c in answers.co_issuers), answers.scope),
        format=answers.format,
        letterhead=answers.letterhead,
        letterhead_top_mm=answers.letterhead_reserve_mm,
    )


def slogans(answers: Answers) -> list[str]:
    """The clerk's own slogans, else the year's: its theme first, that year's, then those of any year."""
    if answers.slogans is not None:
        return list(answers.slogans)
    built_in = data("slogans.yaml")
    return [answers.theme, *built_in["years"].get(answers.year, []), *built_in["any_year"]]


def attachment(entry, answers: Answers, chosen: list, write: Writer, common: dict, plugins: Plugins,
               activities: list[Section]):
    """One attachment: a built-in or plugin one by id, or one written in the answers (printed as written)."""
    if isinstance(entry, ListAttachment):
        return TextList(entry.title, list(entry.items), detached=entry.detached)
    if isinstance(entry, FormAttachment):
        return FormGrid(entry.title, [list(r) for r in entry.rows], note=entry.note, detached=entry.detached)
    if isinstance(entry, TableAttachment):
        return Table(entry.title, list(entry.columns), [list(r) for r in entry.rows],
                     [(g.title, [list(r) for r in g.rows]) for g in entry.groups], entry.blank_rows,
                     entry.numbered, entry.reporter, entry.note, entry.landscape, entry.detached)
    if isinstance(entry, DocumentAttachment):
        return Document(entry.title, [*(Paragraph(p) for p in entry.paragraphs),
                                      *outline_sections(entry.outline, plugins, write, common, activities)],
                        detached=entry.detached)
    if isinstance(entry, FileAttachment):
        return FileRef(entry.title)
    if isinstance(entry, UseAttachment):
        made = attachment(entry.use, answers, chosen, write, common, plugins, activities)
        made.title = entry.title or made.title
        made.detached = entry.detached
        return made
    if entry in CORE_TITLES:
        return _core_attachment(entry, answers, chosen)
    owned = plugins.attachments[entry]
    a, where = owned.item, f"附件“{entry}”"
    title = write(a.title, owned.plugin, where)
    if a.kind == "list":
        return TextList(title, [write(e, owned.plugin, where) for e in a.entries])
    return FormGrid(title, [list(r) for r in a.rows], note=write(a.note, owned.plugin, where) if a.note else None)


def _core_attachment(kind: str, answers: Answers, chosen: list):
    title = CORE_TITLES[kind].format(year=answers.year)
    d = answers.deadlines
    if kind == "slogans":
        return TextList(title, slogans(answers))
    if kind == "liaison":
        return FormGrid(title, data("common.yaml")["liaison_form"]["rows"],
                        note=f"注：请于{month_day(d.liaison)}前报送。" if d else None)
    if kind == "stats":
        return StatsTable(title, [*(c.stat for c in chosen), OTHER_ACTIVITIES],
                          note=f"注：请于{month_day(d.summary)}前报送。" if d else None)
    return PlanTable(title, [c.plan for c in chosen])


@dataclass
class Chosen:
    """One activity of the notice, from the catalogue or written inline: its section, 统计表 row and 计划表 row."""

    section: Section
    stat: StatRow
    plan: PlanRow

    @classmethod
    def of(cls, entry, plugins: Plugins, write: Writer, answers: Answers) -> Chosen:
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


def outline_sections(outline: list, plugins: Plugins, write: Writer, common: dict,
                     activities: list[Section]) -> list[Block]:
    """The top-level blocks of a body, in the order of its outline."""
    out: list[Block] = []
    for entry in outline:
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
        if use.paragraphs is not None or use.items is not None or use.sections is not None:
            text = typed(use.paragraphs or [], use.items or []) + [b for s in use.sections or [] for b in inline(s)]
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
    for s in wording.get("sections", []):
        text = write(s["text"], where=key)
        if text:  # e.g. 按时报送材料 when the answers give neither deadlines nor a contact
            children.append(Section(s["title"], [Paragraph(text)]))
    return Section(wording["title"], children, id=key)
