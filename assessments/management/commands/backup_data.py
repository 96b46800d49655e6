"""Back up everything ParIndex keeps: the database and the evidence files, in one archive.

    python manage.py backup_data [-o PATH.tar.gz] [--format auto|json|pgdump]

The archive (a .tar.gz, readable by its owner only) holds:
- ``manifest.json``: when, from which database, how many rows per table, the size and
  SHA-256 of the database dump and of every stored file, and an HMAC-SHA256 signature of all
  of it with the key of settings.BACKUP_SIGNING_KEY (derived from SECRET_KEY when unset), so
  that ``restore_data`` refuses an archive edited after the fact, even one whose checksums
  were recomputed, and can check it restored everything;
- ``database.pgdump`` (PostgreSQL, ``pg_dump -Fc``) or ``database.json`` (SQLite, or
  ``--format json`` anywhere: ``dumpdata`` with natural keys, portable between databases);
- ``media/``: every evidence file: those under MEDIA_ROOT, or, when evidence is kept in an
  object store (STORAGES["default"] is not the local disk, S3_BUCKET), every file of the
  store's evidence folder, read through Django's storage API.

The rows are counted in the same database snapshot the dump is taken from (PostgreSQL:
an exported snapshot handed to ``pg_dump --snapshot``; SQLite: one read transaction).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers import json as json_serializer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.crypto import salted_hmac

ARCHIVE_VERSION = 2
SIGNATURE_ALGORITHM = "HMAC-SHA256"
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
JSON_DUMP = "database.json"
PG_DUMP = "database.pgdump"

# Left out of a dumpdata archive: rebuilt by `migrate` (content types, permissions),
# short-lived (sessions) or a cache rebuilt on demand (rendered report files, chart drawings).
JSON_EXCLUDED = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "reports.renderedreport",
    "reports.chartdrawing",
    "django_tasks_database.dbtaskresult",  # queued renders: made again when asked
}


class BackupError(CommandError):
    pass


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's JSON encoder cuts datetimes and times to milliseconds; a backup keeps the
    microseconds (loaddata's JSON reader parses them)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(json_serializer.Serializer):
    """The ``dumpdata`` format of the archive: Django's JSON, datetimes to the microsecond.
    Registered as EXACT_JSON from this module; the file it writes is ordinary Django JSON."""

    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder


Deserializer = json_serializer.Deserializer
EXACT_JSON = "parindex-json"


def model_label(model) -> str:
    return model._meta.label_lower


def stored_models(using: str = DEFAULT_DB_ALIAS) -> list:
    """Every model with a table in the database, m2m tables included (a model whose
    migration is not applied yet has no table and no rows)."""
    tables = set(connections[using].introspection.table_names())
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy and model._meta.managed and model._meta.db_table in tables
    ]


def backed_up_models(db_format: str, using: str = DEFAULT_DB_ALIAS) -> list:
    """The models whose rows the archive carries."""
    excluded = JSON_EXCLUDED if db_format == "json" else set()
    result = []
    for model in stored_models(using):
        meta = model._meta
        if model_label(model) in excluded:
            continue
        if meta.auto_created and model_label(meta.auto_created) in excluded:
            continue
        result.append(model)
    return sorted(result, key=model_label)


def row_counts(db_format: str, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    return {model_label(m): m._base_manager.using(using).count() for m in backed_up_models(db_format, using)}


def json_exclusions(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Labels for dumpdata --exclude: the excluded models, and models without a table."""
    stored = {model_label(m) for m in stored_models(using)}
    labels = {model_label(m) for m in apps.get_models()}
    return sorted((JSON_EXCLUDED & labels) | (labels - stored))


def signing_key() -> bytes:
    """settings.BACKUP_SIGNING_KEY, or one derived from SECRET_KEY when it is not set."""
    configured = getattr(settings, "BACKUP_SIGNING_KEY", "")
    if configured:
        return configured.encode()
    return salted_hmac("parindex.backup-signing-key", "v1", algorithm="sha256").hexdigest().encode()


def key_id(key: bytes) -> str:
    """A short fingerprint naming the key (not revealing it), to tell which key signed."""
    return hmac.new(key, b"parindex-backup-key-id", hashlib.sha256).hexdigest()[:12]


