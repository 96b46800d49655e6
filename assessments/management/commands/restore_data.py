"""Restore an archive made by ``backup_data``: the database and the evidence files.

    python manage.py restore_data PATH.tar.gz [--no-input]

Everything currently in the database and under MEDIA_ROOT is replaced. The previous
MEDIA_ROOT is kept beside it (``<media>.truoc-khoi-phuc-<time>``) until you delete it.
Afterwards the row count of every table and the SHA-256 of every file are checked against
the archive's manifest; any difference stops the command with an error.

- ``database.pgdump``: ``pg_restore --clean --if-exists --single-transaction`` into the
  configured PostgreSQL database (all or nothing).
- ``database.json``: ``migrate``, then ``flush`` and ``loaddata`` in one transaction (all or
  nothing), into SQLite or PostgreSQL.
"""

from __future__ import annotations

import datetime
import json
import shutil
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from .backup_data import (
    ARCHIVE_VERSION,
    JSON_DUMP,
    MANIFEST,
    MEDIA_PREFIX,
    PG_DUMP,
    pg_connection_args,
    pg_tool,
    row_counts,
    run_pg_tool,
    sha256_of,
)


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(MANIFEST)
    except KeyError as exc:
        raise CommandError("Tệp này không phải bản sao lưu ParIndex (thiếu manifest.json).") from exc
    handle = archive.extractfile(member)
    if handle is None:
        raise CommandError("manifest.json trong bản sao lưu bị hỏng.")
    manifest = json.loads(handle.read().decode())
    if manifest.get("application") != "parindex" or manifest.get("archive_version") != ARCHIVE_VERSION:
        raise CommandError("Bản sao lưu không đúng định dạng ParIndex mà phiên bản này đọc được.")
    return manifest


def safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """Regular files with relative paths that stay inside the extraction folder."""
    members = []
    for member in archive.getmembers():
        path = PurePosixPath(member.name)
        if path.is_absolute() or ".." in path.parts:
            raise CommandError(f"Bản sao lưu chứa đường dẫn không an toàn: {member.name}")
        if member.isdir():
            continue
        if not member.isfile():
            raise CommandError(f"Bản sao lưu chứa mục không phải tệp: {member.name}")
        members.append(member)
    return members


class Command(BaseCommand):
    help = (
        "Khôi phục dữ liệu từ một bản sao lưu của backup_data. "
        "TOÀN BỘ dữ liệu hiện có và tài liệu kiểm chứng sẽ bị thay thế."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Tệp .tar.gz do backup_data tạo.")
        parser.add_argument(
            "--no-input", "--noinput", action="store_false", dest="interactive", help="Không hỏi xác nhận."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Bí danh cơ sở dữ liệu.")

    def handle(self, *args, **options):
        archive_path = Path(options["archive"])
        using = options["database"]
        if not archive_path.is_file():
            raise CommandError(f"Không tìm thấy tệp sao lưu {archive_path}.")
        media_root = Path(settings.MEDIA_ROOT)
        media_root.parent.mkdir(parents=True, exist_ok=True)

        with tarfile.open(archive_path, "r:gz") as archive:
            manifest = read_manifest(archive)
            db_info = manifest["database"]
            if db_info["format"] == "pgdump" and connections[using].vendor != "postgresql":
                raise CommandError(
                    "Bản sao lưu này là pg_dump của PostgreSQL: chỉ khôi phục được vào PostgreSQL "
                    "(đặt DATABASE_URL)."
                )
            if options["interactive"] and not self.confirmed(archive_path, manifest, media_root):
                raise CommandError("Đã hủy khôi phục.")
            work_dir = Path(tempfile.mkdtemp(prefix=".parindex-restore-", dir=media_root.parent))
            try:
                archive.extractall(work_dir, members=safe_members(archive), filter="data")
                self.check_media(work_dir / MEDIA_PREFIX, manifest)
                if db_info["format"] == "pgdump":
                    self.restore_postgresql(work_dir / PG_DUMP, using)
                else:
                    self.restore_json(work_dir / JSON_DUMP, using)
                previous = self.replace_media(work_dir / MEDIA_PREFIX, media_root)
            finally:
                shutil.rmtree(work_dir, ignore_errors=True)

        self.verify(manifest, using, media_root)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã khôi phục {sum(manifest['row_counts'].values())} dòng dữ liệu và "
                f"{len(manifest['media'])} tệp đính kèm từ {archive_path} "
                f"(sao lưu lúc {manifest['created_at']}); đã kiểm tra khớp với bản sao lưu."
            )
        )
        if previous:
            self.stdout.write(f"Thư mục tệp đính kèm cũ được giữ tại {previous}; xóa khi không cần nữa.")

    def confirmed(self, archive_path: Path, manifest: dict, media_root: Path) -> bool:
        db_name = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
        answer = input(
            f"Khôi phục {archive_path} (sao lưu lúc {manifest['created_at']}) sẽ XÓA toàn bộ dữ liệu "
            f"hiện có trong cơ sở dữ liệu {db_name} và thay thư mục {media_root}.\n"
            "Gõ 'dong y' để tiếp tục: "
        )
        return answer.strip().lower() in ("dong y", "đồng ý", "yes")

    def check_media(self, extracted: Path, manifest: dict) -> None:
        for entry in manifest["media"]:
            path = extracted / entry["path"]
            if not path.is_file() or sha256_of(path) != entry["sha256"]:
                raise CommandError(f"Tệp {entry['path']} trong bản sao lưu bị thiếu hoặc hỏng.")

    def restore_postgresql(self, dump: Path, using: str) -> None:
        pg_restore = pg_tool("pg_restore")
        connection_args, env = pg_connection_args(using)
        # Our connection must not hold locks on the tables pg_restore drops.
        connections[using].close()
        run_pg_tool(
            [
                pg_restore,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *connection_args,
                str(dump),
            ],
            env,
        )

    def restore_json(self, dump: Path, using: str) -> None:
        call_command("migrate", database=using, interactive=False, verbosity=0)
        with transaction.atomic(using=using):
            call_command("flush", database=using, interactive=False, verbosity=0)
            call_command("loaddata", str(dump), database=using, verbosity=0)

    def replace_media(self, extracted: Path, media_root: Path) -> Path | None:
        """Put the archive's files in place of MEDIA_ROOT; return where the old ones went."""
        extracted.mkdir(parents=True, exist_ok=True)
        previous = None
        if media_root.exists():
            if any(media_root.iterdir()):
                stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
                previous = media_root.with_name(f"{media_root.name}.truoc-khoi-phuc-{stamp}")
                media_root.rename(previous)
            else:
                media_root.rmdir()
        shutil.move(str(extracted), str(media_root))
        return previous

    def verify(self, manifest: dict, using: str, media_root: Path) -> None:
        expected = manifest["row_counts"]
        actual = row_counts(manifest["database"]["format"], using)
        problems = [
            f"{label}: {count} dòng trong bản sao lưu, {actual.get(label, 'không có bảng')} sau khi khôi phục"
            for label, count in expected.items()
            if actual.get(label) != count
        ]
        for entry in manifest["media"]:
            path = media_root / entry["path"]
            if not path.is_file() or sha256_of(path) != entry["sha256"]:
                problems.append(f"tệp {entry['path']} không khớp")
        if problems:
            raise CommandError("Khôi phục chưa đầy đủ:\n- " + "\n- ".join(problems))
