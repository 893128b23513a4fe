"""A columnar FIT decoder: the :class:`~ingest.fit.tables.FitTables` fitparse gives, from numpy.

fitparse builds Python objects for every field of every message (6-10 thousand messages/s); this
decoder touches each message once in Python and computes the values column by column:

1. One pass over the message headers (the only per-message Python loop) notes where each data
   message starts, grouped by its definition. A definition is compiled once, and cached across
   files, into a numpy structured dtype: field offsets, sizes, base types and byte order.
2. The messages of one definition are gathered into a structured array in one step, so each
   field is a typed column.
3. Only message types in :data:`~ingest.fit.tables.WANTED` are evaluated, the way fitparse 1.2.0
   evaluates each value, with fitparse's own profile (``fitparse.profile.MESSAGE_TYPES``: names,
   types, scales, offsets, sub-fields, components) and base types (``fitparse.records``):
   invalid markers become missing; a sub-field is chosen per message by its reference fields;
   enum values get their names; scale and offset apply; components are cut from their bit
   fields (accumulating ones, like ``compressed_speed_distance`` -> ``distance``, carried over
   in file order); compressed-timestamp headers advance the last full timestamp.

Both byte orders, chained files and developer fields (skipped: their bytes are stepped over)
are handled. Bytes that end inside a message keep the messages before and report ``stopped``,
as do data for an undefined local message type. What fitparse would treat in a way this decoder
does not reproduce (a field size that is not a multiple of its type, 64-bit integer values,
components of strings or of arrays, type processors turning values into Python objects, a file
header fitparse refuses), and what would make fitparse stop early in a message this decoder
does not evaluate (a developer field description before its developer, a time of day of 24 h
or more), raises :class:`NotSupported`, so the caller can use fitparse instead.

``record`` columns are float64 arrays (NaN = missing) as long as every value is a number; other
message types (a few rows each) get lists of Python values, ints where fitparse gives ints.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from fitparse.profile import FIELD_TYPE_TIMESTAMP, MESSAGE_TYPES
from fitparse.records import BASE_TYPES, Field, MessageType

from ingest.fit.scan import run_end
from ingest.fit.tables import WANTED, FitTables

#: Message types returned as float arrays (many rows, numeric fields only).
ARRAY_MESSAGES = frozenset({"record"})
#: Field types whose values fitparse's data processor turns into Python objects (bool, time).
PROCESSED_TYPES = frozenset({"bool", "localtime_into_day"})
#: Compiled definitions kept across files (a device writes the same few again and again).
LAYOUT_CACHE_SIZE = 4096
TIMESTAMP_FIELD = FIELD_TYPE_TIMESTAMP.def_num
#: Bits of the time offset in a compressed-timestamp header (FIT SDK, "Compressed Timestamp").
TIME_OFFSET_BITS = 5

_MESSAGE_NUMBERS = {message.name: number for number, message in MESSAGE_TYPES.items()}
#: fitparse keeps developer field descriptions in a registry and stops on ones it cannot file.
_DEVELOPER_DATA_ID = _MESSAGE_NUMBERS["developer_data_id"]
_FIELD_DESCRIPTION = _MESSAGE_NUMBERS["field_description"]
#: Seconds in a day: fitparse makes datetime.time of localtime_into_day values, so no more.
DAY_S = 86400


def _field_number(message: str, name: str) -> int:
    fields = MESSAGE_TYPES[_MESSAGE_NUMBERS[message]].fields
    return next(number for number, f in fields.items() if f.name == name)


class NotSupported(Exception):
    """The file uses something this decoder does not reproduce exactly; use fitparse."""


@dataclass(frozen=True)
class _BaseType:
    """A FIT base type: struct code, size, kind and the marker meaning 'no value'."""

    name: str
    code: str
    size: int
    kind: str  # "int", "float", "bytes" or "string"
    invalid: int | None
    parse: Callable[[Any], Any]  # fitparse's parser, for values handled one by one


def _base_type(fitparse_type: Any) -> _BaseType:
    code = fitparse_type.fmt
    size = struct.calcsize(code)
    if fitparse_type.name == "byte":
        kind = "bytes"
    elif fitparse_type.name == "string":
        kind = "string"
    else:
        kind = "float" if code in "fd" else "int"
    invalid = None
    if kind == "int":  # fitparse's parser says which of the three FIT markers it refuses
        bits = 8 * size
        invalid = next(m for m in (0, (1 << bits - 1) - 1, (1 << bits) - 1)
                       if fitparse_type.parse(m) is None)
    return _BaseType(fitparse_type.name, code, size, kind, invalid, fitparse_type.parse)


_BASE_TYPES = {number: _base_type(base) for number, base in BASE_TYPES.items()}
_BYTE = _BASE_TYPES[0x0D]  # fitparse reads unknown base types as bytes


@dataclass(eq=False)
class _Slot:
    """One field of a definition: where its bytes are and what the profile says it is."""

    num: int
    base: _BaseType
    size: int
    column: str
    field: Field | None
    feeds: frozenset[str] = frozenset()  # output names: the field's and its components'
    accumulates: bool = False  # the field or a sub-field has accumulating components
    time_of_day: bool = False  # of a type fitparse turns into datetime.time
    trouble: str | None = None  # why fitparse may stop on this field in any message

    def __post_init__(self) -> None:
        if self.field is None:
            return
        variants = [self.field, *(self.field.subfields or ())]
        components = [c for variant in variants for c in variant.components or ()]
        self.feeds = frozenset([self.field.name] + [c.name for c in components])
        self.accumulates = any(c.accumulate for c in components)
        self.time_of_day = any(v.type.name == "localtime_into_day" for v in variants)
        if components and not (self.scalar or self.base.kind == "bytes"):
            self.trouble = f"components of {self.base.name} arrays"
        elif self.accumulates and self.base.kind == "float":
            self.trouble = "accumulating components of a float field"

    @property
    def scalar(self) -> bool:
        return self.base.kind in ("int", "float") and self.size == self.base.size


@dataclass(eq=False)
class _Layout:
    """A compiled definition message."""

    global_num: int
    mesg: MessageType | None
    slots: list[_Slot]
    dtype: np.dtype | None  # None without fields (nothing to read but developer bytes)
    size: int


_LAYOUTS: dict[bytes, _Layout] = {}


def _compile(key: bytes, developer: bool) -> _Layout:
    """Compile a definition from its bytes after the header and reserved byte."""
    endian = ">" if key[0] else "<"
    global_num, n_fields = struct.unpack_from(endian + "HB", key, 1)
    mesg = MESSAGE_TYPES.get(global_num)
    slots: list[_Slot] = []
    formats: list[np.dtype | tuple[Any, tuple[int]]] = []
    offsets: list[int] = []
    offset = 0
    for i in range(n_fields):
        num, size, base_num = key[4 + 3 * i:7 + 3 * i]
        base = _BASE_TYPES.get(base_num, _BYTE)
        if size == 0 or size % base.size:
            raise NotSupported(
                f"message {global_num} field {num}: {size} bytes do not fit type {base.name}"
            )
        slot = _Slot(num, base, size, f"f{i}", mesg.fields.get(num) if mesg else None)
        if slot.scalar:
            formats.append(np.dtype(endian + base.code))
        elif base.kind in ("int", "float"):
            formats.append((np.dtype(endian + base.code), (size // base.size,)))
        else:
            formats.append((np.uint8, (size,)))
        slots.append(slot)
        offsets.append(offset)
        offset += size
    if developer:  # developer fields: skipped, only their sizes matter
        dev_at = 4 + 3 * n_fields
        offset += sum(key[dev_at + 2:dev_at + 1 + 3 * key[dev_at]:3])
    dtype = None
    if slots:
        dtype = np.dtype({"names": [s.column for s in slots], "formats": formats,
                          "offsets": offsets, "itemsize": offset})
    return _Layout(global_num, mesg, slots, dtype, offset)


def _layout(key: bytes, developer: bool) -> _Layout:
    layout = _LAYOUTS.get(key)
    if layout is None:
        if len(_LAYOUTS) >= LAYOUT_CACHE_SIZE:
            _LAYOUTS.clear()
        layout = _LAYOUTS[key] = _compile(key, developer)
    return layout


# -- walking the messages ---------------------------------------------------------------------
@dataclass
class _Walk:
    """Where the messages are: data message offsets per definition, definitions, file starts."""

    positions: dict[_Layout, array] = field(default_factory=dict)
    definitions: list[tuple[int, _Layout]] = field(default_factory=list)
    file_starts: list[int] = field(default_factory=list)
    compressed: bool = False
    stopped: str | None = None


def _file_header(data: bytes, start: int) -> tuple[int, int]:
    if len(data) - start < 12 or data[start + 8:start + 12] != b".FIT":
        raise NotSupported(f"no FIT file header at byte {start}")
    header_size = data[start]
    if header_size < 12 or header_size == 13 or len(data) - start < header_size:
        raise NotSupported(f"a FIT header of {header_size} bytes")
    return header_size, struct.unpack_from("<I", data, start + 4)[0]


def _definition(data: bytes, pos: int, limit: int) -> tuple[_Layout, int] | None:
    """(layout, length) of the definition at ``pos``, None if it does not end before ``limit``."""
    if pos + 6 > limit:
        return None
    length = 6 + 3 * data[pos + 5]
    developer = bool(data[pos] & 0x20)
    if developer:
        if pos + length >= limit:
            return None
        length += 1 + 3 * data[pos + length]
    if pos + length > limit:
        return None
    return _layout(data[pos + 2:pos + length], developer), length


def _walk(data: bytes) -> _Walk:
    """Find every message of every chained file in ``data``."""
    walk = _Walk()
    total = len(data)
    start = 0
    while True:
        header_size, data_size = _file_header(data, start)
        walk.file_starts.append(start)
        pos = start + header_size
        end = pos + data_size
        limit = min(end, total)
        lists: list[array | None] = [None] * 16
        steps = [0] * 16
        positions = None
        previous = -1  # header byte of the previous message if it was a data message
        while pos < limit:
            header = data[pos]
            if header < 0x40:
                local = header & 0x0F
            elif header & 0x80:  # compressed timestamp header
                local = (header >> 5) & 0x03
                walk.compressed = True
            else:
                parsed = _definition(data, pos, limit)
                if parsed is None:
                    walk.stopped = "the file ends inside a message definition"
                    return walk
                layout, length = parsed
                local = header & 0x0F
                lists[local] = walk.positions.setdefault(layout, array("q"))
                steps[local] = layout.size + 1
                walk.definitions.append((pos, layout))
                pos += length
                previous = -1
                continue
            positions = lists[local]
            if positions is None:
                walk.stopped = f"data for an undefined message type at byte {pos}"
                return walk
            step = steps[local]
            if header == previous and pos + step <= limit:
                after = run_end(data, pos, limit, step)
                positions.extend(range(pos, after, step))
                pos = after
            else:
                positions.append(pos)
                pos += step
            previous = header
        if pos > total:
            assert positions is not None  # the step past the end was a data message's
            positions.pop()
            walk.stopped = "the file ends in the middle of a message"
            return walk
        if pos > end:
            raise NotSupported("a message runs past the declared data size")
        if end > total:
            walk.stopped = "the file is cut short"
            return walk
        if end + 2 >= total:
            if end + 2 > total:
                walk.stopped = "the file ends before its checksum"
            return walk
        start = end + 2  # another FIT file is chained after this one


# -- values, column by column ----------------------------------------------------------------
@dataclass
class _Col:
    """Values of one output column for n messages; ``objects`` holds the non-numeric ones."""

    num: np.ndarray  # float64, NaN where missing or not a number
    valid: np.ndarray  # bool: fitparse's value is not None
    intlike: np.ndarray  # bool: fitparse's value is an int
    objects: np.ndarray | None = None  # object array: str, tuple or None (= look at num)

    def masked(self, keep: np.ndarray) -> _Col:
        num = np.where(keep, self.num, np.nan)
        objects = (None if self.objects is None
                   else np.where(keep, self.objects, np.array(None, dtype=object)))
        return _Col(num, self.valid & keep, self.intlike, objects)

    def under(self, top: _Col) -> _Col:
        """This column with ``top``'s values wherever ``top`` has one."""
        wins = top.valid
        objects = None
        if self.objects is not None or top.objects is not None:
            objects = np.where(wins, _objects_or_none(top), _objects_or_none(self))
        return _Col(np.where(wins, top.num, self.num), self.valid | wins,
                    np.where(wins, top.intlike, self.intlike), objects)


