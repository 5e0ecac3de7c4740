"""`drafter new --from LAST_YEAR.yaml`: last year's answers, less what must change each year, which is suggested
anew: the year after, this year's notice of the office that sent last year's parent (if the registry has it,
else the national one), its theme, and dates derived from the new year. Everything else is kept as it was: the
issuer and those it issued jointly with (co_issuers, joint_mark), the format and the letterhead (format,
letterhead, letterhead_reserve_mm), the structure, the activities …"""

from __future__ import annotations

from .docnumber import DocNumber
from .errors import InvalidValue
from .shipped import latest_year, national
from .yamlio import part

MUST_CHANGE = ("parents", "year", "theme", "number", "deadlines", "date", "print_date")


def carry_over(last: dict, registry, year: int | None = None) -> tuple[dict, dict]:
    """(kept, suggested) from last year's answers."""
    # a choice of shape is kept: no 文号 (number: null), no deadlines, no parent cited
    kept = {k: v for k, v in last.items() if k not in MUST_CHANGE or v in (None, [])}
    last_year = last.get("year")
    year = year or (last_year + 1 if isinstance(last_year, int) else latest_year())
    suggested: dict = {"year": year}
    parents = []
    for cited in part(last, "parents", list):
        try:
            code = DocNumber.parse(str(cited.get("doc_number", ""))).code
        except (InvalidValue, AttributeError):
            continue
        found = registry.latest_for(code, year)
        if found and found.notice.cited() not in parents:
            parents.append(found.notice.cited())
            suggested.setdefault("theme", found.notice.theme)
    if kept.get("parents") == []:
        return kept, suggested
    upstream = national(year)
    if not parents and upstream:
        parents = [{"title": upstream["title"], "doc_number": upstream["doc_number"]}]
    if parents:
        suggested["parents"] = parents
    return kept, suggested
