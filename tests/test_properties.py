"""Property-based: whatever text a clerk pastes into any answer, drafting gives a Word file that opens, or a
validation error naming the field — never a traceback, never a corrupt file.

CI runs a fixed, bounded set (profile "ci"); a longer run: HYPOTHESIS_PROFILE=long python3 -m pytest tests/test_properties.py"""

import io
import os

import docx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from drafter.answers import resolve
from drafter.compose import compose
from drafter.errors import DrafterError
from drafter.render import render

settings.register_profile("ci", max_examples=80, derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=10_000, derandomize=False, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Text as it arrives: control characters, characters XML cannot hold, emoji, rare CJK (Extension B), full-width
# and half-width punctuation, markup-looking text, and very long runs.
PIECES = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(list("\x00\x01\x08\x0b\x0c\x1f\x7f\t\n\r\ufffe\uffff\u200b\u3000")),
    st.sampled_from(["😀", "🚒", "𠀀", "𪚥", "〔", "〕", "《", "》", "“", "”", "{{", "}}", "{%", "<w:p>", "&", "]]>"]),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
)
TEXT = st.one_of(st.lists(PIECES, max_size=40), st.lists(PIECES, min_size=500, max_size=2000)).map("".join)
FIELDS = ["issuer.name", "issuer.code", "issuer.mark", "issuer.units", "scope", "recipients", "theme",
          "contact.name", "contact.phone", "contact.email", "deadlines.weekly", "printer", "parents.0.title",
          "extra.key_venues"]


def put(answers: dict, path: str, value) -> dict:
    node = answers
    *head, last = path.split(".")
    for part in head:
        if part.isdigit():
            node = node[int(part)]
        else:
            node = node.setdefault(part, {} if part != "parents" else [{"title": "上级来文", "doc_number":
                                                                         "安委办〔2025〕1号"}])
    node[last] = value
    return answers


def draft_or_refuse(raw: dict, field: str):
    try:
        answers = resolve(raw)
    except DrafterError as exc:
        top = field.split(".")[0]
        assert top in str(exc), f"the message should name {field}: {exc}"
        return None
    data = render(compose(answers))
    docx.Document(io.BytesIO(data))  # opens: the XML is well formed
    return data


@given(field=st.sampled_from(FIELDS), value=TEXT)
@example(field="issuer.code", value="0")  # found by the long run: a 机关代字 that cannot make a 文号
def test_any_text_in_any_field(field, value):
    raw = put({"issuer": {"name": "江城市青山区商务局", "code": "青商务"}, "number": 3,
               "contact": {"name": "李明", "phone": "0591-12345678"}}, field, value)
    draft_or_refuse(raw, field)


@given(copy_to=st.lists(TEXT, max_size=60), activities=st.lists(st.sampled_from(
    ["mall_fire_drills", "grid_patrol", "consult_day_main", "fire_lanes", "joint_drill"]), max_size=40, unique=True))
def test_empty_and_huge_lists(copy_to, activities):
    draft_or_refuse({"copy_to": copy_to, "activities": activities}, "copy_to")


@pytest.mark.layout
def test_extreme_text_still_converts_through_libreoffice(tmp_path):
    from conftest import need_libreoffice

    from drafter.pdf import to_pdf

    need_libreoffice()
    long = "安全生产" * 700 + "😀𠀀《》“”{{ x }}<w:p>&"
    data = draft_or_refuse({"recipients": long, "copy_to": [long[:300]] * 20, "scope": "全区" + "🚒" * 3}, "recipients")
    assert data is not None
    path = tmp_path / "extreme.docx"
    path.write_bytes(data)
    assert to_pdf(path, tmp_path).stat().st_size > 1000
