"""docs/plugins.md kept in step with the code: every hook, every field of every type, every template variable."""

import inspect
import re

import pytest
from conftest import ROOT

from drafter import catalogue, hookspecs, plugins
from drafter.answers import resolve
from drafter.compose import _facts

DOC = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
SPECS = {name: f for name, f in inspect.getmembers(hookspecs, inspect.isfunction) if hasattr(f, "drafter_spec")}


def section(heading: str) -> str:
    start = DOC.index(f"\n### {heading}\n")
    end = DOC.find("\n##", start + 1)
    return DOC[start:end]


def test_every_hook_is_documented_with_its_signature_and_nothing_else_is():
    documented = dict(re.findall(r"^### (\w+)\(([\w, ]*)\)$", DOC, flags=re.M))
    assert set(documented) == set(SPECS)
    for name, args in documented.items():
        assert [a.strip() for a in args.split(",") if a.strip()] == list(inspect.signature(SPECS[name]).parameters)
        assert SPECS[name].__doc__, f"hookspec {name} has no docstring"


@pytest.mark.parametrize("model", ["Sector", "Activity", "Item", "Plan", "Question", "ExtraSection",
                                   "ExtraAttachment", "Finding"])
def test_every_field_of_every_type_is_documented(model):
    import dataclasses

    kind = getattr(catalogue, model)
    fields = [f.name for f in dataclasses.fields(kind)] if dataclasses.is_dataclass(kind) else list(kind.model_fields)
    rows = re.findall(r"^\| `(\w+)` \|", section(model), flags=re.M)
    assert sorted(rows) == sorted(fields) and len(rows) == len(set(rows))


def test_every_template_variable_is_documented():
    answers = resolve({})
    facts = _facts(answers, {"stats": "附件3"})
    names = set()
    for key, value in facts.items():
        names |= {f"{key}.{k}" for k in value} if isinstance(value, dict) and key in ("deadlines", "contact") else {key}
    table = DOC[DOC.index("## 文字模板中的变量"):DOC.index("## 出错时")]
    documented = set(re.findall(r"`([\w.]+?)(?:\.<id>)?`", table))
    assert names == documented


def test_the_statuses_of_drafter_plugins_are_documented():
    statuses = {plugins.LOADED, plugins.DISABLED, plugins.LOAD_FAILED, plugins.HOOK_FAILED}
    errors = DOC[DOC.index("## 出错时"):DOC.index("## 测试插件")]
    assert set(re.findall(r"`(已\w+|加载失败|钩子出错)`", errors)) == statuses


def test_the_documented_dependency_is_the_one_plugin_new_writes():
    from drafter.scaffold import requirement

    assert f'dependencies = ["{requirement()}"]' in DOC


def test_the_readme_lists_every_limit_as_limits_py_states_it():
    from drafter import limits

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## 安全限制"):]
    table = table[:table.find("\n## ", 1) if "\n## " in table[1:] else None]
    rows = re.findall(r"^\| ([^|`]+?) \| ([^|]+?) \| [^|]+ \|$", table, flags=re.M)
    rows = [row for row in rows if row != ("项目", "上限")]
    assert sorted(rows) == sorted((limit.what, limit.shown) for limit in limits.ALL.values())
