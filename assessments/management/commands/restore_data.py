"""Restore an archive made by ``backup_data``: the database and the evidence files.

    python manage.py restore_data PATH.tar.gz [--no-input]

Nothing changes until the whole archive is verified: it is extracted into a private folder
beside MEDIA_ROOT, then the manifest's signature (HMAC-SHA256 with the key of
settings.BACKUP_SIGNING_KEY, derived from SECRET_KEY when unset), the SHA-256 of the
database dump and of every file are checked, and no member may lie outside the folder or be
missing from the manifest. A damaged, edited or foreign archive is refused with a message.

Then the evidence folder is swapped (the previous MEDIA_ROOT is kept beside it,
``<media>.truoc-khoi-phuc-<time>``, until you delete it) and the database replaced:

- ``database.json``: ``migrate``, then ``flush``, ``loaddata`` and the check of every
  table's row count in one transaction, into SQLite or PostgreSQL;
- ``database.pgdump``: ``pg_restore --clean --if-exists --single-transaction`` into the
  configured PostgreSQL database.

If any step fails, the transaction is rolled back and the previous evidence folder is put
back: the data and files are exactly as they were. (PostgreSQL: pg_restore's transaction is
all or nothing; the row counts can only be compared after it committed, and a difference
is reported.)

When evidence is kept in an object store (STORAGES["default"] is not the local disk,
S3_BUCKET), there is no folder to swap: the archive's files are written to the store through
Django's storage API, each one only if the store does not already hold it with the same
content; a file the store holds with other content is kept aside first. If a later step
fails, the files written are taken out again and those kept aside put back. Files of the
store that the archive does not name are left where they are (the store is shared by every
server; they are reported).
"""

from __future__ import annotations

import datetime
import json
import shutil
import tarfile
import tempfile
import zlib
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from .backup_data import (
    ARCHIVE_VERSION,
    JSON_DUMP,
    MANIFEST,
    MEDIA_PREFIX,
    PG_DUMP,
    copy_out,
    evidence_storage,
    on_local_disk,
    pg_connection_args,
    pg_tool,
    row_counts,
    run_pg_tool,
    sha256_of,
    signature_problem,
    stored_names,
)

DUMP_FILES = {"json": JSON_DUMP, "pgdump": PG_DUMP}


def damaged(archive_path: Path, why: str) -> CommandError:
    return CommandError(
        f"Tệp {archive_path.name} không đọc được như một bản sao lưu ParIndex ({why}): tệp bị hỏng, "
        "bị cắt cụt hoặc không phải bản sao lưu. Không có gì thay đổi."
    )


def safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """Regular files with relative paths that stay inside the extraction folder."""
    members = []
    for member in archive.getmembers():
        path = PurePosixPath(member.name)
        if path.is_absolute() or ".." in path.parts:
            raise CommandError(
                f"Bản sao lưu chứa đường dẫn không an toàn: {member.name}. Không có gì thay đổi."
            )
        if member.isdir():
            continue
        if not member.isfile():
            raise CommandError(f"Bản sao lưu chứa mục không phải tệp: {member.name}. Không có gì thay đổi.")
        members.append(member)
    return members


