"""Upload: drop many watch files at once; one result line per file."""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dcc, html

from dashboard.data import open_store
from dashboard.import_history import history
from dashboard.import_text import report_text
from dashboard.uploads import import_uploads
from ingest.importer import FileReport
from ingest.watch.state import record_pass

#: Largest upload accepted by the browser control [bytes] (the server caps requests too).
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


def layout(**_: object) -> html.Div:
    with open_store() as store:
        imports = history(store)
    return html.Div([
        html.H1("Upload"),
        html.P("Drop files from your watch or phone here: FIT, GPX, TCX, .gz, or a whole "
               "Garmin or Strava export .zip. Up to 200 MB at a time; files stay on this "
               "computer."),
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
                             **{"aria-live": "polite"})),
        html.H2("Import history", id="import-history"),
        html.P("Uploads, imports on the command line and files from watched folders (see "
               "Settings), newest first.", className="muted"),
        html.Div(imports, id="import-history-list"),
    ])


def report_lines(reports: list[FileReport], skipped: int) -> list[html.Li | html.P]:
    """One line per file, then a summary (pure; used by the callback and tests)."""
    lines: list[html.Li | html.P] = []
    for report in reports:
        lines.append(html.Li(report_text(report), className=f"upload-{report.status}"))
    counts = {s: sum(r.status == s for r in reports) for s in ("imported", "duplicate",
                                                               "rejected")}
    summary = (f"{counts['imported']} imported, {counts['duplicate']} duplicates, "
               f"{counts['rejected']} rejected")
    if skipped:
        summary += f", {skipped} other files in archives skipped"
    return [html.P(summary + ".", id="upload-summary"), html.Ul(lines)]


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
    with open_store() as store:
        reports, skipped = import_uploads(list(zip(names or [], contents, strict=False)), store)
        record_pass(store, "upload", reports)
        imports = history(store)
    return report_lines(reports, skipped), imports, (version or 0) + 1


def register() -> None:
    dash.register_page(__name__, path="/upload", name="Upload", title="Upload", layout=layout)
