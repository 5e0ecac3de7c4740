"""pydantic validation errors told in Chinese, with where the problem is."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import ValidationError

from .errors import given as shown

LABELS = {  # how fields are named to the user
    "issuer": "发文机关", "name": "名称", "code": "机关代字", "mark": "发文机关标志", "sector": "行业", "year": "年份",
    "theme": "主题", "number": "发文字号序号", "scope": "范围", "recipients": "主送机关", "parents": "上级来文",
    "title": "标题", "doc_number": "发文字号", "activities": "活动", "attachments": "附件", "contact": "联系人",
    "phone": "电话", "email": "电子邮箱", "deadlines": "截止时间", "liaison": "联络员报送", "weekly": "每周报送",
    "summary": "总结报送", "copy_to": "抄送", "printer": "印发机关", "print_date": "印发日期", "date": "成文日期",
    "sealed": "加盖印章", "publicity": "公开属性", "colophon_on_even_page": "版记另起双页", "units": "责任单位称谓",
    "extra": "行业补充问题", "level": "层级", "outline": "章节", "use": "所用编号", "paragraphs": "段落",
    "items": "条目", "sections": "下级章节", "text": "正文", "stats": "统计项", "plan": "计划", "requirement": "内容要求",
    "owner": "落实单位", "signature": "署名", "form": "文种形式", "slogans": "宣传标语", "fax": "传真",
    "more": "其他联系方式", "kind": "种类", "columns": "列标题", "rows": "行", "groups": "分组", "blank_rows": "空行数",
    "numbered": "序号列", "reporter": "填报栏", "note": "注", "opening": "开头段落",
    "co_issuers": "联合发文机关", "joint_mark": "联合发文的版头", "format": "公文格式", "letterhead": "红头",
    "letterhead_reserve_mm": "红头高度", "detached": "另行装订", "landscape": "横排",
}
# the kinds of an entry that may take several forms (outline, activities, attachments), as pydantic names them
# ("id" is left out: plugin files have a field of that name)
TAGS = {"table": "表格", "list": "列表", "document": "附文", "file": "另行附送的文件", "inline": "自己写的"}

_MESSAGES = {
    "missing": "缺少此项", "int_parsing": "应为整数", "int_type": "应为整数", "bool_parsing": "应为“是/否”（true/false）",
    "bool_type": "应为“是/否”（true/false）", "string_type": "应为文字", "list_type": "应为列表",
    "tuple_type": "应为列表", "dict_type": "应为“键: 值”形式", "model_type": "应为“键: 值”形式",
    "model_attributes_type": "应为“键: 值”形式", "float_parsing": "应为数字（不写单位，如 80）",
    "float_type": "应为数字（不写单位，如 80）", "string_pattern_mismatch": "应以英文字母开头，只含字母、数字、_ . -",
}


def where(loc: tuple) -> str:
    parts = []
    for p in loc:
        parts.append(f"第{p + 1}项" if isinstance(p, int) else f"{p}（{LABELS[p]}）" if p in LABELS else
                     f"（{TAGS[p]}）" if p in TAGS else str(p))
    return " → ".join(parts)


def message(err: Any, fields: list[str]) -> str:  # pydantic's ErrorDetails
    kind, loc = err["type"], err["loc"]
    if kind == "extra_forbidden":
        named = [f for f in fields if LABELS.get(f) == str(loc[-1]).strip()]  # 成文日期: the key it is the label of
        near = named or difflib.get_close_matches(str(loc[-1]), [f for f in fields if f != loc[-1]], n=1)
        hint = (f"，是否想写“{near[0]}”？" if near else "") if loc[-1] not in fields else "（此处不能写这一项）"
        return f"{where(loc)}：不认识的项{hint}"
    if kind == "value_error":  # a check of the whole answers names its keys itself
        return f"{where(loc)}：{err['ctx']['error']}" if loc else str(err["ctx"]["error"])
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = err["ctx"].get("ge", err["ctx"].get("le"))
        return f"{where(loc)}：{err['input']} 超出范围（应{'不小于' if kind == 'greater_than_equal' else '不大于'} {bound:g}）"
    if kind == "literal_error":
        choices = "、".join(str(c).strip("'\"") for c in err["ctx"]["expected"].replace(" or ", ", ").split(", "))
        given = err.get("input")
        if given is None or isinstance(given, str) and not given.strip():  # `form:` with nothing after it
            return f"{where(loc)}：不能为空（可选：{choices}）"
        return f"{where(loc)}：{shown(given)}不是可选值（可选：{choices}）"
    if kind in ("string_too_short", "too_short"):
        given = err.get("input")
        if isinstance(given, (list, tuple)) and given and err["ctx"]["min_length"] > 1:
            return f"{where(loc)}：至少应有{err['ctx']['min_length']}项"
        if given in ("", None, [], ()) or not isinstance(given, str):
            return f"{where(loc)}：不能为空"
        return f"{where(loc)}：“{given}”太短，至少应有{err['ctx']['min_length']}个字"
    if kind == "string_type" and err.get("input") is None:  # `recipients:` with nothing after it
        return f"{where(loc)}：不能为空"
    return f"{where(loc)}：{_MESSAGES.get(kind, err['msg'])}"


def explain(exc: ValidationError, fields: list[str] | None = None) -> list[str]:
    """One line per problem; ``fields`` are the names offered when a key is not known."""
    return [message(e, fields or []) for e in exc.errors()]
