"""Evidence files: type checked by content (never by name), at most 20 MB, stored under a
generated name in the private MEDIA_ROOT."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from .. import scoring
from ..models import Evidence, WorkflowEvent
from .contributions import check_can_contribute, contributed_leaves
from .deadlines import part_state
from .entry import writable_leaves
from .errors import DomainError

MAX_BYTES = 20 * 1024 * 1024
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def max_bytes() -> int:
    return getattr(settings, "EVIDENCE_MAX_BYTES", MAX_BYTES)


@dataclass(frozen=True)
class FileType:
    kind: str
    extension: str
    content_type: str


PDF = FileType(Evidence.Kind.PDF, "pdf", "application/pdf")
PNG = FileType(Evidence.Kind.IMAGE, "png", "image/png")
JPEG = FileType(Evidence.Kind.IMAGE, "jpg", "image/jpeg")
GIF = FileType(Evidence.Kind.IMAGE, "gif", "image/gif")
WEBP = FileType(Evidence.Kind.IMAGE, "webp", "image/webp")
DOCX = FileType(
    Evidence.Kind.WORD, "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)
XLSX = FileType(
    Evidence.Kind.EXCEL, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
DOC = FileType(Evidence.Kind.WORD, "doc", "application/msword")
XLS = FileType(Evidence.Kind.EXCEL, "xls", "application/vnd.ms-excel")

FILE_TYPES = {t.extension: t for t in (PDF, PNG, JPEG, GIF, WEBP, DOCX, XLSX, DOC, XLS)}
UNKNOWN = FileType("", "bin", "application/octet-stream")


def file_type_of(extension: str) -> FileType:
    """The detected type an evidence record was stored with (its `extension`)."""
    return FILE_TYPES.get(extension, UNKNOWN)


REFUSED = "Chỉ nhận tệp PDF, Word (.doc, .docx), Excel (.xls, .xlsx) hoặc ảnh (PNG, JPEG, GIF, WebP)."


def _ole2_type(upload) -> FileType | None:
    """Old Word / Excel files are OLE2 compound documents: tell them apart by the stream
    names in the directory (UTF-16 "WordDocument" / "Workbook" / "Book")."""
    upload.seek(0)
    head = upload.read(512 * 1024)
    if "WordDocument".encode("utf-16-le") in head:
        return DOC
    if "Workbook".encode("utf-16-le") in head or "Book".encode("utf-16-le") in head:
        return XLS
    return None


def _zip_type(upload) -> FileType | None:
    """.docx / .xlsx are zip packages: check the structure, not the name."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def detect_type(upload) -> FileType:
    """The file's type from its bytes. Raises DomainError for anything else."""
    upload.seek(0)
    head = upload.read(16)
    found: FileType | None = None
    if head.startswith(b"%PDF-"):
        found = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        found = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        found = JPEG
    elif head.startswith((b"GIF87a", b"GIF89a")):
        found = GIF
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        found = WEBP
    elif head.startswith(b"PK\x03\x04"):
        found = _zip_type(upload)
    elif head.startswith(OLE2):
        found = _ole2_type(upload)
    upload.seek(0)
    if found is None:
        raise DomainError(REFUSED)
    return found


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


# Other spellings of a detected type's extension that a name may keep.
EXTENSION_ALIASES = {"jpg": {"jpg", "jpeg", "jpe"}}


def _clean_name(name: str) -> str:
    name = (name or "tai-lieu").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable())[:200] or "tai-lieu"


def served_name(name: str, extension: str) -> str:
    """The uploader's name with the extension of the detected type: "run.bat" holding a PDF
    is "run.pdf", "khong-duoi" is "khong-duoi.pdf"; "Ảnh.JPEG" stays as it is. What a
    browser or Windows does with a file follows its name, so it must say what it is."""
    name = _clean_name(name)
    stem, dot, given = name.rpartition(".")
    if dot and stem and given.lower() in EXTENSION_ALIASES.get(extension, {extension}):
        return name
    stem = stem if dot and stem else name
    return f"{stem[: 200 - len(extension) - 1]}.{extension}"


