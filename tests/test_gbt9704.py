"""GB/T 9704 stated once: drafter/gbt9704.py holds the standard's numbers as the standard states them (mm, pt, lines
and characters) and derives Word's units from them; no other module of drafter, bench or the template's builder
(templates/公文/build.py) defines them again."""

import ast
import io
import tokenize
from pathlib import Path

import pytest
from conftest import ROOT

from drafter import gbt9704 as G

HOME = ROOT / "drafter" / "gbt9704.py"
SOURCES = sorted(p for folder in ("drafter", "templates", "bench") for p in (ROOT / folder).rglob("*.py") if p != HOME)

# The standard's millimetres that mean nothing else in drafter's code: A4, the margins, the text block, the mark's
# place, the letter's rules. Not one may stand as a number in code (comments and strings may name them).
MILLIMETRES = {35, 37, 72, 156, 170, 210, 225, 297}
# Counts and sizes with other uses too (a zip record is 22 bytes long, a month has 28 days): not one may be given to a
# name, directly or in a sum, a tuple, a dict's value, a conversion (float(22), Mm(26)), a default.
COUNTS = {22, 28, 26, 16, 14}
# Small distances (the page number's 7 mm, the letter's 30 mm and 20 mm, the 版记's rules): not one may be given as
# such to a name in mm (…_MM = 7; not a ratio like 7 / 8 of a character).
SMALL_MM = {7, 20, 30, 0.35, 0.25}
CONVERSIONS = {"float", "int", "round", "Mm", "Pt", "Twips", "Cm", "Inches", "Emu", "Length", "twips", "half_points",
               "eighths"}


def _numbers(node: ast.AST):
    """The numbers an expression is built of: through tuples, lists, dicts' values, arithmetic, conditional
    expressions and unit conversions, not through other calls, subscripts or comparisons."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            yield node
    elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        for element in node.elts:
            yield from _numbers(element)
    elif isinstance(node, ast.Starred):
        yield from _numbers(node.value)
    elif isinstance(node, ast.Dict):
        for value in node.values:
            yield from _numbers(value)
    elif isinstance(node, ast.BinOp):
        yield from _numbers(node.left)
        yield from _numbers(node.right)
    elif isinstance(node, ast.UnaryOp):
        yield from _numbers(node.operand)
    elif isinstance(node, ast.IfExp):
        yield from _numbers(node.body)
        yield from _numbers(node.orelse)
    elif isinstance(node, ast.Call):
        name = getattr(node.func, "id", getattr(node.func, "attr", None))
        if name in CONVERSIONS:
            for arg in node.args:
                yield from _numbers(arg)


def _assignments(tree: ast.AST):
    """(target name or "", value) for every assignment, named expression and parameter default."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.NamedExpr) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple) \
                        and len(target.elts) == len(node.value.elts):
                    yield from ((_name(t), v) for t, v in zip(target.elts, node.value.elts))
                else:
                    yield _name(target), node.value
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield from (("", d) for d in [*node.args.defaults, *node.args.kw_defaults] if d is not None)


def _name(target: ast.AST) -> str:
    return getattr(target, "id", getattr(target, "attr", ""))


def standard_numbers(source: str) -> list[tuple[int, str]]:
    """(line, what) for each of the standard's numbers that ``source`` states."""
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.NUMBER and not token.string.lower().startswith(("0x", "0o", "0b")) \
                and float(token.string.replace("_", "").rstrip("jJ")) in MILLIMETRES:
            found.append((token.start[0], f"the number {token.string}"))
    for name, value in _assignments(ast.parse(source)):
        for number in _numbers(value):
            if number.value in COUNTS:
                found.append((number.lineno, f"{name or 'a default'} = …{number.value}…"))
        if isinstance(value, ast.Call) and _name(value.func) in CONVERSIONS and len(value.args) == 1:
            value = value.args[0]  # float(30), Mm(7)
        if name.upper().endswith("_MM") and isinstance(value, ast.Constant) and value.value in SMALL_MM:
            found.append((value.lineno, f"{name} = {value.value} (mm)"))
    return sorted(set(found))


def test_the_standards_numbers_are_defined_in_gbt9704_only():
    """Every number of GB/T 9704 — 37, 35, 28, 26 mm, the 156×225 mm text block, A4, 72 mm, 7 mm, 22 lines of 28
    characters, 三号 16 pt — is defined in drafter/gbt9704.py; other modules take it from there."""
    elsewhere = {f"{path.relative_to(ROOT)}:{line}: {what}": path.read_text(encoding="utf-8").splitlines()[line - 1].strip()
                 for path in SOURCES for line, what in standard_numbers(path.read_text(encoding="utf-8"))}
    assert elsewhere == {}


