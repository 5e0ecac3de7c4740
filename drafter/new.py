"""`drafter new`: gather the answers (file, last year's, --set, the questionnaire), compose, check, write.

Precedence, as in copier: --set > what is answered on the terminal > the answers file > suggestions > defaults (the
layers: answers.Layers)."""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from .answers import Answers, Layers, default_date, dump, left_out, load_yaml, merge, whole_number
from .conventions import HALF_PUNCT, LEFTOVER
from .dates import date_or_none
from .errors import AnswersError, DrafterError
from .shipped import latest_year
from .yamlio import blank_keys, load_text, part, read_text

CHOICES = {"write": "生成文件", "edit": "逐项修改", "quit": "放弃"}


class Cancelled(DrafterError):
    """The user stopped (Ctrl-C, or 放弃 at the confirmation)."""

    exit_code = 130
    label = ""


@dataclass(frozen=True)
class Request:
    """What `drafter new` is asked to draft: the command line's options, as values (cli.py reads them)."""

    output: Path = Path("通知.docx")
    answers: Path | None = None  # --answers FILE.yaml
    last_year: Path | None = None  # --from LAST_YEAR.yaml
    defaults: bool = False  # --defaults: never ask
    overrides: dict = field(default_factory=dict)  # --set key=value, read
    sector: str | None = None  # --sector
    parents: tuple[str, ...] = ()  # --parent: 文号 in the registry, or files as they arrived
    pdf: bool = False
    force: bool = False
    register: bool = False
    parents_dir: Path | None = None


def interactive(args: Request, prompter) -> bool:
    """--defaults never asks; otherwise a terminal (or a test's prompter) is asked what the answers lack."""
    return not args.defaults and (prompter is not None or (sys.stdin.isatty() and sys.stdout.isatty()))


