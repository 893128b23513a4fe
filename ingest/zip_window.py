"""A part of a file read as a file of its own: an archive stored uncompressed inside an
archive on disk (a Garmin export's part archives) is opened in place, not copied into memory.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.errors import UnsupportedFile

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

#: Bytes of a zip entry's local header before its name and extra field.
_LOCAL_HEADER = struct.Struct("<4s22xHH")


class Window(io.RawIOBase):
    """Bytes ``start`` to ``start + size`` of a file, read as a file of their own (an archive
    stored uncompressed inside an archive on disk; positioned reads, so windows onto one file
    do not disturb each other)."""

    def __init__(self, path: Path, start: int, size: int) -> None:
        super().__init__()
        self.path, self.start, self.size = path, start, size
        self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self.size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def read_at(self, offset: int, size: int) -> bytes:
        """Up to ``size`` bytes from ``offset`` (the position stays where it is)."""
        wanted = min(size, max(0, self.size - offset))
        return os.pread(self._fd, wanted, self.start + offset) if wanted else b""

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        data = self.read_at(self._position, len(view))
        view[:len(data)] = data
        self._position += len(data)
        return len(data)

    def close(self) -> None:
        if not self.closed:
            os.close(self._fd)
        super().close()

    def window(self, start: int, size: int) -> Window:
        """A window onto part of this one."""
        return Window(self.path, self.start + start, size)


def member_window(source: Path | Window, info: zipfile.ZipInfo) -> Window:
    """A window onto the bytes of ``info``, an entry stored uncompressed in the archive that
    is the file ``source`` (or a window onto one); ``UnsupportedFile`` when its local header
    does not match the archive's directory."""
    outer = source if isinstance(source, Window) else Window(source, 0, source.stat().st_size)
    try:
        header = outer.read_at(info.header_offset, _LOCAL_HEADER.size)
        if len(header) < _LOCAL_HEADER.size:
            raise UnsupportedFile("damaged archive entry (its header is cut off)")
        signature, name_length, extra_length = _LOCAL_HEADER.unpack(header)
        start = info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
        if signature != b"PK\x03\x04" or start + info.file_size > outer.size:
            raise UnsupportedFile("damaged archive entry (its header does not match the "
                                  "archive's directory)")
        return outer.window(start, info.file_size)
    finally:
        if outer is not source:
            outer.close()
