"""Safe XML parsing and namespace-agnostic lookups shared by the GPX and TCX readers.

Parsing goes through :mod:`defusedxml`'s parser, so DTDs, entity declarations (entity-expansion
bombs) and external entities are refused before anything is expanded or fetched. The reader
tolerates what real exporters write: a UTF-8 byte order mark or whitespace before the XML
declaration, and namespace prefixes used without being declared (``gpxtpx:``, ``ns3:``,
``xsi:``), which are declared on the root element with a placeholder URI before a second
attempt. The tree is built as the bytes are parsed, so a document that breaks off (a syntax
error, a file cut short) still gives the elements before the break (:func:`parse_xml_partial`).

Exporters disagree on namespaces (GPX 1.0 and 1.1, Garmin TrackPointExtension v1 and v2,
Cluetrust gpxdata, vendor extensions), so elements are matched by their *local* name.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError, TreeBuilder
from xml.parsers.expat import ErrorString
from xml.parsers.expat import errors as expat_errors

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from ingest.errors import CorruptFile, UnsafeInput

#: Bytes exporters put before the XML declaration: a UTF-8 byte order mark and whitespace.
LEADING_JUNK = b"\xef\xbb\xbf \t\r\n"
#: URI given to a namespace prefix that the document uses without declaring it.
UNDECLARED_NS_URI = "urn:undeclared:{prefix}"
#: Prefixes that are bound by the XML specification itself.
RESERVED_PREFIXES = frozenset({b"xml", b"xmlns"})
UNBOUND_PREFIX_CODE = expat_errors.codes[expat_errors.XML_ERROR_UNBOUND_PREFIX]
#: Parser errors that mean the document ended too early (a file cut short).
ENDED_CODES = frozenset(expat_errors.codes[e] for e in (
    expat_errors.XML_ERROR_NO_ELEMENTS, expat_errors.XML_ERROR_UNCLOSED_TOKEN,
    expat_errors.XML_ERROR_PARTIAL_CHAR, expat_errors.XML_ERROR_UNCLOSED_CDATA_SECTION))

_NAME = rb"[A-Za-z_][\w.-]*"
_TAG_PREFIX = re.compile(rb"</?(" + _NAME + rb"):" + _NAME)
_ATTR_PREFIX = re.compile(rb"\s(" + _NAME + rb"):" + _NAME + rb"\s*=\s*[\"']")
_DECLARED_PREFIX = re.compile(rb"\sxmlns:(" + _NAME + rb")\s*=")
_PROLOG_ITEM = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->)", re.DOTALL)
_ROOT_START = re.compile(
    rb"\s*<(" + _NAME + rb"(?::" + _NAME + rb")?)"
    rb"(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*/?>"
)

#: Largest magnitude read from a number (distances in metres stay far below it).
MAX_NUMBER = 1e12

UNSAFE_DECLARATION = "XML DTD and entity declarations are not allowed (possible entity bomb)"
UNSAFE_EXTERNAL = "XML external entity references are not allowed"

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MILLISECOND = dt.timedelta(milliseconds=1)


@dataclass
class Partial:
    """A document parsed up to where it breaks off."""

    root: Element | None  # the elements read before the break (None: not even the root)
    damage: CorruptFile | None  # why and where it broke off; None when it did not
    data: bytes  # the document

    def note(self, kept: str) -> str:
        """A warning that the document broke off and ``kept`` (e.g. '812 track points') was kept."""
        if self.damage is None or not isinstance(self.damage.__cause__, ParseError):
            raise ValueError("the document did not break off")
        cause, at = self.damage.__cause__, self.damage.offset
        line, _ = cause.position
        if cause.code in ENDED_CODES:
            where = "the file is cut short"
        else:
            share = f", {at / len(self.data):.0%} into the file" if at is not None else ""
            where = f"the XML is damaged at line {line} ({ErrorString(cause.code)}{share})"
        return f"{where}: kept the {kept} before it, the rest was unreadable"


def parse_xml_partial(data: bytes) -> Partial:
    """Parse safely, keeping the elements before a syntax error or the end of a cut-short file.

    Parameters
    ----------
    data
        The raw document bytes.

    Returns
    -------
    Partial
        The root element and, when the document is not well-formed (after declaring any
        unbound prefixes), the :class:`CorruptFile` saying where it breaks off.

    Raises
    ------
    UnsafeInput
        The document declares a DTD or entities, or references external entities.
    CorruptFile
        The encoding is unknown (nothing can be read).
    """
    skipped = len(data) - len(data.lstrip(LEADING_JUNK))
    text = data[skipped:]
    root, error = _parse(text)
    if error is not None and error.code == UNBOUND_PREFIX_CODE:
        patched = declare_missing_prefixes(text)
        root, error = _parse(patched)
        if error is not None:
            inserted = len(patched) - len(text)  # declarations added inside the root start tag
            return Partial(root, _corrupt(error, patched, skipped - inserted), data)
    if error is not None:
        return Partial(root, _corrupt(error, text, skipped), data)
    return Partial(root, None, data)


def _parse(text: bytes) -> tuple[Element | None, ParseError | None]:
    """The root element (partial when parsing failed) and the parse error, if any."""
    builder = TreeBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    try:
        parser.feed(text)
        return parser.close(), None
    except (DTDForbidden, EntitiesForbidden) as exc:
        raise UnsafeInput(UNSAFE_DECLARATION) from exc
    except ExternalReferenceForbidden as exc:
        raise UnsafeInput(UNSAFE_EXTERNAL) from exc
    except LookupError as exc:  # an encoding declaration Python does not know
        raise CorruptFile(f"unreadable XML: {exc}") from exc
    except ParseError as exc:
        return builder.close(), exc


def _corrupt(exc: ParseError, text: bytes, skipped: int) -> CorruptFile:
    """A :class:`CorruptFile` with the parser message and the error's offset in the file.

    ``skipped`` is the number of bytes of the file before ``text`` starts (negative when
    ``text`` has declarations inserted before the error).
    """
    line, column = exc.position
    starts = [0] + [m.end() for m in re.finditer(rb"\n", text)]
    offset = skipped + starts[min(line, len(starts)) - 1] + column if line else None
    message = ErrorString(exc.code) if exc.code else str(exc)
    problem = CorruptFile(f"malformed XML: {message}: line {line}, column {column}",
                          offset=offset)
    problem.__cause__ = exc
    return problem


def declare_missing_prefixes(text: bytes) -> bytes:
    """Declare on the root element every namespace prefix used but not bound there.

    Each missing ``p`` becomes ``xmlns:p="urn:undeclared:p"``; the text is returned unchanged
    when nothing is missing or no root start tag is found.
    """
    pos = 0
    while item := _PROLOG_ITEM.match(text, pos):
        pos = item.end()
    root = _ROOT_START.match(text, pos)
    if root is None:
        return text
    used = set(_TAG_PREFIX.findall(text)) | set(_ATTR_PREFIX.findall(text))
    declared = set(_DECLARED_PREFIX.findall(root.group(0)))
    missing = sorted(used - declared - RESERVED_PREFIXES)
    if not missing:
        return text
    declarations = b"".join(
        b' xmlns:%s="%s"' % (p, UNDECLARED_NS_URI.format(prefix=p.decode()).encode())
        for p in missing
    )
    at = root.end(1)
    return text[:at] + declarations + text[at:]


@functools.lru_cache(maxsize=1024)
def local_name(tag: str) -> str:
    """The tag without its namespace: ``{http://...}trkpt`` -> ``trkpt`` (cached per tag)."""
    return tag.rpartition("}")[2]


def children(element: Element, name: str) -> Iterator[Element]:
    """Direct children of ``element`` whose local name is ``name``, in document order."""
    return (child for child in element if local_name(child.tag) == name)


def child(element: Element, name: str) -> Element | None:
    """The first direct child with local name ``name``, or None."""
    return next(children(element, name), None)


def child_text(element: Element, name: str) -> str | None:
    """Stripped text of the first direct child with local name ``name`` (None if absent)."""
    found = child(element, name)
    return found.text.strip() if found is not None and found.text else None


def descendants(element: Element, name: str) -> Iterator[Element]:
    """All elements below (and including) ``element`` with local name ``name``."""
    return (e for e in element.iter() if local_name(e.tag) == name)


def to_float(text: str | None) -> float | None:
    """A finite float from element or attribute text; None when absent, not a number or beyond
    :data:`MAX_NUMBER` (damage, e.g. 1e308: no quantity of an activity is that large)."""
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and abs(value) <= MAX_NUMBER else None


def parse_time(text: str | None) -> tuple[int, int | None] | None:
    """Parse an ISO 8601 timestamp into (UTC epoch milliseconds, UTC offset [s] or None).

    ``Z``, a numeric offset or none at all (read as UTC) are accepted, with any number of
    fractional-second digits. The offset is None for ``Z`` or when absent. Returns None for
    text that is not a timestamp.
    """
    if not text:
        return None
    try:
        stamp = dt.datetime.fromisoformat(text.strip())
        offset = stamp.utcoffset()
        if offset is None:
            stamp = stamp.replace(tzinfo=dt.UTC)
        ms = (stamp.astimezone(dt.UTC) - _EPOCH) // _MILLISECOND
    except (ValueError, OverflowError):  # not a timestamp, or outside years 1-9999 in UTC
        return None
    explicit = offset is not None and not text.rstrip().endswith(("Z", "z"))
    return ms, int(offset.total_seconds()) if offset is not None and explicit else None


def utc_from_ms(ms: int) -> dt.datetime:
    """The timezone-aware UTC datetime of an epoch-millisecond timestamp."""
    return _EPOCH + ms * _MILLISECOND
