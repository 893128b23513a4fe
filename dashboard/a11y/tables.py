"""Read-only tables as semantic HTML: a ``<caption>``, ``<th scope="col">`` headers and the
first cell of each row as ``<th scope="row">``, in a box that scrolls sideways on its own (a
wide table never makes the page scroll) and that keyboard users can focus to scroll it.

:class:`Table` is the plain data (caption, column names, text cells); pure functions build it
(tests compare it with the data) and :func:`html_table` draws it (:func:`table_html` as HTML
text, outside Dash). :func:`paged_table` shows a
long table a page at a time with two buttons and a live "rows 1-26 of 80" line; its one
pattern-matching callback serves every paged table of the app.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from html import escape

from dash import MATCH, Input, Output, State, callback, ctx, dcc, html
from dash.dependencies import Wildcard

from dashboard.components import attrs


@dataclass(frozen=True)
class Table:
    """A table as text: ``rows`` of cells in ``columns`` order; ``row_headers``: the first
    cell names its row (a date, a week, a setting)."""

    caption: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[str, ...]] = field(default_factory=list)
    row_headers: bool = True

    @classmethod
    def from_dicts(cls, caption: str, rows: Sequence[Mapping[str, object]],
                   row_headers: bool = True) -> Table:
        """Rows as dicts (keys = column names, the first row's order); cells as text."""
        columns = tuple(rows[0]) if rows else ()
        return cls(caption, columns, [tuple(_cell(row[c]) for c in columns) for row in rows],
                   row_headers)

    def to_json(self) -> dict[str, object]:
        """The table as JSON data (a ``dcc.Store``'s)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Table:
        return cls(data["caption"], tuple(data["columns"]), [tuple(row) for row in data["rows"]],
                   data["row_headers"])


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _row(cells: tuple[str, ...], row_headers: bool) -> html.Tr:
    first, *rest = cells
    head = html.Th(first, scope="row") if row_headers else html.Td(first)
    return html.Tr([head, *[html.Td(cell) for cell in rest]])


def table_body(table: Table) -> list:
    """The caption, head and body of ``table`` (the children of an ``html.Table``)."""
    return [
        html.Caption(table.caption),
        html.Thead(html.Tr([html.Th(name, scope="col") for name in table.columns])),
        html.Tbody([_row(cells, table.row_headers) for cells in table.rows]),
    ]


def html_table(table: Table, table_id: str | None = None, class_name: str = "data-table"
               ) -> html.Div:
    """``table`` in a focusable box that scrolls sideways (``role=region`` named by the
    caption, so a screen reader announces what the box holds)."""
    label = attrs({"aria-label": table.caption})
    return html.Div(
        html.Table(table_body(table), **attrs({"id": table_id} if table_id else {}),
                   className=class_name),
        className="table-scroll", tabIndex="0", role="region", **label)


def table_html(table: Table, table_id: str | None = None) -> str:
    """:func:`html_table` as HTML text, for the pages served outside Dash (the
    physiotherapist's report): the same caption, header scopes and focusable, named box."""
    ident = f' id="{escape(table_id)}"' if table_id else ""
    head = "".join(f'<th scope="col">{escape(name)}</th>' for name in table.columns)
    first = '<th scope="row">{}</th>' if table.row_headers else "<td>{}</td>"
    body = "".join("<tr>" + first.format(escape(cells[0]))
                   + "".join(f"<td>{escape(cell)}</td>" for cell in cells[1:]) + "</tr>"
                   for cells in table.rows)
    return (f'<div class="table-scroll" tabindex="0" role="region" '
            f'aria-label="{escape(table.caption)}"><table{ident}>'
            f"<caption>{escape(table.caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></div>")


def _pid(kind: str, name: str | Wildcard) -> dict[str, str | Wildcard]:
    return {"type": f"paged-table-{kind}", "table": name}


def page_of(table: Table, page: int, size: int) -> tuple[Table, int, str]:
    """Rows ``page * size`` onwards of ``table`` (``page`` kept within the pages there are):
    the part shown, the page number and the status line ("Rows 27-52 of 80")."""
    pages = max(1, -(-len(table.rows) // size))
    page = min(max(page, 0), pages - 1)
    first = page * size
    rows = table.rows[first:first + size]
    status = (f"Rows {first + 1}-{first + len(rows)} of {len(table.rows)}" if rows
              else "No rows")
    return Table(table.caption, table.columns, rows, table.row_headers), page, status


def pager_state(table: Table, page: int, size: int) -> tuple[html.Table, str, str, str, int]:
    """What a paged table shows on ``page``: the table, the status line, ``aria-disabled`` of
    Previous (on the first page) and of Next (on the last), and the page number (kept within
    the pages there are)."""
    shown, page, status = page_of(table, page, size)
    last = page >= max(1, -(-len(table.rows) // size)) - 1
    return (html.Table(table_body(shown), className="data-table"), status,
            str(page == 0).lower(), str(last).lower(), page)


def paged_table(name: str, table: Table, size: int) -> html.Div:
    """``table`` shown ``size`` rows at a time, with Previous/Next buttons (native buttons:
    Tab reaches them, Enter and Space press them; at either end ``aria-disabled``, never
    ``disabled``, so the focus stays on them) and a status line read out on change.
    ``name`` (unique on the page) names the whole (``#<name>``) and its parts."""
    shown, status, first, last, _ = pager_state(table, 0, size)
    return html.Div([
        html.Div(shown, id=_pid("box", name), className="table-scroll", tabIndex="0",
                 role="region", **attrs({"aria-label": table.caption})),
        html.Div([
            html.Button("Previous rows", id=_pid("previous", name), n_clicks=0,
                        className="button", **attrs({"aria-disabled": first})),
            html.Span(status, id=_pid("status", name), role="status"),
            html.Button("Next rows", id=_pid("next", name), n_clicks=0, className="button",
                        **attrs({"aria-disabled": last})),
        ], className="form pager no-print"),
        dcc.Store(id=_pid("data", name), data={"table": table.to_json(), "size": size}),
        dcc.Store(id=_pid("page", name), data=0),
    ], id=name)


@callback(
    Output(_pid("box", MATCH), "children"),
    Output(_pid("status", MATCH), "children"),
    Output(_pid("previous", MATCH), "aria-disabled"),
    Output(_pid("next", MATCH), "aria-disabled"),
    Output(_pid("page", MATCH), "data"),
    Input(_pid("previous", MATCH), "n_clicks"),
    Input(_pid("next", MATCH), "n_clicks"),
    State(_pid("data", MATCH), "data"),
    State(_pid("page", MATCH), "data"),
    prevent_initial_call=True,
)
def turn_page(_previous: int, _next: int, data: dict, page: int):
    step = -1 if ctx.triggered_id["type"].endswith("previous") else 1
    return pager_state(Table.from_json(data["table"]), page + step, data["size"])
