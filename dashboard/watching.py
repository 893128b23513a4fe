"""The dashboard's watcher: new files in the watched folders are imported while it runs.

One call, :func:`start_watcher`, when the dashboard starts: a :class:`ingest.watch.watcher.
Watcher` in a background thread of the dashboard process, with a store connection of its own
(the store is safe for several connections and processes; see :mod:`ingest.store`). It decodes
in this process (a few files at a time arrive; worker processes would take longer to start).
"""

from __future__ import annotations

from dash import Dash

from dashboard.data import DATA_DIR_KEY
from dashboard.service import enrich
from ingest.store import Store
from ingest.watch.watcher import Watcher

WATCHER_KEY = "strideload_watcher"  # in the Flask app's ``extensions``


def start_watcher(app: Dash) -> Watcher:
    """Start watching the folders of the app's store (after :func:`dashboard.app.create_app`
    opened and migrated it); the watcher is kept in the app's extensions."""
    store = Store(app.server.config[DATA_DIR_KEY], maintain=False)
    watcher = Watcher(store, enrich=enrich, jobs=1)
    app.server.extensions[WATCHER_KEY] = watcher
    return watcher.start()