def _objects_or_none(col: _Col) -> np.ndarray:
    return col.objects if col.objects is not None else np.full(col.num.size, None, dtype=object)


def _empty(n: int) -> _Col:
    return _Col(np.full(n, np.nan), np.zeros(n, bool), np.zeros(n, bool))


def _from_values(values: list[Any]) -> _Col:
    """A column from Python values (the ones handled one by one: bytes, strings, arrays)."""
    n = len(values)
    col = _empty(n)
    objects = np.full(n, None, dtype=object)
    for i, value in enumerate(values):
        if value is None:
            continue
        col.valid[i] = True
        if isinstance(value, int | float) and not isinstance(value, bool):
            col.num[i] = value
            col.intlike[i] = isinstance(value, int)
        else:
            objects[i] = value
    if any(v is not None for v in objects):
        col.objects = objects
    return col


def _check_type(field_type: Any) -> None:
    if field_type.name in PROCESSED_TYPES:
        raise NotSupported(f"fields of type {field_type.name}")


def _numbers(raw: np.ndarray, valid: np.ndarray, integer: bool, field_type: Any,
             scale: float | None, offset: float | None, render_scaled: bool) -> _Col:
    """fitparse's value for numbers: enum name if the type has one, else scale and offset.

    Fields are named from their raw value, components from their scaled value.
    """
    _check_type(field_type)
    num = raw.astype(np.float64)
    if scale:
        num = num / scale
    if offset:
        num = num - offset
    num[~valid] = np.nan
    intlike = np.full(raw.size, integer and not scale and isinstance(offset or 0, int))
    col = _Col(num, valid.copy(), intlike)
    names = getattr(field_type, "values", None)
    if names:
        key = num if render_scaled else raw
        named = valid & np.isin(key, np.fromiter(names, dtype=np.float64, count=len(names)))
        if named.any():
            col.objects = np.full(raw.size, None, dtype=object)
            col.objects[named] = [names[k] for k in key[named].tolist()]
            col.num[named] = np.nan
    return col


