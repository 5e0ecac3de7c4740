"""What the page and the HTTP API do with answers, through the same pipeline as `drafter new`: resolve (defaults,
validators, plugins) → compose → the plugins' checks → render. Nothing here knows about HTTP.

The page holds the answers as the answers file would (JSON instead of YAML: dates as "2025-05-28"); every change is
sent back here, validated by the one Answers model, and the problems come back keyed by the answer they concern."""

from __future__ import annotations

import copy
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..answers import (
    BUILTIN_SECTIONS,
    CORE_ATTACHMENTS,
    DEFAULT_SECTOR,
    PLAN_OUTLINE,
    YES,
    Answers,
    Layers,
    dump,
    filled,
    merge,
    resolve,
)
from ..errors import AnswersError, DrafterError
from ..validation import LABELS
from ..yamlio import load_text, part

# One notice at a time: plugin code is run for one request after another (a clerk's own server).
pipeline = threading.Lock()


class Busy(DrafterError):
    """The server is still drafting for an earlier request: plugin code blocked past its time limit."""


@contextmanager
def held() -> Iterator[None]:
    """The drafting lock, waited for as long as plugin code may run (its limit and grace): a plugin blocked in a call
    that no limit interrupts (a network read) would otherwise hold every later request forever."""
    from ..plugins import GRACE_SECONDS, time_limit

    seconds = time_limit().value + GRACE_SECONDS
    if not pipeline.acquire(timeout=seconds):
        raise Busy(f"drafter 仍在处理之前的请求：插件代码超过时限（{seconds} 秒）仍未结束。请稍后再试；"
                   "若一直如此，请重新启动 drafter serve，并检查最近安装的插件（drafter plugins）")
    try:
        yield
    finally:
        pipeline.release()

_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:（.*）)?|第(\d+)项")


def key_of(problem: str) -> str:
    """The answer a problem line names, as a dotted key: “issuer（发文机关） → name（名称）：…” → issuer.name,
    “activities（活动） → 第2项 → title（标题）：…” → activities.1.title; "" when it names none."""
    head = problem.split("：", 1)[0]
    parts = []
    for step in head.split(" → "):
        m = _STEP.fullmatch(step.strip())
        if not m:
            break
        parts.append(m.group(1) or str(int(m.group(2)) - 1))
    return ".".join(parts)


def problems_of(exc: DrafterError) -> list[dict]:
    """An error as the page shows it: one entry per problem line, with the key it concerns."""
    lines = getattr(exc, "problems", None) or [exc.page or str(exc)]
    return [{"key": key_of(line), "message": line} for line in lines]


def parse_answers(body: bytes, content_type: str) -> dict:
    """Answers sent as JSON or YAML (as the answers file is written); the YAML read as `drafter new` reads it."""
    kind = content_type.split(";")[0].strip().lower()
    if kind not in ANSWER_TYPES:  # a form a foreign page could post without asking first (no CORS preflight)
        raise AnswersError(f"答案应以 JSON（Content-Type: application/json）或 YAML（application/yaml）发送，"
                           f"而不是“{kind or '未注明'}”")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AnswersError("答案应为 UTF-8 编码的 JSON 或 YAML") from None
    if kind == "application/json":
        try:
            raw = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise AnswersError(f"答案不是有效的 JSON：{str(exc)[:200]}") from None
    else:
        raw = load_text(text, "答案")
    if isinstance(raw, dict) and isinstance(raw.get("answers"), dict) and len(raw) == 1:
        raw = raw["answers"]  # {"answers": {...}} as well as the answers themselves
    if not isinstance(raw, dict):
        raise AnswersError("答案应为“键: 值”形式（JSON 对象或 YAML 映射），如 {\"year\": 2025}")
    return raw


ANSWER_TYPES = ("application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")


def plain(answers: Answers) -> dict:
    """The answers as the answers file holds them, JSON-ready."""
    from ..yamlio import safe_load

    return jsonable(safe_load(dump(answers), "答案"))


def jsonable(raw: dict) -> dict:
    """Answers as the page holds them: dates as ISO text."""
    return json.loads(json.dumps(raw, default=str, ensure_ascii=False))


