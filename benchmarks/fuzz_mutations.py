"""Damage the way storage, transfers and crashing apps damage files: one mutation per call.

Every mutation is a pure function of the input bytes and a ``random.Random``, so a seed
reproduces a run. Byte-level mutations apply to every format; FIT files also get header and
definition-message corruption (found by walking the records), XML files token and number
corruption (tags, closing tags, stray markup; numbers and times made huge, negative or odd).
"""

from __future__ import annotations

import random
import re
import struct
from collections.abc import Callable

Mutation = Callable[[bytes, random.Random], bytes]


# -- any format ------------------------------------------------------------------------------
def flip(data: bytes, rng: random.Random) -> bytes:
    """Flip 1-8 random bits."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def insert(data: bytes, rng: random.Random) -> bytes:
    """Insert 1-64 random bytes somewhere."""
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.randbytes(rng.randint(1, 64)) + data[at:]


def delete(data: bytes, rng: random.Random) -> bytes:
    """Delete a chunk of 1-512 bytes."""
    at = rng.randrange(len(data))
    return data[:at] + data[at + rng.randint(1, 512):]


def repeat(data: bytes, rng: random.Random) -> bytes:
    """Repeat a chunk of 1-4096 bytes right after itself (a sector written twice)."""
    at = rng.randrange(len(data))
    chunk = data[at:at + rng.randint(1, 4096)]
    return data[:at] + chunk * rng.randint(2, 3) + data[at + len(chunk):]


def truncate(data: bytes, rng: random.Random) -> bytes:
    """Cut the file short anywhere (an app that crashed mid-write, a broken transfer)."""
    return data[:rng.randrange(1, len(data))]


def overwrite(data: bytes, rng: random.Random) -> bytes:
    """Overwrite 1-4 bytes with 0xFF, 0x00 or random bytes (a field made huge or invalid)."""
    at = rng.randrange(len(data))
    size = rng.randint(1, 4)
    fill = rng.choice([b"\xff" * size, b"\x00" * size, rng.randbytes(size)])
    return data[:at] + fill + data[at + size:]


# -- FIT ---------------------------------------------------------------------------------------
def fit_definitions(data: bytes) -> list[int]:
    """Offsets of the definition messages of the first FIT file in ``data`` (walk stops at
    the first thing it cannot follow)."""
    if len(data) < 12 or data[8:12] != b".FIT":
        return []
    pos, end = data[0], min(len(data), data[0] + struct.unpack_from("<I", data, 4)[0])
    sizes: dict[int, int] = {}
    found = []
    while pos < end:
        header = data[pos]
        if header & 0x80:
            local = (header >> 5) & 3
        elif header & 0x40:
            if pos + 6 > end:
                break
            n = data[pos + 5]
            length = 6 + 3 * n
            if header & 0x20 and pos + length < end:
                length += 1 + 3 * data[pos + length]
            found.append(pos)
            sizes[header & 0xF] = sum(data[pos + 7:pos + 6 + 3 * n:3]) + (
                sum(data[pos + 8 + 3 * n:pos + length:3]) if header & 0x20 else 0)
            pos += length
            continue
        else:
            local = header & 0xF
        if local not in sizes:
            break
        pos += 1 + sizes[local]
    return found


def fit_header(data: bytes, rng: random.Random) -> bytes:
    """Corrupt the file header: its size, protocol, profile, data size, signature or CRC."""
    if len(data) < 14:
        return flip(data, rng)
    out = bytearray(data)
    target = rng.choice(["size", "protocol", "profile", "data_size", "signature", "crc"])
    if target == "size":
        out[0] = rng.choice([0, 1, 12, 13, 14, 15, 255, rng.randrange(256)])
    elif target == "protocol":
        out[1] = rng.randrange(256)
    elif target == "profile":
        out[2:4] = rng.randbytes(2)
    elif target == "data_size":
        size = struct.unpack_from("<I", out, 4)[0]
        new = rng.choice([0, 1, 0xFFFFFFFF, 0x7FFFFFFF, size // 2, size + rng.randint(1, 999),
                          max(size - rng.randint(1, 999), 0), rng.getrandbits(32)])
        struct.pack_into("<I", out, 4, new)
    elif target == "signature":
        out[8 + rng.randrange(4)] = rng.randrange(256)
    else:
        out[12:14] = rng.randbytes(2)
    return bytes(out)


def fit_definition(data: bytes, rng: random.Random) -> bytes:
    """Corrupt one definition message: architecture, global number, field count, a field's
    number, size or base type, or the developer field count."""
    offsets = [pos for pos in fit_definitions(data) if pos + 6 <= len(data)]
    if not offsets:
        return flip(data, rng)
    pos = rng.choice(offsets)
    out = bytearray(data)
    n = min(out[pos + 5], (len(out) - pos - 6) // 3)  # fields present before the end
    target = rng.choice(["header", "architecture", "global", "count", "field_num",
                         "field_size", "field_base", "field_size", "field_base"])
    if target == "header":
        out[pos] = rng.choice([out[pos] ^ 0x20, (out[pos] & 0xF0) | rng.randrange(16),
                               rng.randrange(256)])
    elif target == "architecture":
        out[pos + 2] = rng.choice([1 - (out[pos + 2] & 1), rng.randrange(256)])
    elif target == "global":
        struct.pack_into("<H", out, pos + 3, rng.choice([0, 18, 19, 20, 34, 0xFFFF,
                                                          rng.getrandbits(16)]))
    elif target == "count":
        out[pos + 5] = rng.choice([0, 255, min(n + 1, 255), max(n - 1, 0), rng.randrange(256)])
    elif n:
        at = pos + 6 + 3 * rng.randrange(n)
        if target == "field_num":
            out[at] = rng.choice([253, 0, 3, 5, rng.randrange(256)])
        elif target == "field_size":
            out[at + 1] = rng.choice([0, 1, 3, 255, out[at + 1] * 2 % 256, rng.randrange(256)])
        else:
            out[at + 2] = rng.choice([0x00, 0x07, 0x0D, 0x86, 0x88, 0x89, 0x8E,
                                      rng.randrange(256)])
    return bytes(out)


# -- XML ---------------------------------------------------------------------------------------
_TAG = re.compile(rb"</?[A-Za-z_][\w:.-]*[^<>]*>")
_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_TIME = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[-+]\d\d:\d\d)?")
NUMBERS = [b"1e308", b"-1e308", b"99999999999999999999", b"-1", b"0", b"NaN", b"inf", b"",
           b"4294967295", b"1.7976931348623157e308", b"12,5", b"0x10", b"--3"]
TIMES = [b"9999-12-31T23:59:59Z", b"0001-01-01T00:00:00Z", b"2126-02-06T06:28:15Z",
         b"1970-01-01T00:00:00Z", b"2020-13-45T25:61:61Z", b"not a time", b""]
STRAY = [b"<", b">", b"&", b"&amp", b"&nbsp;", b"</", b"<!--", b"]]>", b"\x00", b"\xff\xfe",
         b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"<trkpt>", b"</trkseg>", b"<Trackpoint>"]


def _pick(pattern: re.Pattern[bytes], data: bytes, rng: random.Random) -> re.Match | None:
    """A random match of ``pattern`` (from a window, so huge files stay fast)."""
    start = rng.randrange(len(data))
    found = list(pattern.finditer(data, start, start + 65536)) or list(
        pattern.finditer(data, 0, 65536))
    return rng.choice(found) if found else None


def xml_token(data: bytes, rng: random.Random) -> bytes:
    """Damage markup: drop, double or rename a tag, unclose it, or insert stray markup."""
    tag = _pick(_TAG, data, rng)
    if tag is None:
        return flip(data, rng)
    a, b = tag.span()
    action = rng.choice(["drop", "double", "rename", "unclose", "stray", "swap_slash"])
    if action == "drop":
        return data[:a] + data[b:]
    if action == "double":
        return data[:b] + data[a:b] + data[b:]
    if action == "rename":
        name = re.match(rb"</?([\w:.-]+)", tag.group()).group(1)
        return data[:a] + tag.group().replace(name, rng.choice([b"x", name[:-1] or b"y",
                                                                 name + b"z"]), 1) + data[b:]
    if action == "unclose":
        return data[:b - 1] + data[b:]
    if action == "stray":
        at = rng.choice([a, b])
        return data[:at] + rng.choice(STRAY) + data[at:]
    text = tag.group()
    swapped = text.replace(b"</", b"<", 1) if text.startswith(b"</") else b"</" + text[1:]
    return data[:a] + swapped + data[b:]


def xml_number(data: bytes, rng: random.Random) -> bytes:
    """Replace a number (or a time stamp) by a huge, negative, odd or empty one."""
    if rng.random() < 0.3:
        found = _pick(_TIME, data, rng)
        if found is not None:
            a, b = found.span()
            return data[:a] + rng.choice(TIMES) + data[b:]
    found = _pick(_NUMBER, data, rng)
    if found is None:
        return flip(data, rng)
    a, b = found.span()
    return data[:a] + rng.choice(NUMBERS) + data[b:]


BYTE_MUTATIONS: dict[str, Mutation] = {
    "flip": flip, "insert": insert, "delete": delete, "repeat": repeat, "truncate": truncate,
    "overwrite": overwrite,
}
FIT_MUTATIONS: dict[str, Mutation] = BYTE_MUTATIONS | {
    "fit_header": fit_header, "fit_definition": fit_definition,
}
XML_MUTATIONS: dict[str, Mutation] = BYTE_MUTATIONS | {
    "xml_token": xml_token, "xml_number": xml_number,
}


def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Apply one to three mutations fitting the format; returns the bytes and their names."""
    table = FIT_MUTATIONS if data[8:12] == b".FIT" else XML_MUTATIONS
    names = [rng.choice(list(table)) for _ in range(rng.choice([1, 1, 1, 2, 3]))]
    for name in names:
        if len(data) < 2:
            break
        data = table[name](data, rng)
    return data, "+".join(names)
