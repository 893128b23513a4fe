"""The FIT file checksum: CRC-16 with polynomial 0xA001 (reflected 0x8005), initial value 0.

Defined by the FIT SDK ("FIT File Structure", CRC section) as a nibble-wise table algorithm;
here expanded to one table step per byte, which gives the same values.

Long inputs are checksummed with numpy, using that a CRC with initial value 0 is linear over
GF(2) in its input:

* leading zero bytes leave it at 0, so the input is zero-padded at the front to whole blocks;
* a 16-bit CRC is entirely shifted out by two input bytes, so feeding the little-endian word
  ``w`` to state ``c`` gives ``T2[c ^ w]`` for one 65536-entry table ``T2``; all blocks advance
  together, one word per step;
* ``crc(A + B) = Z[len(B)](crc(A)) ^ crc(B)``, where ``Z[k]`` feeds ``k`` zero bytes (a
  65536-entry table, ``Z[2k] = Z[k][Z[k]]``); neighbouring blocks are merged pairwise until one
  CRC is left.

A start value ``crc`` other than 0 is the same as XOR-ing it into the first two input bytes.

Thread-safe: the byte and word tables are built at import; the zero tables grow under a lock
(each is appended whole, in order, and never changes afterwards).
"""

from __future__ import annotations

import threading

import numpy as np

_NIBBLE_TABLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)
#: Inputs shorter than this are checksummed byte by byte (numpy's call overhead dominates).
VECTOR_MIN_BYTES = 512
#: Bytes per block of the vectorised CRC (even; 32 gave the best times on 10 kB - 10 MB).
BLOCK_BYTES = 32


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


def _word_table() -> np.ndarray:
    """T2[c ^ w]: the state after feeding the little-endian word ``w`` to state ``c``."""
    table = np.array(_BYTE_TABLE, dtype=np.uint16)
    state = np.arange(65536, dtype=np.uint32)
    for _ in range(2):  # feed two zero bytes to every state
        state = (state >> 8) ^ table[state & 0xFF]
    return state.astype(np.uint16)


_WORD_TABLE = _word_table()


def _first_zero_table() -> np.ndarray:
    """Feeds BLOCK_BYTES zero bytes: the word table (two bytes) squared until long enough."""
    table = _WORD_TABLE
    for _ in range((BLOCK_BYTES // 2).bit_length() - 1):
        table = table[table]
    return table


#: _ZERO_TABLES[i] feeds BLOCK_BYTES * 2**i zero bytes (extended on demand, under the lock).
_ZERO_TABLES: list[np.ndarray] = [_first_zero_table()]
_ZERO_TABLES_LOCK = threading.Lock()


def _zero_table(level: int) -> np.ndarray:
    if level >= len(_ZERO_TABLES):
        with _ZERO_TABLES_LOCK:
            while len(_ZERO_TABLES) <= level:
                _ZERO_TABLES.append(_ZERO_TABLES[-1][_ZERO_TABLES[-1]])
    return _ZERO_TABLES[level]


def _bytewise(data: bytes | memoryview, crc: int) -> int:
    table = _BYTE_TABLE
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


def _vectorised(data: bytes | memoryview, crc: int) -> int:
    n = len(data)
    blocks = -(-n // BLOCK_BYTES)
    padded = np.zeros(blocks * BLOCK_BYTES, dtype=np.uint8)
    start = padded.size - n
    padded[start:] = np.frombuffer(data, dtype=np.uint8)
    padded[start] ^= crc & 0xFF
    padded[start + 1] ^= crc >> 8
    words = padded.view("<u2").reshape(blocks, BLOCK_BYTES // 2)
    state = np.zeros(blocks, dtype=np.uint16)
    for column in words.T:
        state = _WORD_TABLE[state ^ column]
    level = 0
    while state.size > 1:
        if state.size % 2:  # a zero block in front changes nothing
            state = np.concatenate((np.zeros(1, np.uint16), state))
        state = _zero_table(level)[state[0::2]] ^ state[1::2]
        level += 1
    return int(state[0])


def fit_crc(data: bytes | memoryview, crc: int = 0) -> int:
    """CRC-16 of ``data`` as the FIT SDK computes it (continue from ``crc``)."""
    if len(data) < VECTOR_MIN_BYTES:
        return _bytewise(data, crc)
    return _vectorised(data, crc)
