"""Zip archives written in memory for the tests (exports, nested part archives)."""

from __future__ import annotations

import io
import zipfile


def zip_bytes(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip archive of ``entries`` (name -> bytes), each compressed with ``compression``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()