def test_the_search_finds_the_numbers_where_they_are_defined():
    """The search is not blind: it finds every number in gbt9704.py, and in the definitions drafter had before."""
    home = " ".join(what for _, what in standard_numbers(HOME.read_text(encoding="utf-8")))
    for number in ("number 37", "number 35", "number 156", "number 225", "number 210", "number 297", "number 170", "…22…",
                   "…28…", "…26…", "…16…", "…14…", "= 7 (mm)", "= 30 (mm)", "= 20 (mm)", "= 0.35 (mm)"):
        assert number in home, number
    for again in ("TOP, BOTTOM, LEFT, RIGHT = 37.0, 297.0 - 35.0, 28.0, 210.0 - 26.0", "PITCH = 225 / 22",
                  "MARK_TOP_MM = 72", "most = 15 if landscape else 22", "SIZE = float(16)",
                  "PAGE_NUMBER_BELOW_MM, BOX_MM = 7, 60", "LETTER_TOP_MM = float(30)", "def f(chars=28): pass", "x = Mm(26)"):
        assert standard_numbers(again), again
    for other in ("tail = min(size, 22 + 0xFFFF)", "day = day.replace(day=28)", "if len(text) <= 30: pass",
                  "SEAL_GAP_MM = 4", "GAP_MM = CHAR_MM * 7 / 8", "# 37 mm", "message = '156 mm'"):
        assert not standard_numbers(other), other


def test_word_units_are_derived_from_the_standards_mm():
    """The Word units computed in gbt9704 are those of GB/T 9704 in Word (/work/shared/GBT9704.md): the derivation
    checked against the values stated independently."""
    assert (G.PAGE_W, G.PAGE_H) == (11906, 16838)
    assert (G.MARGIN_TOP, G.MARGIN_LEFT, G.MARGIN_BOTTOM, G.MARGIN_RIGHT) == (2098, 1587, 1984, 1474)
    assert (G.TEXT_H, G.LINE, G.LINE_PT) == (12756, 579, 28.95)
    assert (G.SIZE_BODY, G.SIZE_TITLE, G.SIZE_SMALL, G.CHAR, G.CHAR_SMALL) == (32, 44, 28, 320, 280)
    assert G.TRACKING == -5 and (G.COLOPHON_THICK, G.COLOPHON_THIN) == (8, 6)
    assert G.TEXT_W == pytest.approx(G.TEXT_W_MM * G.MM, abs=1)
    assert G.TEXT_BLOCK == "156×225 mm" and G.PAPER == "210×297 mm"


def test_the_derived_measures_agree_with_the_standard():
    """The right and bottom margins and the mark's place follow from the standard's numbers; the text block holds 22
    lines and 28 characters (20 of the title's 二号); the landscape page's 15 lines and 40 characters."""
    assert G.MARGIN_TOP_MM + G.TEXT_H_MM + G.MARGIN_BOTTOM_MM == G.PAPER_H_MM
    assert G.MARGIN_LEFT_MM + G.TEXT_W_MM + G.MARGIN_RIGHT_MM == G.PAPER_W_MM
    assert G.MARK_TOP_MM == G.TEXT_TOP_MM + G.MARK_BELOW_TEXT_TOP_MM
    assert G.LINES_PER_PAGE * G.LINE <= G.TEXT_H < (G.LINES_PER_PAGE + 1) * G.LINE
    assert G.CHARS_PER_LINE * (G.CHAR + G.TRACKING) <= G.TEXT_W < G.CHARS_PER_LINE * (G.CHAR + G.TRACKING + 1)
    assert G.TITLE_CHARS * G.TITLE_PT * G.PT_MM <= G.TEXT_W_MM < (G.TITLE_CHARS + 1) * G.TITLE_PT * G.PT_MM
    assert (G.LANDSCAPE_LINES, G.LANDSCAPE_CHARS) == (G.TEXT_W // G.LINE, G.TEXT_H // (G.CHAR + G.TRACKING))
    assert G.PITCH_MM == pytest.approx(G.LINE * G.TWIP_MM, abs=0.02)
    assert G.CHAR_MM == pytest.approx(G.CHAR * G.TWIP_MM) and G.CHAR_SMALL_MM == pytest.approx(G.CHAR_SMALL * G.TWIP_MM)


def test_scan_covers_the_modules_that_measure():
    names = {Path(p).name for p in SOURCES}
    assert {"layout_measured.py", "rules.py", "layout.py", "title.py", "read.py", "pdf_pages.py", "answers.py",
            "render.py", "build.py"} <= names and ROOT / "templates" / "公文" / "build.py" in SOURCES  # the template's
