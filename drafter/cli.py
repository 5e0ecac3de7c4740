"""The drafter command. Imports are made inside the commands so that `drafter --help` stays fast."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="drafter", description="起草“安全生产月”活动通知，输出符合 GB/T 9704-2012 的 Word 公文。")
    parser.add_argument("--version", action="version", version=f"drafter {__version__}")
    with_plugins = argparse.ArgumentParser(add_help=False)
    with_plugins.add_argument("--disable-plugin", action="append", default=[], metavar="名称",
                              help="停用某个插件（可重复；也可用环境变量 DRAFTER_DISABLE_PLUGINS=名称1,名称2）")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    new = sub.add_parser("new", parents=[with_plugins], help="起草一份通知",
                         description="根据答案文件或内置示例起草通知（.docx），并在旁边保存所用答案（.yaml）。")
    new.add_argument("-o", "--output", type=Path, default=Path("通知.docx"), help="输出的 .docx 文件（默认：通知.docx）")
    new.add_argument("--answers", type=Path, metavar="FILE.yaml", help="答案文件（YAML），未写的项取默认值")
    new.add_argument("--defaults", action="store_true", help="不提问，全部使用内置默认答案（示例机关、最新年份）")
    new.add_argument("--set", action="append", default=[], metavar="键=值",
                     help="覆盖某项答案，如 --set year=2025 或 --set issuer.name=某某局（可重复）")
    new.add_argument("--sector", metavar="行业", help="发文机关所属行业（商务、街道、应急……），决定默认活动、主送和抄送")
    new.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")
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


def _overrides(pairs: list[str]) -> dict:
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
            node[parts[-1]] = safe_load(value) if value.strip() else ""
        except yaml.YAMLError:
            node[parts[-1]] = value
    return out


def _plugins(args: argparse.Namespace):
    from .plugins import load

    plugins = load(args.disable_plugin)
    for warning in plugins.warnings:
        print(f"提示：{warning}", file=sys.stderr)
    return plugins


def cmd_new(args: argparse.Namespace) -> int:
    from .answers import dump, load_yaml, merge, resolve
    from .compose import compose
    from .errors import DrafterError
    from .output import check_writable, write_files
    from .render import render

    out: Path = args.output
    if out.suffix.lower() != ".docx":
        raise DrafterError(f"输出文件应以 .docx 结尾：{out}")
    answers_out = out.with_suffix(".yaml")
    if args.answers is None and not args.defaults:
        raise DrafterError("请用 --answers FILE.yaml 给出答案文件，或用 --defaults 以内置示例起草。")
    check_writable(out, args.force)
    if args.answers and args.answers.resolve() == answers_out.resolve():
        answers_out = out.with_name(out.stem + ".answers.yaml")
    check_writable(answers_out, args.force)
    file_answers = load_yaml(args.answers) if args.answers else {}
    source = f"答案文件 {args.answers}" if args.answers else "答案"
    overrides = _overrides(args.set)
    if args.sector:
        overrides = merge(overrides, {"issuer": {"sector": args.sector}})
    plugins = _plugins(args)
    answers = resolve(file_answers, overrides, source, plugins)
    notice = compose(answers, plugins)
    warnings = list(notice.doc_number.warnings)
    errors = []
    for plugin, finding in plugins.check(notice, answers):
        (errors if finding.severity == "error" else warnings).append(f"{finding.message}（插件 {plugin}）")
    if errors:
        raise DrafterError("通知未通过检查，未写入任何文件：\n  " + "\n  ".join(errors))
    for warning in warnings:
        print(f"提示：{warning}", file=sys.stderr)
    write_files({out: render(notice), answers_out: dump(answers).encode("utf-8")}, args.force)
    print(f"已生成 {out}（{notice.title}，{notice.doc_number}）")
    print(f"所用答案已保存到 {answers_out}")
    return 0


def cmd_plugins(args: argparse.Namespace) -> int:
    """Every installed plugin, including those that failed to load or whose hooks fail: this command must work
    when drafting does not."""
    import json

    plugins = _plugins(args)
    offers, problems = plugins.inventory()
    rows = [{"name": i.name, "package": i.package, "version": i.version, "module": i.module, "status": i.status,
             "error": i.error, "hooks": i.hooks, **{k: offers.get(i.name, {}).get(k, []) for k in KINDS}}
            for i in plugins.infos]
    if args.json:
        print(json.dumps({"plugins": rows, "errors": problems}, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("没有安装任何插件。")
    for r in rows:
        package = f"{r['package']} {r['version']}" if r["package"] else "（未知来源）"
        print(f"{r['name']}  {package}  行业：{'、'.join(r['sectors']) or '—'}  {r['status']}")
        if r["error"]:
            print(f"    错误：{r['error']}")
        offered = "，".join(f"{label} {len(r[k])} 项" for k, label in KINDS.items() if k != "sectors" and r[k])
        if offered:
            print(f"    提供：{offered}")
        if r["hooks"]:
            print(f"    钩子：{', '.join(r['hooks'])}")
    for problem in problems:
        print(f"错误：{problem}")
    return 0


KINDS = {"sectors": "行业", "activities": "活动", "questions": "问题", "sections": "章节", "attachments": "附件"}


def cmd_plugin_new(args: argparse.Namespace) -> int:
    from .scaffold import scaffold

    folder = scaffold(args.name, args.sector, args.output)
    print(f"已生成插件包 {folder}（活动的文字在 {folder}/drafter_{args.name}/sector.yaml，写法见 drafter 的 docs/plugins.md）")
    print("下一步：")
    print(f'  python3 -m pip install -e "{folder}[test]"')
    print(f"  cd {folder} && python3 -m pytest -q")
    print(f"  drafter new --sector {args.sector} --defaults -o 通知.docx")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    from .errors import DrafterError

    try:
        if args.command == "plugin":
            return cmd_plugin_new(args)
        return {"new": cmd_new, "plugins": cmd_plugins}[args.command](args)
    except DrafterError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("已取消，未写入任何文件。", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