def _signed_bytes(manifest: dict) -> bytes:
    unsigned = {k: v for k, v in manifest.items() if k != "signature"}
    return json.dumps(unsigned, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sign_manifest(manifest: dict, key: bytes | None = None) -> dict:
    key = signing_key() if key is None else key
    value = hmac.new(key, _signed_bytes(manifest), hashlib.sha256).hexdigest()
    return {
        **manifest,
        "signature": {"algorithm": SIGNATURE_ALGORITHM, "key_id": key_id(key), "value": value},
    }


def signature_problem(manifest: dict, key: bytes | None = None) -> str | None:
    """None when the manifest is signed with the key; otherwise why not, in Vietnamese."""
    key = signing_key() if key is None else key
    signature = manifest.get("signature")
    if not isinstance(signature, dict) or signature.get("algorithm") != SIGNATURE_ALGORITHM:
        return "Bản sao lưu không có chữ ký: không khôi phục."
    expected = hmac.new(key, _signed_bytes(manifest), hashlib.sha256).hexdigest()
    if hmac.compare_digest(str(signature.get("value", "")), expected):
        return None
    if signature.get("key_id") != key_id(key):
        return (
            "Bản sao lưu được ký bằng một khóa khác với khóa hiện tại (BACKUP_SIGNING_KEY, hoặc "
            "SECRET_KEY khi không đặt): hãy đặt lại khóa đã ký nó rồi khôi phục. Không có gì thay đổi."
        )
    return "Chữ ký của bản sao lưu không khớp: tệp đã bị sửa sau khi sao lưu. Không khôi phục."


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_files(root: Path) -> list[tuple[str, Path]]:
    """(path relative to MEDIA_ROOT with / separators, absolute path), sorted."""
    if not root.is_dir():
        return []
    found = []
    for directory, _dirs, files in os.walk(root):
        for name in files:
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                found.append((path.relative_to(root).as_posix(), path))
    return sorted(found)


def evidence_storage() -> Storage:
    """Where evidence files live (STORAGES["default"]): the local disk or an object store."""
    return storages["default"]


def on_local_disk(storage: Storage) -> bool:
    return isinstance(storage, FileSystemStorage)


def stored_names(storage: Storage, folder: str = "") -> list[str]:
    """Every file of a storage's folder and its subfolders, sorted (an object store)."""
    folders, files = storage.listdir(folder)
    names = [folder + name for name in files]
    for sub in folders:
        names += stored_names(storage, f"{folder}{sub}/")
    return sorted(names)


def fetch_stored(storage: Storage, target: Path) -> list[tuple[str, Path]]:
    """Copy every file of the object store's evidence folder under `target`, streamed.
    (name, local copy), sorted."""
    found = []
    for name in stored_names(storage):
        if name.startswith("/") or ".." in name.split("/"):
            raise BackupError(f"Tên tệp không hợp lệ trong kho lưu trữ: {name}")
        path = target / name
        copy_out(storage, name, path)
        found.append((name, path))
    return found


def copy_out(storage: Storage, name: str, path: Path) -> None:
    """A stored file copied to the local `path`, streamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with storage.open(name, "rb") as source, open(path, "wb") as copy:
        shutil.copyfileobj(source, copy, 1 << 20)


def pg_connection_args(using: str = DEFAULT_DB_ALIAS) -> tuple[list[str], dict[str, str]]:
    """Command-line arguments and environment for pg_dump/pg_restore from DATABASES."""
    db = connections[using].settings_dict
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    # libpq options of DATABASE_URL (?sslmode=require …) go into a connection string.
    conninfo = [f"dbname='{db['NAME']}'"]
    for key, value in (db.get("OPTIONS") or {}).items():
        if key in LIBPQ_OPTIONS:
            conninfo.append(f"{key}='{value}'")
    args += ["--dbname", " ".join(conninfo)]
    return args, env


LIBPQ_OPTIONS = {"sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "target_session_attrs"}


def pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"Không tìm thấy chương trình {name} (gói postgresql-client). "
            "Hãy cài nó, hoặc dùng --format json."
        )
    return path


def run_pg_tool(command: list[str], env: dict[str, str]) -> None:
    # The command is pg_dump/pg_restore found on PATH, with arguments from DATABASES.
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if completed.returncode != 0:
        tool = Path(command[0]).name
        raise BackupError(f"{tool} thất bại ({completed.returncode}): {completed.stderr.strip()}")


def default_output() -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BASE_DIR) / "var" / "backups" / f"parindex-{stamp}.tar.gz"


class Command(BaseCommand):
    help = "Sao lưu toàn bộ dữ liệu (cơ sở dữ liệu và tài liệu kiểm chứng) vào một tệp .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", help="Tệp sao lưu sẽ tạo (mặc định var/backups/parindex-<ngày giờ>.tar.gz)."
        )
        parser.add_argument(
            "--format",
            choices=["auto", "json", "pgdump"],
            default="auto",
            help="pgdump (PostgreSQL, mặc định khi dùng PostgreSQL) hoặc json (dumpdata, mọi cơ sở dữ liệu).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Bí danh cơ sở dữ liệu.")

    def handle(self, *args, **options):
        using = options["database"]
        vendor = connections[using].vendor
        db_format = options["format"]
        if db_format == "auto":
            db_format = "pgdump" if vendor == "postgresql" else "json"
        if db_format == "pgdump" and vendor != "postgresql":
            raise BackupError("Định dạng pgdump chỉ dùng được với PostgreSQL; hãy dùng --format json.")
        output = Path(options["output"]) if options["output"] else default_output()
        media_root = Path(settings.MEDIA_ROOT)
        if output.resolve().is_relative_to(media_root.resolve()):
            raise BackupError("Không lưu bản sao lưu bên trong MEDIA_ROOT: hãy chọn thư mục khác.")
        output.parent.mkdir(parents=True, exist_ok=True)

        with tempfile.TemporaryDirectory(prefix="parindex-backup-") as work:
            work_dir = Path(work)
            if db_format == "pgdump":
                dump_name = PG_DUMP
                counts = self.dump_postgresql(work_dir / dump_name, using)
            else:
                dump_name = JSON_DUMP
                counts = self.dump_json(work_dir / dump_name, using)
            storage = evidence_storage()
            local = on_local_disk(storage)
            files = media_files(media_root) if local else fetch_stored(storage, work_dir / "stored-media")
            manifest = {
                "archive_version": ARCHIVE_VERSION,
                "application": "parindex",
                "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                "database": {
                    "vendor": vendor,
                    "format": db_format,
                    "file": dump_name,
                    "size": (work_dir / dump_name).stat().st_size,
                    "sha256": sha256_of(work_dir / dump_name),
                },
                "row_counts": counts,
                "media_storage": "local" if local else "object store",
                "media": [
                    {"path": relative, "size": path.stat().st_size, "sha256": sha256_of(path)}
                    for relative, path in files
                ],
            }
            manifest = sign_manifest(manifest)
            partial = output.with_name(output.name + ".part")
            # Readable by its owner only: the archive holds every account's password hash.
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.fchmod(descriptor, 0o600)
            with os.fdopen(descriptor, "wb") as handle, tarfile.open(fileobj=handle, mode="w:gz") as archive:
                data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(datetime.datetime.now().timestamp())
                archive.addfile(info, io.BytesIO(data))
                archive.add(work_dir / dump_name, arcname=dump_name)
                for relative, path in files:
                    archive.add(path, arcname=MEDIA_PREFIX + relative)
            partial.replace(output)

        total_rows = sum(counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu vào {output}: {total_rows} dòng dữ liệu ({db_format}), "
                f"{len(files)} tệp đính kèm, {output.stat().st_size:,} byte."
            )
        )

    def dump_json(self, path: Path, using: str) -> dict[str, int]:
        connection = connections[using]
        outermost = not connection.in_atomic_block
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql" and outermost:
                # One snapshot for the counts and every table's rows.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            counts = row_counts("json", using)
            if EXACT_JSON not in serializers.get_serializer_formats():
                serializers.register_serializer(EXACT_JSON, __name__)
            call_command(
                "dumpdata",
                database=using,
                natural_foreign=True,
                use_base_manager=True,
                exclude=json_exclusions(using),
                output=str(path),
                format=EXACT_JSON,
                verbosity=0,
            )
        return counts

    def dump_postgresql(self, path: Path, using: str) -> dict[str, int]:
        pg_dump = pg_tool("pg_dump")
        connection_args, env = pg_connection_args(using)
        command = [pg_dump, "--format=custom", "--no-owner", "--no-privileges", "--file", str(path)]
        connection = connections[using]
        if connection.in_atomic_block:
            # Inside a caller's transaction (tests): pg_dump cannot share its snapshot.
            counts = row_counts("pgdump", using)
            run_pg_tool([*command, *connection_args], env)
            return counts
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = row_counts("pgdump", using)
            run_pg_tool([*command, "--snapshot", snapshot, *connection_args], env)
        return counts