def draft(args: Request, plugins, prompter=None) -> int:
    from .compose import compose
    from .output import WriteFailed, check_writable, write_files
    from .parents import registry
    from .render import render

    out: Path = args.output
    if out.suffix.lower() != ".docx":
        raise DrafterError(f"输出文件应以 .docx 结尾：{out}")
    asking = interactive(args, prompter)
    if not asking and not (args.answers or args.defaults or args.last_year):
        raise DrafterError("没有可以提问的终端。请用 --answers FILE.yaml 给出答案，或用 --from 去年的答案.yaml"
                           " 沿用去年的答案，或用 --defaults 以内置示例起草。")
    answers_out = out.with_suffix(".yaml")
    if args.answers and args.answers.resolve() == answers_out.resolve():
        answers_out = out.with_name(out.stem + ".answers.yaml")
    pdf_out = out.with_suffix(".pdf") if args.pdf else None
    for path in (out, answers_out, pdf_out):
        if path:
            check_writable(path, args.force)

    reg = registry(args.parents_dir)
    for warning in reg.warnings():
        print(f"提示：{warning}", file=sys.stderr)
    text = read_text(args.answers) if args.answers else ""
    layers = Layers(given=load_text(text, f"答案文件 {args.answers}") if args.answers else {},
                    pinned=pinned_overrides(args, reg), source=f"答案文件 {args.answers}" if args.answers else "答案")
    for warning in left_out(layers.merged(), blank_keys(text)):
        print(f"提示：{warning}", file=sys.stderr)
    year = layers.pinned.get("year")
    if args.last_year:
        from .nextyear import carry_over

        layers.given, layers.suggested = carry_over(load_yaml(args.last_year), reg, year)
        layers.source = f"去年的答案 {args.last_year}"
    elif changes_year(layers.given, layers.pinned):  # --answers 去年.yaml --set year=…: what depends on the year, anew
        from .nextyear import carry_over

        layers.given, layers.suggested = carry_over(layers.given, reg, whole_number(year))
        layers.source = (f"答案文件 {args.answers}（年份改为{year}：上级来文、主题、日期按新年份重新确定，"
                         "文号序号须重新给出）")
    if args.parents:  # the registry's notices (each --parent is in it by now)
        held = [reg.find(p["doc_number"]).notice for p in layers.pinned["parents"]]
        if year is None:  # the year of the first parent asked for
            layers.suggested = merge(layers.suggested, {"year": held[0].year, "theme": held[0].theme})
        # not dated before them: the 成文日期 suggested is no earlier than theirs, nor after a date the answers give
        latest = max((p.date for p in held if p.date), default=None)
        given = layers.merged()
        others = [given.get("print_date"), *(part(given, "deadlines", dict)).values()]
        if (latest and "date" not in given and latest > default_date(latest.year)
                and not any(day and day < latest for day in map(date_or_none, others))):
            layers.suggested = merge(layers.suggested, {"date": latest})

    if not asking and "year" not in layers.merged():
        print(f"提示：按内置数据的最新年份 {latest_year()} 年起草（其他年份：--set year=年份）", file=sys.stderr)
    checked = False  # the findings said already, before the clerk confirmed
    if asking:
        answers, notice, checked = ask(plugins, reg, prompter, layers, args)
    else:
        answers = layers.resolve(plugins)
        notice = compose(answers, plugins)
    parent = registered(answers, notice, reg, args.force, asking) if args.register else None
    if not checked:
        report(plugins, notice, answers, reg)
    files = {out: render(notice), answers_out: dump(answers).encode("utf-8")}
    if pdf_out:
        files[pdf_out] = pdf_of(files[out], out.stem)
    with reg.writing() if parent else nullcontext():  # the registry checked and written under one lock
        if parent:
            reg.place_for(parent.doc_number, args.force)  # again: another may have added it meanwhile
        write_files(files, args.force)
        print(f"已生成 {out}（{notice.title}" + (f"，{notice.doc_number}" if notice.doc_number else "") + "）",
              file=sys.stderr)
        if pdf_out:
            print(f"已生成 {pdf_out}", file=sys.stderr)
        print(f"所用答案已保存到 {answers_out}", file=sys.stderr)
        if asking:
            from .profile import save

            print(f"发文机关、联系人和版记已记住，下次起草时作为默认值（{save(answers)}）", file=sys.stderr)
        if parent:
            try:
                path = reg.add(parent, force=args.force)
            except DrafterError as exc:
                why = exc.reason if isinstance(exc, WriteFailed) else str(exc)
                raise DrafterError(f"通知已生成，但未能加入上级来文库：{why}。上级来文库未变；可用 drafter parents add "
                                   f"--from-answers {answers_out} 补加") from None
            print(f"已加入上级来文库，下级单位可选用：{path}", file=sys.stderr)
    return 0


def registered(answers: Answers, notice, reg, force: bool, asking: bool):
    """The notice as the registry will keep it (--register), checked against the registry before anything is
    written: it has a 文号 that can name a file, the registry does not hold it yet (unless --force) and can be
    written. What was typed on the terminal is kept when it cannot be registered."""
    from pydantic import ValidationError

    from .parents import from_answers
    from .validation import explain

    try:
        if notice.doc_number is None:
            raise DrafterError("没有发文字号（number: null）的通知不能加入上级来文库：下级单位按文号引用它")
        try:
            parent = from_answers(answers, notice.title)
        except ValidationError as exc:
            raise DrafterError("通知不能加入上级来文库：\n  " + "\n  ".join(explain(exc))) from None
        reg.place_for(parent.doc_number, force)
    except DrafterError as exc:
        if asking:
            from .yamlio import safe_load

            raise DrafterError(f"{exc}（未写入任何文件）。{keep(safe_load(dump(answers)))}") from None
        raise
    return parent


def changes_year(fixed: dict, overrides: dict) -> bool:
    """Whether --set gives a year other than the answers file's."""
    try:
        return "year" in overrides and "year" in fixed and whole_number(overrides["year"]) != whole_number(fixed["year"])
    except ValueError:
        return False  # a malformed year is reported where it is validated