def given(raw: dict, plugins) -> dict:
    """What the page sent, as an answers file would say it: an outline that is the sector's default is left out (it
    follows the sector), as the questionnaire leaves it out. An office not named is asked for: unlike `drafter new
    --defaults`, the page and the API never fill in the sector's fictional example office."""
    raw = dict(raw)
    if raw.get("printer") in (None, ""):  # 空着: the issuer's name and 办公室, as the page says beside it
        raw.pop("printer", None)
    if isinstance(raw.get("issuer"), dict) and "name" not in raw["issuer"]:
        raw["issuer"] = {**raw["issuer"], "name": ""}  # asked for: the sector's example office is never printed here
    elif "issuer" not in raw:
        raw["issuer"] = {"name": ""}
    if raw.get("outline") is not None and raw.get("form", "通知") == "通知":
        from ..compose import default_outline

        sector = part(raw, "issuer", dict).get("sector")
        if raw["outline"] == default_outline(str(sector or DEFAULT_SECTOR), plugins):
            del raw["outline"]
    return raw


@dataclass
class Drafted:
    answers: Answers
    notice: Any
    warnings: list[str] = field(default_factory=list)


def draft(raw: dict, plugins, source: str = "答案", reg=None) -> Drafted:
    """Resolve, compose and check, as `drafter new --answers` does (against the registry ``reg``, when given); a
    plugin's error stops it (AnswersError)."""
    from ..compose import compose
    from ..new import findings

    with held():
        answers = resolve(given(raw, plugins), None, source, plugins)
        notice = compose(answers, plugins)
        errors, warnings = findings(plugins, notice, answers, reg)
    if errors:
        raise wrong_notice(errors)
    return Drafted(answers, notice, [*examples_left(answers, plugins), *warnings])


def examples_left(answers: Answers, plugins) -> list[str]:
    """The fictional example office's facts still in the answers (the page starts from them when no profile is
    kept): said, so that they are not printed by mistake."""
    out = []
    for owned in plugins.sectors.values():
        sample = owned.item.example
        name = (sample.get("issuer") or {}).get("name")
        if name and answers.issuer.name == name:
            out.append(f"issuer（发文机关）：“{name}”是{owned.item.name}行业的示例机关（虚构），请改为本机关的名称、代字和红头")
        contact = sample.get("contact") or {}
        if answers.contact and contact.get("phone") and answers.contact.phone == str(contact["phone"]):
            out.append(f"contact（联系人）：电话“{answers.contact.phone}”是示例，请改为本机关的联系人和电话")
    return out


def wrong_notice(errors: list[str]) -> AnswersError:
    err = AnswersError("通知未通过检查：\n  " + "\n  ".join(errors))
    err.problems = errors
    return err


def docx_of(drafted: Drafted) -> bytes:
    from ..render import render

    with held():
        return render(drafted.notice)


def pdf_of(docx: bytes) -> bytes:
    """The PDF through LibreOffice (ConversionError says why not: not installed, timed out …)."""
    from ..new import pdf_of as convert

    return convert(docx, "通知")  # LibreOffice runs with a profile folder of its own: drafting goes on meanwhile


