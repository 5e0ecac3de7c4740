"""GB/T 9704-2012《党政机关公文格式》 as the standard states it, and the units drafter works in derived from it.

The standard's numbers stand here once, as the standard gives them (millimetres, type sizes, lines and characters),
each with its clause. Word's units (twips, 1/20 pt; half-points for font sizes; eighths of a point for borders) and
the measuring units (millimetres per point, the line pitch in mm, one character's width) are computed from them
below. The template builder (templates/公文/build.py), render, layout, the check/ modules and the tests
take their numbers from here; tests/test_gbt9704.py fails when another module defines one of them again.
"""

from __future__ import annotations

# Units, not the standard's: an inch is 25.4 mm and 72 pt; Word counts twips (1/20 pt).
MM_PER_INCH, PT_PER_INCH = 25.4, 72
PT_MM = MM_PER_INCH / PT_PER_INCH  # mm per point
TWIPS_PER_PT = 20
MM = TWIPS_PER_PT / PT_MM  # twips per millimetre (56.69)
TWIP_MM = 1 / MM  # mm per twip

# Chinese type sizes (号) in points, as Word and printers reckon them; the standard names sizes by 号.
SIZES_PT = {"初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18, "三号": 16, "小三": 15,
            "四号": 14, "小四": 12, "五号": 10.5}

# ---- The standard, in its own units ----

# 5.1: A4 paper, 210 mm × 297 mm.
PAPER_W_MM, PAPER_H_MM = 210, 297
# 5.2.1: 天头 (the top margin) 37 mm ± 1 mm, 订口 (the binding-side margin) 28 mm ± 1 mm, the text block (版心)
# 156 mm × 225 mm; so the bottom margin is 35 mm and the right 26 mm.
MARGIN_TOP_MM, MARGIN_LEFT_MM, MARGIN_TOLERANCE_MM = 37, 28, 1
TEXT_W_MM, TEXT_H_MM = 156, 225
MARGIN_BOTTOM_MM = PAPER_H_MM - MARGIN_TOP_MM - TEXT_H_MM  # 35
MARGIN_RIGHT_MM = PAPER_W_MM - MARGIN_LEFT_MM - TEXT_W_MM  # 26
# 5.2.2: every element in 三号 仿宋 unless said otherwise.
BODY_PT = SIZES_PT["三号"]  # 16
# 5.2.3: 22 lines a page, 28 characters a line, filling the text block.
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
# 7.2.4: the 发文机关标志's top edge 35 mm under the text block's top edge, in red.
MARK_BELOW_TEXT_TOP_MM = 35
MARK_TOP_MM = MARGIN_TOP_MM + MARK_BELOW_TEXT_TOP_MM  # 72 mm from the paper's top edge
RED = "FF0000"
# 7.2.7: a red separator as wide as the text block, 4 mm under the 发文字号.
RULE_GAP_MM = 4
# 7.3.1: the 标题 in 二号.
TITLE_PT = SIZES_PT["二号"]  # 22
# 7.4.1: the 版记's rules as wide as the text block, the first and last thick (0.35 mm), those between thin
# (0.25 mm); the last on the bottom edge of the last page's text block.
COLOPHON_THICK_MM, COLOPHON_THIN_MM = 0.35, 0.25
# 7.4.2, 7.4.3, 7.5: 抄送, 印发机关和印发日期 and page numbers in 四号.
SMALL_PT = SIZES_PT["四号"]  # 14
# 7.5: the page number's dashes 7 mm under the text block's bottom edge; odd pages right, even pages left, one
# character in.
PAGE_NUMBER_BELOW_MM = 7
# 10.1 (信函格式): the mark's top edge 30 mm from the paper's top edge; a red double rule 4 mm under it and another
# 20 mm above the paper's bottom edge, both 170 mm long and centred.
LETTER_MARK_TOP_MM, LETTER_RULE_GAP_MM, LETTER_BOTTOM_MM, LETTER_RULE_MM = 30, 4, 20, 170

