"""Walk the structure of FIT bytes and hand decoders clean, self-contained FIT files.

The walk finds the chained files inside one file (several FIT files concatenated), checks each
one's CRC and finds where damaged bytes start (truncation, an undefined local message, garbage).
Each readable chained file becomes a *normalised* standalone FIT file:

* only its complete messages, with the header's data size set to match (a truncated file
  becomes a shorter, valid one, so decoders never hit the cut);
* field definitions whose size is not a multiple of their base type (seen in COROS PACE 2
  files) are retyped as ``byte``, so decoders read them as opaque bytes instead of refusing;
  fields of size 0 (damaged definitions) hold nothing and are left out;
* developer fields are turned into ordinary unknown fields (number 255, type ``byte``): their
  values are not used, and decoders then need no developer-field state at all (fitparse 1.2.0
  keeps that state in a module-global registry that leaks from one file into the next);
* the CRC bytes are zero (the walk already checked them; decoders must not check again).

Files needing none of this are passed on unchanged (no copy).

FIT layout (FIT SDK, "FIT File Structure"): a header of 12 or 14 bytes (size, protocol, profile,
data size, ".FIT", optional header CRC), then records, then a 2-byte CRC over header + records.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from ingest.errors import CorruptFile, UnsupportedFile
from ingest.fit.crc import fit_crc

#: Base type number -> size in bytes (FIT SDK base types).
BASE_TYPE_SIZES = {
    0x00: 1, 0x01: 1, 0x02: 1, 0x83: 2, 0x84: 2, 0x85: 4, 0x86: 4, 0x07: 1, 0x88: 4, 0x89: 8,
    0x0A: 1, 0x8B: 2, 0x8C: 4, 0x0D: 1, 0x8E: 8, 0x8F: 8, 0x90: 8,
}
BYTE_BASE_TYPE = 0x0D
#: Fields a normalised definition can hold (its field count is one byte).
MAX_FIELDS = 255
#: Field number given to developer fields once they are made ordinary (unknown) fields.
OPAQUE_FIELD_NUM = 255


@dataclass
class Segment:
    """One FIT file inside the byte stream (several when files are chained)."""

    start: int  # offset of the file header in the input
    data_size: int  # as declared in the header
    readable_end: int  # input offset just after the last complete message
    crc_ok: bool | None  # None when the CRC bytes are missing (truncated)
    data: bytes = b""  # the normalised standalone FIT file for decoders

    @property
    def complete(self) -> bool:
        return self.readable_end == self.start + self.header_size + self.data_size

    @property
    def header_size(self) -> int:
        return self.data[0] if self.data else 0


@dataclass
class ScanResult:
    """What the walk found."""

    segments: list[Segment]
    problem: str | None = None  # why reading stopped early, in plain words
    problem_offset: int | None = None
    trailing_bytes: int = 0  # bytes after the last segment that are not a FIT file
    misaligned_fields: list[str] = field(default_factory=list)
    developer_fields: int = 0


def _read_header(data: bytes, pos: int) -> tuple[int, int] | None:
    """Return (header_size, data_size) if a FIT header starts at ``pos``, else None."""
    if len(data) - pos < 12 or data[pos + 8:pos + 12] != b".FIT":
        return None
    header_size = data[pos]
    if header_size < 12 or len(data) - pos < header_size:
        return None
    return header_size, struct.unpack_from("<I", data, pos + 4)[0]


def run_end(data: bytes, pos: int, end: int, step: int) -> int:
    """Offset after the run of messages from ``pos`` on that have ``data[pos]``'s header.

    Messages are ``step`` bytes long and must end by ``end``; the message at ``pos`` does.
    Headers are compared in C, a few, then ever more at a time (records come in long runs).
    """
    header = data[pos:pos + 1]
    last = end - step  # the last offset where a complete message can start
    probe = 16
    while True:
        stop = min(pos + probe * step, last + 1)
        headers = data[pos:stop:step]
        same = len(headers) - len(headers.lstrip(header))
        pos += same * step
        if same < len(headers) or stop > last:
            return pos
        probe *= 2


class _Walker:
    """Walks the records of one segment, copying them out only once a change is needed."""

    def __init__(self, data: bytes, result: ScanResult) -> None:
        self.data = data
        self.result = result
        self.out: bytearray | None = None  # normalised records, once something changed
        self.copied_to = 0  # input offset up to which records were copied into ``out``

    def _copy_until(self, upto: int) -> bytearray:
        if self.out is None:
            self.out = bytearray()
        self.out += self.data[self.copied_to:upto]
        self.copied_to = upto
        return self.out

    def _definition(self, pos: int, end: int) -> tuple[int, int] | str:
        """Parse a definition at ``pos``: (message length, data size) or a problem."""
        data = self.data
        header = data[pos]
        if pos + 6 > end:
            return "the file ends inside a message definition"
        big_endian = data[pos + 2] == 1
        global_num, n_fields = struct.unpack_from(">HB" if big_endian else "<HB", data, pos + 3)
        fields_at = pos + 6
        n_dev = 0
        length = 6 + 3 * n_fields
        if header & 0x20:
            if fields_at + 3 * n_fields >= end:
                return "the file ends inside a message definition"
            n_dev = data[fields_at + 3 * n_fields]
            length += 1 + 3 * n_dev
        if pos + length > end:
            return "the file ends inside a message definition"
        if n_fields + n_dev > MAX_FIELDS:
            return f"a damaged message definition at byte {pos}"
        fields = bytearray()
        changed = False
        for at in range(fields_at, fields_at + 3 * n_fields, 3):
            num, field_size, base = data[at:at + 3]
            if field_size == 0:  # holds nothing (damage): left out
                changed = True
                continue
            if field_size % BASE_TYPE_SIZES.get(base, 1):
                base = BYTE_BASE_TYPE
                changed = True
                self.result.misaligned_fields.append(f"message {global_num} field {num}")
            fields += bytes((num, field_size, base))
        size = sum(fields[1::3])
        if n_dev:
            dev_at = fields_at + 3 * n_fields + 1
            for i in range(n_dev):
                dev_size = data[dev_at + 3 * i + 1]
                if dev_size:
                    fields += bytes((OPAQUE_FIELD_NUM, dev_size, BYTE_BASE_TYPE))
                size += dev_size
            self.result.developer_fields += n_dev
        if changed or n_dev:
            out = self._copy_until(pos)
            out += bytes((header & ~0x20 & 0xFF,)) + data[pos + 1:pos + 5]
            out += bytes((len(fields) // 3,)) + fields
            self.copied_to = pos + length
        return length, size

    def walk(self, start: int, end: int) -> tuple[int, str | None]:
        """Walk ``data[start:end]``: (offset after the last complete message, problem)."""
        data = self.data
        sizes: dict[int, int] = {}
        pos = start
        previous = -1  # header byte of the previous message if it was a data message
        while pos < end:
            header = data[pos]
            if header & 0x80:  # compressed timestamp header: data message of local type 0-3
                local = (header >> 5) & 0x3
            elif header & 0x40:
                parsed = self._definition(pos, end)
                if isinstance(parsed, str):
                    return pos, parsed
                length, sizes[header & 0xF] = parsed
                pos += length
                previous = -1
                continue
            else:
                local = header & 0xF
            if local not in sizes:
                return pos, f"data for an undefined message type at byte {pos}"
            step = 1 + sizes[local]
            if pos + step > end:
                return pos, "the file ends in the middle of a message"
            pos = run_end(data, pos, end, step) if header == previous else pos + step
            previous = header
        return pos, None

    def normalised(self, start: int, header_size: int, readable_end: int, complete: bool
                   ) -> bytes:
        """The standalone FIT file for this segment (the input slice when nothing changed)."""
        if self.out is None and complete:
            return self.data[start:readable_end + 2]
        body = bytes(self._copy_until(readable_end))
        header = bytearray(self.data[start:start + header_size])
        struct.pack_into("<I", header, 4, len(body))
        if header_size >= 14:
            header[12:14] = b"\x00\x00"  # a zero header CRC means "not computed"
        return bytes(header) + body + b"\x00\x00"


def scan(raw: bytes) -> ScanResult:
    """Walk all chained FIT files in ``raw``.

    Raises
    ------
    UnsupportedFile
        When ``raw`` does not start with a FIT header.
    CorruptFile
        When not even one message could be read.
    """
    if _read_header(raw, 0) is None:
        raise UnsupportedFile("not a FIT file (no FIT header)")
    result = ScanResult(segments=[])
    pos = 0
    while pos < len(raw):
        header = _read_header(raw, pos)
        if header is None:
            result.trailing_bytes = len(raw) - pos
            if any(raw[pos:]):
                result.problem = "unreadable bytes after the end of the activity"
                result.problem_offset = pos
            break
        header_size, data_size = header
        declared_end = pos + header_size + data_size
        end = min(declared_end, len(raw))
        walker = _Walker(raw, result)
        walker.copied_to = pos + header_size
        readable_end, problem = walker.walk(pos + header_size, end)
        if problem is None and end < declared_end:
            problem = "the file is cut short"
        crc_ok = None
        if problem is None and declared_end + 2 <= len(raw):
            stored = struct.unpack_from("<H", raw, declared_end)[0]
            crc_ok = fit_crc(memoryview(raw)[pos:declared_end]) == stored
        complete = readable_end == declared_end and crc_ok is not None
        segment = Segment(pos, data_size, readable_end, crc_ok)
        segment.data = walker.normalised(pos, header_size, readable_end, complete)
        result.segments.append(segment)
        if problem is not None or crc_ok is None:
            result.problem = problem or "the file ends before its checksum"
            result.problem_offset = readable_end
            break
        pos = declared_end + 2
    first = result.segments[0]
    if first.readable_end <= first.start + first.header_size:
        raise CorruptFile(result.problem or "no readable FIT messages")
    return result
