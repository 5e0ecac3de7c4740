"""Prompts for the terminal (questionary) and the validators behind them: a value typed wrong is refused with
the reason, in Chinese, and asked again."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from pydantic import BaseModel, ValidationError

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
        self.rejected: list[str] = []  # why typed values were refused (and asked again)

    def _ask(self, question):
        self.count += 1
        return question.unsafe_ask()  # Ctrl-C raises KeyboardInterrupt: the caller keeps what was answered

    def text(self, message: str, default: Any = "", validate: Validator | None = None) -> str:
        import questionary

        return self._ask(questionary.text(message, default="" if default is None else str(default),
                                          validate=_checker(validate, self.rejected),
                                          validate_while_typing=False, **self.kw)).strip()

    def select(self, message: str, choices: list[tuple[str, Any]], default: Any = None, search: bool = False):
        import questionary

        options = [questionary.Choice(title, value=value) for title, value in choices]
        chosen = next((o for o in options if o.value is default or o.value == default), None)
        return self._ask(questionary.select(message, options, default=chosen, use_search_filter=search,
                                            use_jk_keys=not search, instruction="（↑↓ 选择，回车确认"
                                            + ("，可输入文号中的数字筛选）" if search else "）"), **self.kw))

    def checkbox(self, message: str, choices: list[tuple[str, Any, bool]], at_least_one: bool = False) -> list:
        import questionary

        options = [questionary.Choice(title, value=value, checked=checked) for title, value, checked in choices]
        return self._ask(questionary.checkbox(
            message, options, instruction="（空格 选中/取消，a 全选，回车确认）",
            validate=(lambda picked: True if picked else "至少选择一项") if at_least_one else (lambda _: True),
            **self.kw))

    def confirm(self, message: str, default: bool = True) -> bool:
        """是/否, answered with Enter: y or n alone only shows the choice. (questionary's default acts on the key
        press, and the Enter a clerk types after it would answer the next question.)"""
        import questionary
        import questionary.prompts.confirm as words

        # questionary prints these English words; a clerk reads Chinese.
        words.YES, words.NO = "是", "否"
        words.YES_OR_NO, words.NO_OR_YES = "（y 是 / n 否，回车确认；默认“是”）", "（y 是 / n 否，回车确认；默认“否”）"
        return self._ask(questionary.confirm(message, default=default, auto_enter=False, **self.kw))


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


def names(text: str) -> list[str]:
    """抄送 and the like typed on one line: 区安委办、区应急管理局."""
    for sep in "，,；;":
        text = text.replace(sep, "、")
    return [n for n in text.strip("。").split("、") if n]
