"""Frames kept between processes in the data folder's cache folder (:data:`CACHE_DIR`), as
``{prefix}-{name}.parquet``: ``name`` says what the frame was computed from, and a new file
of a prefix replaces the older ones. A file that cannot be read or written only makes a
command slower (it is computed again); files are written whole or not at all (a temporary
file, renamed)."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable

import polars as pl

from ingest.store import CACHE_DIR, Store


def read(store: Store, prefix: str, name: str) -> pl.DataFrame | None:
    """The frame kept as ``prefix``-``name``, or None."""
    with contextlib.suppress(OSError, pl.exceptions.PolarsError):
        return pl.read_parquet(store.data_dir / CACHE_DIR / f"{prefix}-{name}.parquet")
    return None


def latest(store: Store, prefix: str) -> tuple[str, pl.DataFrame] | None:
    """The frame kept for ``prefix`` under whatever name, with that name (a command builds a
    new one from it), or None."""
    for path in (store.data_dir / CACHE_DIR).glob(f"{prefix}-*.parquet"):
        with contextlib.suppress(OSError, pl.exceptions.PolarsError):
            return path.stem.removeprefix(f"{prefix}-"), pl.read_parquet(path)
    return None


def write(store: Store, prefix: str, name: str, frame: pl.DataFrame) -> None:
    """Keep ``frame`` as ``prefix``-``name``, replacing the older frames of ``prefix``."""
    folder = store.data_dir / CACHE_DIR
    with contextlib.suppress(OSError, pl.exceptions.PolarsError):
        folder.mkdir(exist_ok=True)
        for old in folder.glob(f"{prefix}-*.parquet"):
            old.unlink(missing_ok=True)
        temp = folder / f".tmp-{os.getpid()}-{threading.get_ident()}.parquet"
        frame.write_parquet(temp)
        os.replace(temp, folder / f"{prefix}-{name}.parquet")


def kept(store: Store, prefix: str, name: str, compute: Callable[[], pl.DataFrame]
         ) -> pl.DataFrame:
    """The frame kept as ``prefix``-``name``; computed and kept when there is none."""
    frame = read(store, prefix, name)
    if frame is None:
        frame = compute()
        write(store, prefix, name, frame)
    return frame
