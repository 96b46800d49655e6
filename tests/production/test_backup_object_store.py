"""backup_data / restore_data when evidence is kept in the object store (S3_BUCKET; moto's S3
server here): the archive holds the store's evidence files, a restore writes them back through
the storage API, and a failed restore leaves the store exactly as it was."""

import io
import json
import tarfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.management.commands import restore_data
from tests.object_store import stored_keys

from .test_backup_roundtrip import make_sample_complete, snapshot

pytestmark = pytest.mark.django_db(transaction=True)


def store_contents(object_store) -> dict[str, bytes]:
    bucket, client = object_store
    return {
        key: client.get_object(Bucket=bucket, Key=key)["Body"].read() for key in stored_keys(object_store)
    }


def manifest_of(archive) -> dict:
    with tarfile.open(archive) as handle:
        return json.loads(handle.extractfile("manifest.json").read())


def backed_up(sample_assessment, object_store, tmp_path, django_user_model):
    user = django_user_model.objects.create_user("sonoivu", password="mat-khau-rat-dai-2024")
    make_sample_complete(sample_assessment, user)
    archive = tmp_path / "backup.tar.gz"
    call_command("backup_data", "-o", str(archive), "--format", "json", stdout=io.StringIO())
    return archive


def damage_the_store(object_store):
    """One evidence file lost, one overwritten with other content, one stray file added."""
    bucket, client = object_store
    first, second = [key for key in stored_keys(object_store) if key.startswith("media/evidence/")]
    client.delete_object(Bucket=bucket, Key=first)
    client.put_object(Bucket=bucket, Key=second, Body=b"%PDF-1.4 bi sua")
    client.put_object(Bucket=bucket, Key="media/evidence/la.pdf", Body=b"%PDF-1.4 khong thuoc ban sao luu")


def test_the_archive_holds_the_stores_evidence_and_a_restore_puts_it_back(
    sample_assessment, object_store, media_root, tmp_path, django_user_model
):
    archive = backed_up(sample_assessment, object_store, tmp_path, django_user_model)
    before_rows, before_files = snapshot(), store_contents(object_store)
    assert len([k for k in before_files if k.startswith("media/")]) == 2
    manifest = manifest_of(archive)
    assert manifest["media_storage"] == "object store"
    assert sorted("media/" + entry["path"] for entry in manifest["media"]) == sorted(before_files)
    assert not any(media_root.rglob("*.*"))  # nothing went through the server's disk

    damage_the_store(object_store)
    sample_assessment.scores.all().delete()
    out = io.StringIO()
    call_command("restore_data", str(archive), "--no-input", stdout=out)

    after = store_contents(object_store)
    assert {k: v for k, v in after.items() if k != "media/evidence/la.pdf"} == before_files
    assert after["media/evidence/la.pdf"] == b"%PDF-1.4 khong thuoc ban sao luu"
    assert "1 tệp trong kho lưu trữ không có trong bản sao lưu được để nguyên" in out.getvalue()
    # The content the restore replaced is kept beside MEDIA_ROOT, as a local restore keeps the
    # previous folder, and the output says where.
    [folder] = media_root.parent.glob("media.truoc-khoi-phuc-*")
    [kept] = [p for p in folder.rglob("*") if p.is_file()]
    assert kept.read_bytes() == b"%PDF-1.4 bi sua" and str(folder) in out.getvalue()
    assert snapshot() == before_rows


def test_a_failed_restore_leaves_the_store_and_the_data_as_they_were(
    sample_assessment, object_store, media_root, tmp_path, django_user_model, monkeypatch
):
    archive = backed_up(sample_assessment, object_store, tmp_path, django_user_model)
    damage_the_store(object_store)
    sample_assessment.scores.filter(criterion__code="1.1").delete()
    files_before, rows_before = store_contents(object_store), snapshot()

    def fails(self, dump, manifest, using):
        raise CommandError("Hỏng giữa chừng")

    monkeypatch.setattr(restore_data.Command, "restore_json", fails)
    with pytest.raises(CommandError, match="Hỏng giữa chừng"):
        call_command("restore_data", str(archive), "--no-input", stdout=io.StringIO())
    assert store_contents(object_store) == files_before
    assert snapshot() == rows_before
    assert not list(media_root.parent.glob("media.truoc-khoi-phuc-*"))
