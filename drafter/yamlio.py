"""Reading YAML the way a clerk means it.

PyYAML follows YAML 1.1, whose implicit types change what was written: ``015`` becomes 13 (octal), ``yes``/``no``/
``on``/``off`` become true/false, ``1:20`` becomes 80, ``1_000`` becomes 1000, and an impossible date such as
``2025-06-31`` ends in a Python error. Every YAML that drafter reads (answers files, ``--set`` values, the parent
registry, plugin and shipped data) goes through ``Loader`` below, which resolves only:

- null: ``~``, ``null``, an empty value;  bool: ``true``/``false`` (any case);
- int: decimal digits with no leading zero (``0``, ``15``, ``-3``) — ``015`` stays the text "015", so that a rule
  can say what is wrong with it instead of a number being changed;
- float: decimal with a point or exponent, ``.inf``, ``.nan``.

Everything else — dates, 是/否, yes/no, telephone numbers with a leading zero — stays text, for the answers model to
read with its own validators. A key given twice in one mapping is an error (PyYAML silently keeps the last)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any


def _loader():
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when present: several times faster

    class Loader(base):  # type: ignore[misc, valid-type]
        yaml_implicit_resolvers: dict = {}

        def construct_mapping(self, node, deep=False):
            seen: dict = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    earlier = seen.get(key)
                except TypeError:  # an unhashable key: let PyYAML report it
                    continue
                if earlier is not None:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"“{key}”写了两次（第{earlier.line + 1}行和第{key_node.start_mark.line + 1}行），"
                                    "请只保留一个", key_node.start_mark)
                seen[key] = key_node.start_mark
            return super().construct_mapping(node, deep)

    def add(tag: str, pattern: str, first: str) -> None:
        Loader.add_implicit_resolver(tag, re.compile(pattern, re.X), list(first))

    add("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""])
    add("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
    add("tag:yaml.org,2002:int", r"^(?:[-+]?(?:0|[1-9][0-9]*))$", "-+0123456789")
    add("tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.")
    Loader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])
    return Loader


_LOADER = None


def safe_load(text: str) -> Any:
    """YAML text → Python values, with the resolver described above."""
    import yaml

    global _LOADER
    if _LOADER is None:
        _LOADER = _loader()
    return yaml.load(text, Loader=_LOADER)


def load_file(path: Path, what: str = "答案文件") -> dict:
    """A YAML file from outside (UTF-8, UTF-8 with BOM, UTF-16 or GBK/GB18030) as a mapping; every problem is a
    Chinese message naming the file and, for a syntax error, its line and column."""
    import yaml

    from .errors import AnswersError, Unreadable
    from .files import read_text

    try:
        text = read_text(path, what)
    except Unreadable as exc:
        raise AnswersError(str(exc)) from None
    try:
        loaded = safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark, start = exc.problem_mark, exc.context_mark
        where = f"第{mark.line + 1}行第{mark.column + 1}列" if mark else ""
        if start and mark and start.line != mark.line:
            where = f"第{start.line + 1}行第{start.column + 1}列开始的内容到{where}"
        raise AnswersError(f"{what} {path} {where}有 YAML 语法错误（{exc.problem}）") from None
    except yaml.YAMLError as exc:
        raise AnswersError(f"{what} {path} 格式有误：{exc}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise AnswersError(f"{what} {path} 的内容应为“键: 值”形式的映射")
    return loaded
