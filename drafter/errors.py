"""One error hierarchy: every failure a user can cause is a DrafterError, caught once in the CLI."""


class DrafterError(Exception):
    """A problem the user can fix; str(error) is a complete message in Chinese, as a terminal shows it. ``page`` is the
    same message for the browser's page (`drafter serve`), given where the remedy differs there: a button to press
    instead of an option to add."""

    exit_code = 1
    label = "错误："  # printed before the message

    def __init__(self, *args: object, page: str | None = None):
        super().__init__(*args)
        self.page = page


class InvalidValue(DrafterError):
    """A value (文号, date, answer) that does not meet its rule."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(f"{field}：{message}" if field else message)


def given(value: object) -> str:
    """A value a message quotes, as the clerk wrote it: “text”; a list or a mapping by its shape, never in Python's
    notation (“['a']”, “None”)."""
    if isinstance(value, bool):  # as YAML spells it
        return "“true”" if value else "“false”"
    if isinstance(value, (list, tuple)):
        return "列表"
    if isinstance(value, dict):
        return "“键: 值”形式的内容"
    return f"“{value}”"


class AnswersError(DrafterError):
    """An answers file that cannot be read or does not validate; ``problems`` are its lines, one per problem."""

    problems: tuple[str, ...] | list[str] = ()


class OutputError(DrafterError):
    """The output cannot be written (exists, folder missing or unwritable, disk full)."""


class RenderError(DrafterError):
    """The template could not be filled."""


class Unreadable(DrafterError):
    """A file given to read (a notice to check or import, an answers file) that is missing or not what it claims."""

    exit_code = 2
