"""The FIT file checksum: CRC-16 with polynomial 0xA001 (reflected 0x8005), initial value 0.

Defined by the FIT SDK ("FIT File Structure", CRC section) as a nibble-wise table algorithm;
here expanded to one table step per byte, which gives the same values.
"""

from __future__ import annotations

_NIBBLE_TABLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)


def _byte_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = 0
        for nibble in (byte & 0xF, byte >> 4):
            tmp = _NIBBLE_TABLE[crc & 0xF]
            crc = (crc >> 4) & 0x0FFF
            crc = crc ^ tmp ^ _NIBBLE_TABLE[nibble]
        table.append(crc)
    return tuple(table)


_BYTE_TABLE = _byte_table()


def fit_crc(data: bytes | memoryview, crc: int = 0) -> int:
    """CRC-16 of ``data`` as the FIT SDK computes it (continue from ``crc``)."""
    table = _BYTE_TABLE
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc
