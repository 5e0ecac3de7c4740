"""YAML reading with libyaml's C loader when PyYAML has it (several times faster), else the pure-Python one."""

from __future__ import annotations

from typing import Any


def safe_load(text: str) -> Any:
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
