"""The drafter command. Imports are made inside the commands so that `drafter --help` stays fast."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from . import __version__

# argparse's own words, in Chinese (it looks them up through gettext's `_` at the time it prints them).
ARGPARSE_WORDS = {
    "usage: ": "用法：", "positional arguments": "参数", "options": "选项",
    "show this help message and exit": "显示本帮助并退出", "show program's version number and exit": "显示版本号并退出",
    "the following arguments are required: %s": "缺少参数：%s", "unrecognized arguments: %s": "不认识的参数：%s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n", "expected one argument": "需要一个值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "not allowed with argument %s": "不能与 %s 同时使用", "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
}


def _parser() -> argparse.ArgumentParser:
    argparse._ = lambda text: ARGPARSE_WORDS.get(text, text)  # type: ignore[attr-defined]  # argparse's words in Chinese
    parser = argparse.ArgumentParser(
        prog="drafter", description="起草“安全生产月”活动通知，输出符合 GB/T 9704-2012 的 Word 公文。")
    parser.add_argument("--version", action="version", version=f"drafter {__version__}", help="显示版本号并退出")
    with_plugins = argparse.ArgumentParser(add_help=False)
    with_plugins.add_argument("--disable-plugin", action="append", default=[], metavar="名称",
                              help="停用某个插件（可重复；也可用环境变量 DRAFTER_DISABLE_PLUGINS=名称1,名称2）")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    registry = argparse.ArgumentParser(add_help=False)
    registry.add_argument("--parents-dir", type=Path, metavar="目录",
                          help="上级来文库所在的文件夹（也可用环境变量 DRAFTER_PARENTS_DIR；便于一个单位共用）")
    # the same option after `parents`' action; its default must not undo one given before the action
    action_registry = argparse.ArgumentParser(add_help=False)
    action_registry.add_argument("--parents-dir", type=Path, metavar="目录", default=argparse.SUPPRESS,
                                 help="上级来文库所在的文件夹（也可用环境变量 DRAFTER_PARENTS_DIR；便于一个单位共用）")
    new = sub.add_parser("new", parents=[with_plugins, registry], help="起草一份通知",
                         description="在终端上逐项提问（回车即用默认值），或按答案文件、内置示例起草通知（.docx），"
                                     "并在旁边保存所用答案（.yaml）。")
    new.add_argument("-o", "--output", type=Path, default=Path("通知.docx"), metavar="文件.docx",
                     help="输出的 .docx 文件（默认：通知.docx）")
    source = new.add_mutually_exclusive_group()
    source.add_argument("--answers", type=Path, metavar="FILE.yaml",
                        help="答案文件（YAML）；在终端上只问文件中没有的项，否则取默认值")
    source.add_argument("--from", dest="last_year", type=Path, metavar="去年.yaml",
                        help="沿用去年的答案，只重新确定上级来文、年份、主题、文号序号和日期")
    new.add_argument("--defaults", action="store_true", help="不提问，未给出的项一律取内置默认值（示例机关、最新年份）")
    new.add_argument("--parent", action="append", default=[], metavar="文号或文件",
                     help="引用上级来文库中的这份通知，如 --parent 青安办〔2025〕21号；或给出收到的文件（.docx/.pdf/.txt），"
                          "读入后存入库中再引用（可重复）")
    new.add_argument("--register", action="store_true", help="生成后把本通知加入上级来文库，供下级单位选用")
    new.add_argument("--pdf", action="store_true", help="同时经 LibreOffice 生成 PDF（本机缺公文字体时用免费字体替代并说明）")
    new.add_argument("--set", action="append", default=[], metavar="键=值",
                     help="覆盖某项答案，如 --set year=2025 或 --set issuer.name=某某局（可重复）")
    new.add_argument("--sector", metavar="行业", help="发文机关所属行业（商务、街道、应急……），决定默认活动、主送和抄送")
    new.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")
    parents = sub.add_parser("parents", parents=[registry], help="上级来文库：列出、查看、添加、删除",
                             description="上级来文库：内置历年全国通知，加上本单位存入的通知（每份一个 YAML 文件）。")
    actions = parents.add_subparsers(dest="action", metavar="操作", required=True)
    listing = actions.add_parser("list", parents=[action_registry], help="列出全部上级来文")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    show = actions.add_parser("show", parents=[action_registry], help="查看一份上级来文")
    show.add_argument("doc_number", metavar="文号")
    add = actions.add_parser("add", parents=[action_registry], help="添加一份上级来文（在终端上逐项提问）",
                             description="添加一份上级来文：用 --from-answers 加入本工具起草的通知，或用下列选项写明"
                                         "发文机关、标题、发文字号（三者必填，主题和成文日期可省）；未写明的在终端上逐项提问。")
    add.add_argument("--from-answers", type=Path, metavar="FILE.yaml", help="把用本工具起草的通知（其答案文件）加入")
    for flag, what in (("--issuer", "发文机关（联合发文的，主办机关在前，各机关用顿号分隔）"), ("--title", "标题（不带书名号）"), ("--doc-number", "发文字号"),
                       ("--theme", "主题（缺省取当年全国主题）"), ("--date", "成文日期")):
        add.add_argument(flag, metavar=what.split("（")[0], help=what)
    add.add_argument("--force", action="store_true", help="库中已有同一文号时替换")
    imports = actions.add_parser("import", parents=[action_registry], help="从收到的文件（.docx、.pdf、.txt）读取上级来文并存入",
                                 description="读取发文机关、文号、标题、日期、年份、主题、所引通知、一级标题、附件、截止时间、"
                                             "主送和抄送，确认或修改后存入上级来文库。")
    imports.add_argument("file", type=Path, metavar="文件")
    imports.add_argument("--yes", action="store_true", help="不确认，直接存入")
    imports.add_argument("--json", action="store_true", help="以 JSON 输出读到的内容（加 --yes 时同时存入）")
    imports.add_argument("--force", action="store_true", help="库中已有同一文号时替换")
    remove = actions.add_parser("remove", parents=[action_registry], help="删除一份自己存入的上级来文")
    remove.add_argument("doc_number", metavar="文号")
    check = sub.add_parser("check", help="检查一份公文 .docx（任何来源）是否符合 GB/T 9704 和通知的事实",
                           description="识别版头、文号、标题、主送、层次标题、附件说明、署名、日期、附注、附件和版记，"
                                       "逐项报告问题及所依据的条款。退出状态：0 无错误，1 有错误，2 文件无法读取，"
                                       "3 未发现错误但未能测量版面（--render）。")
    check.add_argument("file", type=Path, metavar="文件.docx")
    check.add_argument("--render", action="store_true", help="另经 LibreOffice 转为 PDF，测量版面（较慢）")
    check.add_argument("--json", action="store_true", help="以 JSON 输出")
    serve = sub.add_parser("serve", parents=[with_plugins, registry], help="在浏览器中起草和检查（本机网页）",
                           description="启动本机网页并打开浏览器：在网页上选上级来文、填写答案、调整结构，"
                                       "下载 .docx、PDF 和答案文件；也可上传 .docx 检查。只有本机能打开，除非给出 --host。")
    serve.add_argument("--port", type=int, metavar="端口", help="端口（默认 8765，被占用时依次试后面的端口）")
    serve.add_argument("--host", default="127.0.0.1", metavar="地址",
                       help="监听的地址（默认 127.0.0.1，只有本机能打开；0.0.0.0 让同一网络的电脑都能打开）")
    serve.add_argument("--no-browser", action="store_true", help="不自动打开浏览器")
    sub.add_parser("doctor", parents=[with_plugins, registry], help="检查运行环境：LibreOffice、公文字体、上级来文库、插件",
                   description="报告 LibreOffice 是否可用、哪些公文字体已安装或被替代、各组件版本、上级来文库和已加载的插件。")
    plugins = sub.add_parser("plugins", parents=[with_plugins], help="列出已安装的插件",
                             description="列出已安装的插件：名称、版本、行业、实现的钩子和状态。")
    plugins.add_argument("--json", action="store_true", help="以 JSON 输出")
    plugin = sub.add_parser("plugin", help="插件开发工具").add_subparsers(dest="action", metavar="操作", required=True)
    scaffold = plugin.add_parser("new", help="生成一个行业插件包的骨架",
                                 description="生成一个可安装的行业插件包（pyproject.toml、一个活动、一个测试）。")
    scaffold.add_argument("name", metavar="名称", help="插件名（英文字母、数字、下划线），如 jiaotong")
    scaffold.add_argument("--sector", required=True, metavar="行业", help="插件服务的行业，如 交通")
    scaffold.add_argument("-o", "--output", type=Path, metavar="目录", help="生成到哪个目录（默认：./drafter-名称）")
    return parser


def overrides_from(pairs: list[str]) -> dict:
    import yaml

    from .errors import AnswersError
    from .yamlio import safe_load

    out: dict = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise AnswersError(f"--set {pair}：应写成“键=值”，如 --set year=2025")
        node = out
        parts = key.strip().split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        try:
            node[parts[-1]] = safe_load(value, f"--set {key.strip()}") if value.strip() else ""
        except yaml.YAMLError:
            node[parts[-1]] = value
    return out


def _plugins(args: argparse.Namespace):
    from .plugins import load

    plugins = load(args.disable_plugin)
    for warning in plugins.warnings:
        print(f"提示：{warning}", file=sys.stderr)
    return plugins


def cmd_new(args: argparse.Namespace, prompter=None) -> int:
    from .new import Request, draft

    request = Request(output=args.output, answers=args.answers, last_year=args.last_year, defaults=args.defaults,
                      overrides=overrides_from(args.set), sector=args.sector, parents=tuple(args.parent or ()),
                      pdf=args.pdf, force=args.force, register=args.register, parents_dir=args.parents_dir)
    return draft(request, _plugins(args), prompter)


def cmd_parents(args: argparse.Namespace, prompter=None) -> int:
    import json

    from .parents import dump, registry

    reg = registry(args.parents_dir)
    if args.action == "list":
        entries = reg.entries()
        for warning in reg.warnings():
            print(f"提示：{warning}", file=sys.stderr)
        if args.json:
            print(json.dumps([{**e.notice.model_dump(mode="json"), "source": e.source} for e in entries],
                             ensure_ascii=False, indent=2))
            return 0
        print(f"上级来文库：{reg.folder}")
        twice = reg.duplicates()
        for e in entries:
            print(f"{e.notice.year}  {e.notice.doc_number}  {e.notice.title}" + ("  （内置）" if e.path is None else
                  f"  （重复，见 {e.path}）" if e.notice.doc_number in twice else ""))
        return 0
    if args.action == "show":
        entry = reg.find(args.doc_number)
        print(f"# {entry.source}\n{dump(entry.notice)}", end="")
        return 0
    if args.action == "remove":
        print(f"已删除 {reg.remove(args.doc_number)}", file=sys.stderr)
        return 0
    if args.action == "import":
        from .parents.importer import import_parent

        return import_parent(args.file, reg, yes=args.yes, as_json=args.json, force=args.force, prompter=prompter)
    fields = {"issuer": args.issuer, "title": args.title, "doc_number": args.doc_number, "theme": args.theme,
              "date": args.date}
    if args.from_answers:
        notice = _notice_of_answers(args.from_answers)
    elif any(fields.values()):
        issuer, *others = re.split(r"[、，,]", args.issuer or "")  # A、B: a joint notice, host first
        fields.update(issuer=issuer.strip(), co_issuers=[o.strip() for o in others if o.strip()])
        notice = _validated_parent({k: v for k, v in fields.items() if v})
    elif prompter is not None or (sys.stdin.isatty() and sys.stdout.isatty()):
        from .prompts import Prompter
        from .questionnaire import Questionnaire

        q = Questionnaire(None, reg, prompter or Prompter())
        notice = q.new_parent(save=False)
    else:
        from .errors import DrafterError

        raise DrafterError("请用 --from-answers FILE.yaml，或用 --issuer --title --doc-number [--theme --date] 给出上级来文")
    print(f"已存入 {notice.doc_number}：{reg.add(notice, force=args.force)}", file=sys.stderr)
    return 0


def _validated_parent(raw: dict):
    from pydantic import ValidationError

    from .errors import InvalidValue
    from .parents import ParentNotice
    from .validation import explain

    try:
        return ParentNotice.model_validate(raw)
    except ValidationError as exc:
        raise InvalidValue("上级来文有误：\n  " + "\n  ".join(explain(exc))) from None


def _notice_of_answers(path: Path):
    """A notice drafted with drafter, from its answers file, as a parent."""
    from .answers import load_yaml, resolve
    from .compose import compose
    from .parents import from_answers

    answers = resolve(load_yaml(path), source=f"答案文件 {path}")
    return from_answers(answers, compose(answers).title)


def cmd_check(args: argparse.Namespace) -> int:
    import json

    from .check import check
    from .errors import Unreadable

    try:
        findings = check(args.file)
    except Unreadable as exc:
        if args.json:  # one JSON document on stdout whatever happens; the message on stderr too (main)
            print(json.dumps({"file": str(args.file), "error": str(exc), "errors": None, "warnings": None,
                              "findings": []}, ensure_ascii=False, indent=2))
        raise
    unmeasured = None  # why the page could not be measured (--render): the findings made so far still count
    if args.render:
        from .check import measured
        from .pdf import ConversionError

        try:
            findings += measured(args.file)
        except ConversionError as exc:
            unmeasured = f"未能测量版面（--render）：{exc}"
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    if args.json:
        print(json.dumps({"file": str(args.file), "errors": errors, "warnings": warnings,
                          "findings": [f.as_dict() for f in findings],
                          **({"render_error": unmeasured} if args.render else {})}, ensure_ascii=False, indent=2))
    else:
        print(f"{args.file}：" + (f"{errors} 个错误，{warnings} 个提醒" if findings else "未发现问题"))
        for f in sorted(findings, key=lambda f: f.severity != "error"):
            print(f"{'错误' if f.severity == 'error' else '提醒'}  [{f.element}] {f.message}"
                  + (f"\n      原文：{f.text}" if f.text else "") + (f"\n      依据：{f.rule}" if f.rule else ""))
    if unmeasured:
        print(f"错误：{unmeasured}", file=sys.stderr)
    return 1 if errors else 3 if unmeasured else 0


def cmd_plugins(args: argparse.Namespace) -> int:
    """Every installed plugin, including those that failed to load or whose hooks fail: this command must work
    when drafting does not. Exits 1 when a plugin failed or two clash."""
    import json

    from .catalogue import KINDS

    plugins = _plugins(args)
    offers, problems = plugins.inventory()
    failed = plugins.failed
    rows = [{"name": i.name, "package": i.package, "version": i.version, "module": i.module, "status": i.status,
             "error": i.error, "hook": i.hook, "hooks": i.hooks,
             **{k.name: offers.get(i.name, {}).get(k.name, []) for k in KINDS}} for i in plugins.infos]
    if args.json:
        print(json.dumps({"plugins": rows, "errors": problems}, ensure_ascii=False, indent=2))
        return 1 if failed or problems else 0
    if not rows:
        print("没有安装任何插件。")
    for info, r in zip(plugins.infos, rows):
        package = f"{r['package']} {r['version']}" if r["package"] else "（未知来源）"
        print(f"{r['name']}  {package}  行业：{'、'.join(r['sectors']) or '—'}  {r['status']}")
        if info.failed:
            print(f"    错误：{info.failure}\n    用到它的通知不能起草，其他通知照常起草；可用 --disable-plugin {info.name} 停用")
        offered = "，".join(f"{k.label} {len(r[k.name])} 项" for k in KINDS if k.name != "sectors" and r[k.name])
        if offered:
            print(f"    提供：{offered}")
        if r["hooks"]:
            print(f"    钩子：{', '.join(r['hooks'])}")
    for problem in problems:
        print(f"错误：{problem}")
    return 1 if failed or problems else 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .parents import registry
    from .serve.server import serve

    if args.port is not None and not 0 < args.port < 65536:
        from .errors import DrafterError

        raise DrafterError(f"--port {args.port}：端口应在 1–65535 之间")
    reg = registry(args.parents_dir)
    for warning in reg.warnings():
        print(f"提示：{warning}", file=sys.stderr)
    return serve(args.host, args.port, not args.no_browser, _plugins(args), reg)


def cmd_plugin_new(args: argparse.Namespace) -> int:
    from .scaffold import scaffold

    folder = scaffold(args.name, args.sector, args.output)
    print("\n".join([  # status lines: on stderr, like every command's
        f"已生成插件包 {folder}（活动的文字在 {folder}/drafter_{args.name}/sector.yaml，写法见 drafter 的 docs/plugins.md）",
        "下一步：",
        f'  python3 -m pip install -e "{folder}[test]"',
        f"  cd {folder} && python3 -m pytest -q",
        f"  drafter new --sector {args.sector} --defaults -o 通知.docx"]), file=sys.stderr)
    return 0


def main(argv: list[str] | None = None, prompter=None) -> int:
    """The command line; ``prompter`` (tests) answers the questions instead of the terminal."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    from .errors import DrafterError

    try:
        if args.command == "plugin":
            return cmd_plugin_new(args)
        if args.command == "plugins":
            return cmd_plugins(args)
        if args.command == "check":
            return cmd_check(args)
        if args.command == "doctor":
            from .doctor import doctor

            return doctor(args)
        if args.command == "serve":
            return cmd_serve(args)
        return {"new": cmd_new, "parents": cmd_parents}[args.command](args, prompter)
    except DrafterError as exc:
        from .files import strip_controls  # a message may quote a file from outside or its name

        print(f"{exc.label}{strip_controls(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (KeyboardInterrupt, EOFError):  # Ctrl-C or Ctrl-D outside `new`'s questionnaire, which keeps its answers
        print("已取消，未写入任何文件。", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
