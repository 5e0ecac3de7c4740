"""The data shipped with drafter (drafter/data/*.yaml): the national notices of each year with their themes
(national.yaml), the texts common to every notice (common.yaml) and the years' slogans (slogans.yaml). Read once,
through the same YAML reader as everything else; imported by drafting and by checking alike."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from .yamlio import safe_load


@cache
def data(name: str) -> Any:
    """A YAML file shipped in drafter/data."""
    return safe_load((resources.files("drafter") / "data" / name).read_text(encoding="utf-8"))


def national(year: int) -> dict | None:
    """The national notice of ``year`` (title, 文号, theme …), if drafter ships it."""
    return next((p for p in data("national.yaml") if p["year"] == year), None)


def latest_year() -> int:
    """The latest year drafter ships a national notice of."""
    return max(p["year"] for p in data("national.yaml"))


def themes() -> dict[int, str]:
    """The national theme of each year shipped."""
    return {p["year"]: p["theme"] for p in data("national.yaml")}