def start(plugins, registry, sector: str | None = None, parents: list[str] | None = None,
          base: dict | None = None, year: int | None = None, profile: dict | None = None) -> dict:
    """The answers the page starts from: ``base`` (answers loaded, or the page's own) carried to ``year`` or to the
    year of the first parent picked, as `drafter new --from` does; else the office's profile and the sector's
    defaults. ``parents`` are 文号 picked from the registry ([] for none)."""
    from ..nextyear import carry_over

    pinned: dict = {}
    if sector:
        pinned["issuer"] = {"sector": sector}
    cited = None
    if parents is not None:
        notices = [registry.find(p).notice for p in parents]
        cited = [n.cited() for n in notices]
        if notices and year is None:
            year = notices[0].year
            pinned["theme"] = notices[0].theme
    # the page's answers (or those loaded) given, else the office's profile suggested; pinned: what was picked
    layers = Layers(given=copy.deepcopy(base) if base is not None else {},
                    suggested=dict(profile or {}) if base is None else {}, pinned=pinned)
    if base is not None and year is not None and base.get("year") != year:
        layers.given, layers.suggested = carry_over(layers.given, registry, year)
    elif base is None and year is not None:
        layers.given["year"] = year
    raw = layers.written()
    own: dict[str, list] = {}
    if sector and isinstance(raw.get("issuer"), dict) and raw["issuer"].get("sector") != sector:
        raw, own = another_sector(raw, plugins)
    if not part(raw, "issuer", dict).get("name"):  # no office yet: typed (unnamed)
        raw["issuer"] = {**part(raw, "issuer", dict), "name": "", "code": ""}
    raw = merge(raw, layers.pinned)
    if cited is not None:
        raw["parents"] = cited
    with held():
        try:
            out = plain(resolve(raw, None, "答案", plugins))
        except AnswersError:  # e.g. last year's answers, whose 文号 number must be typed anew: shown with problems
            out = jsonable(filled(raw, None, "答案", plugins, strict=False))
    if isinstance(out.get("issuer"), dict) and out["issuer"].get("name") == "":
        out = unnamed(out)
    for key, usual in (("form", "通知"), ("format", "文件")):  # the page shows what the answers file leaves out
        out.setdefault(key, usual)
    if out.get("outline") is None:
        from ..compose import default_outline

        sector = out["issuer"].get("sector") if isinstance(out.get("issuer"), dict) else DEFAULT_SECTOR
        out["outline"] = default_outline(str(sector), plugins)  # as compose takes it, whatever the form
    for key, entries in own.items():  # the clerk's own sections, activities and tables, where they stood
        listed = out[key] = list(out.get(key) or [])
        for at, entry in entries:
            listed.insert(min(at, len(listed)), entry)
    return out


def unnamed(answers: dict) -> dict:
    """Answers without an office: its name, code, red head, contact, printer and 文号 number are left to be typed
    (the page shows the sector's example office as hints only), never printed from the fictional example."""
    out = {k: v for k, v in answers.items() if k not in ("contact", "printer", "number")}
    out["issuer"] = {k: v for k, v in answers["issuer"].items() if k not in ("name", "code", "mark", "signature")}
    return out


KEPT = ("year", "theme", "parents", "form", "format", "number", "title", "opening", "slogans", "date", "print_date",
        "deadlines", "sealed", "publicity", "colophon_on_even_page")  # what a change of sector leaves as it was
OFFICE = ("co_issuers", "joint_mark", "letterhead", "letterhead_reserve_mm", "contact", "printer")


def another_sector(raw: dict, plugins) -> tuple[dict, dict[str, list]]:
    """The answers when the issuer's sector is changed: what the sector decides (activities, outline, attachments,
    主送, 抄送, scope, the units' name) is the new sector's again; the office the clerk typed stays, while the old
    sector's example office goes with its sector. What the clerk wrote in the outline, activities and attachments
    (entries of their own, not a catalogue's) is returned apart, each with its place, to be put back among the new
    sector's."""
    kept = {k: v for k, v in raw.items() if k in KEPT}
    try:
        example = dict(plugins.sector(str(raw["issuer"].get("sector"))).example)
    except DrafterError:
        example = {}
    issuer, sample = raw["issuer"], example.get("issuer") or {}
    if issuer.get("name") and issuer.get("name") != sample.get("name"):  # the example's mark or code does not stay
        kept["issuer"] = {k: v for k, v in issuer.items() if k not in ("sector", "units") and v != sample.get(k)}
        kept.update({k: raw[k] for k in OFFICE if k in raw and raw[k] != example.get(k)})
    own = {key: [(at, e) for at, e in enumerate(raw[key]) if isinstance(e, dict) and "use" not in e]
           for key in ("outline", "activities", "attachments") if isinstance(raw.get(key), list)}
    return kept, {key: entries for key, entries in own.items() if entries}


