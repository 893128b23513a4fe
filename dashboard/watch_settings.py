"""The Settings page's "Watched folders" section: add and remove folders, and watch a
connected Garmin watch with one click (the same as ``strideload watch add/remove``)."""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, callback, ctx, dcc, html

from dashboard.components import attrs
from dashboard.data import open_store
from ingest.store import Store
from ingest.watch.devices import GarminWatch, find_garmin_watches
from ingest.watch.state import (
    WatchedFolder,
    WatchError,
    add_folders,
    remove_folder,
    watched_folders,
)


def folder_rows(folders: list[WatchedFolder]) -> html.Ul | html.P:
    """One line per folder: its path, whether it is there now, and a Remove button."""
    if not folders:
        return html.P("No folder is watched yet.", className="muted")
    return html.Ul([
        html.Li([
            html.Code(f.path),
            html.Span(f" ({'your watch' if f.kind == 'garmin' else 'folder'}, "
                      f"{'there now' if f.available() else 'not there now'}) ",
                      className="muted small"),
            html.Button("Remove", id={"type": "watch-remove", "path": f.path}, n_clicks=0,
                        className="button",
                        **attrs({"aria-label": f"Remove {f.path} (stop watching it)"})),
        ], className="watch-folder") for f in folders
    ], id="watch-folder-list")


def unwatched_watches(folders: list[WatchedFolder]) -> list[GarminWatch]:
    """Connected Garmin watches with a folder not yet watched."""
    watched = {f.path for f in folders}
    return [w for w in find_garmin_watches() if not set(w.folders) <= watched]


def _offer(folders: list[WatchedFolder]) -> tuple[str, bool]:
    """The text offering the connected watch, and whether the offer is hidden."""
    watches = unwatched_watches(folders)
    if not watches:
        return "", True
    return (f"A Garmin watch is connected at {', '.join(w.mount for w in watches)}: import its "
            "runs and its sleep, resting HR and HRV whenever it is plugged in.", False)


def section() -> html.Div:
    """The section (its own store connection: called from the page layout)."""
    with open_store() as store:
        folders = watched_folders(store)
    offer, hidden = _offer(folders)
    return html.Div([
        html.H2("Watched folders"),
        html.P("New files in these folders are imported within seconds while the dashboard "
               "runs: a Garmin watch plugged in over USB, a synced folder (Dropbox, Syncthing, "
               "a phone app's export folder) or your downloads.", className="muted"),
        html.Div(folder_rows(folders), id="watch-folders"),
        html.Div([html.Span(offer, id="watch-garmin-text"),
                  html.Button("Watch this watch", id="watch-add-garmin", n_clicks=0,
                              className="button")],
                 id="watch-garmin", className="form", hidden=hidden),
        html.Div([
            html.Label("Folder to watch", htmlFor="watch-folder-path"),
            dcc.Input(id="watch-folder-path", type="text", debounce=False,
                      placeholder="e.g. /home/you/Dropbox/Apps/HealthFit",
                      style={"width": "min(30rem, 100%)"}),
            html.Button("Watch folder", id="watch-add", n_clicks=0, className="button"),
        ], className="form"),
        html.Span(id="watch-message", role="status"),
    ], id="watch-section")


def _change(store: Store, trigger: object, path: str | None) -> str:
    """Apply what was clicked; the message to show."""
    if trigger == "watch-add":
        if path is None or not path.strip():
            return "Type the folder's path first."
        added = add_folders(store, [path.strip()])
        return f"Watching {added[0].path}." if added else "That folder is already watched."
    if trigger == "watch-add-garmin":
        watches = unwatched_watches(watched_folders(store))
        if not watches:
            return "No Garmin watch is connected now."
        added = add_folders(store, [p for w in watches for p in w.folders], "garmin")
        return f"Watching your watch ({len(added)} folders)."
    assert isinstance(trigger, dict)  # a Remove button's id: {"type": ..., "path": ...}
    removed = remove_folder(store, trigger["path"])
    return f"No longer watching {removed.path}."


@callback(
    Output("watch-folders", "children"),
    Output("watch-garmin-text", "children"),
    Output("watch-garmin", "hidden"),
    Output("watch-message", "children"),
    Output("watch-folder-path", "value"),
    Output("watch-notice-poll", "disabled", allow_duplicate=True),
    Input("watch-add", "n_clicks"),
    Input("watch-add-garmin", "n_clicks"),
    Input({"type": "watch-remove", "path": ALL}, "n_clicks"),
    State("watch-folder-path", "value"),
    prevent_initial_call=True,
)
def change(_add: int, _garmin: int, _remove: list[int], path: str | None):
    if not ctx.triggered or not ctx.triggered[0]["value"]:  # a Remove button just drawn
        return (dash.no_update,) * 6
    with open_store() as store:
        try:
            message = _change(store, ctx.triggered_id, path)
            typed = "" if ctx.triggered_id == "watch-add" else dash.no_update
        except WatchError as exc:
            message, typed = f"Not changed: {exc}", dash.no_update
        folders = watched_folders(store)
    offer, hidden = _offer(folders)
    return folder_rows(folders), offer, hidden, message, typed, not folders
