"""Shared pytest setup: tests import their helpers (fitfiles, xml_docs) from this folder."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
