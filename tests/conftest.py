import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from drafter.answers import resolve
from drafter.compose import compose
from drafter.pdf import fonts_dir, soffice, to_pdf
from drafter.render import render

ROOT = Path(__file__).resolve().parent.parent

# The tests' own drafter home (profile, parent registry, unfinished answers), so that what a user of this machine keeps
# there cannot change what the tests see; a test that needs its own sets DRAFTER_HOME itself.
os.environ.setdefault("DRAFTER_HOME", __import__("tempfile").mkdtemp(prefix="drafter-tests-home-"))


def run_cli(*args, cwd=None, input=None, env=None):
    """The drafter command as a user runs it: a new process."""
    return subprocess.run([sys.executable, "-m", "drafter", *map(str, args)], cwd=cwd, input=input,
                          env={**os.environ, **env} if env else None, capture_output=True, text=True, timeout=120)


def run_bounded(*args, cwd=None, input=None, env=None, memory_mb=1500, seconds=60):
    """The drafter command as a new process under an address-space limit (``memory_mb``) and a time limit; returns
    (completed process, seconds taken). A run that goes past ``seconds`` fails the test, naming the command; one that
    needs more memory than allowed fails inside with MemoryError (a traceback the test sees in stderr)."""
    import resource
    import time

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 1024 * 1024,) * 2)

    started = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-m", "drafter", *map(str, args)], cwd=cwd, input=input,
                              env={**os.environ, **env} if env else None, capture_output=True, text=True,
                              timeout=seconds, preexec_fn=limit)
    except subprocess.TimeoutExpired:
        pytest.fail(f"drafter {' '.join(map(str, args))} ran past {seconds} s")
    return done, time.monotonic() - started


# Font set-ups of the tests that render through LibreOffice: each font the template names and the font it must come
# out in. "noto": Noto CJK for every Chinese font; "arphic": AR PL UMing as 仿宋 and AR PL UKai as 楷体, as many Linux
# desktops have them. Times New Roman (digits, Latin letters) is Liberation Serif in both. DRAFTER_TEST_FONTS picks the
# session's set-up (default "noto"); CI runs the layout tests under each.
FONT_SETUPS = {
    "noto": {"方正小标宋简体": "Noto Serif CJK SC", "仿宋_GB2312": "Noto Serif CJK SC", "仿宋": "Noto Serif CJK SC",
             "楷体_GB2312": "Noto Serif CJK SC", "楷体": "Noto Serif CJK SC", "黑体": "Noto Sans CJK SC",
             "宋体": "Noto Serif CJK SC", "Times New Roman": "Liberation Serif"},
    "arphic": {"方正小标宋简体": "Noto Serif CJK SC", "仿宋_GB2312": "AR PL UMing CN", "仿宋": "AR PL UMing CN",
               "楷体_GB2312": "AR PL UKai CN", "楷体": "AR PL UKai CN", "黑体": "Noto Sans CJK SC",
               "宋体": "Noto Serif CJK SC", "Times New Roman": "Liberation Serif"},
}
FONT_PACKAGES = {"Noto Serif CJK SC": "fonts-noto-cjk", "Noto Sans CJK SC": "fonts-noto-cjk",
                 "AR PL UMing CN": "fonts-arphic-uming", "AR PL UKai CN": "fonts-arphic-ukai",
                 "Liberation Serif": "fonts-liberation2"}


def font_setup() -> str:
    setup = os.environ.get("DRAFTER_TEST_FONTS") or "noto"
    if setup not in FONT_SETUPS:
        raise pytest.UsageError(f"DRAFTER_TEST_FONTS={setup}: expected one of {', '.join(FONT_SETUPS)}")
    return setup


def write_fontconfig(setup: str, folder: Path) -> Path:
    """A fontconfig file of the tests' own: the system's font folders only, a cache of its own, drafter's 公文 font
    rules (drafter/fonts/gongwen.conf), then the set-up's choice for each font. Neither the user's nor the desktop's
    font settings are read."""
    rules = "".join(
        f'  <match target="pattern"><test name="family"><string>{escape(name)}</string></test>'
        f'<edit name="family" mode="assign_replace" binding="strong"><string>{escape(font)}</string></edit></match>\n'
        for name, font in FONT_SETUPS[setup].items())
    conf = folder / f"fonts-{setup}.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        "  <dir>/usr/share/fonts</dir>\n  <dir>/usr/local/share/fonts</dir>\n"
        f"  <cachedir>{escape(str(folder / 'cache'))}</cachedir>\n"
        f"  <include>{escape(str(fonts_dir() / 'gongwen.conf'))}</include>\n{rules}</fontconfig>\n", encoding="utf-8")
    return conf


FONTCONFIGS: dict[str, Path] = {}  # the fontconfig file of each set-up, written once a session


@pytest.fixture(scope="session")
def fontconfigs(tmp_path_factory) -> dict[str, Path]:
    """The fontconfig file of each font set-up."""
    folder = tmp_path_factory.mktemp("fonts")
    FONTCONFIGS.update({setup: write_fontconfig(setup, folder) for setup in FONT_SETUPS})
    return FONTCONFIGS


