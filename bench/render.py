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
    print(f"{'drafter check, ten-page notice (warm)':<44}{check_ms(runs):>10.1f}")
    print()
    print(f"{'activities (sections + table rows)':<36}{'render ms':>10}{'ms each':>10}")
    for n, ms in scaling(runs):
        print(f"{n:<36}{ms:>10.1f}{ms / n:>10.2f}")


def check_ms(runs: int) -> float:
    """`drafter check` without --render on a notice with every sector's activities (over ten pages)."""
    from drafter.answers import resolve
    from drafter.compose import compose
    from drafter.lint import check
    from drafter.plugins import load
    from drafter.render import render

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.docx"
        path.write_bytes(render(compose(resolve({"activities": list(load().activities)}))))
        check(path)
        return median_ms(lambda: check(path), runs)


def scaling(runs: int, sizes=(5, 10, 20, 40, 80)) -> list[tuple[int, float]]:
    """Render time against the number of activities: each adds a section and a row to both tables."""
    import copy

    from drafter.answers import resolve
    from drafter.compose import compose
    from drafter.model import PlanRow, PlanTable, Section, StatRow, StatsTable
    from drafter.render import render

    base = compose(resolve({}))
    main_section = next(b for b in base.body if isinstance(b, Section) and b.title == "主要活动")
    template = main_section.children
    out = []
    for n in sizes:
        notice = copy.deepcopy(base)
        section = next(b for b in notice.body if isinstance(b, Section) and b.title == "主要活动")
        section.children = [Section(f"{template[i % len(template)].title}（{i + 1}）",
                                    copy.deepcopy(template[i % len(template)].children)) for i in range(n)]
        for a in notice.attachments:
            if isinstance(a, StatsTable):
                a.rows = [StatRow(s.title, ["开展（　　）场，参与（　　）人次"]) for s in section.children]
            elif isinstance(a, PlanTable):
                a.rows = [PlanRow(s.title, "按通知要求组织开展", "各单位") for s in section.children]
        render(notice)
        out.append((n, median_ms(lambda notice=notice: render(notice), max(3, runs // 3))))
    return out


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
