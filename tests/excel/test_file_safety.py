"""Files that are not tables are refused with a clear Vietnamese message, never a crash."""

import io
import zipfile

import pytest

from assessments.exchange import safety
from assessments.exchange.problems import FileRefused
from assessments.exchange.tables import read_tables

from .conftest import annex_workbook, to_bytes


def refusal(data: bytes, filename: str = "") -> str:
    with pytest.raises(FileRefused) as info:
        read_tables(data, filename)
    return str(info.value)


def test_empty_file():
    assert refusal(b"") == "Tệp rỗng: không có dữ liệu để nhập."
    assert refusal(b"  \n\n") == "Tệp rỗng: không có dữ liệu để nhập."


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "là tệp PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "là tệp ảnh PNG"),
        (bytes(range(256)) * 4, "không phải bảng tính"),
    ],
)
def test_not_a_spreadsheet(data, expected):
    assert expected in refusal(data)


def test_word_document_is_not_a_spreadsheet():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    assert "văn bản Word" in refusal(buffer.getvalue())


def test_damaged_zip():
    assert "bị hỏng" in refusal(b"PK\x03\x04" + b"\x00" * 200)


def test_password_protected_workbook():
    # An encrypted Office file is an OLE compound file holding EncryptionInfo/EncryptedPackage.
    data = safety.OLE_MAGIC + b"\x00" * 1000 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64
    data += "EncryptedPackage".encode("utf-16-le") + b"\x00" * 500
    assert "bảo vệ bằng mật khẩu" in refusal(data, "bang.xlsx")


def test_legacy_xls_is_refused_with_advice():
    data = safety.OLE_MAGIC + b"\x00" * 1000 + "Workbook".encode("utf-16-le") + b"\x00" * 500
    assert ".xls" in refusal(data, "bang.xls")


def test_zip_bomb_by_ratio():
    source = io.BytesIO(to_bytes(annex_workbook()))
    bomb = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item))
        zout.writestr("xl/media/padding.bin", b"\x00" * (5 * 1024 * 1024))
    assert len(bomb.getvalue()) < 200_000
    assert "bom nén" in refusal(bomb.getvalue())


def test_zip_bomb_by_total_size(monkeypatch):
    monkeypatch.setattr(safety, "MAX_UNCOMPRESSED", 64 * 1024)
    assert "vượt giới hạn" in refusal(to_bytes(annex_workbook()))


def test_file_over_10_mb():
    data = b"a,b,c\n" * (safety.MAX_BYTES // 6 + 10)
    message = refusal(data, "big.csv")
    assert "Tệp quá lớn" in message and "10,0 MB" in message


def test_more_than_20000_rows():
    data = ("STT,Điểm\n" + "".join(f"{i},1\n" for i in range(20_001))).encode()
    assert "20.000 dòng" in refusal(data, "many.csv")


def test_more_than_20000_rows_in_xlsx(monkeypatch):
    from assessments.exchange import tables

    monkeypatch.setattr(tables, "MAX_ROWS", 100)
    assert "100 dòng" in refusal(to_bytes(annex_workbook()))


def test_text_in_another_encoding():
    data = "STT;Tiêu chí\n1;Công tác chỉ đạo\n".encode("utf-16-be")
    assert "không phải bảng tính" in refusal(data, "x.csv") or "UTF-8" in refusal(data, "x.csv")
