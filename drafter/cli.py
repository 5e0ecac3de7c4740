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
    sub = parser.add_subparsers(dest="command", metavar="命令")
    new = sub.add_parser("new", help="起草一份通知", description="根据答案文件或内置示例起草通知（.docx），并在旁边保存所用答案（.yaml）。")
    new.add_argument("-o", "--output", type=Path, default=Path("通知.docx"), help="输出的 .docx 文件（默认：通知.docx）")
    new.add_argument("--answers", type=Path, metavar="FILE.yaml", help="答案文件（YAML），未写的项取默认值")
    new.add_argument("--defaults", action="store_true", help="不提问，全部使用内置默认答案（示例机关、最新年份）")
    new.add_argument("--set", action="append", default=[], metavar="键=值",
                     help="覆盖某项答案，如 --set year=2025 或 --set issuer.name=某某局（可重复）")
    new.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")
    return parser


def _overrides(pairs: list[str]) -> dict:
    import yaml

    from .errors import AnswersError

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
            node[parts[-1]] = yaml.safe_load(value) if value.strip() else ""
        except yaml.YAMLError:
            node[parts[-1]] = value
    return out


def cmd_new(args: argparse.Namespace) -> int:
    from .answers import dump, load_yaml, resolve
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
    answers = resolve(file_answers, _overrides(args.set), source)
    notice = compose(answers)
    for warning in notice.doc_number.warnings:
        print(f"提示：{warning}", file=sys.stderr)
    write_files({out: render(notice), answers_out: dump(answers).encode("utf-8")}, args.force)
    print(f"已生成 {out}（{notice.title}，{notice.doc_number}）")
    print(f"所用答案已保存到 {answers_out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    from .errors import DrafterError

    try:
        return {"new": cmd_new}[args.command](args)
    except DrafterError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("已取消，未写入任何文件。", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
