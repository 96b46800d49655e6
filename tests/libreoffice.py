"""Office files printed as LibreOffice prints them (Debian's libreoffice-writer-nogui and
libreoffice-calc-nogui, installed by `make setup`): a Word or Excel file converted to PDF."""

import shutil
import subprocess
from pathlib import Path

import pytest


def to_pdf(source: Path, *, timeout: int = 180) -> Path:
    """Convert `source` to a PDF beside it (its own LibreOffice profile, so that conversions
    do not share a lock); the PDF's path."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail(
            "Thiếu LibreOffice (libreoffice-writer-nogui, libreoffice-calc-nogui): chạy `make setup`."
        )
    folder = source.parent
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{folder / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=timeout,
    )
    pdf = source.with_suffix(".pdf")
    assert pdf.exists(), f"LibreOffice không in được {source.name}: chạy `make setup`."
    return pdf