def extract(archive_path: Path, work_dir: Path) -> list[str]:
    """Every member into work_dir; the names extracted. Refused with a message when the file
    is not a readable .tar.gz (truncated, not gzip, not tar)."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            members = safe_members(archive)
            archive.extractall(work_dir, members=members, filter="data")
    except (tarfile.TarError, EOFError, zlib.error, OSError, ValueError) as exc:
        raise damaged(archive_path, str(exc) or type(exc).__name__) from exc
    return [m.name for m in members]


def read_manifest(archive_path: Path, work_dir: Path) -> dict:
    path = work_dir / MANIFEST
    if not path.is_file():
        raise CommandError(
            "Tệp này không phải bản sao lưu ParIndex (thiếu manifest.json). Không có gì thay đổi."
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise damaged(archive_path, "manifest.json không phải JSON") from exc
    if not isinstance(manifest, dict) or manifest.get("application") != "parindex":
        raise CommandError("Tệp này không phải bản sao lưu ParIndex. Không có gì thay đổi.")
    if manifest.get("archive_version") != ARCHIVE_VERSION:
        raise CommandError(
            f"Bản sao lưu phiên bản {manifest.get('archive_version')} (không có chữ ký): phiên bản này chỉ "
            f"khôi phục bản sao lưu có chữ ký (phiên bản {ARCHIVE_VERSION}). Không có gì thay đổi."
        )
    return manifest


def verify_extracted(archive_path: Path, work_dir: Path, names: list[str]) -> dict:
    """The manifest, once its signature and every checksum are right; CommandError otherwise."""
    manifest = read_manifest(archive_path, work_dir)
    problem = signature_problem(manifest)
    if problem:
        raise CommandError(problem)
    try:
        db_info = manifest["database"]
        dump_name = DUMP_FILES[db_info["format"]]
        media = {entry["path"]: entry["sha256"] for entry in manifest["media"]}
        counts = manifest["row_counts"]
    except (KeyError, TypeError) as exc:
        raise damaged(archive_path, f"manifest.json thiếu mục {exc}") from exc
    if db_info.get("file") != dump_name or not isinstance(counts, dict):
        raise damaged(archive_path, "manifest.json không hợp lệ")
    dump = work_dir / dump_name
    if not dump.is_file() or sha256_of(dump) != db_info.get("sha256"):
        raise CommandError(
            f"Tệp cơ sở dữ liệu {dump_name} trong bản sao lưu bị thiếu hoặc bị sửa: không khôi phục. "
            "Không có gì thay đổi."
        )
    listed = {MANIFEST, dump_name} | {MEDIA_PREFIX + path for path in media}
    extra = sorted(set(names) - listed)
    if extra:
        raise CommandError(
            f"Bản sao lưu chứa tệp không có trong danh mục: {', '.join(extra[:5])}. Không có gì thay đổi."
        )
    for relative, digest in media.items():
        path = work_dir / MEDIA_PREFIX / relative
        if not path.is_file() or sha256_of(path) != digest:
            raise CommandError(f"Tệp {relative} trong bản sao lưu bị thiếu hoặc hỏng. Không có gì thay đổi.")
    return manifest


def count_problems(manifest: dict, using: str) -> list[str]:
    expected = manifest["row_counts"]
    actual = row_counts(manifest["database"]["format"], using)
    return [
        f"{label}: {count} dòng trong bản sao lưu, {actual.get(label, 'không có bảng')} sau khi khôi phục"
        for label, count in expected.items()
        if actual.get(label) != count
    ]


def kept_folder(folder: Path) -> Path | None:
    """The folder of what a restore replaced, or None (removed) when it holds nothing."""
    if not folder.exists():
        return None
    if not any(folder.iterdir()):
        folder.rmdir()
        return None
    return folder


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

        # Beside MEDIA_ROOT, so that the evidence folder is swapped by renaming.
        work_dir = Path(tempfile.mkdtemp(prefix=".parindex-restore-", dir=media_root.parent))
        try:
            names = extract(archive_path, work_dir)
            manifest = verify_extracted(archive_path, work_dir, names)
            if manifest["database"]["format"] == "pgdump" and connections[using].vendor != "postgresql":
                raise CommandError(
                    "Bản sao lưu này là pg_dump của PostgreSQL: chỉ khôi phục được vào PostgreSQL "
                    "(đặt DATABASE_URL)."
                )
            storage = evidence_storage()
            local = on_local_disk(storage)
            where = str(media_root) if local else "kho lưu trữ đối tượng"
            if options["interactive"] and not self.confirmed(archive_path, manifest, where):
                raise CommandError("Đã hủy khôi phục.")
            if local:
                previous = self.restore(work_dir, manifest, using, media_root)
            else:
                previous = self.restore_to_store(work_dir, manifest, using, storage, media_root)
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)

        self.stdout.write(
            self.style.SUCCESS(
                f"Đã khôi phục {sum(manifest['row_counts'].values())} dòng dữ liệu và "
                f"{len(manifest['media'])} tệp đính kèm từ {archive_path} "
                f"(sao lưu lúc {manifest['created_at']}); đã kiểm tra khớp với bản sao lưu."
            )
        )
        if previous:
            self.stdout.write(f"Tệp đính kèm cũ bị thay thế được giữ tại {previous}; xóa khi không cần nữa.")

    def confirmed(self, archive_path: Path, manifest: dict, where: str) -> bool:
        db_name = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
        answer = input(
            f"Khôi phục {archive_path} (sao lưu lúc {manifest['created_at']}) sẽ XÓA toàn bộ dữ liệu "
            f"hiện có trong cơ sở dữ liệu {db_name} và thay tệp đính kèm trong {where}.\n"
            "Gõ 'dong y' để tiếp tục: "
        )
        return answer.strip().lower() in ("dong y", "đồng ý", "yes")

    def restore(self, work_dir: Path, manifest: dict, using: str, media_root: Path) -> Path | None:
        """Swap the evidence folder, then replace the database; on any failure put the
        previous folder back (the database step rolls itself back). The previous folder."""
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        previous = media_root.with_name(f"{media_root.name}.truoc-khoi-phuc-{stamp}")
        existed = media_root.exists()
        try:
            self.swap_media(work_dir / MEDIA_PREFIX, media_root, previous)
            self.restore_database(work_dir, manifest, using)
        except BaseException:
            self.swap_back(media_root, previous, existed=existed)
            raise
        self.check_committed(manifest, using)
        return kept_folder(previous)

    def restore_database(self, work_dir: Path, manifest: dict, using: str) -> None:
        if manifest["database"]["format"] == "pgdump":
            self.restore_postgresql(work_dir / PG_DUMP, using)
        else:
            self.restore_json(work_dir / JSON_DUMP, manifest, using)

    def check_committed(self, manifest: dict, using: str) -> None:
        """pg_restore committed (all or nothing, from a dump whose checksum was verified): the
        files stay with the data they belong to; a difference of the row counts is reported.
        (The JSON restore checks them inside its transaction.)"""
        if manifest["database"]["format"] == "pgdump":
            problems = count_problems(manifest, using)
            if problems:
                raise CommandError("Khôi phục chưa đầy đủ:\n- " + "\n- ".join(problems))

    def restore_to_store(
        self, work_dir: Path, manifest: dict, using: str, storage: Storage, media_root: Path
    ) -> Path | None:
        """The object store's variant of `restore`: write the archive's files to the store,
        then replace the database; on any failure take the written files out again. A file the
        store held with other content is kept beside MEDIA_ROOT (as `restore` keeps the previous
        folder); that folder, if anything was kept."""
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        aside = media_root.with_name(f"{media_root.name}.truoc-khoi-phuc-{stamp}")
        written: list[tuple[str, Path | None]] = []
        try:
            self.write_to_store(work_dir, manifest, storage, aside, written)
            self.restore_database(work_dir, manifest, using)
        except BaseException:
            self.undo_store(storage, written)
            shutil.rmtree(aside, ignore_errors=True)  # every kept file is back in the store
            raise
        self.check_committed(manifest, using)
        archived = {entry["path"] for entry in manifest["media"]}
        others = [name for name in stored_names(storage) if name not in archived]
        if others:
            self.stdout.write(
                f"{len(others)} tệp trong kho lưu trữ không có trong bản sao lưu được để nguyên "
                f"(ví dụ {others[0]})."
            )
        return kept_folder(aside)

    def write_to_store(
        self,
        work_dir: Path,
        manifest: dict,
        storage: Storage,
        aside: Path,
        written: list[tuple[str, Path | None]],
    ) -> None:
        """Put each archived file in the store under its own name, unless the store already
        holds that content. A file the store holds with other content is copied under `aside`
        first. `written` records (name, the copy kept aside or None) as it goes, for undo_store."""
        for entry in manifest["media"]:
            name, digest = entry["path"], entry["sha256"]
            kept = None
            if storage.exists(name):
                kept = aside / name
                copy_out(storage, name, kept)
                if kept.stat().st_size == entry["size"] and sha256_of(kept) == digest:
                    kept.unlink()
                    continue  # already there, the same content
                storage.delete(name)
            written.append((name, kept))
            self.put(storage, name, work_dir / MEDIA_PREFIX / name)

    def put(self, storage: Storage, name: str, source: Path) -> None:
        with open(source, "rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            storage.delete(saved)
            raise CommandError(f"Kho lưu trữ không ghi được tệp {name} đúng tên của nó.")

    def undo_store(self, storage: Storage, written: list[tuple[str, Path | None]]) -> None:
        """Undo write_to_store wherever it stopped: the files written out, the kept ones back."""
        for name, kept in reversed(written):
            if storage.exists(name):
                storage.delete(name)
            if kept is not None:
                self.put(storage, name, kept)

    def swap_media(self, extracted: Path, media_root: Path, previous: Path) -> None:
        """Put the archive's files in place of MEDIA_ROOT, the old ones moved to `previous`."""
        extracted.mkdir(parents=True, exist_ok=True)
        if media_root.exists():
            media_root.rename(previous)
        extracted.rename(media_root)

    def swap_back(self, media_root: Path, previous: Path, *, existed: bool) -> None:
        """Undo swap_media wherever it stopped."""
        if previous.exists():
            if media_root.exists():
                shutil.rmtree(media_root)
            previous.rename(media_root)
        elif not existed and media_root.exists():
            shutil.rmtree(media_root)

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

    def restore_json(self, dump: Path, manifest: dict, using: str) -> None:
        call_command("migrate", database=using, interactive=False, verbosity=0)
        with transaction.atomic(using=using):
            call_command("flush", database=using, interactive=False, verbosity=0)
            call_command("loaddata", str(dump), database=using, verbosity=0)
            problems = count_problems(manifest, using)
            if problems:
                raise CommandError("Khôi phục chưa đầy đủ, không có gì thay đổi:\n- " + "\n- ".join(problems))
