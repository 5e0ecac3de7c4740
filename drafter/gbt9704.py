"""GB/T 9704-2012 in numbers, in Word units (twips: 1/20 pt; half-points for font sizes).

One place for the layout constants shared by the template builder, the layout helpers and the tests.
"""

MM = 56.6929  # twips per millimetre

PAGE_W, PAGE_H = 11906, 16838  # A4
MARGIN_TOP, MARGIN_BOTTOM = 2098, 1984  # 37 mm, 35 mm
MARGIN_LEFT, MARGIN_RIGHT = 1587, 1474  # 28 mm, 26 mm
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 8844 = 156 mm
TEXT_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM  # 12756 = 225 mm

LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE = 579  # line pitch: 12756 / 22, exact line spacing of every grid line
TRACKING = -5  # character spacing (twips) that fits 28 三号 characters on a 156 mm line

SIZE_BODY = 32  # 三号 16 pt, in half-points
SIZE_TITLE = 44  # 二号 22 pt
SIZE_SMALL = 28  # 四号 14 pt: 版记, page numbers, table text
CHAR = 320  # one character of 三号 text ("一字"), the unit of indents
CHAR_SMALL = 280  # one character of 四号 text

RED = "FF0000"

# Font names as the standard and offices' machines spell them.
FONT_BODY = "仿宋_GB2312"
FONT_H1 = "黑体"
FONT_H2 = "楷体_GB2312"
FONT_TITLE = "方正小标宋简体"
FONT_PAGE_NUMBER = "宋体"
