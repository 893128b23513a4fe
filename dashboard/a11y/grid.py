"""Interactive tables (sort, filter, page, select a row, edit a cell) with AG Grid, set up so
that its keyboard model is the WAI-ARIA grid pattern: the grid is ONE stop in the Tab order,
arrow keys move between header and body cells, Tab and Shift+Tab leave it (the pager after it
is reached as usual), Space selects a row, Enter sorts by a column title, edits an editable
cell (Enter saves, Escape cancels) and follows a link in a cell (``assets/a11y.js``; links in
cells are not Tab stops of their own). Measured in Chromium by tests/test_browser_a11y.py.

Use :func:`data_grid` for every table a runner acts on; read-only tables are semantic HTML
(:mod:`dashboard.a11y.tables`). In callbacks read ``selectedRows`` (the selected rows' data)
and ``rowData`` (edited values included) instead of DataTable's ``selected_rows``/``data``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

import dash_ag_grid as dag
from dash import html

from dashboard.components import attrs

#: Grid options that make the grid one Tab stop and keep its DOM in reading order, every
#: column drawn (a screen reader reads cells off the page too).
KEYBOARD_OPTIONS = {
    "tabToNextCell": {"function": "false"},
    "tabToNextHeader": {"function": "false"},
    "ensureDomOrder": True,
    "suppressColumnVirtualisation": True,
    "enableCellTextSelection": True,
    "domLayout": "autoHeight",
    "suppressMovableColumns": True,
}


def column(field: str, name: str | None = None, **extra: object) -> dict[str, object]:
    """A column definition: the row key ``field`` under the title ``name`` (default the key),
    with AG Grid options ``extra`` (``editable``, ``cellRenderer``, ``width``, ...)."""
    return {"field": field, "headerName": name or field, **extra}


def keys_hint(select: bool, edit: bool, links: bool, filters: bool) -> str:
    """The keyboard help shown under a grid's title (also its ``aria-describedby``)."""
    parts = ["Keyboard: Tab moves into and out of the table, arrow keys move between cells, "
             "Enter on a column title sorts by it"]
    if filters:
        parts.append("Down arrow from a column title reaches its filter box (Enter to type, "
                     "Escape to go back)")
    if select:
        parts.append("Space selects the row")
    if edit:
        parts.append("Enter edits a value, Enter again keeps it, Escape cancels")
    if links:
        parts.append("Enter opens the link in a cell")
    return "; ".join(parts) + "."


def data_grid(grid_id: str, rows: Sequence[Mapping[str, object]] | None,
              columns: list[dict[str, object]], label: str, *, select: bool = False,
              page_size: int | None = None, filters: bool = False, row_id: str | None = None
              ) -> html.Div:
    """An accessible AG Grid named ``label`` with a keyboard hint.

    Parameters
    ----------
    grid_id
        Component id of the grid (callbacks use it).
    rows, columns
        Row dicts and :func:`column` definitions; ``rows`` ``None``: the grid asks the server
        for one page at a time (its ``getRowsRequest``, answered by a callback with
        :func:`rows_page` as its ``getRowsResponse``; needs ``page_size``): a long journal
        then sends 15 rows, not years of them.
    label
        The grid's accessible name (e.g. "Pain journal").
    select
        Single-row selection with a tick box per row (``selectedRows`` in callbacks).
    page_size
        Rows per page (a pager under the grid), or all rows.
    filters
        A filter box under every column title.
    row_id
        A row key that identifies rows across updates (keeps the selection stable).
    """
    options: dict[str, object] = dict(KEYBOARD_OPTIONS)
    if page_size:
        options |= {"pagination": True, "paginationPageSize": page_size,
                    "paginationPageSizeSelector": False}
    paged = rows is None and bool(page_size)
    if paged:
        options |= {"cacheBlockSize": page_size, "maxConcurrentDatasourceRequests": 1}
    if select:
        options["rowSelection"] = {"mode": "singleRow", "checkboxes": True,
                                   "enableClickSelection": True}
        options["selectionColumnDef"] = {"headerName": "Select", "sortable": False,
                                         "width": 90, "pinned": "left"}
    edit = any(c.get("editable") for c in columns)
    links = any(c.get("cellRenderer") == "markdown" for c in columns)
    hint_id = f"{grid_id}-keys"
    grid = dag.AgGrid(
        id=grid_id, columnDefs=columns,
        **({"rowModelType": "infinite"} if paged else {"rowData": rows or []}),
        defaultColDef={"sortable": True, "resizable": True, "wrapHeaderText": True,
                       "autoHeaderHeight": True,
                       **({"filter": True, "floatingFilter": True} if filters else {})},
        dashGridOptions=options, columnSize="autoSize",
        getRowId=f"params.data.{row_id}" if row_id else None,
        style={"height": None}, className="ag-theme-quartz grid",
    )
    return html.Div([
        html.P(keys_hint(select, edit, links, filters), id=hint_id, className="muted small"),
        grid,
    ], className="grid-box", **attrs({"data-grid-label": label, "data-grid-hint": hint_id}))


def rows_page(rows: list[dict[str, object]], request: object) -> dict[str, object]:
    """The ``getRowsResponse`` to a paged grid's ``getRowsRequest``: ``rows`` ordered by its
    ``sortModel`` (columns of the rows only; nulls last), from ``startRow`` to ``endRow`` (at
    most 500 rows), with ``rowCount``. A request a grid would never send gets the first page."""
    ask = request if isinstance(request, dict) else {}
    start, end = ask.get("startRow"), ask.get("endRow")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end):
        start, end = 0, 0
    end = min(end, start + 500)
    ordered = rows
    asked = ask.get("sortModel")
    sorts: list[object] = asked if isinstance(asked, list) else []
    known = set(rows[0]) if rows else set()
    for sort in reversed(sorts):
        if not isinstance(sort, dict) or sort.get("colId") not in known:
            continue
        key, descending = sort["colId"], sort.get("sort") == "desc"
        present = [r for r in ordered if r[key] not in (None, "")]
        present.sort(key=partial(_sort_key, key), reverse=descending)
        ordered = present + [r for r in ordered if r[key] in (None, "")]
    return {"rowData": ordered[start:end], "rowCount": len(rows)}


def _sort_key(column: str, row: Mapping[str, object]) -> tuple[str, Any]:
    """Rows of mixed value types sort by type name first (never comparing a number to text)."""
    return str(type(row[column])), row[column]
