"""Benchmark (not a test): time a full notice render against a bare docxtpl render of the same template and context.

    python bench/render.py [runs]

cold: a new process running `drafter new --defaults` end to end (imports, answers, compose, render, write), and
`drafter --help`, each the median of at least 7 processes and as a ratio to the import floor (bench/timing.py; all
the commands' cold times: bench/commands.py).
warm: in one process, answers → Notice → .docx bytes, repeated (what docxtpl makes of the template kept between
runs: drafter/templatecache.py); bare: DocxTemplate(...).render(same context) with a plain jinja environment, and
save, repeated; `drafter check` of a ten-page notice, in process (no start-up, no imports). Medians are printed in
milliseconds.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path

from timing import FLOOR, RUNS, cold_medians, drafter, environment, median_ms


def main(runs: int = 15) -> None:
    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from drafter.answers import resolve
    from drafter.compose import compose, printable
    from drafter.render import context, render, template_path

    def full():
        render(compose(resolve({})))

    notice = compose(resolve({}))
    ctx = context(notice)

    def bare():  # docxtpl as it comes: the template's parts rewritten and compiled each time
        tpl = DocxTemplate(str(template_path()))
        tpl.render(ctx, SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, finalize=printable),
                   autoescape=True)
        tpl.save(io.BytesIO())

    full()  # warm the caches once
    warm, base = median_ms(full, runs), median_ms(bare, runs)
    with tempfile.TemporaryDirectory() as tmp:
        cold = cold_medians({"new": drafter("new", "--defaults", "-o", "n.docx", "--force"), "help": drafter("--help")},
                            max(RUNS, runs // 2), env=environment(Path(tmp) / "home"), cwd=tmp)
    floor = cold[FLOOR]
    print(f"{'measure':<50}{'median ms':>10}{'× floor':>9}")
    print(f"{'bare docxtpl render + save (same context)':<50}{base:>10.1f}")
    print(f"{'full render warm (answers→Notice→docx)':<50}{warm:>10.1f}")
    print(f"{'ratio full / bare':<50}{warm / base:>10.2f}")
    print(f"{'import floor, new process (import docxtpl, docx)':<50}{floor:>10.1f}{1:>9.2f}")
    print(f"{'drafter new --defaults, new process':<50}{cold['new']:>10.1f}{cold['new'] / floor:>9.2f}")
    print(f"{'drafter --help, new process':<50}{cold['help']:>10.1f}{cold['help'] / floor:>9.2f}")
    print(f"{'drafter check, ten-page notice (in process)':<50}{check_ms(runs):>10.1f}")
    print()
    print(f"{'activities (sections + table rows)':<36}{'render ms':>10}{'ms each':>10}")
    for n, ms in scaling(runs):
        print(f"{n:<36}{ms:>10.1f}{ms / n:>10.2f}")


def check_ms(runs: int) -> float:
    """`drafter check` without --render on a notice with every sector's activities (over ten pages)."""
    from drafter.answers import resolve
    from drafter.check import check
    from drafter.compose import compose
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
    with tempfile.TemporaryDirectory(prefix="drafter-bench-home-") as home:  # its own cache, profile, registry
        os.environ["DRAFTER_HOME"] = home
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
