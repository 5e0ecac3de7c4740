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


def run_cli(*args, cwd=None, input=None):
    """The drafter command as a user runs it: a new process."""
    return subprocess.run([sys.executable, "-m", "drafter", *map(str, args)], cwd=cwd, input=input,
                          capture_output=True, text=True, timeout=120)


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
