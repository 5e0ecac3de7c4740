"""Benchmark (not a test): the real commands' cold times, as ratios to the import floor measured in the same run.

    python bench/commands.py [runs]

Each command runs as a new process (``python -m drafter …``) ``runs`` times (default 9, at least 7) in a temporary
folder with its own DRAFTER_HOME; the median is compared with the median of ``python -c "import docxtpl, docx"``
and with the ratio the start-up work aims at. Nothing fails here: the table says which ratios are met today.
``python -c pass`` is shown for scale: the interpreter's start, below which no command can go; so is the floor with
one pydantic model of one field defined, below which no command that validates with pydantic can go.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
from pathlib import Path

from timing import FLOOR, FLOOR_CODE, MIN_RUNS, RUNS, cold_medians, drafter, environment, process_ms

START = "python -c pass"  # the interpreter's own start (with site and its .pth files): no command is faster
# the floor and one pydantic model of one field: what validating anything with pydantic adds to a command that writes
# a .docx, before any model of drafter's (`drafter new` validates the answers with pydantic)
PYDANTIC = "floor + one pydantic model"
PYDANTIC_CODE = "import docxtpl, docx\nfrom pydantic import BaseModel\nclass A(BaseModel):\n    x: int = 0"
# command → the ratio to the import floor it aims at (the start-up issue's targets); None: no target
TARGETS = {"drafter --help": 0.3, "drafter new --defaults": 1.8, "drafter check": 1.2, "drafter check --json": None}


def main(runs: int = RUNS) -> None:
    runs = max(runs, MIN_RUNS)
    with tempfile.TemporaryDirectory() as tmp:
        env = environment(Path(tmp) / "home")
        process_ms(drafter("new", "--defaults", "-o", "notice.docx"), env=env, cwd=tmp)
        medians = cold_medians({
            START: [sys.executable, "-c", "pass"],
            PYDANTIC: [sys.executable, "-c", PYDANTIC_CODE],
            "drafter --help": drafter("--help"),
            # a fresh output each run: no --force, no file to replace
            "drafter new --defaults": lambda i: drafter("new", "--defaults", "-o", f"new-{i}.docx"),
            "drafter check": drafter("check", "notice.docx"),
            "drafter check --json": drafter("check", "--json", "notice.docx"),
        }, runs, env=env, cwd=tmp)
    floor = medians[FLOOR]
    print(f"Python {platform.python_version()} ({sys.executable}), {os.cpu_count()} CPUs, {platform.platform()}")
    print(f'medians of {runs} cold processes each, after one untimed round; floor: python -c "{FLOOR_CODE}"')
    print()
    print(f"{'command':<28}{'median ms':>10}{'× floor':>9}{'target':>9}  meets")
    print(f"{FLOOR:<28}{floor:>10.0f}{1:>9.2f}")
    for name in (START, PYDANTIC):
        print(f"{name:<28}{medians[name]:>10.0f}{medians[name] / floor:>9.2f}")
    for name, target in TARGETS.items():
        ratio = medians[name] / floor
        aim, meets = ("", "—") if target is None else (f"≤ {target:.1f}", "yes" if ratio <= target else "no")
        print(f"{name:<28}{medians[name]:>10.0f}{ratio:>9.2f}{aim:>9}  {meets}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else RUNS)
