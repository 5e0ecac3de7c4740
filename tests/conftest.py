import os
import subprocess
import sys
from pathlib import Path

import pytest

from drafter.answers import resolve
from drafter.compose import compose
from drafter.pdf import soffice, to_pdf
from drafter.render import render

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args, cwd=None, input=None, env=None):
    """The drafter command as a user runs it: a new process."""
    return subprocess.run([sys.executable, "-m", "drafter", *map(str, args)], cwd=cwd, input=input,
                          env={**os.environ, **env} if env else None, capture_output=True, text=True, timeout=120)


def need_libreoffice():
    if soffice() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is required in CI for the layout tests (apt-get install libreoffice-writer)")
        pytest.skip("LibreOffice not installed")


@pytest.fixture(scope="session")
def pdf_of(tmp_path_factory):
    """Render answers to .docx and PDF once per distinct set of overrides; returns (docx, pages)."""
    from drafter.measure import read_pdf

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
