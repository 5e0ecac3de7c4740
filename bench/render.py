"""Benchmark (not a test): time a full notice render against a bare docxtpl render of the same template and context.

    python bench/render.py [runs]

cold: a new process running `drafter new --defaults` end to end (imports, answers, compose, render, write).
warm: in one process, answers → Notice → .docx bytes, repeated; bare: DocxTemplate(...).render(same context)
and save, repeated. Medians are printed in milliseconds.
"""

from __future__ import annotations

import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(runs: int = 15) -> None:
    from docxtpl import DocxTemplate

    from drafter.answers import resolve
    from drafter.compose import compose
    from drafter.render import context, jinja_env, render, template_path

    def full():
        render(compose(resolve({})))

    notice = compose(resolve({}))
    ctx = context(notice)

    def bare():
        tpl = DocxTemplate(str(template_path()))
        tpl.render(ctx, jinja_env(), autoescape=True)
        tpl.save(io.BytesIO())

    full()  # warm the caches once
    warm, base = median_ms(full, runs), median_ms(bare, runs)
    with tempfile.TemporaryDirectory() as tmp:
        def cold():
            out = Path(tmp) / "n.docx"
            subprocess.run([sys.executable, "-m", "drafter", "new", "--defaults", "-o", str(out), "--force"],
                           check=True, capture_output=True)
        cold_ms = median_ms(cold, max(3, runs // 3))
        help_ms = median_ms(lambda: subprocess.run([sys.executable, "-m", "drafter", "--help"], check=True,
                                                    capture_output=True), max(3, runs // 3))
    print(f"{'measure':<44}{'median ms':>10}")
    print(f"{'bare docxtpl render + save (same context)':<44}{base:>10.1f}")
    print(f"{'full render warm (answers→Notice→docx)':<44}{warm:>10.1f}")
    print(f"{'ratio full / bare':<44}{warm / base:>10.2f}")
    print(f"{'drafter new --defaults, new process':<44}{cold_ms:>10.1f}")
    print(f"{'drafter --help, new process':<44}{help_ms:>10.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