def catalogue(plugins, raw: dict, registry=None) -> dict:
    """What the page offers to pick, each with its text as this notice would print it: the sectors, the
    activities (every sector's, the issuer's own first), the sections and the attachments."""
    from ..compose import CORE_TITLES, Writer, default_outline
    from ..questionnaire import SHAPES

    answers, sample_office = previewed(raw, plugins)
    write = Writer(facts_of(answers, plugins)) if answers else None
    year: int = answers.year if answers else raw["year"] if isinstance(raw.get("year"), int) else 0
    sector = str(answers.issuer.sector if answers else part(raw, "issuer", dict).get("sector") or DEFAULT_SECTOR)

    def text(source: str) -> str:
        if write is None:
            return source
        try:
            return write(source)
        except Exception:
            return source

    names = {o.plugin: o.item.name for o in plugins.sectors.values()}
    try:
        sample = dict(plugins.sector(str(sector or DEFAULT_SECTOR)).example)
    except DrafterError:
        sample = {}
    hints = {f"issuer.{k}": v for k, v in (sample.get("issuer") or {}).items() if isinstance(v, str)}
    hints.update({f"contact.{k}": str(v) for k, v in (sample.get("contact") or {}).items() if v is not None})
    hints.update({k: str(sample[k]) for k in ("printer", "number") if sample.get(k) is not None})
    activities = []
    for i, owned in plugins.activities.items():
        a = owned.item
        activities.append({
            "id": i, "title": text(a.title), "sector": names.get(owned.plugin, owned.plugin),
            "own": owned.serves(str(sector)),
            "text": [text(p) for p in a.paragraphs] + [f"{k}.{text(it.title)}。{text(it.text)}"
                                                       for k, it in enumerate(a.items, 1)]})
    activities.sort(key=lambda a: not a["own"])
    sections = [{"id": i, "title": t, "sector": ""} for i, t in BUILTIN_SECTIONS.items()]
    sections += [{"id": i, "title": text(s.item.title), "sector": names.get(s.plugin, s.plugin)}
                 for i, s in plugins.sections.items() if s.serves(str(sector))]
    attachments = [{"id": i, "title": CORE_TITLES[i].format(year=year)} for i in CORE_ATTACHMENTS]
    attachments += [{"id": i, "title": text(a.item.title), "sector": names.get(a.plugin, a.plugin)}
                    for i, a in plugins.attachments.items()]
    return {"sectors": [{"name": s.item.name, "description": s.item.description} for s in plugins.sectors.values()],
            "activities": activities, "sections": sections, "attachments": attachments,
            "shapes": {"通知": "通知", **SHAPES},
            "outlines": {"通知": default_outline(str(sector or DEFAULT_SECTOR), plugins), "方案": PLAN_OUTLINE},
            "headings": headings(registry, raw.get("parents")),
            "hints": {k: f"如：{v}（示例）" for k, v in hints.items()},
            "labels": LABELS, "yes": list(YES),
            "preview": ("活动的文字按示例机关预览（本页的答案还不完整），生成时按本页的答案写" if sample_office else "")}


def facts_of(answers: Answers, plugins) -> dict:
    """The facts the catalogue's texts are written with: this notice's, and for an activity not chosen (whose plugin
    questions are not asked yet) each question's default, else its prompt in 【】 as a blank to be answered."""
    from ..compose import _facts

    facts = _facts(answers, {})
    for qid, owned in plugins.questions.items():
        q = owned.item
        facts["extra"].setdefault(qid, q.default if q.default not in (None, "") else f"【{q.prompt.rstrip('：:？?')}】")
    return facts


def previewed(raw: dict, plugins) -> tuple[Answers | None, bool]:
    """The answers the catalogue's texts are written for: the page's own; while they have a problem (no office typed
    yet, a date half typed), the page's with the answers at fault left to the sector's defaults and example office
    (said so on the page: ``True``); failing those too (answers carried to a year drafter has no data of), the
    sector's defaults of the latest year; None only when the sector itself cannot be drafted for."""
    try:
        with held():
            return resolve(given(raw, plugins), None, "答案", plugins), False
    except AnswersError as exc:
        faulty = {key_of(line).split(".")[0] for line in exc.problems or [str(exc)]}
    except DrafterError:
        faulty = set(raw)
    issuer = part(raw, "issuer", dict)
    rest = {k: v for k, v in raw.items() if k not in faulty and k != "issuer"}
    if "issuer" not in faulty and issuer.get("name"):
        rest["issuer"] = issuer
    elif issuer.get("sector"):
        rest["issuer"] = {"sector": issuer["sector"]}
    sector = {"issuer": {"sector": issuer["sector"]}} if issuer.get("sector") else {}
    year = raw.get("year") if isinstance(raw.get("year"), int) and not isinstance(raw.get("year"), bool) else None
    this_year = {**sector, "year": year, "parents": part(raw, "parents", list),  # a year drafter has no data of:
                 "theme": raw.get("theme") if isinstance(raw.get("theme"), str) else "【主题】"}  # the theme a blank
    for fallback in (rest, this_year if year else sector, sector):
        try:
            with held():
                return resolve(fallback, None, "答案", plugins), True
        except DrafterError:
            continue
    return None, False


