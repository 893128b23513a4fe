"""One streaming pass over a large XML document with expat, refusing entity declarations.

The document is fed to expat in :data:`READ_BYTES` pieces and the caller's handler receives
each start tag (name and attributes as a flat ``[name, value, ...]`` list) and end tag; no
element tree is built, so memory does not grow with the document. Apple's ``export.xml``
opens with a DOCTYPE whose internal subset declares elements and attributes: that is
accepted. Entity declarations (general or parameter: entity-expansion bombs), external entity
references and references to undeclared entities are refused before anything is expanded,
like :mod:`ingest.xmlsafe` does for GPX and TCX.
"""

from __future__ import annotations

import pyexpat
from collections.abc import Callable
from typing import BinaryIO, Protocol

from ingest.errors import CorruptFile, UnsafeInput
from ingest.xmlsafe import LEADING_JUNK, UNSAFE_EXTERNAL

#: Bytes read and parsed at a time.
READ_BYTES = 1 << 20
#: Progress is reported after at least this many more bytes were read.
PROGRESS_BYTES = 16 << 20
UNSAFE_ENTITY = "XML entity declarations are not allowed (possible entity bomb)"

Progress = Callable[[int, int | None], None]


class Handler(Protocol):
    """What :func:`stream_xml` calls for each tag."""

    def start(self, name: str, attributes: list[str]) -> None: ...

    def end(self, name: str) -> None: ...


def _refuse_entity(*_: object) -> None:
    raise UnsafeInput(UNSAFE_ENTITY)


def _refuse_external(*_: object) -> int:
    raise UnsafeInput(UNSAFE_EXTERNAL)


def _refuse_undeclared(name: str, *_: object) -> None:
    raise UnsafeInput(f"XML refers to the undeclared entity &{name}; (not expanded)")


def _parser(handler: Handler) -> pyexpat.XMLParserType:
    parser = pyexpat.ParserCreate()
    parser.ordered_attributes = True
    parser.SetParamEntityParsing(pyexpat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse_entity
    parser.UnparsedEntityDeclHandler = _refuse_entity
    parser.ExternalEntityRefHandler = _refuse_external
    parser.SkippedEntityHandler = _refuse_undeclared
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    return parser


def stream_xml(stream: BinaryIO, handler: Handler, total: int | None = None,
               progress: Progress | None = None) -> int:
    """Parse ``stream`` to its end, calling ``handler``; returns the bytes read.

    ``progress(done, total)`` is called every :data:`PROGRESS_BYTES` and at the end.

    Raises
    ------
    UnsafeInput
        An entity declaration, an external or undeclared entity reference.
    CorruptFile
        Not well-formed XML (the message names the line; ``offset`` is the byte offset).
    """
    parser = _parser(handler)
    done = reported = 0
    first = True
    try:
        while chunk := stream.read(READ_BYTES):
            done += len(chunk)
            if first:  # a byte order mark or blank lines before the declaration
                chunk, first = chunk.lstrip(LEADING_JUNK), False
            parser.Parse(chunk, False)
            if progress is not None and done - reported >= PROGRESS_BYTES:
                progress(done, total)
                reported = done
        parser.Parse(b"", True)
    except pyexpat.ExpatError as exc:
        raise CorruptFile(f"malformed XML: {pyexpat.ErrorString(exc.code)} "
                          f"(line {exc.lineno})", offset=parser.CurrentByteIndex) from exc
    if progress is not None:
        progress(done, total)
    return done
