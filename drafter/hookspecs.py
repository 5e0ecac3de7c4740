"""The hooks a drafter plugin may implement.

A plugin is a module or object with functions marked ``@drafter.hookimpl``, found through the ``drafter``
entry-point group (the built-in sectors are registered there too). Catalogue hooks take no arguments and return
data; the host decides what goes into a notice. Text in the returned objects is Jinja, rendered by the host in a
sandbox with the notice's facts (see docs/plugins.md); undefined names are errors. The sandbox holds a text to
drafter's limits (drafter/limits.py: TEMPLATE_OUTPUT for what it makes and prints, TEMPLATE_LOOPS for its loops and
macro calls) and refuses ``{% include %}``, ``{% import %}`` and ``{% extends %}``: a text is only its own.

A plugin's import and each call of its hooks must finish within PLUGIN_SECONDS; past it the drafting stops (the command; on
the page, that notice's), naming the plugin. Whatever a hook raises, SystemExit included, is the plugin's failure, reported with its name.

Every returned object carries a stable ``id``; two plugins returning the same id is an error naming both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from .answers import Answers
    from .catalogue import Activity, ExtraAttachment, ExtraSection, Question, Sector
    from .finding import Finding
    from .model import Notice

PROJECT = "drafter"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def register_sectors() -> list[Sector]:
    """The sectors (行业) this plugin drafts for, e.g. 商务: the name an issuer's ``sector`` answer picks, its
    default 主送, 抄送, scope and how the body addresses those who act, and an example issuer for ``--defaults``."""


@hookspec
def register_activities() -> list[Activity]:
    """Activities offered to every notice, each with a heading, its paragraphs, the statistics units report (rows
    of the 活动进展情况统计表) and a line of the 活动计划表. Pre-selected for the sectors in ``sectors`` (default: the
    plugin's own sectors); any notice may add them."""


@hookspec
def register_questions() -> list[Question]:
    """Extra questions asked of an issuer of the sectors in ``sectors``; the answers are stored under ``extra`` in
    the answers file and are available to the plugin's text as ``{{ extra.<id> }}``."""


@hookspec
def register_sections() -> list[ExtraSection]:
    """Top-level sections added to the notices of the sectors in ``sectors``, placed by ``order`` among the
    built-in ones (总体要求 10, 主要活动 20, 工作要求 30)."""


@hookspec
def register_attachments() -> list[ExtraAttachment]:
    """Attachments (a numbered list or a form) offered to every notice, pre-selected for the sectors in
    ``sectors``, placed by ``order`` among the built-in ones (宣传标语 10, 联络员表 20, 统计表 30, 计划表 40)."""


@hookspec
def check_notice(notice: Notice, answers: Answers) -> list[Finding]:
    """Findings about a composed notice. An ``error`` stops drafting (nothing is written); a ``warning`` is
    shown and drafting goes on."""
