"""The Word file as offices open it: converted with LibreOffice, then read page by page.

python-docx only writes XML; whether the motto stays on one line or "Nơi nhận" stays with its
list is decided by the word processor's layout. LibreOffice (Debian's libreoffice-writer-nogui,
installed by `make setup`) lays it out here as an office's would, and pdftoppm keeps PNGs of
the first pages beside the browser screenshots (test-output/screenshots/).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.libreoffice import to_pdf

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture(scope="module")
def converted(rendered, tmp_path_factory):
    """The reference report's .docx converted to PDF by LibreOffice, once a module."""
    folder = tmp_path_factory.mktemp("docx")
    source = folder / "bao-cao.docx"
    source.write_bytes(rendered["docx"])
    pdf = to_pdf(source)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "2", str(pdf), str(SCREENSHOTS / "word-trang")],
        check=True,
    )
    return pdf


def _page_lines(pdf: Path, page: int) -> list[str]:
    done = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        check=True,
    )
    return [" ".join(line.split()) for line in done.stdout.decode("utf-8").splitlines() if line.strip()]


def _page_count(pdf_path_or_bytes) -> int:
    if isinstance(pdf_path_or_bytes, bytes):
        done = subprocess.run(["pdfinfo", "-"], input=pdf_path_or_bytes, capture_output=True, check=True)
    else:
        done = subprocess.run(["pdfinfo", str(pdf_path_or_bytes)], capture_output=True, check=True)
    for line in done.stdout.decode().splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("pdfinfo gave no page count")


def test_page_one_header_lines_are_whole(converted):
    lines = _page_lines(converted, 1)
    header = lines[:3]
    assert header[0].endswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), header
    assert header[0].startswith("UBND TỈNH BÌNH PHƯỚC")
    assert header[1].endswith("Độc lập - Tự do - Hạnh phúc"), header
    assert "Bình Phước, ngày" in header[2] and header[2].endswith("năm 2024"), header


def test_title_lines_are_whole(converted, rendered):
    lines = _page_lines(converted, 1)
    start = lines.index("BÁO CÁO")
    assert lines[start + 1] == "Kết quả Chỉ số cải cách hành chính (PAR INDEX)"
    assert lines[start + 2] == "năm 2023 tỉnh Bình Phước"


def test_recipients_stay_with_their_list_and_the_signature(converted):
    pages = _page_count(converted)
    for page in range(1, pages + 1):
        lines = _page_lines(converted, page)
        if any(line.startswith("Nơi nhận") for line in lines):
            text = " ".join(lines)
            assert "- Bộ Nội vụ" in text and "- Lưu: VT" in text
            assert "GIÁM ĐỐC" in text
            return
    pytest.fail("Không thấy khối Nơi nhận trong bản Word")


def test_word_and_pdf_have_about_the_same_number_of_pages(converted, rendered):
    word_pages, pdf_pages = _page_count(converted), _page_count(rendered["pdf"])
    assert abs(word_pages - pdf_pages) <= 3, (word_pages, pdf_pages)
