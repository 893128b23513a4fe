"""One exception tree for import problems, each with a message a runner understands.

Every error carries the file it concerns and, where known, the byte offset where reading broke.
Foreign exceptions are re-raised from these with ``raise ... from``, keeping the original as
``__cause__``. ``str(error)`` is the one-line message shown by the CLI and the web app.
"""

from __future__ import annotations


class ImportProblem(Exception):
    """Base class: a file could not be imported (fully)."""

    def __init__(self, reason: str, file: str | None = None, offset: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.file = file
        self.offset = offset

    def with_file(self, file: str) -> ImportProblem:
        """Return the same error naming ``file`` (keeps an already known, more precise name)."""
        if self.file is None:
            self.file = file
        return self

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}" if self.file else self.reason


class Rejected(ImportProblem):
    """The file was refused as a whole; nothing of it is stored."""


class UnsupportedFile(Rejected):
    """Not a format we read (or empty)."""


class NotAnActivity(Rejected):
    """A readable file that holds no workout (FIT settings/monitoring, a GPX route, ...)."""


class CorruptFile(Rejected):
    """The bytes are damaged beyond what can be salvaged."""


class UnsafeInput(Rejected):
    """Refused for safety: XML entity bombs, zip bombs, archive paths escaping the target."""


class TooLarge(UnsafeInput):
    """Bigger than the configured cap."""