def pdf_of(docx: bytes, stem: str) -> bytes:
    """The PDF of a .docx not yet written (so that all files are written together or none); says which free
    fonts stand in for the 公文 fonts this machine lacks."""
    import tempfile

    from .pdf import failure_of, substitutions, to_pdf

    try:
        with tempfile.TemporaryDirectory(prefix="drafter-pdf-") as tmp:
            source = Path(tmp) / f"{stem}.docx"
            source.write_bytes(docx)
            pdf = to_pdf(source, Path(tmp)).read_bytes()
    except OSError as exc:  # e.g. no room left for the copy
        raise failure_of(exc, "无法生成 PDF") from None
    stand_ins = {name: sub for name, sub in substitutions().items() if sub}
    if stand_ins:
        print("PDF 字体替代（本机未装公文字体）：" + "，".join(f"{n} → {s}" for n, s in stand_ins.items()),
              file=sys.stderr)
    return pdf


def pinned_overrides(args: Request, reg) -> dict:
    """--set, --sector and --parent, as answers that nothing else may change."""
    overrides = dict(args.overrides)
    if args.sector:
        overrides = merge(overrides, {"issuer": {"sector": args.sector}})
    if args.parents:
        overrides["parents"] = [parent_of(given, reg).cited() for given in args.parents]
    return overrides


def parent_of(given: str, reg):
    """A parent named by its 文号 (in the registry), or the file it arrived as, read and added to the registry."""
    path = Path(given)
    if not path.exists():  # a folder, a pipe or a device is read as a file, and refused saying what it is
        return reg.find(given).notice
    from .parents import NotInRegistry
    from .parents.importer import extract, to_parent

    found = extract(path)
    notice = to_parent(found, path)
    for note in found.notes:
        print(f"提示：{path}：{note}", file=sys.stderr)
    try:
        return reg.find(notice.doc_number).notice  # already there: the registry's record stands
    except NotInRegistry:
        print(f"已从 {path} 读入上级来文 {notice.doc_number}，存入 {reg.add(notice)}", file=sys.stderr)
        return notice


def ask(plugins, reg, prompter, layers: Layers, args: Request):
    """The questionnaire, then a summary with the findings (提示, and errors that send the clerk back to the
    questions) and a confirmation; edits loop back through every question. It offers the suggestions (the office's
    profile among them, unless last year's answers are carried over) and asks what the given answers do not say;
    what is typed becomes ``layers.asked``. Returns the answers, the notice and whether its findings were said."""
    from .compose import compose
    from .profile import load
    from .prompts import Prompter
    from .questionnaire import Questionnaire, describe

    prompter = prompter or Prompter()
    suggested = layers.suggested
    if args.last_year:  # last year's 文号 number, or the example's, would be wrong: it must be typed
        suggested = {**suggested, "number": None}
    q = Questionnaire(plugins, reg, prompter, fixed=merge(layers.given, layers.pinned),
                      suggested=merge({} if args.last_year else load(), suggested))
    q.pinned = layers.pinned
    layers.asked = q.given  # filled in as the clerk answers: kept (keep) even when the questionnaire is cut short
    try:
        while True:
            q.run()
            try:
                answers = layers.resolve(plugins, offered=True)
            except AnswersError as exc:
                if prompter.count == 0:  # nothing was asked, so nothing typed would be lost
                    raise
                # what was typed is kept: the clerk mends it in 逐项修改, or gives up with it saved
                print(f"{exc}", file=sys.stderr)
                if prompter.select("答案有误", [("逐项修改", "edit"), ("放弃", "quit")], default="edit") == "quit":
                    raise Cancelled(f"已放弃，未写入任何文件。{keep(layers.written(offered=True))}") from None
                q.everything = True
                continue
            notice = compose(answers, plugins)
            if prompter.count == 0:  # nothing was asked: the file said it all
                return answers, notice, False
            print(describe(notice, answers))
            errors, warnings = findings(plugins, notice, answers, reg)
            for warning in warnings:  # before the clerk confirms: a date to mend is mended now
                print(f"提示：{warning}", file=sys.stderr)
            if errors:
                print("通知未通过检查：\n  " + "\n  ".join(errors), file=sys.stderr)
                if prompter.select("未通过检查", [("逐项修改", "edit"), ("放弃", "quit")], default="edit") == "quit":
                    raise Cancelled(f"已放弃，未写入任何文件。{keep(layers.written(offered=True))}")
                q.everything = True
                continue
            choice = prompter.select("确认", [(label, key) for key, label in CHOICES.items()], default="write")
            if choice == "write":
                return answers, notice, True
            if choice == "quit":
                raise Cancelled(f"已放弃，未写入任何文件。{keep(layers.written(offered=True))}")
            q.everything = True
    except (KeyboardInterrupt, EOFError):  # Ctrl-C, or Ctrl-D / input closed
        raise Cancelled(f"已取消，未写入任何文件。{keep(layers.written(offered=True))}") from None