# ---- Derived: Word's units ----


def twips(mm: float) -> int:
    """A length in mm as whole twips."""
    return round(mm * MM)


def half_points(pt: float) -> int:
    """A font size in pt as Word's half-points (w:sz)."""
    return round(pt * 2)


def eighths(mm: float) -> int:
    """A rule's width in mm as Word's border size, in eighths of a point."""
    return round(mm / PT_MM * 8)


PAGE_W, PAGE_H = twips(PAPER_W_MM), twips(PAPER_H_MM)  # 11906 × 16838
MARGIN_TOP, MARGIN_BOTTOM = twips(MARGIN_TOP_MM), twips(MARGIN_BOTTOM_MM)  # 2098, 1984
MARGIN_LEFT, MARGIN_RIGHT = twips(MARGIN_LEFT_MM), twips(MARGIN_RIGHT_MM)  # 1587, 1474
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 8845: what the margins leave (156 mm)
TEXT_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM  # 12756 (225 mm)
LINE = TEXT_H // LINES_PER_PAGE  # 579: the line pitch in whole twips at which 22 lines fit, exact line spacing

SIZE_BODY = half_points(BODY_PT)  # 32
SIZE_TITLE = half_points(TITLE_PT)  # 44
SIZE_SMALL = half_points(SMALL_PT)  # 28: 版记, page numbers, table text
CHAR = round(BODY_PT * TWIPS_PER_PT)  # 320: one character of 三号 text ("一字"), the unit of indents
CHAR_SMALL = round(SMALL_PT * TWIPS_PER_PT)  # 280: one character of 四号 text
# Character spacing (twips), the widest at which 28 三号 characters fit on the text block's line: -5 (16 pt × 28 is
# 158 mm, wider than 156 mm); LibreOffice lays exactly 28 to a line with it.
TRACKING = (TEXT_W - CHARS_PER_LINE * CHAR) // CHARS_PER_LINE
COLOPHON_THICK, COLOPHON_THIN = eighths(COLOPHON_THICK_MM), eighths(COLOPHON_THIN_MM)  # 8, 6

# ---- Derived: measuring in mm (check --render, the layout tests) ----

TEXT_TOP_MM, TEXT_LEFT_MM = MARGIN_TOP_MM, MARGIN_LEFT_MM  # the text block's edges from the paper's top-left corner
TEXT_BOTTOM_MM = PAPER_H_MM - MARGIN_BOTTOM_MM  # 262
TEXT_RIGHT_MM = PAPER_W_MM - MARGIN_RIGHT_MM  # 184
PITCH_MM = TEXT_H_MM / LINES_PER_PAGE  # 10.23 mm from one line to the next
LINE_PT = LINE / TWIPS_PER_PT  # 28.95: the line grid's pitch in points
CHAR_MM = BODY_PT * PT_MM  # 5.64: one 三号 character
CHAR_SMALL_MM = SMALL_PT * PT_MM  # 4.94: one 四号 character, the space between a page number and the edge
# A landscape page (a wide table, 8) is the portrait page turned: its lines run along the 225 mm side, 15 of them
# on the 156 mm, 40 characters to a line.
LANDSCAPE_LINES = TEXT_W // LINE
LANDSCAPE_CHARS = TEXT_H // (CHAR + TRACKING)
TITLE_CHARS = int(TEXT_W_MM // (TITLE_PT * PT_MM))  # 20 二号 characters on a line

# In messages.
PAPER = f"{PAPER_W_MM}×{PAPER_H_MM} mm"
TEXT_BLOCK = f"{TEXT_W_MM}×{TEXT_H_MM} mm"

# Font names as the standard and offices' machines spell them.
FONT_BODY = "仿宋_GB2312"
FONT_H1 = "黑体"
FONT_H2 = "楷体_GB2312"
FONT_TITLE = "方正小标宋简体"
FONT_PAGE_NUMBER = "宋体"
