"""The sandbox that text templates (plugins' text, the shared wording) render in, held to drafter's limits.

jinja2's ImmutableSandboxedEnvironment keeps a template from reaching Python's internals and from changing lists and
dicts; this one also bounds what a template may make, so that a plugin's text cannot take the machine's memory or
time:

- every value a template makes (an operator, ``~``, a call, a filter) is charged by its size, in characters as
  printed, to one budget per rendering of TEMPLATE_OUTPUT; operations whose result may be far larger than what
  they are given (``*``, ``**``, ``%`` and ``format``, ``center``, ``replace``, ``join``, ``indent``, ``batch`` …)
  are refused *before* they run when the result would not fit;
- what is printed (``{{ … }}``, also inside ``{% set %}…{% endset %}``) and the output as a whole are each held to
  TEMPLATE_OUTPUT;
- loop iterations and macro calls together are held to TEMPLATE_LOOPS (``range`` too: no longer than that);
- ``{% include %}``, ``{% import %}``, ``{% from … import %}`` and ``{% extends %}`` are refused: a text is only its
  own. ``lipsum`` is not offered.

A limit reached raises TemplateLimit; the caller (compose.Writer) names the plugin and the text."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from jinja2 import StrictUndefined, TemplateError, nodes
from jinja2.runtime import Context, LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace
from jinja2.visitor import NodeTransformer

from .limits import TEMPLATE_LOOPS, TEMPLATE_OUTPUT, Limit

CAP = TEMPLATE_OUTPUT.amount  # characters: what one rendering may make, print and output
COUNTED, JOINED = "_drafter_counted", "_drafter_joined"  # the filters loops and ``~`` are compiled through
REFUSED = {nodes.Include: "{% include %}", nodes.Import: "{% import %}", nodes.FromImport: "{% from … import %}",
           nodes.Extends: "{% extends %}"}


class TemplateLimit(TemplateError):
    """A template that went past one of drafter's limits."""

    def __init__(self, limit: Limit, found: str):
        self.limit, self.found = limit, found
        super().__init__(limit.message("文字模板", found))


class Budget:
    """What one rendering has made, printed and run so far."""

    def __init__(self) -> None:
        self.made = 0  # characters of the values made by operations
        self.printed = 0  # characters printed by {{ … }}
        self.steps = 0  # loop iterations and macro calls
        self._sizes: dict[int, tuple[Any, int]] = {}  # id → (container, its size): containers do not change

    def size(self, value: Any) -> int:
        """About how many characters ``value`` prints as (more than CAP: CAP + 1), without printing it. A list
        holding one string many times counts it each time, as printing it would."""
        if isinstance(value, (str, bytes)):
            return len(value)
        if isinstance(value, bool) or value is None:
            return 5
        if isinstance(value, int):
            return _digits(value)
        if isinstance(value, float):
            return 24
        if isinstance(value, Namespace):  # changes through {% set ns.x = … %}: measured each time
            return self._sum(object.__getattribute__(value, "_Namespace__attrs").items())
        if isinstance(value, range):
            return min(len(value) * (max(_digits(value.start), _digits(value.stop)) + 2), CAP + 1)
        if isinstance(value, (list, tuple, dict, set, frozenset, type({}.items()), type({}.keys()),
                              type({}.values()))):
            known = self._sizes.get(id(value))
            if known is not None and known[0] is value:
                return known[1]
            items: Any = value.items() if isinstance(value, dict) else value
            total = CAP + 1 if 2 * len(value) > CAP else self._sum(items)
            self._sizes[id(value)] = (value, total)
            return total
        return 1  # a loop, a macro, a cycler: printed short, if at all

    def _sum(self, items: Iterable) -> int:
        total = 2
        for item in items:
            total += 2 + self.size(item)
            if total > CAP:
                return CAP + 1
        return total

    def before(self, predicted: int | None, inputs: Iterable[Any]) -> None:
        """Refuse an operation before it runs: one whose result is ``predicted`` to be too large for what is left,
        or (no prediction: a result about as large as what it is given) one given more than CAP."""
        if predicted is None:
            predicted = sum(self.size(i) for i in inputs)
            if predicted > CAP:
                raise TemplateLimit(TEMPLATE_OUTPUT, f"一次运算涉及约 {predicted:,} 字")
        elif self.made + predicted > CAP:
            raise TemplateLimit(TEMPLATE_OUTPUT, f"一次运算要生成约 {predicted:,} 字，此前已生成 {self.made:,} 字")

    def charge(self, value: Any) -> Any:
        if isinstance(value, range):  # made lazily: charged if it is ever made into a list
            return value
        self.made += self.size(value)
        if self.made > CAP:
            raise TemplateLimit(TEMPLATE_OUTPUT, f"运算生成的文字累计已超过 {CAP:,} 字")
        return value

    def print(self, value: Any) -> None:
        self.printed += self.size(value)
        if self.printed > CAP:
            raise TemplateLimit(TEMPLATE_OUTPUT, f"打印的文字累计已超过 {CAP:,} 字")

    def step(self) -> None:
        self.steps += 1
        if self.steps > TEMPLATE_LOOPS.amount:
            raise TemplateLimit(TEMPLATE_LOOPS, "循环和宏调用合计")


