"""Large uploads (an Apple Health export of gigabytes): sent by the browser in chunks into a
temporary file in the data directory, then imported in a background thread.

The drop zone of the Upload page sends each file whole, base64-encoded, in one request, which
is capped (:data:`dashboard.pages.upload.MAX_UPLOAD_BYTES`). For larger files the page's script
(``assets/chunked_upload.js``) uses these plain Flask views, registered in one place
(:func:`register`):

``POST /upload/chunked``
    JSON ``{"name", "size"}`` -> ``{"id"}``. Refused (413) above
    :data:`MAX_CHUNKED_UPLOAD_BYTES`, (507) when the data directory's disk has not that much
    room plus :data:`DISK_MARGIN_BYTES`.
``PUT /upload/chunked/<id>``
    One chunk (at most :data:`MAX_CHUNK_BYTES`) as the raw body with ``Content-Range: bytes
    START-END/SIZE``; chunks come in order (a resent chunk that was already written is
    acknowledged, a gap is refused with 409). The last one starts the import.
``GET /upload/chunked/<id>``
    ``{"state": receiving | importing | done | failed, "received", "size", "read",
    "read_total", "files", "error"}``: ``read`` counts the bytes of an Apple Health
    ``export.xml`` read so far, ``files`` the files (or workouts) imported so far.

The file is kept under ``uploads/<id>/`` in the data directory until its import ends, then
removed; leftovers of uploads abandoned for :data:`STALE_S` are removed when the next upload
starts. Finished uploads are forgotten after :data:`KEEP_FINISHED_S`.
"""

from __future__ import annotations

import re
import shutil
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app, jsonify, request

from dashboard.data import DATA_DIR_KEY

#: Largest file accepted by the chunked upload [bytes] (an unzipped Apple Health export.xml
#: of 5 GB and more fits; its zip is usually 20 times smaller).
MAX_CHUNKED_UPLOAD_BYTES = 8 * 1024**3
#: Largest chunk accepted in one request [bytes]; the page sends 8 MB chunks.
MAX_CHUNK_BYTES = 16 * 1024 * 1024
#: Free space kept on the data directory's disk beyond the upload itself [bytes].
DISK_MARGIN_BYTES = 512 * 1024 * 1024
#: Folder of the data directory holding uploads in progress.
UPLOADS_FOLDER = "uploads"
#: Uploads untouched this long are abandoned: their files are removed [s].
STALE_S = 24 * 3600
#: Finished uploads are answered for this long, then forgotten [s].
KEEP_FINISHED_S = 3600
#: Where the registry lives in the Flask app's ``extensions``.
UPLOADS_KEY = "strideload_chunked_uploads"
URL = "/upload/chunked"
_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")
_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass
class Upload:
    """One chunked upload and, once received, its import."""

    id: str
    name: str
    size: int
    path: Path
    received: int = 0
    state: str = "receiving"  # receiving | importing | done | failed
    read: int = 0  # bytes of a large file read by the import's one pass
    read_total: int | None = None
    reports: list = field(default_factory=list)  # ingest.importer.FileReport
    skipped: int = 0
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    touched: float = field(default_factory=time.monotonic)
    #: One chunk written at a time (two tabs, a retried request).
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def status(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "state": self.state,
                "received": self.received, "size": self.size, "read": self.read,
                "read_total": self.read_total, "files": len(self.reports), "error": self.error}


class Uploads:
    """The uploads of one app (one data directory), shared by its request threads."""

    def __init__(self, data_dir: str | Path) -> None:
        self.data_dir = Path(data_dir)
        self.folder = self.data_dir / UPLOADS_FOLDER
        self.lock = threading.Lock()
        self.uploads: dict[str, Upload] = {}

    def get(self, upload_id: str) -> Upload | None:
        with self.lock:
            return self.uploads.get(upload_id) if _ID.match(upload_id) else None

    def start(self, name: str, size: int) -> Upload:
        """A new upload (its folder created); raises ValueError / OSError with the reason."""
        if size > MAX_CHUNKED_UPLOAD_BYTES:
            raise ValueError(f"{name} is {size / 1024**3:.1f} GB; uploads are limited to "
                             f"{MAX_CHUNKED_UPLOAD_BYTES // 1024**3} GB")
        self.sweep()
        self.folder.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(self.folder).free
        if free < size + DISK_MARGIN_BYTES:
            raise OSError(f"not enough free disk space for {name} ({free / 1024**3:.1f} GB "
                          f"free, {(size + DISK_MARGIN_BYTES) / 1024**3:.1f} GB needed)")
        upload_id = uuid.uuid4().hex
        folder = self.folder / upload_id
        folder.mkdir()
        upload = Upload(upload_id, name, size, folder / safe_name(name))
        upload.path.touch()
        with self.lock:
            self.uploads[upload_id] = upload
        return upload

    def sweep(self) -> None:
        """Forget finished uploads after a while; remove the files of abandoned ones."""
        now = time.monotonic()
        with self.lock:
            for upload_id, upload in list(self.uploads.items()):
                idle = now - upload.touched
                if (upload.state in ("done", "failed") and idle > KEEP_FINISHED_S) or (
                        upload.state == "receiving" and idle > STALE_S):
                    del self.uploads[upload_id]
            known = set(self.uploads)
        if self.folder.is_dir():
            for folder in self.folder.iterdir():
                if folder.name not in known and time.time() - folder.stat().st_mtime > STALE_S:
                    shutil.rmtree(folder, ignore_errors=True)


