"""Checks made before a file is parsed: size, kind, encryption, zip bombs.

Each refusal is a FileRefused with a Vietnamese message; nothing here raises anything else
for a bad file, so the admin and the commands can show the message instead of a 500.
"""

from __future__ import annotations

import io
import zipfile

from .problems import FileRefused

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# An .xlsx is a zip of XML; a genuine 20 000-row table expands to a few tens of MB.
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 200
RATIO_CHECK_FROM = 1024 * 1024

XLSX, CSV, TSV = "xlsx", "csv", "tsv"

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# An encrypted (password-protected) Office file is an OLE container with these streams.
ENCRYPTED_MARKERS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
BINARY_MAGICS = {
    b"%PDF": "PDF",
    b"\x89PNG": "ảnh PNG",
    b"\xff\xd8\xff": "ảnh JPEG",
    b"GIF8": "ảnh GIF",
    b"Rar!": "RAR",
    b"7z\xbc\xaf": "7z",
    b"\x1f\x8b": "gzip",
}


def human_size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        rows = f"{MAX_ROWS:,}".replace(",", ".")
        raise FileRefused(
            f"Tệp quá lớn ({human_size(size)}); giới hạn là {human_size(MAX_BYTES)} "
            f"và {rows} dòng. Hãy tách tệp thành nhiều phần."
        )


def detect_kind(data: bytes, filename: str = "") -> str:
    """What kind of table the bytes hold: "xlsx", "csv" or "tsv"; FileRefused otherwise."""
    check_size(len(data))
    if not data or not data.strip():
        raise FileRefused("Tệp rỗng: không có dữ liệu để nhập.")
    head = data[:8]
    if head.startswith(OLE_MAGIC):
        window = data[: 512 * 1024]
        if any(marker in window for marker in ENCRYPTED_MARKERS):
            raise FileRefused(
                "Tệp được bảo vệ bằng mật khẩu (đã mã hóa); hãy gỡ mật khẩu trong Excel rồi lưu lại."
            )
        raise FileRefused(
            "Tệp Excel 97-2003 (.xls) chưa được hỗ trợ; hãy mở bằng Excel và lưu lại dưới dạng .xlsx."
        )
    if head.startswith(ZIP_MAGIC) or head.startswith(b"PK"):
        check_zip(data)
        return XLSX
    for magic, label in BINARY_MAGICS.items():
        if head.startswith(magic):
            raise FileRefused(
                f"Tệp không phải bảng tính (là tệp {label}); hãy gửi tệp .xlsx, .csv hoặc .tsv."
            )
    text = decode_text(data)
    return TSV if _looks_tab_separated(text, filename) else CSV


def check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileRefused("Tệp bị hỏng hoặc không phải bảng tính .xlsx.") from exc
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise FileRefused("Tệp là văn bản Word, không phải bảng tính; hãy gửi tệp .xlsx.")
        if "EncryptedPackage" in names:
            raise FileRefused("Tệp được bảo vệ bằng mật khẩu; hãy gỡ mật khẩu rồi lưu lại.")
        raise FileRefused("Tệp nén không phải bảng tính .xlsx (không có xl/workbook.xml).")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > RATIO_CHECK_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise FileRefused(
                f"Tệp bị từ chối: phần '{info.filename}' giải nén lớn gấp hơn {MAX_RATIO} lần "
                "(nghi là tệp 'bom nén')."
            )
    if total > MAX_UNCOMPRESSED:
        raise FileRefused(
            f"Tệp bị từ chối: nội dung giải nén {human_size(total)} vượt giới hạn "
            f"{human_size(MAX_UNCOMPRESSED)} (nghi là tệp 'bom nén')."
        )


def decode_text(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            try:
                return data.decode("utf-16")
            except UnicodeDecodeError:
                pass
        raise FileRefused("Tệp không phải bảng tính; hãy gửi tệp .xlsx, .csv hoặc .tsv.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            "Tệp không phải bảng tính hoặc không ở mã UTF-8; hãy lưu lại dưới dạng .xlsx hoặc CSV UTF-8."
        ) from exc
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\r\n")
    if controls > 8:
        raise FileRefused("Tệp không phải bảng tính; hãy gửi tệp .xlsx, .csv hoặc .tsv.")
    return text


def _looks_tab_separated(text: str, filename: str) -> bool:
    lowered = filename.lower()
    if lowered.endswith(".tsv") or lowered.endswith(".tab"):
        return True
    if lowered.endswith(".csv"):
        return False
    sample = text[:8192]
    return sample.count("\t") > sample.count(",") and sample.count("\t") > sample.count(";")
