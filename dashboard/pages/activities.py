"""Activities: every imported activity in a sortable, filterable table."""

from __future__ import annotations

import dash
from dash import html

from dashboard.a11y.grid import data_grid
from dashboard.components import no_activities
from dashboard.data import display_units, open_store
from dashboard.tables import activity_rows, activity_table_columns
from ingest.context import context_frame


def layout(**_: object) -> html.Div:
    with open_store() as store:
        units = display_units(store)
        excluded = context_frame(store).select("id", "excluded_from_load")
        rows = activity_rows(store.activities().join(excluded, on="id", how="left"), units)
    if not rows:
        return no_activities("activities")
    return html.Div([
        html.H1("Activities"),
        html.P(f"{len(rows)} activities. Click a column title to sort; click an id for "
               "details."),
        data_grid("activities-table", rows, activity_table_columns(units), "Activities",
                  page_size=25, filters=True),
    ])


def register() -> None:
    dash.register_page(__name__, path="/activities", name="Activities", title="Activities",
                       layout=layout)
