"""Upload: drop many watch files at once; one result line per file. A large file (an Apple
Health export) goes through the chunked upload (:mod:`dashboard.chunked_upload`)."""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dcc, html

from dashboard.chunked_upload import MAX_CHUNKED_UPLOAD_BYTES, find_upload
from dashboard.components import attrs
from dashboard.data import open_store
from dashboard.import_history import history
from dashboard.import_text import report_text
from dashboard.inputs import BadInput, uploads
from dashboard.uploads import import_uploads
from ingest.import_report import FileReport
from ingest.watch.state import record_pass

#: Largest upload accepted by the browser control [bytes] (the server caps requests too).
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
#: Files listed one per line; beyond this only the rejected ones are (an Apple Health export
#: gives one line per workout).
MAX_LISTED = 50


def layout(**_: object) -> html.Div:
    with open_store() as store:
        imports = history(store)
    return html.Div([
        html.H1("Upload"),
        html.P("Drop files from your watch or phone here: FIT, GPX, TCX, .gz, or a whole "
               "Garmin, Strava or small Apple Health export .zip. Up to 200 MB at a time; "
               "files stay on this computer."),
        html.P("Sleep, resting heart rate and HRV come along from a Garmin export, from the "
               "watch's GARMIN/Monitor, Sleep and HRV folders (FIT), and from an intervals.icu "
               "wellness CSV; see them on the Recovery page.", className="muted"),
        dcc.Upload(
            id="upload-files",
            multiple=True,
            max_size=MAX_UPLOAD_BYTES,
            children=html.Div(["Drag and drop files here, or ", html.A("choose files")],
                              className="dropzone-label"),
            className="dropzone",
        ),
        dcc.Loading(html.Div(id="upload-results", className="upload-results",
                             **attrs({"aria-live": "polite"}))),
        html.H2("A large export (Apple Health)"),
        html.P(["From the Health app on your iPhone: your profile, Export All Health Data; "
                "then choose the export.zip here (or its export.xml, or any file over 200 MB). "
                f"Up to {MAX_CHUNKED_UPLOAD_BYTES // 1024**3} GB, sent in pieces and kept "
                "in your data folder only until it is imported. Every workout comes with "
                "its route, heart rate and running metrics; resting HR, HRV and sleep go to "
                "the Recovery page. A large export takes minutes."], className="muted"),
        html.Div([html.Label("Large file: ", htmlFor="upload-chunked-file"),
                  html.Span(id="upload-chunked-picker"),
                  html.Button("Upload and import", id="upload-chunked-start", type="button",
                              className="button")], className="form"),
        html.Progress(id="upload-chunked-progress", max=100, value="0", hidden=True,
                      **attrs({"aria-label": "upload progress"})),
        html.P(id="upload-chunked-status", role="status"),
        dcc.Store(id="upload-chunked-done"),
        html.Div(id="upload-chunked-results", className="upload-results"),
        html.H2("Import history", id="import-history"),
        html.P("Uploads, imports on the command line and files from watched folders (see "
               "Settings), newest first.", className="muted"),
        html.Div(imports, id="import-history-list"),
    ])


def report_lines(reports: list[FileReport], skipped: int, notes: tuple[str, ...] = (),
                 summary_id: str = "upload-summary") -> list[html.P | html.Ul]:
    """A summary (element ``summary_id``), then one line per file (only the rejected ones
    beyond :data:`MAX_LISTED`) and the notes of the import (pure; used by the callbacks and
    tests)."""
    lines: list[html.Li | html.P] = []
    listed = reports if len(reports) <= MAX_LISTED else [r for r in reports
                                                          if r.status == "rejected"]
    for report in listed:
        lines.append(html.Li(report_text(report), className=f"upload-{report.status}"))
    counts = {s: sum(r.status == s for r in reports) for s in ("imported", "duplicate",
                                                               "rejected")}
    summary = (f"{counts['imported']} imported, {counts['duplicate']} duplicates, "
               f"{counts['rejected']} rejected")
    if skipped:
        summary += f", {skipped} other files in archives skipped"
    if len(listed) < len(reports):
        lines.append(html.Li(f"{len(reports) - len(listed)} imported or duplicate files not "
                             "listed one by one", className="muted"))
    lines += [html.Li(note, className="muted") for note in notes]
    return [html.P(summary + ".", id=summary_id), html.Ul(lines)]


@callback(
    Output("upload-results", "children"),
    Output("import-history-list", "children"),
    Output("data-version", "data"),
    Input("upload-files", "contents"),
    State("upload-files", "filename"),
    State("data-version", "data"),
    prevent_initial_call=True,
)
def on_upload(contents: list[str] | None, names: list[str] | None, version: int | None):
    if not contents:
        return dash.no_update, dash.no_update, dash.no_update
    try:
        files = uploads(contents, names)
    except BadInput as exc:
        return (html.P(f"Not imported: {exc}", id="upload-summary"), dash.no_update,
                dash.no_update)
    with open_store() as store:
        reports, skipped = import_uploads(files, store)
        record_pass(store, "upload", reports)
        imports = history(store)
    return report_lines(reports, skipped), imports, (version or 0) + 1


@callback(
    Output("upload-chunked-results", "children"),
    Output("data-version", "data", allow_duplicate=True),
    Input("upload-chunked-done", "data"),
    State("data-version", "data"),
    prevent_initial_call=True,
)
def on_chunked_upload(upload_id: str | None, version: int | None):
    """The page's script says a chunked upload was imported: its result lines (nothing when
    the page is drawn: the store fires then without an upload)."""
    if not upload_id:
        return dash.no_update, dash.no_update
    upload = find_upload(upload_id)
    if upload is None or upload.state != "done":
        return html.P("The result of that upload is no longer known (see the Activities "
                      "page).", className="muted"), dash.no_update
    return (report_lines(upload.reports, upload.skipped, tuple(upload.notes),
                         "upload-chunked-summary"), (version or 0) + 1)


def register() -> None:
    dash.register_page(__name__, path="/upload", name="Upload", title="Upload", layout=layout)