def _python_value(target: Any, raw: Any) -> Any:
    """fitparse's value of one raw value (bytes, strings, arrays): name, then scale and offset."""
    names = getattr(target.type, "values", None)
    value = names[raw] if names and raw in names else raw
    if isinstance(value, tuple):
        return tuple(_scaled(target, v) for v in value)
    return _scaled(target, value)


def _scaled(target: Any, value: Any) -> Any:
    if isinstance(value, int | float):
        if target.scale:
            value = float(value) / target.scale
        if target.offset:
            value = value - target.offset
    return value


class _Rows:
    """The messages of one definition, as typed columns (computed on demand)."""

    def __init__(self, buf: np.ndarray, layout: _Layout, positions: np.ndarray) -> None:
        self.layout = layout
        self.positions = positions
        self.n = positions.size
        self.records = None
        if layout.dtype is not None:
            every_byte = np.ndarray((buf.size - layout.size + 1,), dtype=f"V{layout.size}",
                                    buffer=buf, strides=(1,))
            self.records = every_byte[positions + 1].view(layout.dtype)
        self._raw: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._choices: dict[int, np.ndarray] = {}
        self._variants: dict[int, list[tuple[Any, np.ndarray | None]]] = {}

    def raw(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Raw values of a scalar field (int64 or float64) and where they are not invalid."""
        if i not in self._raw:
            slot = self.layout.slots[i]
            assert self.records is not None  # a definition with fields has a dtype
            column = self.records[slot.column]
            if slot.base.kind == "float":
                values = column.astype(np.float64)
                valid = ~np.isnan(values)
            elif slot.base.size == 8:
                raise NotSupported("64-bit integer fields")
            else:
                values = column.astype(np.int64)
                valid = values != slot.base.invalid
            self._raw[i] = (values, valid)
        return self._raw[i]

    def python_raw(self, i: int) -> list[Any]:
        """Raw values of any field the way fitparse parses them, one by one."""
        slot = self.layout.slots[i]
        assert self.records is not None  # a definition with fields has a dtype
        column = self.records[slot.column]
        parse = slot.base.parse
        if slot.base.kind == "bytes":
            return [parse(tuple(row)) for row in column.tolist()]
        if slot.base.kind == "string":
            size = slot.size
            raw = column.tobytes()
            return [parse(raw[k:k + size]) for k in range(0, len(raw), size)]
        return [tuple(parse(v) for v in row) for row in column.tolist()]

    def choice(self, target: Field) -> np.ndarray | None:
        """Per message: index of the sub-field of ``target`` that applies, -1 for the field."""
        if not target.subfields:
            return None
        key = id(target)
        if key not in self._choices:
            chosen = np.full(self.n, -1, dtype=np.int16)
            for k in range(len(target.subfields) - 1, -1, -1):  # the first match wins
                match = np.zeros(self.n, bool)
                for ref in target.subfields[k].ref_fields:
                    for i, slot in enumerate(self.layout.slots):
                        if slot.num == ref.def_num and slot.scalar:
                            raw, valid = self.raw(i)
                            match |= valid & (raw == ref.raw_value)
                chosen[match] = k
            self._choices[key] = chosen
        return self._choices[key]

    def variants(self, target: Field) -> list[tuple[Any, np.ndarray | None]]:
        """(field or sub-field, messages it applies to; None = all) for ``target``."""
        key = id(target)
        if key not in self._variants:
            chosen = self.choice(target)
            if chosen is None:
                self._variants[key] = [(target, None)]
            else:
                self._variants[key] = [(target if k < 0 else target.subfields[k], chosen == k)
                                       for k in np.unique(chosen).tolist()]
        return self._variants[key]


@dataclass
class _Output:
    """Contributions to one output column: message fields beat components of other fields."""

    from_fields: _Col | None = None
    from_components: _Col | None = None

    def add(self, col: _Col, is_field: bool) -> None:
        if is_field:
            self.from_fields = col if self.from_fields is None else self.from_fields.under(col)
        else:
            current = self.from_components
            self.from_components = col if current is None else current.under(col)

    def result(self, n: int) -> _Col:
        if self.from_fields is None:
            return self.from_components if self.from_components is not None else _empty(n)
        if self.from_components is None:
            return self.from_fields
        return self.from_components.under(self.from_fields)


def _accumulate(positions: np.ndarray, values: np.ndarray, resets: np.ndarray,
                start_values: np.ndarray, bits: int) -> np.ndarray:
    """Values of a rolling counter of ``bits`` bits, unrolled (fitparse's accumulation).

    ``positions`` (sorted) are where each value occurs; at each of ``resets`` the counter is set
    to the matching ``start_values`` (0 before the first). Each value continues the counter:
    the high bits are kept and a value below the previous low bits adds one rollover.
    """
    group = np.searchsorted(resets, positions, side="right") - 1
    start = np.where(group >= 0, start_values[np.maximum(group, 0)], 0)
    low_mask = (1 << bits) - 1
    previous = np.empty_like(values)
    previous[1:] = values[:-1]
    first = np.ones(values.size, bool)
    first[1:] = group[1:] != group[:-1]
    previous[first] = start[first] & low_mask
    rolls: np.ndarray = np.cumsum(values < previous)
    rolls_before_group: np.ndarray = (rolls - (values < previous))[first]
    group_index = np.cumsum(first) - 1
    rolls -= rolls_before_group[group_index]
    return (start & ~low_mask) + values + (rolls << bits)


class _Decoding:
    """State of one decode: the messages per definition and what spans definitions."""

    def __init__(self, data: bytes, walk: _Walk) -> None:
        self.buf = np.frombuffer(data, dtype=np.uint8)
        self.walk = walk
        self.positions = {layout: np.frombuffer(positions, dtype=np.int64)
                          for layout, positions in walk.positions.items() if positions}
        self._rows: dict[_Layout, _Rows] = {}
        self.accumulated: dict[tuple[int, int, int], np.ndarray] = {}
        self.timestamps: dict[_Layout, tuple[np.ndarray, np.ndarray]] = {}
        if walk.compressed:
            self._compressed_timestamps()

    def rows(self, layout: _Layout) -> _Rows:
        """The messages of one definition (gathered the first time they are needed)."""
        if layout not in self._rows:
            self._rows[layout] = _Rows(self.buf, layout, self.positions[layout])
        return self._rows[layout]

    def _compressed_timestamps(self) -> None:
        """Timestamps of compressed-header messages: the last full one advanced by the offset."""
        full_at, full = [np.array(self.walk.file_starts, np.int64)], [
            np.zeros(len(self.walk.file_starts), np.int64)]
        short_at, offsets, owners = [], [], []
        for layout, positions in self.positions.items():
            last = None
            for i, slot in enumerate(layout.slots):
                if slot.num != TIMESTAMP_FIELD:
                    continue
                if not (slot.scalar and slot.base.kind == "int"):
                    raise NotSupported("a timestamp field that is not an integer")
                raw, valid = self.rows(layout).raw(i)
                last = (raw, valid) if last is None else (np.where(valid, raw, last[0]),
                                                          valid | last[1])
            if last is not None:
                full_at.append(positions[last[1]])
                full.append(last[0][last[1]])
            headers = self.buf[positions]
            compressed = headers >= 0x80
            if compressed.any():
                short_at.append(positions[compressed])
                offsets.append((headers[compressed] & 0x1F).astype(np.int64))
                owners.append((layout, compressed))
        at, values = np.concatenate(full_at), np.concatenate(full)
        order = np.argsort(at, kind="stable")
        at, values = at[order], values[order]
        short_positions = np.concatenate(short_at)
        order = np.argsort(short_positions, kind="stable")
        times = np.empty(short_positions.size, np.int64)
        times[order] = _accumulate(short_positions[order], np.concatenate(offsets)[order], at,
                                   values, TIME_OFFSET_BITS)
        done = 0
        for layout, compressed in owners:
            count = int(compressed.sum())
            column = np.zeros(compressed.size, np.int64)
            column[compressed] = times[done:done + count]
            self.timestamps[layout] = (column, compressed)
            done += count

    def check_fitparse_reads_on(self) -> None:
        """Raise NotSupported where fitparse would stop early, in any message type.

        fitparse evaluates every message, so it may stop on a message this decoder skips:
        components of arrays, a time of day of a day or more, a developer field description
        whose developer is not registered before it in the file.
        """
        registered: list[tuple[int, int]] = []  # (position, developer_data_index)
        described: list[tuple[int, int]] = []
        for layout in self.positions:
            for i, slot in enumerate(layout.slots):
                if slot.trouble:
                    raise NotSupported(slot.trouble)
                if slot.time_of_day:
                    if not (slot.scalar and slot.base.kind == "int"):
                        raise NotSupported(f"a time of day stored as {slot.base.name}")
                    raw, valid = self.rows(layout).raw(i)
                    if (valid & ((raw < 0) | (raw >= DAY_S))).any():
                        raise NotSupported("a time of day outside 0-24 h")
            if layout.global_num == _DEVELOPER_DATA_ID:
                registered += _indexed(self.rows(layout), _field_number("developer_data_id",
                                                           "developer_data_index"))
            elif layout.global_num == _FIELD_DESCRIPTION:
                rows = self.rows(layout)
                indexes = _indexed(rows, _field_number("field_description",
                                                       "developer_data_index"))
                if len(indexes) < rows.n:
                    raise NotSupported("a developer field description without a developer")
                described += indexes
                base_types = _indexed(rows, _field_number("field_description",
                                                          "fit_base_type_id"))
                if len(base_types) < rows.n or any(b not in BASE_TYPES for _, b in base_types):
                    raise NotSupported("a developer field of no known base type")
        for at, index in described:
            if not any(earlier < at and index == known for earlier, known in registered):
                raise NotSupported("a developer field description before its developer")

    def accumulate(self, layouts: list[_Layout]) -> None:
        """Unroll accumulating components of one message type, in file order across layouts."""
        by_target: dict[int, list[tuple[np.ndarray, np.ndarray, tuple[int, int, int]]]] = {}
        bits_of: dict[int, int] = {}
        resets: dict[int, list[int]] = {}
        for layout in layouts:
            rows = self.rows(layout)
            for i, slot in enumerate(layout.slots):
                if not slot.accumulates:
                    continue
                for variant, applies in rows.variants(slot.field):
                    for k, component in enumerate(variant.components or ()):
                        if not component.accumulate:
                            continue
                        if variant is not slot.field:
                            raise NotSupported("accumulating components of a sub-field")
                        raw, valid = _component_raw(rows, i, component)
                        if raw is None:
                            continue
                        if raw.dtype.kind == "f":
                            raise NotSupported("accumulating components of a float field")
                        if bits_of.setdefault(component.def_num, component.bits) != component.bits:
                            raise NotSupported("accumulating components of different sizes")
                        keep = valid if applies is None else valid & applies
                        by_target.setdefault(component.def_num, []).append(
                            (rows.positions[keep], raw[keep], (id(layout), i, k)))
        for pos, defined in self.walk.definitions:  # every definition resets, used or not
            if defined.global_num == layouts[0].global_num:
                for slot in defined.slots:
                    for component in (slot.field.components or ()) if slot.field else ():
                        if component.accumulate:
                            resets.setdefault(component.def_num, []).append(pos)
        for target, parts in by_target.items():
            at = np.concatenate([p[0] for p in parts])
            raw = np.concatenate([p[1] for p in parts])
            order = np.argsort(at, kind="stable")
            reset_at = np.unique(np.array(resets.get(target, []) + self.walk.file_starts))
            values = np.empty(at.size, np.int64)
            values[order] = _accumulate(at[order], raw[order], reset_at,
                                        np.zeros(reset_at.size, np.int64), bits_of[target])
            done = 0
            for _, part_raw, key in parts:
                self.accumulated[key] = values[done:done + part_raw.size]
                done += part_raw.size

    def message_columns(self, layout: _Layout, wanted: tuple[str, ...]) -> dict[str, _Col]:
        """The wanted columns of the messages of one definition."""
        rows = self.rows(layout)
        outputs: dict[str, _Output] = {}
        for i, slot in enumerate(layout.slots):
            if slot.field is None or layout.mesg is None or slot.feeds.isdisjoint(wanted):
                continue
            for variant, applies in rows.variants(slot.field):
                for k, component in enumerate(variant.components or ()):
                    target = layout.mesg.fields[component.def_num]
                    if target.name in wanted:
                        col = self._component(rows, i, k, component, target, applies)
                        if col is not None:
                            outputs.setdefault(target.name, _Output()).add(col, False)
                if slot.field.name in wanted:
                    col = _field_value(rows, i, variant)
                    outputs.setdefault(slot.field.name, _Output()).add(
                        col if applies is None else col.masked(applies), True)
        if "timestamp" in wanted and layout in self.timestamps:
            times, compressed = self.timestamps[layout]
            outputs.setdefault("timestamp", _Output()).add(
                _Col(np.where(compressed, times, np.nan), compressed, compressed), False)
        return {name: output.result(rows.n) for name, output in outputs.items()}

    def _component(self, rows: _Rows, i: int, k: int, component: Any, target: Field,
                   applies: np.ndarray | None) -> _Col | None:
        """A component's value: bits of the field, accumulated, scaled, named by its target."""
        raw, valid = _component_raw(rows, i, component)
        if raw is None:
            return None
        if component.accumulate:
            key = (id(rows.layout), i, k)
            keep = valid if applies is None else valid & applies
            raw = raw.copy()
            raw[keep] = self.accumulated[key]
        col = None
        for variant, where in rows.variants(target):
            part = _numbers(raw, valid, raw.dtype.kind == "i", variant.type, component.scale,
                            component.offset, render_scaled=True)
            if where is not None:
                part = part.masked(where)
            col = part if col is None else col.under(part)
        return col if applies is None or col is None else col.masked(applies)


def _indexed(rows: _Rows, number: int) -> list[tuple[int, int]]:
    """(position, value) of the first field ``number`` of each message where it is valid."""
    for i, slot in enumerate(rows.layout.slots):
        if slot.num == number:
            if not (slot.scalar and slot.base.kind == "int"):
                raise NotSupported(f"a developer data index stored as {slot.base.name}")
            raw, valid = rows.raw(i)
            return list(zip(rows.positions[valid].tolist(), raw[valid].tolist(), strict=True))
    return []


def _component_raw(rows: _Rows, i: int, component: Any) -> tuple[np.ndarray | None, np.ndarray]:
    """The component's bits of field ``i`` (None when fitparse skips the component)."""
    slot = rows.layout.slots[i]
    if slot.scalar:
        raw, valid = rows.raw(i)
        if slot.base.kind == "float":  # fitparse passes non-integers through unchanged
            return raw, valid
    elif slot.base.kind == "bytes":
        if component.bit_offset >= 8 * slot.size:
            return None, np.zeros(rows.n, bool)
        if slot.size > 7:
            raise NotSupported("components of byte arrays longer than 7 bytes")
        assert rows.records is not None  # a definition with fields has a dtype
        data = rows.records[slot.column].astype(np.int64)
        raw = (data << (8 * np.arange(slot.size))).sum(axis=1)  # little-endian, as fitparse
        valid = ~(data == 0xFF).all(axis=1)
    else:
        raise NotSupported(f"components of {slot.base.name} arrays")
    return (raw >> component.bit_offset) & ((1 << component.bits) - 1), valid


def _field_value(rows: _Rows, i: int, variant: Any) -> _Col:
    slot = rows.layout.slots[i]
    if slot.scalar:
        raw, valid = rows.raw(i)
        return _numbers(raw, valid, slot.base.kind == "int", variant.type, variant.scale,
                        variant.offset, render_scaled=False)
    _check_type(variant.type)
    return _from_values([None if raw is None else _python_value(variant, raw)
                         for raw in rows.python_raw(i)])


def _concatenate(cols: list[_Col], order: np.ndarray | None) -> _Col:
    col = cols[0]
    if len(cols) > 1:
        objects = None
        if any(c.objects is not None for c in cols):
            objects = np.concatenate([_objects_or_none(c) for c in cols])
        col = _Col(np.concatenate([c.num for c in cols]), np.concatenate([c.valid for c in cols]),
                   np.concatenate([c.intlike for c in cols]), objects)
    if order is not None:
        col = _Col(col.num[order], col.valid[order], col.intlike[order],
                   None if col.objects is None else col.objects[order])
    return col


def _column_values(col: _Col, as_array: bool) -> np.ndarray | list[Any]:
    if as_array and col.objects is None:
        return col.num
    objects = col.objects.tolist() if col.objects is not None else [None] * col.num.size
    return [
        obj if obj is not None else None if not ok else int(num) if whole else num
        for num, ok, whole, obj in zip(col.num.tolist(), col.valid.tolist(),
                                       col.intlike.tolist(), objects, strict=True)
    ]


def decode(data: bytes) -> FitTables:
    """Decode one FIT file (or chained files) into the wanted columns, as fitparse would.

    Raises
    ------
    NotSupported
        When the file needs something this decoder does not reproduce (see the module notes).
    """
    walk = _walk(data)
    decoding = _Decoding(data, walk)
    decoding.check_fitparse_reads_on()
    tables = FitTables(decoder="fast", stopped=walk.stopped)
    for name, wanted in WANTED.items():
        layouts = [layout for layout in decoding.positions
                   if layout.global_num == _MESSAGE_NUMBERS[name]]
        if not layouts:
            continue
        decoding.accumulate(layouts)
        per_layout = [decoding.message_columns(layout, wanted) for layout in layouts]
        positions = [decoding.positions[layout] for layout in layouts]
        order = np.argsort(np.concatenate(positions), kind="stable") if len(layouts) > 1 else None
        n = sum(p.size for p in positions)
        tables.columns[name] = {
            column: _column_values(
                _concatenate([cols.get(column) or _empty(p.size)
                              for cols, p in zip(per_layout, positions, strict=True)], order),
                name in ARRAY_MESSAGES,
            )
            for column in wanted
        }
        tables.rows[name] = n
    return tables


def raw_columns(data: bytes, numbers: frozenset[int]) -> tuple[dict[int, dict[int, np.ndarray]],
                                                               str | None]:
    """Raw scalar values of the messages numbered ``numbers``, by field number, in file order.

    For messages fitparse's profile does not know (it yields them as ``unknown_NNN``): the
    caller applies the FIT profile's scales. Values are float64, NaN where invalid; field 253
    (timestamp) is filled from compressed-timestamp headers. Other messages (e.g. the
    ``monitoring`` records that make up most of a monitoring file) are stepped over, never
    evaluated. Returns the columns and why the walk stopped early (None when it did not).

    Raises
    ------
    NotSupported
        When a wanted field cannot be read here (64-bit integers); use fitparse.
    """
    walk = _walk(data)
    decoding = _Decoding(data, walk)
    out: dict[int, dict[int, np.ndarray]] = {}
    for number in sorted(numbers):
        layouts = [layout for layout in decoding.positions if layout.global_num == number]
        if not layouts:
            continue
        parts: list[dict[int, np.ndarray]] = []
        for layout in layouts:
            rows = decoding.rows(layout)
            columns: dict[int, np.ndarray] = {}
            for i, slot in enumerate(layout.slots):
                if slot.scalar and slot.num not in columns:
                    raw, valid = rows.raw(i)
                    columns[slot.num] = np.where(valid, raw, np.nan).astype(np.float64)
            if layout in decoding.timestamps:
                times, compressed = decoding.timestamps[layout]
                stamped = columns.get(TIMESTAMP_FIELD, np.full(rows.n, np.nan))
                columns[TIMESTAMP_FIELD] = np.where(compressed, times, stamped)
            parts.append(columns)
        positions = np.concatenate([decoding.positions[layout] for layout in layouts])
        order = np.argsort(positions, kind="stable")
        sizes = [decoding.positions[layout].size for layout in layouts]
        fields = sorted({num for columns in parts for num in columns})
        out[number] = {
            num: np.concatenate([columns.get(num, np.full(size, np.nan))
                                 for columns, size in zip(parts, sizes, strict=True)])[order]
            for num in fields
        }
    return out, walk.stopped
