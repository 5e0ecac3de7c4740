"""The office's profile: who it is (with the organs it issues jointly with, and the paper it prints on) and who it
writes to, remembered from the last notice drafted on a terminal or downloaded from the page, offered as the
defaults of the next one."""

from __future__ import annotations

import sys
from typing import Any

from .places import profile_path

KEYS = ("issuer", "co_issuers", "joint_mark", "letterhead", "letterhead_reserve_mm", "contact", "printer", "copy_to",
        "recipients")
UNSAID: dict[str, Any] = {"co_issuers": [], "joint_mark": "全部", "letterhead": "印制", "letterhead_reserve_mm": None}  # not written


def load() -> dict:
    from .answers import load_yaml
    from .errors import DrafterError

    path = profile_path()
    if not path.exists():
        return {}
    try:
        return {k: v for k, v in load_yaml(path).items() if k in KEYS}
    except DrafterError as exc:  # a damaged profile costs only its defaults
        print(f"提示：发文机关资料 {path} 无法读取，已忽略（{exc}）", file=sys.stderr)
        return {}


def save(answers) -> str:
    import yaml

    from .output import write_files

    path = profile_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    saved = answers.model_dump(mode="json", include=set(KEYS))
    saved["co_issuers"] = [{k: v for k, v in c.items() if v is not None} for c in saved["co_issuers"]]
    saved = {k: v for k, v in saved.items() if k not in UNSAID or v != UNSAID[k]}
    write_files({path: yaml.safe_dump(saved, allow_unicode=True, sort_keys=False).encode("utf-8")}, force=True)
    return str(path)
