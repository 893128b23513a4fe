"""strideload's own documentation, shipped with the app.

- ``methods.md``: every metric and rule the product shows - formula, units, defaults,
  population, source and evidence grade, known limits - in numbered sections that code and
  pages cite as "docs/methods.md section N" (the Methods page at ``/methods`` renders it);
- ``architecture.md``: layers, schema, store, import flow, where to add things;
- ``data-formats.md``: what is read from each file format, derived, cleaned or dropped.

The settings and rules tables of ``methods.md`` are generated (:mod:`docs.generate`);
:mod:`docs.sections` splits it into its numbered sections.
"""

from __future__ import annotations

from importlib.resources import files

#: The documents of this package.
DOCUMENTS = ("methods.md", "architecture.md", "data-formats.md")


def read(name: str) -> str:
    """The text of the document ``name`` (one of :data:`DOCUMENTS`), from the installed package
    or the checkout alike."""
    if name not in DOCUMENTS:
        raise ValueError(f"unknown document {name!r} (one of {', '.join(DOCUMENTS)})")
    return (files(__name__) / name).read_text(encoding="utf-8")
