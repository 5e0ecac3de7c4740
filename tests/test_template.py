"""The shipped template is what tools/build_template.py builds, and it carries the GB/T 9704 set-up."""

import subprocess
import sys
import zipfile

import docx
from docx.oxml.ns import qn

from conftest import ROOT
from drafter import gbt9704 as G
from drafter.render import template_path


def test_shipped_template_is_what_the_script_builds(tmp_path):
    out = tmp_path / "t.docx"
    subprocess.run([sys.executable, str(ROOT / "tools" / "build_template.py"), str(out)], check=True, capture_output=True)
    with zipfile.ZipFile(out) as built, zipfile.ZipFile(template_path()) as shipped:
        for part in ("word/document.xml", "word/styles.xml", "word/settings.xml"):
            assert built.read(part) == shipped.read(part), f"{part} differs: run python tools/build_template.py"


def test_page_setup_and_grid():
    d = docx.Document(str(template_path()))
    s = d.sections[0]
    assert (s.page_width.twips, s.page_height.twips) == (G.PAGE_W, G.PAGE_H)
    assert (s.top_margin.twips, s.bottom_margin.twips, s.left_margin.twips, s.right_margin.twips) == (2098, 1984, 1587, 1474)
    grid = s._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "579"
    assert d.settings.odd_and_even_pages_header_footer


def test_fonts_declared_on_every_element_with_all_four_attributes():
    d = docx.Document(str(template_path()))
    expected = {"Normal": G.FONT_BODY, "Body": G.FONT_BODY, "Heading1": G.FONT_H1, "Heading2": G.FONT_H2,
                "Heading2Char": G.FONT_H2, "Title": G.FONT_TITLE, "Mark": G.FONT_TITLE, "AttachLabel": G.FONT_H1,
                "AttachTitle": G.FONT_TITLE, "Signer": G.FONT_BODY, "CopyTo": G.FONT_BODY}
    by_id = {s.style_id: s for s in d.styles}
    for sid, font in expected.items():
        rfonts = by_id[sid].element.find(qn("w:rPr")).find(qn("w:rFonts"))
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            assert rfonts.get(qn(attr)) == font, (sid, attr)
        assert not any("Theme" in k for k in rfonts.keys()), sid
    sizes = {sid: by_id[sid].element.find(qn("w:rPr")).find(qn("w:sz")).get(qn("w:val")) for sid in ("Body", "Title", "CopyTo")}
    assert sizes == {"Body": "32", "Title": "44", "CopyTo": "28"}
    assert by_id["Mark"].element.find(qn("w:rPr")).find(qn("w:color")).get(qn("w:val")) == "FF0000"
