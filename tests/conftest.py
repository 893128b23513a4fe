"""Shared pytest setup: tests import their helpers (fitfiles, xml_docs) from this folder."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from hypothesis import settings  # noqa: E402

# Timings on a shared CI machine vary tenfold: where speed matters, tests assert it explicitly.
settings.register_profile("strideload", deadline=None)
settings.load_profile("strideload")