def headings(registry, cited) -> dict[str, list[str]]:
    """The top-level headings the registry keeps of the parents cited (to follow their outline), by 文号."""
    out: dict[str, list[str]] = {}
    for p in cited if registry is not None and isinstance(cited, list) else []:
        number = p.get("doc_number") if isinstance(p, dict) else None
        try:
            found = registry.find(str(number)).notice.headings if number else []
        except DrafterError:
            continue
        if found:
            out[str(number)] = list(found)
    return out


def questions(raw: dict, plugins) -> list[dict]:
    """The sector plugins' questions these answers must answer (answers.questions_for), with the answer given so far
    (else the question's default), for the page to ask."""
    from ..answers import questions_for

    issuer = part(raw, "issuer", dict)
    listed = [str(e) if isinstance(e, str) else str(e["use"]) for e in part(raw, "attachments", list)
              if isinstance(e, str) or isinstance(e, dict) and e.get("use")]
    activities = part(raw, "activities", list)
    given = part(raw, "extra", dict)
    out = []
    for qid, owned in questions_for(plugins, str(issuer.get("sector") or DEFAULT_SECTOR), activities,
                                    listed).items():
        q = owned.item
        value = given.get(qid, q.default)
        out.append({"id": qid, "prompt": q.prompt, "help": q.help, "kind": q.kind, "choices": list(q.choices),
                    "value": value if isinstance(value, (str, int, float, bool)) or value is None else str(value)})
    return out


def following(registry, doc_number: str) -> dict:
    """The outline of a parent's top-level headings (as the questionnaire's 照上级来文): a heading naming a built-in
    section takes it; every other one is a section of the clerk's, whose text is still to be typed."""
    from ..questionnaire import Questionnaire

    parent = registry.find(doc_number).notice
    if not parent.headings:
        raise DrafterError(f"上级来文 {parent.doc_number} 没有记录一级标题（上传来文读入的才有），无从照其结构")
    entries: list = []
    for title in parent.headings:
        key = Questionnaire.builtin_named(title, [i for i in map(Questionnaire.section_id, entries) if i])
        entries.append({"title": title, "paragraphs": []} if key is None else
                       key if BUILTIN_SECTIONS[key] == title else {"use": key, "title": title})
    own = [e["title"] for e in entries if isinstance(e, dict) and "use" not in e]
    note = f"照 {parent.doc_number} 的一级标题排列。" + (f"请为{'、'.join(own)}写上文字。" if own else "")
    if "activities" not in [Questionnaire.section_id(e) for e in entries]:
        note += "没有“主要活动”一节：所选的活动不写入正文，仍列入统计表和计划表。"
    return {"outline": entries, "note": note}


def search(registry, query: str) -> list[dict]:
    """The registry's notices whose 文号, title, issuers or theme hold ``query`` (brackets and spaces ignored:
    安委办[2025]1号 finds 安委办〔2025〕1号), newest first."""
    def bare(text: str) -> str:
        return re.sub(r"[\s〔〕\[\]［］【】()（）“”\"]", "", text).casefold()

    q = bare(query)
    out = []
    for e in registry.entries():
        n = e.notice
        if q and q not in bare(" ".join([n.doc_number, n.title, *n.issuers, n.theme])):
            continue
        out.append({"doc_number": n.doc_number, "title": n.title, "year": n.year, "theme": n.theme,
                    "issuer": "、".join(n.issuers), "builtin": e.path is None})
    out.sort(key=lambda r: -r["year"])
    return out
