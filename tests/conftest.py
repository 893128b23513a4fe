"""Shared pytest setup: tests import their helpers (fitfiles, xml_docs) from this folder, and
any import that ends in an "internal error" (a bug, see ingest.importer) fails the test during
which it happened - or the next one, for module-scoped fixtures - unless the test is marked
``internal_error`` (it provokes one on purpose)."""

import logging
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


class _Collect(logging.Handler):
    """Every internal error of the session, and how many of them were already looked at."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []
        self.seen = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def unseen(self) -> list[str]:
        new = self.messages[self.seen:]
        self.seen = len(self.messages)
        return new


_INTERNAL_ERRORS = _Collect()
logging.getLogger("ingest.importer").addHandler(_INTERNAL_ERRORS)


@pytest.fixture(autouse=True)
def internal_errors(request):
    """Fail a test when imports met an internal error since the previous test ended; gives
    tests marked ``internal_error`` a function returning those of the test so far."""
    earlier = _INTERNAL_ERRORS.unseen()  # from module-scoped fixtures set up for this test
    start = len(_INTERNAL_ERRORS.messages)
    yield lambda: _INTERNAL_ERRORS.messages[start:]
    mine = _INTERNAL_ERRORS.unseen()
    if request.node.get_closest_marker("internal_error") is None and earlier + mine:
        pytest.fail("import ended in an internal error:\n" + "\n".join(earlier + mine),
                    pytrace=False)
from hypothesis import settings  # noqa: E402

# Timings on a shared CI machine vary tenfold: where speed matters, tests assert it explicitly.
settings.register_profile("strideload", deadline=None)
settings.load_profile("strideload")
