"""The package's layers, read from its source: no import cycles (module-level or inside functions; imports for
type checkers only are left out), and the data flowing one way — answers → Notice → docx — with the commands on top.
A rule broken here names the import that breaks it."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "drafter"

# Lower layers never import higher ones. Each module is in the first layer that names it (a prefix names a
# subpackage); the rest of the package is the middle layer.
LAYERS = [
    ("foundations", ["drafter.errors", "drafter.limits", "drafter.gbt9704", "drafter.files", "drafter.yamlio",
                     "drafter.places", "drafter.dates", "drafter.docnumber", "drafter.textwidth", "drafter.model", "drafter.conventions", "drafter.shipped", "drafter.finding"]),
    ("middle", None),
    ("commands", ["drafter.new", "drafter.doctor", "drafter.scaffold", "drafter.serve"]),
    ("entry", ["drafter.cli", "drafter.__main__"]),
]
# What `drafter check` and reading a received notice rest on: they take no part in drafting.
READING = ["drafter.check", "drafter.check.rules", "drafter.check.anatomy", "drafter.check.read", "drafter.package",
           "drafter.check.pdf_pages", "drafter.check.layout_measured", "drafter.parents.sourcetext",
           "drafter.parents.importer"]
DRAFTING = ["drafter.answers", "drafter.compose", "drafter.render", "drafter.questionnaire", "drafter.new"]


def modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


MODULES = modules()


def imports(name: str, path: Path) -> dict[str, int]:
    """The package's modules ``name`` imports, each with the line of its first import."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
                   for n in ast.walk(node)}
    out: dict[str, int] = {}
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        targets: list[str] = []
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - (node.level - 1)] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            named = [f"{module}.{a.name}" for a in node.names if f"{module}.{a.name}" in MODULES]
            targets = named or ([module] if module in MODULES else [])
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names if a.name in MODULES]
        for target in targets:
            if target != name:
                out.setdefault(target, node.lineno)
    return out


GRAPH = {name: imports(name, path) for name, path in MODULES.items()}


def layer_of(name: str) -> int:
    for n, (_, members) in enumerate(LAYERS):
        if members and any(name == m or name.startswith(m + ".") for m in members):
            return n
    return 1


def test_no_import_cycles():
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append({m: sorted(set(GRAPH[m]) & set(component)) for m in sorted(component)})

    for name in GRAPH:
        if name not in index:
            visit(name)
    assert cycles == []


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_no_module_imports_a_higher_layer(name):
    wrong = [f"{name} (layer {LAYERS[layer_of(name)][0]}) imports {target} (layer {LAYERS[layer_of(target)][0]}) "
             f"at line {line}" for target, line in GRAPH[name].items() if layer_of(target) > layer_of(name)]
    assert wrong == []


@pytest.mark.parametrize("name", READING)
def test_reading_a_notice_takes_no_part_in_drafting(name):
    wrong = [f"{name} imports {t} at line {line}" for t, line in GRAPH[name].items()
             if any(t == d or t.startswith(d + ".") for d in DRAFTING)]
    assert wrong == []


def test_the_rules_know_every_module_they_name():
    named = [m for _, members in LAYERS if members for m in members] + READING + DRAFTING
    assert [m for m in named if not any(k == m or k.startswith(m + ".") for k in MODULES)] == []


def test_checking_a_notice_loads_no_drafting_library(tmp_path):
    """`drafter check` reads a .docx with zipfile and lxml: the validation library, the Word writer and the template
    engine (which drafting needs) are not imported, so that it starts fast — checked on a notice being checked."""
    notice = tmp_path / "x.docx"
    subprocess.run([sys.executable, "-m", "drafter", "new", "--defaults", "-o", str(notice)], capture_output=True,
                   check=True, env={**os.environ, "DRAFTER_HOME": str(tmp_path / "home")})
    code = ("import sys; from drafter.cli import main; code = main(['check', sys.argv[1]]); "
            "print('LOADED', *(m for m in ('pydantic', 'docx', 'docxtpl', 'jinja2', 'pluggy') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, str(notice)], capture_output=True, text=True, check=True)
    assert "未发现问题" in done.stdout  # it did check the notice
    assert done.stdout.split("LOADED")[1].split() == []