@pytest.fixture(scope="session", autouse=True)
def session_fontconfig(fontconfigs):
    """Every conversion in the tests, in this process or in a drafter subprocess, uses the session's font set-up
    (through DRAFTER_FONTCONFIG, which drafter.pdf honours)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DRAFTER_FONTCONFIG", str(fontconfigs[font_setup()]))
        yield font_setup()


@functools.cache
def missing_fonts(conf: Path, setup: str) -> tuple[str, ...]:
    """What a font set-up lacks on this machine: each font that does not come out as the set-up says."""
    if shutil.which("fc-match") is None:
        return ("fontconfig is not installed (apt-get install fontconfig)",)
    out = []
    for name, want in FONT_SETUPS[setup].items():
        got = subprocess.run(["fc-match", "-f", "%{family[0]}", name], capture_output=True, text=True,
                             env={**os.environ, "FONTCONFIG_FILE": str(conf)}).stdout.strip()
        if got != want:
            out.append(f"{name} comes out as {got or 'nothing'}, not {want} (apt-get install {FONT_PACKAGES[want]})")
    return tuple(out)


def need_libreoffice(*setups: str):
    """What a test that renders through LibreOffice needs: LibreOffice and the fonts of the session's font set-up
    (or of the set-ups named). Missing in CI, the test fails; elsewhere it is skipped."""
    lacking = [] if soffice() else ["LibreOffice is not installed (apt-get install libreoffice-writer)"]
    for setup in setups or (font_setup(),):
        lacking += [f"font set-up {setup!r}: {m}" for m in missing_fonts(FONTCONFIGS[setup], setup)]
    if lacking:
        message = "; ".join(lacking)
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def pdf_of(tmp_path_factory):
    """Render answers to .docx and PDF once per distinct set of overrides; returns (docx, pages)."""
    from drafter.check.pdf_pages import read_pdf

    cache = {}

    def make(**overrides):
        need_libreoffice()
        key = repr(sorted(overrides.items()))
        if key not in cache:
            folder = tmp_path_factory.mktemp("pdf")
            docx = folder / "notice.docx"
            docx.write_bytes(render(compose(resolve({}, overrides))))
            cache[key] = (docx, read_pdf(to_pdf(docx, folder)))
        return cache[key]

    return make


def install_plugin(site: Path, name: str, source: str, dist: str | None = None, entry: str | None = None) -> Path:
    """Install a one-module plugin into ``site`` the way pip lays it out (module + dist-info with entry_points.txt),
    so that drafter finds it through the entry-point group when ``site`` is on PYTHONPATH."""
    dist = dist or f"drafter-test-{name}"
    site.mkdir(parents=True, exist_ok=True)
    (site / f"{name}_plugin.py").write_text(source, encoding="utf-8")
    info = site / f"{dist.replace('-', '_')}-0.1.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[drafter]\n{name} = {entry or name + '_plugin'}\n", encoding="utf-8")
    return site


def run_with(site: Path, *args, cwd=None, env=None):
    """The drafter command with the plugins installed in ``site``."""
    return run_cli(*args, cwd=cwd, env={"PYTHONPATH": str(site), **(env or {})})


class Venv:
    """A new virtualenv that also sees this environment's packages (drafter among them), so that a plugin can be
    really installed into it with pip and uninstalled again."""

    def __init__(self, path: Path):
        import site
        import venv

        venv.create(path, with_pip=True)
        self.python = path / "bin" / "python"
        own = subprocess.run([self.python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
        parents = [p for p in site.getsitepackages() + [site.getusersitepackages()] if Path(p).is_dir()]
        lines = [f"import site; site.addsitedir({p!r})" for p in parents]
        Path(own, "_parent_env.pth").write_text("\n".join(lines) + "\n", encoding="utf-8")
        # Build plugins with this environment's setuptools (the tests' extra asks for a recent one), not the
        # older copy a new venv may carry.
        self.pip("uninstall", "-y", "setuptools")

    def run(self, *args, cwd=None):
        return subprocess.run([self.python, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300)

    def pip(self, *args, cwd=None):
        done = self.run("-m", "pip", "--disable-pip-version-check", "-q", *args, cwd=cwd)
        assert done.returncode == 0, done.stderr
        return done

    def drafter(self, *args, cwd=None):
        return self.run("-m", "drafter", *args, cwd=cwd)


# A district's notice as a clerk copies it from the web page it was published on (made up for these tests).
UPSTREAM = """江城市青山区安全生产委员会办公室
青安办〔2025〕21号
关于开展2025年全区“安全生产月”活动的通知
各街道办事处，区安委会各成员单位：
今年6月是第24个全国“安全生产月”，主题是“人人讲安全、个个会应急——查找身边安全隐患”。根据《国务院安委会办公室 应急管理部关于开展2025年全国“安全生产月”活动的通知》（安委办〔2025〕1号）要求，现将有关事项通知如下：
一、组织隐患排查
各街道要组织网格员对辖区开展一次全面排查，发现问题及时整改。
二、工作要求
各单位请于7月5日前报送活动总结。
江城市青山区安全生产委员会办公室
2025年5月20日
"""
