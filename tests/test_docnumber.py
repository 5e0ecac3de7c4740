import pytest

from drafter.docnumber import DocNumber
from drafter.errors import InvalidValue


def test_standard_form_round_trips():
    n = DocNumber.parse("泉洛商务〔2025〕33号")
    assert (n.code, n.year, n.number) == ("泉洛商务", 2025, 33)
    assert str(n) == "泉洛商务〔2025〕33号" and n.warnings == ()


@pytest.mark.parametrize("text, reason", [
    ("泉商务[2025]75号", "六角括号"),
    ("泉商务【2025】75号", "六角括号"),
    ("泉商务(2025)75号", "六角括号"),
    ("泉商务（2025）75号", "六角括号"),
    ("泉商务202575号", "缺少六角括号"),
    ("泉商务〔2025〕第75号", "第"),
    ("泉商务〔2025〕075号", "虚位"),
    ("泉商务 〔2025〕 75 号", "空格"),
    ("泉商务〔２０２５〕７５号", None),
])
def test_wrong_forms_are_repaired_with_a_warning(text, reason):
    n = DocNumber.parse(text)
    assert str(n) == "泉商务〔2025〕75号"
    if reason:
        assert any(reason in w for w in n.warnings), n.warnings
        with pytest.raises(InvalidValue, match=reason):
            DocNumber.parse(text, strict=True)


@pytest.mark.parametrize("text", ["安办〔202521", "泉商务〔2025〕", "〔2025〕3号", "泉商务〔25〕3号", "泉商务〔2025〕0号",
                                  "泉商务〔2025〔3号", "泉商务-2025-3号", "", "   ", "泉商务〔1900〕3号"])
def test_unrecoverable_forms_are_rejected(text):
    with pytest.raises(InvalidValue):
        DocNumber.parse(text)
