"""A paged grid gets its rows a page at a time from the server (:func:`rows_page`), sorted as
the grid asks; the pain journal of ten years sends 15 rows, not 3,650."""

from __future__ import annotations

from dashboard.a11y.grid import data_grid, rows_page

ROWS = [{"id": i, "date": f"2026-01-{i:02d}", "level": i % 4, "note": "" if i % 3 else "stiff"}
        for i in range(1, 31)]


def test_a_page_of_rows_in_the_order_asked_for():
    page = rows_page(ROWS, {"startRow": 0, "endRow": 15, "sortModel": []})
    assert page["rowCount"] == 30 and page["rowData"] == ROWS[:15]
    second = rows_page(ROWS, {"startRow": 15, "endRow": 30,
                              "sortModel": [{"colId": "date", "sort": "desc"}]})
    assert [r["id"] for r in second["rowData"]] == list(range(15, 0, -1))
    by_level = rows_page(ROWS, {"startRow": 0, "endRow": 30, "sortModel": [
        {"colId": "level", "sort": "desc"}, {"colId": "date", "sort": "asc"}]})["rowData"]
    assert [(r["level"], r["date"]) for r in by_level] == sorted(
        ((r["level"], r["date"]) for r in ROWS), key=lambda t: (-t[0], t[1]))
    notes = rows_page(ROWS, {"startRow": 0, "endRow": 30,
                             "sortModel": [{"colId": "note", "sort": "asc"}]})["rowData"]
    assert [r["note"] for r in notes[:10]] == ["stiff"] * 10  # the empty ones last


def test_a_request_a_grid_would_never_send_gets_no_rows_and_no_error():
    for request in (None, "x", {"startRow": -5, "endRow": 3}, {"startRow": "0", "endRow": 9},
                    {"startRow": 0, "endRow": 10, "sortModel": [{"colId": "__class__"}, 7]}):
        page = rows_page(ROWS, request)
        assert page["rowCount"] == 30 and len(page["rowData"]) <= 10
    assert len(rows_page(ROWS * 100, {"startRow": 0, "endRow": 10**9})["rowData"]) == 500


def test_a_paged_grid_carries_no_rows():
    grid = data_grid("g", None, [{"field": "date"}], "Dates", page_size=15).children[1]
    assert grid.rowModelType == "infinite" and getattr(grid, "rowData", None) is None
    assert grid.dashGridOptions["cacheBlockSize"] == 15
    shown = data_grid("h", ROWS, [{"field": "date"}], "Dates", page_size=15).children[1]
    assert shown.rowData == ROWS


def test_the_pain_journal_of_a_long_history_comes_a_page_at_a_time(tmp_path):
    import datetime as dt

    from browser import chromium, console_errors, grid_rows, serve_store, wait_until_complete
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from ingest.journal import make_entry
    from ingest.store import Store

    today = dt.date(2026, 9, 30)
    with Store(tmp_path / "data") as store:
        store.add_pain([make_entry(today - dt.timedelta(days=k), k % 5) for k in range(400)])
    with serve_store(tmp_path / "data", today=today) as url, chromium(str(tmp_path)) as driver:
        driver.set_window_size(1280, 900)
        driver.get(url + "/pain")
        wait_until_complete(driver)
        rows = grid_rows(driver, "pain-journal", 15)
        assert rows[0]["date"] == "2026-09-30" and rows[-1]["date"] == "2026-09-16"
        pager = driver.find_element(By.CSS_SELECTOR, "#pain-journal .ag-paging-row-summary-panel")
        assert "400" in pager.text  # every entry is reachable by the pager
        loaded = driver.execute_script(
            "let n = 0; dash_ag_grid.getApi('pain-journal').forEachNode(r => { if (r.data) n++; });"
            "return n;")
        assert loaded == 15  # the browser holds one page of rows, not the 400
        driver.find_element(By.CSS_SELECTOR, "#pain-journal .ag-header-cell[col-id=date] "
                            ".ag-header-cell-label").click()  # sort by date: oldest first
        WebDriverWait(driver, 20).until(
            lambda d: grid_rows(d, "pain-journal", 15)[0]["date"] == "2025-08-27")
        assert console_errors(driver) == []