def check_can_attach(assessment, agency, criterion_id: int) -> None:
    """Evidence follows the self score: only while the agency may write that criterion, or,
    for a contributing agency (cơ quan phối hợp), while the lead's answer is open."""
    result = scoring.compute(assessment)
    if criterion_id in contributed_leaves(result, agency.pk):
        check_can_contribute(assessment, agency, criterion_id, result)
        return
    state = part_state(assessment, agency.pk)
    if state.closed_reason:
        raise DomainError(state.closed_reason)
    if criterion_id not in writable_leaves(result, state, agency.pk):
        raise DomainError("Tiêu chí này không thuộc phần việc của cơ quan trong bước hiện tại.")
    if not state.can_write_criterion(criterion_id):
        raise DomainError("Đã quá hạn: không tải thêm tài liệu được.")


def add_evidence(*, user, assessment, agency, criterion, upload) -> Evidence:
    if upload is None:
        raise DomainError("Chọn một tệp để tải lên.")
    if upload.size > max_bytes():
        limit = max_bytes() // (1024 * 1024)
        raise DomainError(f"Tệp lớn hơn {limit} MB: hãy nén hoặc tách nhỏ tệp.")
    if upload.size == 0:
        raise DomainError("Tệp rỗng.")
    file_type = detect_type(upload)
    digest = _sha256(upload)
    with transaction.atomic():
        check_can_attach(assessment, agency, criterion.pk)
        same = (
            Evidence.objects.filter(assessment=assessment, criterion=criterion, sha256=digest)
            .values_list("original_name", flat=True)
            .first()
        )
        if same is not None:
            raise DomainError(
                f"tệp này đã được tải lên rồi (cùng nội dung với “{same}”): không tải lên lần nữa."
            )
        evidence = Evidence(
            assessment=assessment,
            criterion=criterion,
            agency=agency,
            original_name=served_name(upload.name, file_type.extension),
            kind=file_type.kind,
            extension=file_type.extension,
            content_type=file_type.content_type,
            size=upload.size,
            sha256=digest,
            uploaded_by=user,
        )
        evidence.file.save("upload", upload, save=False)
        stored: str = evidence.file.name or ""
        try:
            evidence.save()
        except Exception:
            evidence.file.storage.delete(stored)
            raise
        WorkflowEvent.objects.create(
            assessment=assessment,
            action=WorkflowEvent.Action.EVIDENCE_ADD,
            agency=agency,
            criterion=criterion,
            user=user,
            detail=evidence.original_name[:300],
        )
        return evidence


def delete_evidence(*, user, evidence: Evidence, agency) -> None:
    with transaction.atomic():
        check_can_attach(evidence.assessment, agency, evidence.criterion_id)
        name: str = evidence.file.name or ""
        WorkflowEvent.objects.create(
            assessment=evidence.assessment,
            action=WorkflowEvent.Action.EVIDENCE_DELETE,
            agency=agency,
            criterion=evidence.criterion,
            user=user,
            detail=evidence.original_name[:300],
        )
        evidence.delete()
        transaction.on_commit(lambda: evidence.file.storage.delete(name))


def evidence_by_criterion(assessment, criterion_ids=None) -> dict[int, list[Evidence]]:
    """The assessment's evidence (of these criteria only, where given) by criterion id,
    oldest first, in one query: the entry page, the appraisal page, an agency's Excel part."""
    found = Evidence.objects.filter(assessment=assessment)
    if criterion_ids is not None:
        found = found.filter(criterion_id__in=list(criterion_ids))
    grouped: dict[int, list[Evidence]] = {}
    for item in found.order_by("criterion_id", "uploaded_at", "pk"):
        grouped.setdefault(item.criterion_id, []).append(item)
    return grouped
