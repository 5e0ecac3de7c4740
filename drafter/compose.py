"""Answers → Notice: the one place where the notice's wording is assembled from facts and the built-in text."""

from __future__ import annotations

from .answers import Answers, data
from .model import (Colophon, FormGrid, Notice, Paragraph, PlanRow, PlanTable, Section, Signature, StatRow,
                    StatsTable, TextList)

ATTACHMENT_TITLES = {
    "slogans": "{year}年“安全生产月”宣传标语",
    "liaison": "{year}年“安全生产月”活动联络员表",
    "stats": "{year}年“安全生产月”活动进展情况统计表",
    "plan": "{year}年“安全生产月”活动计划表",
}


def _env():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


def citation(parent) -> str:
    return f"《{parent.title}》（{parent.doc_number}）"


def month_day(day) -> str:
    return f"{day.month}月{day.day}日"


def compose(answers: Answers) -> Notice:
    sample = data("sample.yaml")
    env = _env()
    labels = {kind: f"附件{i}" if len(answers.attachments) > 1 else "附件"
              for i, kind in enumerate(answers.attachments, 1)}

    reporting = [f"请于{month_day(answers.deadlines.liaison)}前报送本单位活动联络员"
                 + (f"（{labels['liaison']}）" if "liaison" in labels else "")]
    if answers.deadlines.weekly:
        reporting.append(f"活动期间{answers.deadlines.weekly}报送一周活动开展情况，重要活动随时报送")
    reporting.append(f"{month_day(answers.deadlines.summary)}前报送活动总结"
                     + (f"和活动进展情况统计表（{labels['stats']}）" if "stats" in labels else ""))
    contact = f"联系人：{answers.contact.name}，电话：{answers.contact.phone}"
    if answers.contact.email:
        contact += f"，电子邮箱：{answers.contact.email}"
    facts = {
        "year": answers.year, "n": answers.n, "theme": answers.theme, "scope": answers.scope,
        "issuer": answers.issuer.name, "units": answers.issuer.units,
        "reporting_text": "；".join(reporting) + "。" + contact + "。",
    }

    def text(template: str) -> str:
        return env.from_string(template).render(facts)

    chosen = [a for wanted in answers.activities for a in sample["activities"] if a["id"] == wanted]
    activity_sections = []
    for act in chosen:
        children = [Paragraph(text(p)) for p in act.get("paragraphs", [])]
        children += [Section(item["title"], [Paragraph(text(item["text"]))]) for item in act.get("subitems", [])]
        activity_sections.append(Section(text(act["title"]), children, id=act["id"]))

    citations = "和".join(citation(p) for p in answers.parents)
    preamble = (f"今年6月是第{answers.n}个全国“安全生产月”，主题是“{answers.theme}”，6月16日是全国“安全宣传咨询日”。"
                f"为{text(sample['purpose'])}，根据{citations}要求，结合{answers.scope}实际，"
                f"现就开展{answers.year}年“安全生产月”活动有关事项通知如下：")
    overview = sample["overview"]
    requirements = sample["requirements"]
    body = [
        Paragraph(preamble),
        Section(overview["title"], [Paragraph(text(p)) for p in overview["paragraphs"]]),
        Section("主要活动", activity_sections),
        Section(requirements["title"], [Section(s["title"], [Paragraph(text(s["text"]))])
                                        for s in requirements["sections"]]),
    ]

    attachments = []
    for kind in answers.attachments:
        title = ATTACHMENT_TITLES[kind].format(year=answers.year)
        if kind == "slogans":
            attachments.append(TextList(title, [text(s) for s in sample["slogans"]]))
        elif kind == "liaison":
            attachments.append(FormGrid(title, sample["liaison_form"]["rows"],
                                        note=f"注：请于{month_day(answers.deadlines.liaison)}前报送。"))
        elif kind == "stats":
            rows = [StatRow(text(a["title"]), [text(s) for s in a["stats"]]) for a in chosen]
            rows.append(StatRow("其他特色活动", ["活动名称（　　　　），开展（　　）场，参与（　　）人次"]))
            attachments.append(StatsTable(title, rows, note=f"注：请于{month_day(answers.deadlines.summary)}前报送。"))
        elif kind == "plan":
            rows = [PlanRow(text(a["title"]), text(a["plan"][0]), text(a["plan"][1])) for a in chosen]
            attachments.append(PlanTable(title, rows))

    issuer = answers.issuer
    title = f"{issuer.name}关于开展{answers.year}年{answers.scope}“安全生产月”活动的通知"
    return Notice(
        mark=issuer.mark or f"{issuer.name}文件",
        doc_number=answers.doc_number,
        title=title,
        recipients=answers.recipients,
        body=body,
        signature=Signature(issuer.name, answers.date, answers.sealed),
        colophon=Colophon(answers.printer, answers.print_date, answers.copy_to, answers.colophon_on_even_page),
        attachments=attachments,
        remark=answers.publicity,
        title_keep=(issuer.name, answers.scope),
    )

