"""The backup archive is signed and checked whole before anything changes: an edited archive
(even with its checksums recomputed), one signed with another key, or a damaged one is refused
with a Vietnamese message, and a failure at any step of a restore leaves the data and the
evidence files exactly as they were."""

import gzip
import hashlib
import io
import json
import stat
import tarfile

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.management.commands import restore_data
from assessments.management.commands.backup_data import sign_manifest
from assessments.models import Score

from .test_backup_roundtrip import media_snapshot, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def backup(sample_assessment, media_root, tmp_path, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_user_model().objects.create_user("lanhdao", password="mat-khau-dai-2024")
    (media_root / "evidence").mkdir()
    (media_root / "evidence" / "a.pdf").write_bytes(b"%PDF-1.4 ban goc")
    archive = tmp_path / "backup.tar.gz"
    call_command("backup_data", "-o", str(archive), "--format", "json", stdout=io.StringIO())
    return archive


def members(archive) -> list[tuple[tarfile.TarInfo, bytes]]:
    with tarfile.open(archive) as source:
        return [(m, source.extractfile(m).read()) for m in source.getmembers() if m.isfile()]


def repack(items, target):
    with tarfile.open(target, "w:gz") as archive:
        for member, data in items:
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return target


def make_superuser(data: bytes) -> bytes:
    rows = json.loads(data)
    for row in rows:
        if row["model"] == "auth.user" and row["fields"]["username"] == "lanhdao":
            row["fields"]["is_superuser"] = row["fields"]["is_staff"] = True
    return json.dumps(rows).encode()


def tampered(archive, tmp_path, *, manifest_edit=None):
    """database.json edited (lanhdao made a superuser); the manifest as given by manifest_edit."""
    items = members(archive)
    dump = next(data for m, data in items if m.name == "database.json")
    edited = make_superuser(dump)
    result = []
    for member, data in items:
        if member.name == "database.json":
            data = edited
        elif member.name == "manifest.json" and manifest_edit is not None:
            manifest = json.loads(data)
            manifest["database"]["sha256"] = hashlib.sha256(edited).hexdigest()
            manifest["database"]["size"] = len(edited)
            data = json.dumps(manifest_edit(manifest)).encode()
        result.append((member, data))
    return repack(result, tmp_path / "tampered.tar.gz")


def refused(archive, message):
    before, files = snapshot(), media_snapshot(django_settings.MEDIA_ROOT)
    with pytest.raises(CommandError, match=message):
        call_command("restore_data", str(archive), "--no-input", stdout=io.StringIO())
    assert snapshot() == before
    assert media_snapshot(django_settings.MEDIA_ROOT) == files


def test_the_archive_is_readable_by_its_owner_only(backup):
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600


def test_an_edited_dump_with_the_original_manifest_is_refused(backup, tmp_path):
    refused(tampered(backup, tmp_path), "database.json trong bản sao lưu bị thiếu hoặc bị sửa")
    assert not get_user_model().objects.get(username="lanhdao").is_superuser


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda m: m, "Chữ ký của bản sao lưu không khớp: tệp đã bị sửa"),
        (lambda m: sign_manifest(m, b"khoa-doan-mo"), "được ký bằng một khóa khác"),
        (lambda m: {k: v for k, v in m.items() if k != "signature"}, "Bản sao lưu không có chữ ký"),
    ],
    ids=["checksums-recomputed", "re-signed-with-a-guessed-key", "signature-removed"],
)
def test_a_manifest_recomputed_without_the_key_is_refused(backup, tmp_path, edit, message):
    refused(tampered(backup, tmp_path, manifest_edit=edit), message)


def test_an_archive_signed_with_another_key_needs_that_key(backup, tmp_path, settings):
    settings.BACKUP_SIGNING_KEY = "khoa-moi-sau-khi-doi"
    refused(backup, "được ký bằng một khóa khác với khóa hiện tại")


def test_a_file_not_in_the_manifest_is_refused(backup, tmp_path):
    extra = tarfile.TarInfo("media/evidence/them.pdf")
    target = repack([*members(backup), (extra, b"%PDF-1.4 them")], tmp_path / "extra.tar.gz")
    refused(target, "chứa tệp không có trong danh mục: media/evidence/them.pdf")


def damaged_archives(backup, tmp_path):
    raw = backup.read_bytes()
    traversal = tarfile.TarInfo("../../ngoai.txt")
    no_manifest = [(m, d) for m, d in members(backup) if m.name != "manifest.json"]
    return {
        "truncated": (raw[: len(raw) // 2], "không đọc được như một bản sao lưu ParIndex"),
        "not-gzip": (b"day khong phai tep nen", "không đọc được như một bản sao lưu ParIndex"),
        "gzip-not-tar": (
            gzip.compress(b"chi la van ban " * 100),
            "không đọc được như một bản sao lưu ParIndex",
        ),
        "no-manifest": (repack(no_manifest, tmp_path / "x.tar.gz").read_bytes(), "thiếu manifest.json"),
        "traversal": (
            repack([*members(backup), (traversal, b"x")], tmp_path / "y.tar.gz").read_bytes(),
            "đường dẫn không an toàn: ../../ngoai.txt",
        ),
    }


@pytest.mark.parametrize("case", ["truncated", "not-gzip", "gzip-not-tar", "no-manifest", "traversal"])
def test_a_damaged_archive_gets_a_message_and_changes_nothing(backup, tmp_path, case):
    content, message = damaged_archives(backup, tmp_path)[case]
    target = tmp_path / f"{case}.tar.gz"
    target.write_bytes(content)
    refused(target, message)
    assert not (tmp_path.parent / "ngoai.txt").exists()


def fail_loaddata(monkeypatch):
    real = restore_data.call_command

    def call(name, *args, **kwargs):
        real(name, *args, **kwargs)
        if name == "loaddata":
            raise RuntimeError("mất điện giữa chừng")

    monkeypatch.setattr(restore_data, "call_command", call)


def fail_counts(monkeypatch):
    monkeypatch.setattr(restore_data, "row_counts", lambda *args: {})


def fail_media_swap(monkeypatch):
    real = restore_data.Command.swap_media

    def swap(self, extracted, media_root, previous):
        real(self, extracted, media_root, previous)
        raise OSError("đĩa đầy")

    monkeypatch.setattr(restore_data.Command, "swap_media", swap)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("failure", [fail_loaddata, fail_counts, fail_media_swap])
def test_a_failure_mid_restore_leaves_data_and_files_as_they_were(backup, media_root, monkeypatch, failure):
    # Changes after the backup, which a failed restore must keep.
    Score.objects.first().delete()
    (media_root / "evidence" / "a.pdf").write_bytes(b"%PDF-1.4 sua sau sao luu")
    (media_root / "moi.pdf").write_bytes(b"%PDF-1.4 moi")
    before, files = snapshot(), media_snapshot(media_root)
    failure(monkeypatch)

    with pytest.raises((CommandError, RuntimeError, OSError)):
        call_command("restore_data", str(backup), "--no-input", stdout=io.StringIO())

    assert snapshot() == before
    assert media_snapshot(media_root) == files
    assert sorted(
        p.name for p in media_root.parent.iterdir() if p.name.startswith(("media", ".parindex"))
    ) == ["media"]
