"""Timing shared by the benchmarks in bench/ (not a test): medians in milliseconds, in-process or as cold processes.

A cold process is a new ``python`` started for each run: it pays the interpreter's start, every import and the
command's own work (the disk cache and the .pyc files are warm: one untimed round runs first; see environment).
Cold times are reported as ratios to the import floor measured in the same run, ``python -c "import docxtpl, docx"``
as a process, which is what any command rendering or reading a .docx must pay; the ratio varies less between
machines and loads than the milliseconds do.

The processes run this checkout's code (its root and plugins/ first on PYTHONPATH), not another installed copy; so
does the benchmark's own process once it has imported this module.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

RUNS = 9  # cold processes per command by default; never fewer than MIN_RUNS
MIN_RUNS = 7
FLOOR = "import floor"
FLOOR_CODE = "import docxtpl, docx"
FLOOR_ARGV = (sys.executable, "-c", FLOOR_CODE)
CHECKOUT = Path(__file__).resolve().parent.parent

# what a benchmark measures in its own process is this checkout's code too
for _path in (CHECKOUT / "plugins", CHECKOUT):
    if str(_path) not in sys.path:
        sys.path.insert(1, str(_path))


def median_ms(fn: Callable[[], object], runs: int) -> float:
    """Median wall time of ``fn()`` over ``runs`` calls, in milliseconds."""
    times = []
    for _ in range(runs):
        begin = time.perf_counter()
        fn()
        times.append((time.perf_counter() - begin) * 1000)
    return statistics.median(times)


def environment(home: str | os.PathLike, **extra: str) -> dict[str, str]:
    """The processes' environment: their own DRAFTER_HOME, this checkout's code found first, and .pyc files.

    The .pyc files go to a folder beside DRAFTER_HOME (PYTHONPYCACHEPREFIX, the checkout is left alone), even where
    PYTHONDONTWRITEBYTECODE is set: without them every process would compile drafter's modules again, which an
    installed drafter does not do."""
    paths = [str(CHECKOUT), str(CHECKOUT / "plugins")]
    if os.environ.get("PYTHONPATH"):
        paths.append(os.environ["PYTHONPATH"])
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return dict(env, DRAFTER_HOME=str(home), PYTHONPATH=os.pathsep.join(paths),
                PYTHONPYCACHEPREFIX=str(Path(home).parent / "pycache"), **extra)


def process_ms(argv: Sequence[str], *, env: dict | None = None, cwd: str | os.PathLike | None = None) -> float:
    """Wall time of one process, from start to exit, in milliseconds; its output is kept back, shown if it fails."""
    begin = time.perf_counter()
    done = subprocess.run(list(argv), env=env, cwd=cwd, capture_output=True)
    ms = (time.perf_counter() - begin) * 1000
    if done.returncode:
        raise SystemExit(f"{' '.join(argv)} exited with {done.returncode}:\n{done.stderr.decode(errors='replace')}")
    return ms


Argv = Sequence[str] | Callable[[int], Sequence[str]]


def drafter(*args: str) -> list[str]:
    """The argv of ``python -m drafter ARGS`` with this interpreter."""
    return [sys.executable, "-m", "drafter", *args]


def cold_medians(measures: dict[str, Argv | Callable[[int], float]], runs: int = RUNS, *,
                 env: dict | None = None, cwd: str | os.PathLike | None = None) -> dict[str, float]:
    """Median milliseconds of each measure as a cold process, the import floor first (key FLOOR).

    A measure is an argv, a function of the run's number returning one (a fresh output name each run), or a
    function of the run's number that starts and times a process its own way and returns its milliseconds. The
    measures run in rounds, one process each per round, so that a change in the machine's load falls on all of them
    alike; round 0 is not timed (it compiles .pyc files and fills DRAFTER_HOME)."""
    runs = max(runs, MIN_RUNS)
    measures = {FLOOR: FLOOR_ARGV, **measures}
    times: dict[str, list[float]] = {name: [] for name in measures}
    for round_ in range(runs + 1):
        for name, measure in measures.items():
            argv = measure(round_) if callable(measure) else measure
            ms = argv if isinstance(argv, float) else process_ms(argv, env=env, cwd=cwd)
            if round_:
                times[name].append(ms)
    return {name: statistics.median(values) for name, values in times.items()}