_budget: ContextVar[Budget | None] = ContextVar("drafter_template_budget", default=None)


def budget() -> Budget:
    """The budget of the rendering under way (jinja may also fold constants while compiling: a budget of its own)."""
    return _budget.get() or Budget()


def _digits(n: int) -> int:
    return int(abs(n).bit_length() * 0.30103) + 2


def _width(value: Any) -> int:
    """A width or count given to a filter or method: its value if a number, else its length."""
    if isinstance(value, bool):
        return int(value)
    return max(value, 0) if isinstance(value, int) else budget().size(value)


def _formatted(fmt: str | bytes, values: Iterable[Any], star: bool) -> int:
    """At most how long ``fmt`` formatted with ``values`` is (printf's % or str.format): each field may hold any
    value, as wide as any number written in ``fmt`` (or, for printf's ``*``, given)."""
    text = fmt if isinstance(fmt, str) else fmt.decode("latin-1")
    values = list(values)
    widths = [int(n) for n in re.findall(r"\d+", text)]
    if star:
        widths += [abs(v) for v in values if isinstance(v, int)]
    fields = text.count("%" if star else "{")
    return len(text) + fields * (max(map(budget().size, values), default=0) + max(widths, default=0))


def _printf(fmt: Any, args: Any) -> int | None:
    if not isinstance(fmt, (str, bytes)):
        return None
    values = args.values() if isinstance(args, dict) else args if isinstance(args, tuple) else (args,)
    return _formatted(fmt, values, star=True)


def _binop(op: str, left: Any, right: Any) -> int | None:
    """The size of ``left op right`` where it may be far larger than the two (None: it is not)."""
    if op == "*":
        for seq, n in ((left, right), (right, left)):
            if isinstance(n, int) and isinstance(seq, (str, bytes, list, tuple)):
                return budget().size(seq) * max(n, 0)
        if isinstance(left, int) and isinstance(right, int):
            return _digits(left) + _digits(right)
    if op == "**" and isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
        return int(right * math.log10(abs(left))) + 2
    if op == "%":
        return _printf(left, right)
    return None


def _replaced(s: Any, old: Any, new: Any, count: Any = -1) -> int:
    n = len(s) + 1 if not old else len(s) // max(len(old), 1)
    if isinstance(count, int) and count >= 0:
        n = min(n, count)
    return len(s) + n * budget().size(new)


def _joined_size(sep: Any, items: list) -> int:
    return sum(map(budget().size, items)) + budget().size(sep) * len(items)


def _method(owner: str | bytes, name: str, args: tuple, kwargs: dict) -> int | None:
    """The size of a str (or bytes) method's result where it may be far larger than the string."""
    size = len(owner)
    given = list(args) + list(kwargs.values())
    if name in ("center", "ljust", "rjust", "zfill"):
        return max(size, _width(given[0])) if given else size
    if name == "expandtabs":
        return size * max(_width(given[0]) if given else 8, 1)
    if name == "replace" and len(given) >= 2:
        return _replaced(owner, given[0], given[1], *given[2:3])
    if name == "join" and given:
        return _joined_size(owner, given[0])
    if name == "translate":
        return size * (budget().size(given[0]) + 1 if given else 1)
    if name == "format":
        return _formatted(owner, given, star=False)
    if name == "format_map":
        return _formatted(owner, given[0].values() if given and isinstance(given[0], dict) else given, star=False)
    return None


def _value_and_args(args: tuple) -> tuple:
    """A filter's arguments without the context jinja passes first to some."""
    from jinja2 import Environment
    from jinja2.nodes import EvalContext

    return args[1:] if args and isinstance(args[0], (Context, EvalContext, Environment)) else args


# Filters whose result may be far larger than what they are given: (value, *args, **kwargs) → size.
GROWING_FILTERS: dict[str, Callable[..., int]] = {
    "center": lambda value, width=80: budget().size(value) + _width(width),
    "indent": lambda s, width=4, *rest, **kw: budget().size(s) + (str(s).count("\n") + 1) * _width(width),
    "wordwrap": lambda s, width=79, break_long_words=True, wrapstring=None, *rest, **kw:
        budget().size(s) * (1 + (budget().size(wrapstring) if wrapstring is not None else 2)),
    "format": lambda value, *args, **kwargs: _printf(str(value), kwargs or args) or 0,
    "replace": lambda s, old, new, count=None: _replaced(str(s), old, new, count if count is not None else -1),
    "batch": lambda value, linecount, fill_with=None: budget().size(value) + (
        _width(linecount) * (budget().size(fill_with) + 2) if fill_with is not None else 0),
    "slice": lambda value, slices, fill_with=None: budget().size(value) + _width(slices) * (
        budget().size(fill_with) + 4),
}


