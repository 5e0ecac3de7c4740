"""What a check finds in a notice: `drafter check`'s rules, the measured layout and the plugins' ``check_notice``
all report Findings. A plain dataclass, so that `drafter check` starts without the validation library; a plugin's
Finding is checked when it is made, and one returned as a dict is validated by the plugin loader."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Literal

SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class Finding:
    """An ``error`` (the notice must not go out as it is; drafting stops) or a ``warning`` (shown; drafting goes
    on), in Chinese, with the element and the rule concerned and the text it is about."""

    severity: Literal["error", "warning"]
    message: str  # Chinese, complete
    element: str = ""  # e.g. 主要活动, 附件
    rule: str = ""  # the rule broken, e.g. GB/T 9704—2012 7.2.5
    text: str = ""  # the text concerned

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity（严重程度）应为 error 或 warning，却是“{self.severity}”")
        for f in fields(self):
            if not isinstance(getattr(self, f.name), str):
                raise ValueError(f"{f.name} 应为文字，却是 {type(getattr(self, f.name)).__name__}")

    def as_dict(self) -> dict[str, str]:
        return asdict(self)
