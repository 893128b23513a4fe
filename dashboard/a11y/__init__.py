"""Accessibility helpers for every page (WCAG 2.2 AA, keyboard alone, charts in words).

A new page adopts them like this:

- Headings: one ``html.H1`` per page (also for its empty state:
  ``components.empty_state(..., whole_page=True)``), then ``H2`` per section, ``H3`` inside.
- Controls: every input, dropdown and slider has a ``html.Label(..., htmlFor=id)`` (or wraps
  the input); groups of tick boxes or radios sit in ``html.Fieldset`` with a ``html.Legend``;
  a button without words gets an ``aria-label``; status lines get ``role="status"``. Dates:
  ``dcc.Input(type="date")`` (native and accessible), not ``dcc.DatePicker*``.
- Read-only tables: :func:`tables.html_table` (caption, ``th scope``, a focusable box that
  scrolls sideways on its own); long ones :func:`tables.paged_table`; on a page served outside
  Dash (the report) :func:`tables.table_html`.
- Tables a runner acts on (sort, filter, select, edit): :func:`grid.data_grid` (AG Grid as
  the WAI-ARIA grid pattern: one Tab stop, arrows inside, Tab leaves; Space selects, Enter
  edits or follows a link). Callbacks read ``selectedRows`` and ``rowData``.
- Charts: a pure ``<figure>_text(frame) -> charts.ChartText`` beside each figure builder, from
  the same frame; :func:`charts.chart` draws both (accessible name, summary, "Show as table");
  a callback that redraws returns ``charts.chart_words`` for ``words_id(graph_id)`` too.
  Colours from :mod:`palette` (colour-blind safe), never alone: add a marker shape, dash or
  hatching for what a colour means.
- ``dashboard/assets/a11y.js`` corrects Dash 4 components' ARIA in the page (see its header);
  ``assets/style.css`` has the focus ring, ``.visually-hidden``, ``.link-block`` (a link on a
  line of its own, 40 px tall) and the phone tap-target sizes.

tests/test_browser_a11y.py runs axe-core and a keyboard walk over every page in ``NAV``, so a
page added there is checked without a new test (give it data in the test's demo store if the
demo has none for it; a page outside Dash goes in its ``OUTSIDE_DASH``).
"""
