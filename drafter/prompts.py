"""Prompts for the terminal (questionary) and the validators behind them: a value typed wrong is refused with
the reason, in Chinese, and asked again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from .conventions import NUMBERED
from .dates import format_date, parse_date
from .docnumber import DocNumber
from .errors import InvalidValue
from .validation import message

Validator = Callable[[str], Any]


class Prompter:
    """questionary prompts, counted. Tests pass prompt_toolkit pipe input and a dummy output."""

    def __init__(self, input=None, output=None):
        self.kw = {k: v for k, v in (("input", input), ("output", output)) if v is not None}
        self.count = 0  # prompts shown
        self.shown: list[str] = []  # their messages, in order
        self.rejected: list[str] = []  # why typed values were refused (and asked again)

    def _ask(self, question, message: str = ""):
        self.count += 1
        self.shown.append(message)
        return question.unsafe_ask()  # Ctrl-C raises KeyboardInterrupt: the caller keeps what was answered

    def text(self, message: str, default: Any = "", validate: Validator | None = None) -> str:
        import questionary

        return self._ask(questionary.text(message, default="" if default is None else str(default),
                                          validate=_checker(validate, self.rejected),
                                          validate_while_typing=False, **self.kw), message).strip()

    def paragraphs(self, message: str, at_least_one: bool = True) -> list[str]:
        """Text of several paragraphs, asked one paragraph at a time: Enter ends a paragraph, Enter on an empty line
        ends the text. A text pasted with line breaks gives one paragraph a line. (A multi-line text box would need
        Esc+Enter or Alt+Enter to finish, which Windows terminals and clerks do not know.)"""
        out: list[str] = []

        def check(text: str) -> list[str]:
            lines = paragraph_lines(text)
            if not lines and at_least_one and not out:
                raise ValueError("至少写一段")
            return lines

        while True:
            hint = "写完一段按回车；全部写完后，在空行上再按一次回车" if not out else "直接回车表示写完"
            lines = check(self.text(f"{message}　第{len(out) + 1}段（{hint}）", "", check))
            if not lines:
                return out
            out += lines

    def select(self, message: str, choices: Sequence[tuple], default: Any = None, search: bool = False):
        """Choices are (title, value) or (title, value, description); the description of the choice pointed at is
        shown below the list."""
        import questionary

        _chinese_description()
        options = [questionary.Choice(c[0], value=c[1], description=_description(c[2] if len(c) > 2 else None))
                   for c in choices]
        chosen = next((o for o in options if o.value is default or o.value == default), None)
        return self._ask(questionary.select(message, options, default=chosen, use_search_filter=search,
                                            use_jk_keys=not search, instruction="（↑↓ 选择，回车确认"
                                            + ("，可输入文号中的数字筛选）" if search else "）"), **self.kw), message)

    def checkbox(self, message: str, choices: Sequence[tuple], at_least_one: bool = False) -> list:
        """Choices are (title, value, checked) or (title, value, checked, description)."""
        import questionary

        _chinese_description()
        options = [questionary.Choice(c[0], value=c[1], checked=c[2],
                                      description=_description(c[3] if len(c) > 3 else None)) for c in choices]
        return self._ask(questionary.checkbox(
            message, options, instruction="（空格 选中/取消，a 全选，回车确认）",
            validate=(lambda picked: True if picked else "至少选择一项") if at_least_one else (lambda _: True),
            **self.kw), message)

    def confirm(self, message: str, default: bool = True) -> bool:
        """是/否, answered with Enter: y or n alone only shows the choice. (questionary's default acts on the key
        press, and the Enter a clerk types after it would answer the next question.)"""
        import questionary
        import questionary.prompts.confirm as words

        # questionary prints these English words; a clerk reads Chinese.
        words.YES, words.NO = "是", "否"
        words.YES_OR_NO, words.NO_OR_YES = "（y 是 / n 否，回车确认；默认“是”）", "（y 是 / n 否，回车确认；默认“否”）"
        return self._ask(questionary.confirm(message, default=default, auto_enter=False, **self.kw), message)


DESCRIPTION_LINES = 12  # at most, below a list (a longer text is cut with ……)


def _description(text: str | list[str] | None) -> str | None:
    """A choice's description (paragraphs) wrapped to the terminal's width: questionary does not wrap it, and a line
    wider than the terminal would be cut off."""
    import shutil

    from .textwidth import cells

    if not text:
        return None
    width = max(20, shutil.get_terminal_size((80, 24)).columns - 6)  # in columns: a Chinese character is two
    lines: list[str] = []
    for paragraph in [text] if isinstance(text, str) else text:
        line = "　　"
        for ch in paragraph:
            if 2 * cells(line + ch) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    if len(lines) > DESCRIPTION_LINES:
        lines = lines[:DESCRIPTION_LINES - 1] + [lines[DESCRIPTION_LINES - 1][:-1] + "……"]
    return "\n".join("    " + line for line in lines)


_ENGLISH_DESCRIPTION = "  Description: "


def _chinese_description() -> None:
    """questionary labels a choice's description “Description:”; a clerk reads Chinese. Its token is relabelled
    (once, for every list): “内容：”, the text on the lines below it."""
    from questionary.prompts.common import InquirerControl

    if getattr(InquirerControl, "_drafter_chinese", False):
        return
    original = InquirerControl._get_choice_tokens

    def tokens(self):
        out = []
        for token in original(self):
            if isinstance(token[1], str) and token[1].startswith(_ENGLISH_DESCRIPTION):
                token = (token[0], "\n  内容：\n" + token[1][len(_ENGLISH_DESCRIPTION):], *token[2:])
            out.append(token)
        return out

    InquirerControl._get_choice_tokens = tokens  # type: ignore[method-assign]
    InquirerControl._drafter_chinese = True  # type: ignore[attr-defined]


def _checker(validate: Validator | None, rejected: list[str]):
    """questionary wants True or a message; our validators raise InvalidValue/ValueError with the reason."""
    if validate is None:
        return None

    def check(text: str):
        try:
            validate(text.strip())
        except (InvalidValue, ValueError) as exc:
            rejected.append(str(exc))
            return str(exc)
        return True

    return check


# Validators: raise with the reason in Chinese.

def required(text: str) -> str:
    if not text:
        raise ValueError("不能为空")
    return text


def field(model: type[BaseModel], name: str, optional: bool = False) -> Validator:
    """The check an answers file gets for ``model.name`` (its pydantic validators), for one typed value; returns
    the value as the model keeps it. Empty text is refused unless ``optional`` (then it is None)."""
    def check(text: str) -> Any:
        if not text:
            if optional:
                return None
            raise ValueError("不能为空")
        try:
            checked = model.__pydantic_validator__.validate_assignment(model.model_construct(), name, text)
        except ValidationError as exc:
            raise ValueError("；".join(message({**e, "loc": ()}, []).lstrip("：") for e in exc.errors())) from None
        return getattr(checked, name)
    return check


def date_in(year: int | None) -> Validator:
    def check(text: str) -> dt.date:
        day = parse_date(text)
        if year and day.year != year:
            raise ValueError(f"{format_date(day)}不在{year}年内，请检查年份")
        return day
    return check


def number(text: str) -> int | float:
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        raise ValueError("请输入数字") from None


def optional_date(text: str):
    return parse_date(text) if text else None


def doc_number(text: str) -> str:
    return str(DocNumber.parse(text, strict=True))


def heading(text: str) -> str:
    """A section's title as typed: not empty, without a number of its own (numbers follow from the outline)."""
    from .answers import clean_text

    text = clean_text(required(text))
    if NUMBERED.match(text):
        raise ValueError(f"“{text}”：不必写序号，序号按结构自动编排")
    return text


def paragraph_lines(text: str) -> list[str]:
    """Typed or pasted text, one paragraph a line (empty lines dropped); control characters are refused."""
    from .answers import clean_text

    return [line for line in (clean_text(line) for line in text.splitlines()) if line]


def names(text: str) -> list[str]:
    """抄送 and the like typed on one line: 区安委办、区应急管理局."""
    for sep in "，,；;":
        text = text.replace(sep, "、")
    return [n for n in text.strip("。").split("、") if n]