def _bounded_filter(name: str, function: Callable) -> Callable:
    @functools.wraps(function)  # keeps jinja's pass_context / pass_eval_context marks
    def bounded(*args: Any, **kwargs: Any) -> Any:
        plain = _value_and_args(args)
        if name == "join" and plain:  # measured on the items, as given once (a generator is used up)
            args = args[:len(args) - len(plain)] + (list(plain[0]),) + plain[1:]
            plain = _value_and_args(args)
            sep = plain[1] if len(plain) > 1 else kwargs.get("d", "")
            predicted: int | None = _joined_size(sep, plain[0])
        elif name in GROWING_FILTERS and plain:
            predicted = GROWING_FILTERS[name](*plain, **kwargs)
        else:
            predicted = None
        budget().before(predicted, [*plain, *kwargs.values()])
        return budget().charge(function(*args, **kwargs))

    return bounded


def _counted(iterable: Any) -> Iterator:
    """A loop's items, each counted against TEMPLATE_LOOPS."""
    for item in iterable:
        budget().step()
        yield item


def _joined(parts: list) -> str:
    """``a ~ b ~ c``."""
    budget().before(sum(map(budget().size, parts)), ())
    return budget().charge("".join(map(str, parts)))


def _range(*args: int) -> range:
    made = range(*args)
    if len(made) > TEMPLATE_LOOPS.amount:
        raise TemplateLimit(TEMPLATE_LOOPS, f"range 有 {len(made):,} 项")
    return made


class _Bounding(NodeTransformer):
    """Compiles loops through _counted and ``~`` through _joined; refuses include, import and extends."""

    def generic_visit(self, node: nodes.Node, *args: Any, **kwargs: Any) -> Any:
        for kind, tag in REFUSED.items():
            if isinstance(node, kind):
                raise TemplateError(f"第{node.lineno}行不能用 {tag}：文字模板只能用自己的内容，不能引入其他模板")
        return super().generic_visit(node, *args, **kwargs)

    def visit_For(self, node: nodes.For) -> nodes.Node:
        node = self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, COUNTED, [], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        node = self.generic_visit(node)
        return nodes.Filter(nodes.List(node.nodes, lineno=node.lineno), JOINED, [], [], None, None,
                            lineno=node.lineno)


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The sandbox of drafter's text templates (see the module's docstring)."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})

    def __init__(self, finalize: Callable[[Any], Any]):
        def printed(value: Any) -> Any:
            value = finalize(value)
            budget().print(value)
            return value

        super().__init__(undefined=StrictUndefined, autoescape=False, finalize=printed, optimized=False)
        self.filters = {name: _bounded_filter(name, f) for name, f in self.filters.items()}
        self.filters.update({COUNTED: _counted, JOINED: _joined})
        self.globals.pop("lipsum", None)
        self.globals["range"] = _range

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        budget().before(_binop(operator, left, right), (left, right))
        return budget().charge(super().call_binop(context, operator, left, right))

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 -- as jinja
        if isinstance(__obj, (Macro, LoopContext)):  # a macro, or a recursive loop's loop(…): a step each
            budget().step()
            if isinstance(__obj, LoopContext) and args:
                args = (_counted(args[0]), *args[1:])
            return super().call(__context, __obj, *args, **kwargs)
        method = getattr(__obj, "__wrapped__", __obj)  # str.format and format_map come wrapped by the sandbox
        owner, name = getattr(method, "__self__", None), getattr(method, "__name__", "")
        predicted = None
        if isinstance(owner, (str, bytes)):
            if name == "join" and args:
                args = (list(args[0]), *args[1:])
            predicted = _method(owner, name, args, kwargs)
        budget().before(predicted, [owner, *args, *kwargs.values()])
        return budget().charge(super().call(__context, __obj, *args, **kwargs))

    def compiled(self, source: str):
        """``source`` compiled with its loops counted, its ``~`` measured and include/import/extends refused (jinja
        may run filters on constants while compiling: within a budget of their own)."""
        token = _budget.set(Budget())
        try:
            tree = _Bounding().visit(self.parse(source))
            tree.set_environment(self)
            return self.from_string(tree)
        finally:
            _budget.reset(token)

    def render(self, template, facts: dict) -> str:
        """A compiled template with ``facts``, within the limits (a fresh budget each time)."""
        token = _budget.set(Budget())
        try:
            out, length = [], 0
            for chunk in template.generate(facts):
                length += len(chunk)
                if length > CAP:
                    raise TemplateLimit(TEMPLATE_OUTPUT, f"输出已超过 {CAP:,} 字")
                out.append(chunk)
            return "".join(out)
        finally:
            _budget.reset(token)
