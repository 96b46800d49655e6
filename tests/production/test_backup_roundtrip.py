"""backup_data / restore_data: a full round trip of the sample restores everything —
scores, comments, history, narrative, evidence files — and a damaged archive is refused."""

import io
import json
import shutil
import tarfile
from decimal import Decimal

import pytest
from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from assessments.management.commands.backup_data import backed_up_models
from assessments.models import Agency, Score

COMMENT = '=HYPERLINK("http://x","bấm vào") – ý kiến: thiếu văn bản <b>kiểm tra</b>'


def has_table(model) -> bool:
    return model._meta.db_table in connection.introspection.table_names()


def snapshot() -> dict[str, list[str]]:
    """Every row of every backed-up table, by natural keys (ids of content types and
    permissions may change when migrate rebuilds them)."""
    rows = {}
    for model in backed_up_models("json"):
        if model._meta.auto_created:
            continue  # m2m rows are inside their owners' serialization
        objects = model._base_manager.order_by("pk")
        data = serializers.serialize("python", objects, use_natural_foreign_keys=True)
        rows[model._meta.label_lower] = sorted(json.dumps(item, sort_keys=True, default=str) for item in data)
    return rows


def media_snapshot(root) -> dict[str, bytes]:
    files = (path for path in root.rglob("*") if path.is_file())
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in files}


def make_sample_complete(assessment, user):
    """Comments, a history of changes, a narrative and evidence files on the sample."""
    leaves = list(Score.objects.filter(assessment=assessment).select_related("criterion")[:3])
    for number, score in enumerate(leaves):
        score.explanation = f"Giải trình số {number}: đã ban hành kế hoạch"
        score.appraisal_comment = COMMENT
        score.self_score = Decimal("0.5000") + number
        score._history_user = user
        score.save()
        score.response = "Đơn vị giải trình bổ sung"
        score.save()
    try:
        from assessments.models.evidence import Evidence
    except ImportError:  # the entry pages not merged yet
        Evidence = None
    if Evidence is not None and has_table(Evidence):
        for number, score in enumerate(leaves[:2]):
            content = f"%PDF-1.4 tài liệu kiểm chứng {number}".encode()
            evidence = Evidence(
                assessment=assessment,
                criterion=score.criterion,
                agency=Agency.objects.first(),
                original_name=f"Kế hoạch {number}.pdf",
                kind="pdf",
                extension="pdf",
                content_type="application/pdf",
                size=len(content),
                sha256="0" * 64,
                uploaded_by=user,
            )
            evidence.file.save(f"kh-{number}.pdf", ContentFile(content), save=True)
    try:
        Narrative = apps.get_model("reports", "ReportNarrative")
    except LookupError:
        Narrative = None
    if Narrative is not None and has_table(Narrative):
        Narrative.objects.create(
            assessment=assessment,
            document_number="15",
            signer_name="Nguyễn Văn A",
            assessment_text="Năm 2023, Chỉ số CCHC của tỉnh tăng 3,54%.",
            updated_by=user,
        )


def damage_everything(assessment, media_root):
    Score.history.all().delete()
    Score.objects.filter(assessment=assessment).update(appraisal_comment="", explanation="")
    Score.objects.filter(assessment=assessment).first().delete()
    for model in apps.get_models():
        if model._meta.app_label == "reports" and has_table(model):
            model._base_manager.all().delete()
    shutil.rmtree(media_root / "evidence", ignore_errors=True)
    (media_root / "stray.txt").write_text("không thuộc bản sao lưu")


def round_trip(db_format, sample_assessment, media_root, tmp_path, django_user_model):
    user = django_user_model.objects.create_user("sonoivu", password="mat-khau-rat-dai-2024")
    make_sample_complete(sample_assessment, user)
    before, files_before = snapshot(), media_snapshot(media_root)
    assert before["assessments.historicalscore"], "the sample has history rows"
    if "assessments.evidence" in before:
        assert len(before["assessments.evidence"]) == len(files_before) == 2
    archive = tmp_path / "backup.tar.gz"

    call_command("backup_data", "-o", str(archive), "--format", db_format, stdout=io.StringIO())
    damage_everything(sample_assessment, media_root)
    assert snapshot() != before
    out = io.StringIO()
    call_command("restore_data", str(archive), "--no-input", stdout=out)

    assert "Đã khôi phục" in out.getvalue()
    after = snapshot()
    assert after.keys() == before.keys()
    for label in before:
        assert after[label] == before[label], label
    assert media_snapshot(media_root) == files_before
    restored = Score.objects.filter(appraisal_comment=COMMENT)
    assert restored.count() == 3


@pytest.mark.django_db(transaction=True)
def test_json_round_trip_restores_everything(sample_assessment, media_root, tmp_path, django_user_model):
    round_trip("json", sample_assessment, media_root, tmp_path, django_user_model)


@pytest.mark.django_db(transaction=True)
def test_pg_dump_round_trip_restores_everything(sample_assessment, media_root, tmp_path, django_user_model):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump/pg_restore cần PostgreSQL (đặt DATABASE_URL)")
    if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        pytest.skip("không có pg_dump/pg_restore (gói postgresql-client)")
    round_trip("pgdump", sample_assessment, media_root, tmp_path, django_user_model)


@pytest.mark.django_db
def test_a_damaged_archive_is_refused_and_nothing_changes(sample_assessment, media_root, tmp_path):
    (media_root / "evidence").mkdir()
    (media_root / "evidence" / "a.pdf").write_bytes(b"%PDF-1.4 ban goc")
    archive = tmp_path / "backup.tar.gz"
    call_command("backup_data", "-o", str(archive), "--format", "json", stdout=io.StringIO())

    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "media/evidence/a.pdf":
                data = b"%PDF-1.4 bi sua"
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    scores_before = Score.objects.count()
    Score.objects.first().delete()

    with pytest.raises(CommandError, match="bị thiếu hoặc hỏng"):
        call_command("restore_data", str(damaged), "--no-input", stdout=io.StringIO())
    assert Score.objects.count() == scores_before - 1
    assert (media_root / "evidence" / "a.pdf").read_bytes() == b"%PDF-1.4 ban goc"


@pytest.mark.django_db
def test_a_pg_dump_archive_cannot_be_restored_into_sqlite(tmp_path, media_root):
    if connection.vendor == "postgresql":
        pytest.skip("kiểm tra này dành cho SQLite")
    with pytest.raises(CommandError, match="pgdump chỉ dùng được với PostgreSQL"):
        call_command("backup_data", "-o", str(tmp_path / "x.tar.gz"), "--format", "pgdump")