def keep(partial: dict) -> str:
    """Save what was answered so far; say where and how to go on."""
    import yaml

    from .output import write_files
    from .places import unfinished_path

    if not partial:
        return ""
    path = unfinished_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_files({path: yaml.safe_dump(partial, allow_unicode=True, sort_keys=False).encode("utf-8")}, force=True)
    except (OSError, DrafterError) as exc:
        return f"已回答的内容未能保存（{exc}）。"
    return f"已回答的内容保存在 {path}，可用 drafter new --answers {path} 接着回答。"


def findings(plugins, notice, answers: Answers, reg=None) -> tuple[list[str], list[str]]:
    """(errors, warnings) of a composed notice: the 文号's warnings, a 成文日期 before that of a parent the
    registry ``reg`` holds, what its printed text holds that is likely a slip (printed), and the plugins' checks,
    each naming its plugin."""
    warnings = list(notice.doc_number.warnings) if notice.doc_number else []
    warnings += before_parents(answers, reg) if reg is not None else []
    warnings += slips(notice, answers.year)
    errors: list[str] = []
    for plugin, finding in plugins.check(notice, answers):
        (errors if finding.severity == "error" else warnings).append(finding.message + (f"（插件 {plugin}）" if plugin else ""))
    return errors, warnings


def before_parents(answers: Answers, reg) -> list[str]:
    """The parents, as the registry holds them with their 成文日期, that the notice is dated before."""
    from .consistency import before_parent
    from .parents import RegistryError
    from .validation import where

    out: list[str] = []
    if answers.form == "方案":  # printed alone: no 成文日期 of its own
        return out
    for cited in [parent.doc_number for parent in answers.parents if parent.doc_number]:
        try:
            held = reg.find(cited).notice
        except RegistryError:  # not held, or a file that does not read (said by the registry's warnings)
            continue
        problem = before_parent(answers.date, cited, held.date) if held.date else None
        out += [f"{where(('date',))}：{problem}"] if problem else []
    return out


_FULL_DATE = re.compile(r"(\d{4})年\d{1,2}月\d{1,2}日")


def slips(notice, year: int) -> list[str]:
    """What the text to be printed holds that is most likely a slip, each said once: a date of another year (last
    year's text carried over), a half-width mark in Chinese text (check says it too), and what a template would leave
    (“{{”, “None” …: answers are printed as written, never filled in as templates; check's rule ``leftovers``)."""
    out: list[str] = []
    for text in dict.fromkeys(strings(notice)):
        for m in _FULL_DATE.finditer(text):
            if int(m.group(1)) != year:
                out.append(f"文中的“{m.group(0)}”不是{year}年的日期：是沿用去年的文字吗？请核对")
        half = HALF_PUNCT.search(text)
        if half:
            out.append(f"“{text[max(0, half.start() - 12):half.end() + 12]}”中的半角标点“{half.group(0)}”"
                       "应为全角（GB/T 15834）：请在答案中改正")
        left = LEFTOVER.search(text)
        if left:
            out.append(f"“{text[:30]}”中的“{left.group(0)}”会照原样印出（答案中的文字不作模板替换）：请直接写出要印的文字")
    return list(dict.fromkeys(out))


def strings(value) -> Iterator[str]:
    """Every text a composed notice (or any part of it) holds."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from strings(getattr(value, f.name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)


def report(plugins, notice, answers: Answers, reg=None) -> None:
    """Warnings are shown; a plugin's error stops the run before anything is written."""
    errors, warnings = findings(plugins, notice, answers, reg)
    if errors:
        raise DrafterError("通知未通过检查，未写入任何文件：\n  " + "\n  ".join(errors))
    for warning in warnings:
        print(f"提示：{warning}", file=sys.stderr)
