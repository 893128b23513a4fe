"""Is a file finished, or still being written (copied from a watch, synced, downloaded)?

A FIT file says where it ends: its 12- or 14-byte header gives the size of the records, and
two CRC bytes follow them (FIT SDK, "FIT File Structure"). A FIT file (or a chain of them)
whose last CRC matches and ends exactly at the end of the bytes is complete. Any other file is
judged by time: complete once its size and modification time have not changed for a while
(see :mod:`ingest.watch.passes`).
"""

from __future__ import annotations

import struct

from ingest.fit.crc import fit_crc

FIT_CRC_BYTES = 2


def is_fit(data: bytes) -> bool:
    return len(data) >= 12 and data[8:12] == b".FIT"


def fit_complete(data: bytes) -> bool:
    """True when ``data`` is one or more whole FIT files with valid CRCs, nothing after."""
    pos = 0
    while pos < len(data):
        if len(data) - pos < 12 or data[pos + 8:pos + 12] != b".FIT" or data[pos] < 12:
            return False
        end = pos + data[pos] + struct.unpack_from("<I", data, pos + 4)[0]
        if end + FIT_CRC_BYTES > len(data):
            return False
        if fit_crc(memoryview(data)[pos:end]) != struct.unpack_from("<H", data, end)[0]:
            return False
        pos = end + FIT_CRC_BYTES
    return pos > 0
