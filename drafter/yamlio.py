"""Reading YAML the way a clerk means it.

PyYAML follows YAML 1.1, whose implicit types change what was written: ``015`` becomes 13 (octal), ``yes``/``no``/
``on``/``off`` become true/false, ``1:20`` becomes 80, ``1_000`` becomes 1000, and an impossible date such as
``2025-06-31`` ends in a Python error. Every YAML that drafter reads (answers files, ``--set`` values, the parent
registry, plugin and shipped data) goes through ``Loader`` below, which resolves only:

- null: ``~``, ``null``, an empty value;  bool: ``true``/``false`` (any case);
- int: decimal digits with no leading zero (``0``, ``15``, ``-3``), at most 18 of them — ``015`` (and a run of
  thousands of digits, which Python would refuse to convert) stays text, so that a rule
  can say what is wrong with it instead of a number being changed;
- float: decimal with a point or exponent, ``.inf``, ``.nan``.

Everything else — dates, 是/否, yes/no, telephone numbers with a leading zero — stays text, for the answers model to
read with its own validators. A key given twice in one mapping is an error (PyYAML silently keeps the last).

YAML may come from anyone (an answers file, a file in a registry folder an office shares), so it is held to the limits
of limits.py before it is composed: its size, its nesting and what its aliases expand to (``&a [x, x]`` written once
and ``*a`` repeated can stand for billions of values). PyYAML's parser is a state machine; its composer and what
drafter does with the values recurse, so a value nested thirty thousand deep would end the process."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar

from .docnumber import invisible
from .errors import AnswersError
from .limits import YAML_BYTES, YAML_DEPTH, YAML_NODES, YAML_TEXT, LimitExceeded


class YAMLLimitExceeded(LimitExceeded, AnswersError):
    """YAML past one of its limits: a LimitExceeded (exit code 2) that is also an answers problem, so that whoever
    reads answers or a registry file reports it as the other problems of that file."""


class YAMLRefused(AnswersError):
    """YAML that parses but is not read: a key given twice in a mapping, an alias within what it names."""


class _KeyTwice(Exception):
    """Raised by the loader below; safe_load names where it came from (YAMLRefused)."""


T = TypeVar("T", dict, list)


def part(raw: Any, key: str, kind: type[T]) -> T:
    """``raw[key]`` when it is a ``kind`` (a mapping or a list), else an empty one: answers as written may hold
    anything under a key, and what reads them before they are validated must not trip over it."""
    value = raw.get(key) if isinstance(raw, dict) else None
    return value if isinstance(value, kind) else kind()


def _loader():
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when present: several times faster

    class Loader(base):
        yaml_implicit_resolvers: dict = {}

        def construct_mapping(self, node, deep=False):
            seen: dict = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":  # ``<<: *base``: merged by PyYAML, keys written win
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    earlier = seen.get(key)
                except TypeError:  # an unhashable key: let PyYAML report it
                    continue
                if earlier is not None:
                    raise _KeyTwice(key_node.start_mark, f"“{key}”写了两次（第{earlier.line + 1}行和"
                                                         f"第{key_node.start_mark.line + 1}行），请只保留一个")
                seen[key] = key_node.start_mark
            return super().construct_mapping(node, deep)

    def add(tag: str, pattern: str, first: str) -> None:
        Loader.add_implicit_resolver(tag, re.compile(pattern, re.X), list(first))

    add("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""])
    add("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
    add("tag:yaml.org,2002:int", r"^(?:[-+]?(?:0|[1-9][0-9]{0,17}))$", "-+0123456789")
    add("tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]*(?:[eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.")
    Loader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])
    return Loader


_LOADER = None


def _place(source: str, mark) -> str:
    """“<source> 第N行” (the line of a parser mark, counted from 1)."""
    return f"{source} 第{mark.line + 1}行" if mark is not None else source


def _within_limits(text: str, source: str, loader) -> None:
    """Raise YAMLLimitExceeded, naming ``source`` and the line, unless ``text`` is within YAML_BYTES and, read as
    events (the parser does not recurse), within YAML_DEPTH and YAML_NODES and YAML_TEXT with every alias expanded:
    an alias counts the values, the characters and the depth of the node its anchor names, wherever it stands.
    An alias within the node it names (a structure containing itself) is a YAMLRefused. One pass, linear in the
    text."""
    import yaml
    from yaml import events as ev

    if len(text) > YAML_BYTES.amount or len(text.encode("utf-8")) > YAML_BYTES.amount:
        raise YAMLLimitExceeded(str(YAML_BYTES.exceeded(source, f"{len(text.encode('utf-8')) / 2 ** 20:.1f}MB")))
    # Per open collection: [anchor, values, characters, height]; the height of a node counts the collections on its
    # longest path down (a scalar 0). Closed anchors: anchor → (values, characters, height), expanded.
    open_: list[list] = []
    anchors: dict[str, tuple[int, int, int]] = {}
    values = characters = 0
    advice = "请直接写出每一项，不要用别名（*）反复引用同一内容"
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, ev.AliasEvent):
            if any(frame[0] == event.anchor for frame in open_):
                raise YAMLRefused(f"{_place(source, event.start_mark)}：别名 *{event.anchor} 在它所指的内容"
                                  f"（&{event.anchor}）之内，会无限展开；请直接写出内容")
            node = anchors.get(event.anchor, (1, 0, 0))  # an undefined alias: the composer names it
        elif isinstance(event, ev.ScalarEvent):
            node = (1, len(event.value), 0)
        elif isinstance(event, ev.CollectionStartEvent):
            open_.append([event.anchor, 1, 0, 1])
            node = (1, 0, 0)
        elif isinstance(event, ev.CollectionEndEvent):
            anchor, n, chars, height = open_.pop()
            if anchor is not None:
                anchors[anchor] = (n, chars, height)
            if open_:
                outer = open_[-1]
                outer[1] += n
                outer[2] += chars
                outer[3] = max(outer[3], height + 1)
            continue
        else:
            continue
        n, chars, height = node
        values += n
        characters += chars
        where = _place(source, event.start_mark)
        alias = isinstance(event, ev.AliasEvent)
        depth = len(open_) + (height if alias else 0)
        if depth > YAML_DEPTH.amount:
            raise YAMLLimitExceeded(str(YAML_DEPTH.exceeded(where, f"到此已有{depth}层" + (
                f"，含别名 *{event.anchor} 所指的内容" if alias else ""))))
        if values > YAML_NODES.amount:
            raise YAMLLimitExceeded(str(YAML_NODES.exceeded(where, f"到此已有{values:,}个" + (
                f"，别名 *{event.anchor} 一处就展开为{n:,}个" if alias else ""), advice if alias else "")))
        if characters > YAML_TEXT.amount:
            raise YAMLLimitExceeded(str(YAML_TEXT.exceeded(where, f"到此已有{characters:,}字" + (
                f"，别名 *{event.anchor} 一处就展开为{chars:,}字" if alias else ""), advice if alias else "")))
        if isinstance(event, ev.ScalarEvent) or alias:
            if event.anchor is not None and not alias:
                anchors[event.anchor] = node
            if open_:
                open_[-1][1] += n
                open_[-1][2] += chars
                open_[-1][3] = max(open_[-1][3], height + 1)


def safe_load(text: str, source: str = "YAML") -> Any:
    """YAML text → Python values, with the resolver described above, once the text is known to be within the
    limits (_within_limits). ``source`` names it in every refusal: “答案文件 a.yaml”, “--set theme”. A syntax error
    is a yaml.YAMLError for the caller to word; a limit or a key given twice is an AnswersError (YAMLLimitExceeded,
    YAMLRefused) naming ``source`` and the line."""
    import yaml

    global _LOADER
    if _LOADER is None:
        _LOADER = _loader()
    try:
        _within_limits(text, source, _LOADER)
        return yaml.load(text, Loader=_LOADER)
    except _KeyTwice as exc:
        mark, problem = exc.args
        raise YAMLRefused(f"{_place(source, mark)}第{mark.column + 1}列：{problem}") from None
    except yaml.reader.ReaderError as exc:  # a control character, which YAML does not allow anywhere
        line = text.count("\n", 0, text.find(chr(exc.character))) + 1  # (exc.position counts bytes in libyaml)
        raise YAMLRefused(f"{source} 第{line}行：有{invisible(chr(exc.character))}，请删除") from None
    except (ValueError, OverflowError) as exc:  # an explicit tag whose value is not one: !!int abc, !!timestamp 2025-13-45
        raise YAMLRefused(f"{source}：有写明类型（!!int、!!timestamp 等）却不是该类型的值（{exc}）：请去掉“!!…”，"
                          "照平常的写法写") from None


# What YAML's parser says most often, as a clerk would understand it (its words are kept for the rest).
_PROBLEMS = (("cannot start any token", "有不能出现在这里的字符：多半是制表符（Tab），YAML 的缩进只能用空格；"
                                        "若是 @ 或 ` 开头的值，请给它加引号"),
             ("mapping values are not allowed", "这里不能再有“键: 值”：值中有冒号时请给整个值加引号，或检查缩进"),
             ("found unexpected end of stream", "引号没有配对：值的开头有引号，结尾却没有"),
             ("expected ',' or ']'", "方括号 [ 没有配对的 ]"),
             ("expected ',' or '}'", "花括号 { 没有配对的 }"),
             ("expected <block end>", "缩进不一致：同一层的各项应对齐"),
             ("expected '-' indicator", "缩进不一致：列表（- 开头的各项）与其后的“键: 值”应分属不同的层"),
             ("did not find expected key", "缩进不一致：同一层的各项应对齐"),
             ("found undefined alias", "以 * 或 & 开头的值在 YAML 中另有含义：请给整个值加引号"),
             ("expected alphabetic or numeric character", "以 * 或 & 开头的值在 YAML 中另有含义：请给整个值加引号"),
             ("could not find expected ':'", "这一行不是“键: 值”：键后面应是英文冒号和一个空格"),
             ("did not find expected node content", "值没有写完：方括号、花括号或引号中缺少内容"))


# a key (as answers and plugin files have them) written with a Chinese colon, or with no space after its colon
_COLON_SLIPS = ((re.compile(r"^[ \t]*(?:- )?([A-Za-z_][\w.]*|[\w.]+(?=：))[ \t]*："), "“{0}”后面用了中文冒号“：”"),
                (re.compile(r"^[ \t]*(?:- )?([A-Za-z_][\w.]*):(?=[^\s/])"), "“{0}:”的冒号后面缺少空格"))


def colon_slip(text: str, first: int = 0, last: int | None = None) -> str | None:
    """The first of lines ``first``–``last`` (counted from 0; all by default) whose key is followed by a Chinese
    colon or by a colon without a space, said in Chinese with the fix; None when there is none. (YAML reads either
    as a plain text, not as a key.)"""
    lines = text.split("\n")
    for n in range(max(first, 0), min(len(lines) - 1 if last is None else last, len(lines) - 1) + 1):
        for pattern, words in _COLON_SLIPS:
            m = pattern.match(lines[n])
            if m:
                return (f"第{n + 1}行{words.format(m.group(1))}，键与值之间应是英文冒号和一个空格："
                        f"“{m.group(1)}: …”")
    return None


def syntax_error(exc: Exception, source: str, text: str | None = None) -> str:
    """A YAML syntax error in Chinese: ``source`` (“答案文件 a.yaml”), where (line and column) and what is wrong;
    given the ``text``, a key written with a Chinese colon or without a space after its colon is named first."""
    mark, start = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
    where = f"第{mark.line + 1}行第{mark.column + 1}列" if mark else ""
    if start and mark and start.line != mark.line:
        where = f"第{start.line + 1}行第{start.column + 1}列开始的内容到{where}"
    # only near the error (from where the failing construct starts): a valid line elsewhere is left alone
    slip = colon_slip(text, (start or mark).line - 1, mark.line) if text and mark else None
    if slip:
        return f"{source} 有 YAML 语法错误：{slip}"
    problem = str(getattr(exc, "problem", "") or exc)
    line = text.split("\n")[mark.line] if text and mark and mark.line < text.count("\n") + 1 else ""
    if (problem.startswith(("expected <block end>", "did not find expected key", "did not find expected '-'")) and mark
            and 0 < mark.column <= len(line) and line[mark.column - 1] in "'\""):  # 'a'b'c': the value ends at the 2nd
        return (f"{source} {where}有 YAML 语法错误：值的引号在中间就结束了：值里的引号请用中文引号“”，"
                "或给整个值换用另一种引号")
    said = next((words for english, words in _PROBLEMS if english in problem), None)
    return f"{source} {where}有 YAML 语法错误：{said}" if said else f"{source} {where}有 YAML 语法错误（{problem}）"


def load_text(text: str, source: str) -> dict:
    """Answers written as YAML text (a file's, or sent to the page), as a mapping; a syntax error or anything but a
    mapping is an AnswersError naming ``source``."""
    import yaml

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        loaded = safe_load(text, source)
    except yaml.YAMLError as exc:
        raise AnswersError(syntax_error(exc, source, text)) from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        slip = colon_slip(text)
        raise AnswersError(f"{source} 的内容应为“键: 值”形式的映射" + (f"；{slip}" if slip else ""))
    return loaded


def load_file(path: Path, what: str = "答案文件") -> dict:
    """A YAML file from outside (UTF-8, UTF-8 with BOM, UTF-16 or GBK/GB18030) as a mapping; every problem is a
    Chinese message naming the file and, for a syntax error, its line and column."""
    return load_text(read_text(path, what), f"{what} {path}")


def read_text(path: Path, what: str = "答案文件") -> str:
    """The text of a YAML file from outside, decoded (see load_file)."""
    from .errors import Unreadable
    from .files import decode_text, read_bytes

    path = Path(path)
    try:  # a regular file within YAML_BYTES, its size looked at before it is read; its characters kept as they are,
        # for an invisible one to be refused with its key named rather than taken out unsaid
        return decode_text(read_bytes(path, YAML_BYTES, what), f"{what} {path}")
    except LimitExceeded as exc:
        raise YAMLLimitExceeded(str(exc)) from None
    except Unreadable as exc:
        raise AnswersError(str(exc)) from None


_BLANK = re.compile(r"^([A-Za-z_]\w*):[ \t]*(?:#.*)?\n(?![ \t]+\S|-)", re.M)


def blank_keys(text: str) -> set[str]:
    """The top-level keys of a YAML text written with nothing after them (``number:``), which YAML reads as null as
    it does ``number: null``: an empty line is more often a slip than a choice."""
    return {m.group(1) for m in _BLANK.finditer(text if text.endswith("\n") else text + "\n")}
