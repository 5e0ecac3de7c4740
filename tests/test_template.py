"""The shipped template is what templates/公文/build.py builds, it carries the GB/T 9704 set-up, and the wheel carries
it inside the package."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import ROOT
from docx.oxml.ns import qn
from docx.shared import Length

from drafter import gbt9704 as G
from drafter.render import template_path

BUILDER = ROOT / "templates" / "公文" / "build.py"
TEMPLATE = BUILDER.parent / "通知.docx"


def test_shipped_template_is_what_the_script_builds(tmp_path):
    out = tmp_path / "t.docx"
    subprocess.run([sys.executable, str(BUILDER), str(out)], check=True, capture_output=True)
    with zipfile.ZipFile(out) as built, zipfile.ZipFile(template_path()) as shipped:
        for part in ("word/document.xml", "word/styles.xml", "word/settings.xml"):
            assert built.read(part) == shipped.read(part), f"{part} differs: run python templates/公文/build.py"


def where_drafter_finds_the_template(site: Path, cwd: Path) -> Path:
    done = subprocess.run([sys.executable, "-c", "from drafter.render import template_path; print(template_path())"],
                          cwd=cwd, env={**os.environ, "PYTHONPATH": str(site)}, capture_output=True, text=True,
                          check=True)
    return Path(done.stdout.strip())


def test_drafter_run_from_the_repository_renders_with_the_top_level_template(tmp_path):
    """Offices find the template beside its builder in templates/公文/; drafter run from the repository (an editable
    install, or the repository on PYTHONPATH) renders every notice with that very file."""
    assert where_drafter_finds_the_template(ROOT, tmp_path) == TEMPLATE


def test_the_wheel_carries_the_template_inside_the_package(tmp_path):
    """A non-editable install drafts as the repository does: the wheel holds templates/公文/通知.docx as
    drafter/templates/公文/通知.docx (where template_path looks first), beside the plugin scaffold, and not the
    builder or its README."""
    source = tmp_path / "source"  # a copy: building leaves build/ and *.egg-info in the folder it builds
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    for folder in ("drafter", "plugins/drafter_sectors", "templates"):
        shutil.copytree(ROOT / folder, source / folder, ignore=skip)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "-w", str(tmp_path / "dist"), str(source)], check=True, capture_output=True)
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        assert z.read("drafter/templates/公文/通知.docx") == TEMPLATE.read_bytes()
        z.extractall(tmp_path / "site")
    scaffold = {f"drafter/templates/plugin/{p.name}" for p in (ROOT / "drafter" / "templates" / "plugin").glob("*.tmpl")}
    assert scaffold and scaffold <= names
    assert not [n for n in names if n.startswith("drafter/templates/") and not n.endswith((".docx", ".tmpl"))]
    assert where_drafter_finds_the_template(tmp_path / "site", tmp_path) == (
        tmp_path / "site" / "drafter" / "templates" / "公文" / "通知.docx")


def test_page_setup_and_grid():
    """The shipped template's page is the standard's (drafter.gbt9704): A4, the margins that leave the 156×225 mm
    text block, a line grid of 22 lines; in Word's twips, and in mm to within a twip's rounding."""
    d = docx.Document(str(template_path()))
    s = d.sections[0]
    assert (s.page_width.twips, s.page_height.twips) == (G.PAGE_W, G.PAGE_H)
    assert (s.top_margin.twips, s.bottom_margin.twips, s.left_margin.twips, s.right_margin.twips) == (
        G.MARGIN_TOP, G.MARGIN_BOTTOM, G.MARGIN_LEFT, G.MARGIN_RIGHT)
    in_mm = [x.mm for x in (s.page_width, s.page_height, s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)]
    assert in_mm == pytest.approx([G.PAPER_W_MM, G.PAPER_H_MM, G.MARGIN_TOP_MM, G.MARGIN_BOTTOM_MM, G.MARGIN_LEFT_MM,
                                   G.MARGIN_RIGHT_MM], abs=0.02)
    text_w = Length(s.page_width - s.left_margin - s.right_margin)
    text_h = Length(s.page_height - s.top_margin - s.bottom_margin)
    assert (text_w.mm, text_h.mm) == pytest.approx((G.TEXT_W_MM, G.TEXT_H_MM), abs=0.05)
    grid = s._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == str(G.LINE)
    pitch = int(grid.get(qn("w:linePitch")))
    assert pitch * G.LINES_PER_PAGE <= text_h.twips < pitch * (G.LINES_PER_PAGE + 1)  # 22 lines fill the text block
    assert grid.get(qn("w:charSpace")) is None  # characters are fitted by the runs' tracking, not the grid
    body = next(st for st in d.styles if st.style_id == "Body").element
    tracking = int(body.find(qn("w:rPr")).find(qn("w:spacing")).get(qn("w:val")))
    assert tracking == G.TRACKING and G.CHARS_PER_LINE * (G.CHAR + tracking) <= text_w.twips
    assert d.settings.odd_and_even_pages_header_footer


def test_fonts_declared_on_every_element_with_all_four_attributes():
    """Chinese in the element's 公文 font; digits and Latin letters in Times New Roman, whose metric twin keeps lines
    breaking in the same place whatever Chinese stand-in a machine has; page numbers in 半角宋体 (GB/T 9704 7.5)."""
    d = docx.Document(str(template_path()))
    expected = {"Normal": G.FONT_BODY, "Body": G.FONT_BODY, "Heading1": G.FONT_H1, "Heading2": G.FONT_H2,
                "Heading2Char": G.FONT_H2, "Title": G.FONT_TITLE, "Mark": G.FONT_TITLE, "AttachLabel": G.FONT_H1,
                "AttachTitle": G.FONT_TITLE, "Signer": G.FONT_BODY, "CopyTo": G.FONT_BODY, "TableText": G.FONT_BODY,
                "PageNumberOdd": G.FONT_PAGE_NUMBER, "PageNumberEven": G.FONT_PAGE_NUMBER}
    by_id = {s.style_id: s for s in d.styles}
    for sid, font in expected.items():
        rfonts = by_id[sid].element.find(qn("w:rPr")).find(qn("w:rFonts"))
        latin = G.FONT_PAGE_NUMBER if sid.startswith("PageNumber") else "Times New Roman"
        assert rfonts.get(qn("w:eastAsia")) == font, sid
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            assert rfonts.get(qn(attr)) == latin, (sid, attr)
        assert not any("Theme" in k for k in rfonts.keys()), sid
    sizes = {sid: by_id[sid].element.find(qn("w:rPr")).find(qn("w:sz")).get(qn("w:val")) for sid in ("Body", "Title", "CopyTo")}
    assert sizes == {"Body": str(G.SIZE_BODY), "Title": str(G.SIZE_TITLE), "CopyTo": str(G.SIZE_SMALL)}
    assert by_id["Mark"].element.find(qn("w:rPr")).find(qn("w:color")).get(qn("w:val")) == G.RED


def test_text_runs_ask_word_for_the_chinese_font_on_shared_characters():
    """Quotation marks and dashes belong to both Chinese and Latin: without hint="eastAsia" Word would set “” and
    —— of the text in Times New Roman, narrow and low."""
    body = docx.Document(str(template_path())).element.body
    runs = [r for r in body.iter(qn("w:r")) if r.find(qn("w:t")) is not None and "{{" in r.find(qn("w:t")).text]
    assert len(runs) > 20
    for r in runs:
        rfonts = r.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert rfonts.get(qn("w:hint")) == "eastAsia", r.find(qn("w:t")).text


# The order of paragraph properties the schema sets (ECMA-376 CT_PPrBase, then rPr, sectPr, pPrChange).
PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
             "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
             "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"]


def test_paragraph_properties_in_the_order_word_reads_them():
    """Word reports a file as damaged when a paragraph's properties are out of the schema's order."""
    with zipfile.ZipFile(template_path()) as z:
        parts = [z.read("word/styles.xml"), z.read("word/document.xml")]
    from lxml import etree

    for part in parts:
        for ppr in etree.fromstring(part).iter(qn("w:pPr")):
            names = [etree.QName(child).localname for child in ppr]
            assert names == sorted(names, key=PPR_ORDER.index), names


def test_the_files_properties_say_what_the_notice_says():
    """Word's 文件 → 信息: the notice's title, its issuers as author, its 成文日期; not the template's."""
    import datetime as dt
    import io

    from drafter.answers import resolve
    from drafter.compose import compose
    from drafter.render import render

    def properties(answers):
        return docx.Document(io.BytesIO(render(compose(resolve(answers))))).core_properties

    joint = properties({"co_issuers": [{"name": "江城市青山区应急管理局"}], "date": "2025-05-16",
                        "print_date": "2025-05-16"})
    assert joint.title.endswith("关于开展2025年全区商务系统“安全生产月”活动的通知")
    assert joint.author == joint.last_modified_by == "江城市青山区商务局、江城市青山区应急管理局"
    assert joint.created.date() == joint.modified.date() == dt.date(2025, 5, 16)
    long = properties({"title": "关于开展2025年" + "加强安全生产工作和" * 30 + "的通知"})
    assert len(long.title) == 255 and long.title.startswith("关于开展2025年加强")  # as much as a .docx keeps
    plan = properties({"form": "方案"})  # printed alone: no issuer, no date of its own, and none claimed
    assert plan.title == "2025年全区商务系统“安全生产月”活动方案" and plan.author == ""
    assert plan.created is None and plan.modified is None