def safe_name(name: str) -> str:
    """The file name alone, with only letters, digits and ``._- `` (a name for the disk)."""
    base = re.split(r"[\\/]", name)[-1]
    cleaned = re.sub(r"[^\w.\- ]", "_", base).strip(" .")[:120]
    return cleaned or "upload"


def _uploads() -> Uploads:
    return current_app.extensions[UPLOADS_KEY]


def find_upload(upload_id: str) -> Upload | None:
    """An upload of this app by id (inside a request), None when unknown or expired."""
    return _uploads().get(upload_id)


def _error(message: str, status: int):
    return jsonify({"error": message}), status


def start_view():
    """``POST /upload/chunked``: a new upload of ``{"name", "size"}``."""
    body = request.get_json(silent=True) or {}
    name, size = str(body.get("name") or "upload"), body.get("size")
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        return _error("size must be the file's size in bytes (a positive whole number)", 400)
    try:
        upload = _uploads().start(name, size)
    except ValueError as exc:
        return _error(str(exc), 413)
    except OSError as exc:
        return _error(str(exc), 507)
    return jsonify(upload.status())


def chunk_view(upload_id: str):
    """``PUT /upload/chunked/<id>``: the next chunk (see the module docstring)."""
    upload = _uploads().get(upload_id)
    if upload is None:
        return _error("no such upload (it may have expired): start it again", 404)
    match = _RANGE.match(request.headers.get("Content-Range", ""))
    if match is None:
        return _error("Content-Range must be 'bytes START-END/SIZE'", 400)
    first, last, total = (int(g) for g in match.groups())
    length = last - first + 1
    if total != upload.size or length < 1 or length > MAX_CHUNK_BYTES or last >= total:
        return _error(f"chunk bytes {first}-{last}/{total} do not fit an upload of "
                      f"{upload.size} bytes in chunks of at most {MAX_CHUNK_BYTES} bytes", 400)
    with upload.lock:
        if upload.state != "receiving" or last < upload.received:  # a resent chunk
            return jsonify(upload.status())
        if first != upload.received:
            return _error(f"expected the chunk starting at byte {upload.received}, got "
                          f"{first}", 409)
        data = request.get_data(cache=False)
        if len(data) != length:
            return _error(f"the chunk has {len(data)} bytes, its Content-Range says {length}",
                          400)
        with open(upload.path, "ab") as handle:
            handle.write(data)
        upload.received += length
        upload.touched = time.monotonic()
        if upload.received == upload.size:
            upload.state = "importing"
            threading.Thread(target=run_import, args=(upload, _uploads().data_dir),
                             name=f"strideload-import-{upload.id[:8]}", daemon=True).start()
    return jsonify(upload.status())


def status_view(upload_id: str):
    """``GET /upload/chunked/<id>``: where the upload and its import are."""
    upload = _uploads().get(upload_id)
    if upload is None:
        return _error("no such upload (it may have expired)", 404)
    return jsonify(upload.status())


def run_import(upload: Upload, data_dir: Path) -> None:
    """Import a received upload (its own store connection), then remove its file."""
    from dashboard.service import enrich
    from ingest.import_report import InternalError, report_internal_error
    from ingest.importer import import_items
    from ingest.sources import Expansion, expand_file
    from ingest.store import Store
    from ingest.strava import apply_gear

    def reading(_name: str, done: int, total: int | None) -> None:
        upload.read, upload.read_total = done, total

    stats = Expansion(progress=reading)
    try:
        with Store(data_dir, maintain=False) as store:
            for report in import_items(expand_file(upload.path, upload.name, stats), store,
                                       jobs=1, enrich=enrich):
                apply_gear(store, report, stats.gear_by_file)
                upload.reports.append(report)
        upload.skipped, upload.notes = stats.skipped, stats.notes
        upload.state = "done"
    except Exception:  # a bug or a broken store: say so, keep the traceback in the log
        failed = report_internal_error(upload.name, InternalError.now(), data_dir)
        upload.error, upload.state = failed.reason, "failed"
    finally:
        upload.touched = time.monotonic()
        shutil.rmtree(upload.path.parent, ignore_errors=True)


def register(server: Flask) -> None:
    """Add the chunked-upload views to the app's Flask server (the one place they are set)."""
    server.extensions[UPLOADS_KEY] = Uploads(server.config[DATA_DIR_KEY])
    server.add_url_rule(URL, "chunked_upload_start", start_view, methods=["POST"])
    server.add_url_rule(f"{URL}/<upload_id>", "chunked_upload_chunk", chunk_view,
                        methods=["PUT"])
    server.add_url_rule(f"{URL}/<upload_id>", "chunked_upload_status", status_view,
                        methods=["GET"])
