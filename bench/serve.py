"""Benchmark (not a test): how soon `drafter serve` answers, and how long the page's requests take.

    python bench/serve.py [runs]

start: from starting `drafter serve --no-browser` as a new process to the first page (GET / answered 200), the
median of ``runs`` cold starts (at least 7), also as a ratio to the import floor (a process importing docxtpl and
python-docx) measured in the same run (bench/timing.py).
Then, on one running server: POST /api/validate and POST /api/draft of examples/街道.yaml (medians, ms)."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from timing import FLOOR, MIN_RUNS, cold_medians, drafter, environment, median_ms


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def started(env: dict) -> tuple[float, subprocess.Popen, int]:
    port = free_port()
    begin = time.perf_counter()
    proc = subprocess.Popen(drafter("serve", "--no-browser", "--port", str(port)), env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                if r.status == 200:
                    return (time.perf_counter() - begin) * 1000, proc, port
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("drafter serve stopped before answering") from None
            time.sleep(0.01)


def first_page_ms(env: dict) -> float:
    """One cold start of `drafter serve`, to its first page; the server is stopped after."""
    ms, proc, _ = started(env)
    proc.terminate()
    proc.wait()
    return ms


def main(runs: int = MIN_RUNS) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = environment(Path(tmp) / "home")
        cold = cold_medians({"start": lambda _: first_page_ms(env)}, runs, env=env, cwd=tmp)
        ms, proc, port = started(env)
        try:
            answers = (Path(__file__).parent.parent / "examples" / "街道.yaml").read_bytes()

            def post(path: str) -> None:
                request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=answers, method="POST",
                                                 headers={"Content-Type": "application/yaml"})
                with urllib.request.urlopen(request) as r:
                    r.read()

            validate, draft = median_ms(lambda: post("/api/validate"), 3 * runs), median_ms(lambda: post("/api/draft"), 3 * runs)
        finally:
            proc.terminate()
            proc.wait()
    floor, start = cold[FLOOR], cold["start"]
    print(f"{'measure':<48}{'median ms':>10}{'× floor':>9}")
    print(f"{'import floor (python -c import docxtpl, docx)':<48}{floor:>10.0f}{1:>9.2f}")
    print(f"{'drafter serve: start to first page':<48}{start:>10.0f}{start / floor:>9.2f}")
    print(f"{'POST /api/validate (examples/街道.yaml)':<48}{validate:>10.0f}")
    print(f"{'POST /api/draft (examples/街道.yaml)':<48}{draft:>10.0f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else MIN_RUNS)
