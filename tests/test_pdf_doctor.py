"""`drafter new --pdf` and `drafter doctor`."""

import pdfplumber
from conftest import need_libreoffice, run_cli

from drafter import __version__
from drafter.pdf import GONGWEN_FONTS, installed_families


def test_new_with_pdf_writes_the_pdf_and_names_the_stand_in_fonts(tmp_path):
    need_libreoffice()
    done = run_cli("new", "--defaults", "--pdf", "-o", tmp_path / "通知.docx")
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "通知.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-" and f"已生成 {pdf}" in done.stderr
    with pdfplumber.open(pdf) as doc:
        first = doc.pages[0].extract_text().replace(" ", "")
    assert "江城市青山区商务局文件" in first and "青商务〔2025〕18号" in first
    missing = [f for f in GONGWEN_FONTS if f not in installed_families()]
    for font in missing:
        assert f"{font} → " in done.stderr
    if missing:
        assert "PDF 字体替代" in done.stderr


def test_without_libreoffice_pdf_is_refused_and_nothing_is_written(tmp_path):
    done = run_cli("new", "--defaults", "--pdf", "-o", tmp_path / "通知.docx", env={"PATH": str(tmp_path)})
    assert done.returncode == 1 and "未找到 LibreOffice" in done.stderr and "apt-get install" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_doctor_reports_the_machine(tmp_path):
    done = run_cli("doctor", env={"DRAFTER_HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("drafter ") and "python-docx" in out and "LibreOffice：" in out
    for font in GONGWEN_FONTS:
        assert f"  {font}：" in out
    assert f"上级来文库：{tmp_path / 'parents'}（0 份本单位存入的通知）" in out
    assert f"缓存：{tmp_path / 'cache'}（模板的中间结果" in out
    (tmp_path / "cache").write_text("")  # a file in its place
    assert "不是文件夹，不能用作缓存" in run_cli("doctor", env={"DRAFTER_HOME": str(tmp_path)}).stdout
    assert f"shangwu（gongwen-drafter {__version__}）行业：商务  已加载" in out
