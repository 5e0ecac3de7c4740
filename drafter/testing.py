"""Helpers for plugin authors' tests: draft a notice through the same path as `drafter new`."""

from __future__ import annotations

from .model import Notice, Paragraph, Section


def draft(sector: str | None = None, answers: dict | None = None, disabled: tuple[str, ...] = ()) -> Notice:
    """The notice `drafter new --defaults [--sector SECTOR]` would draft, with ``answers`` over the defaults."""
    from .answers import merge, resolve
    from .compose import compose
    from .plugins import Plugins

    plugins = Plugins(disabled)  # fresh: sees what is installed now
    given = merge(answers or {}, {"issuer": {"sector": sector}} if sector else {})
    return compose(resolve(given, plugins=plugins), plugins)


def text_of(notice: Notice) -> str:
    """The title, every heading and paragraph, and the attachments' text, one per line."""
    lines = [notice.title]

    def walk(blocks):
        for block in blocks:
            if isinstance(block, Section):
                lines.append(block.title)
                walk(block.children)
            elif isinstance(block, Paragraph):
                lines.append(block.text)

    walk(notice.body)
    for a in notice.attachments:
        lines.append(a.title)
        for row in getattr(a, "rows", []):
            lines.append(" ".join(row) if isinstance(row, list) else " ".join(
                str(v) if not isinstance(v, list) else " ".join(v) for v in vars(row).values()))
        lines.extend(getattr(a, "items", []))
    return "\n".join(lines)
