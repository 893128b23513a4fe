"""The examples in the analytics docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import analytics

MODULES = sorted(m.name for m in pkgutil.iter_modules(analytics.__path__))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"analytics.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_every_public_function_is_documented() -> None:
    missing = []
    for name in MODULES:
        module = importlib.import_module(f"analytics.{name}")
        assert module.__doc__, name
        for attr, value in vars(module).items():
            if attr.startswith("_") or getattr(value, "__module__", None) != module.__name__:
                continue
            if callable(value) and not value.__doc__:
                missing.append(f"{name}.{attr}")
    assert missing == []
