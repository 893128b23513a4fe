"""First render of every dashboard page on a store holding years of history.

Builds a synthetic store (runs 4-5 times a week with 1 Hz samples, a weekly ride, a daily pain
journal), then for every page measures the server-side render with an empty report cache
(layout plus the callbacks that fire when the page opens); in headless Chromium, Today opened
right after start-up (while the warm-up ``strideload dashboard`` starts with still runs), and,
after that warm-up, the time until each page is complete at phone (390 px) and desktop
(1280 px) widths. Targets (issue 15, 10-year store): Today <= 0.5 s, every other page <= 1 s.

Run: ``python benchmarks/dashboard_bench.py [--years 10] [--keep DIR] [--widths 390,1280]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from dashboard import service  # noqa: E402
from dashboard.app import NAV, create_app, warm_up  # noqa: E402
from ingest.journal import make_entry  # noqa: E402
from ingest.schema import Activity, Summary, samples_frame  # noqa: E402
from ingest.store import Store  # noqa: E402

START = dt.date(2021, 11, 1)
#: Page -> most milliseconds until complete in the browser (issue 15).
TARGETS_MS = {"/": 500.0, "other": 1000.0}


def synthetic_activity(day: dt.date, minutes: int, sport: str, rng: np.random.Generator
                       ) -> Activity:
    """A steady 1 Hz session with plausible speed, heart rate, cadence, position, altitude."""
    n = minutes * 60
    t = np.arange(n, dtype=np.float64)
    base = 3.0 if sport == "running" else 7.5
    speed = base + 0.2 * np.sin(t / 300) + rng.normal(0, 0.05, n)
    hr = 120 + 25 * (1 - np.exp(-t / 120)) + 4 * t / 3600 + rng.normal(0, 1.5, n)
    distance = np.cumsum(speed)
    start = dt.datetime.combine(day, dt.time(6, 30), tzinfo=dt.UTC)
    columns = {
        "timestamp": (start.timestamp() + t) * 1000,
        "distance_m": distance, "speed_m_s": speed, "heart_rate_bpm": np.round(hr),
        "altitude_m": 50 + 10 * np.sin(distance / 800),
        "lat_deg": 48.0 + distance / 111_195 * np.cos(t / 900),
        "lon_deg": 11.0 + distance / 74_000 * np.sin(t / 900),
    }
    if sport == "running":
        columns["cadence_spm"] = 166 + 4 * (speed - 3.0) - 3 * t / 3600
    else:
        columns["cadence_rpm"] = 85 + rng.normal(0, 2, n)
    samples = samples_frame(columns)
    samples = samples.with_columns(elapsed_s=samples["timestamp"].dt.epoch("ms") / 1000
                                   - start.timestamp())
    summary = Summary(format="fit", start_time=start, sport=sport, local_offset_s=3600,
                      duration_s=n - 1.0, timer_time_s=n - 1.0, distance_m=float(distance[-1]),
                      avg_hr_bpm=float(hr.mean()), max_hr_bpm=float(hr.max()),
                      avg_cadence_spm=float(columns.get("cadence_spm", [np.nan]).mean())
                      if sport == "running" else None,
                      avg_speed_m_s=float(speed.mean()), device="synthetic")
    return service.enrich(Activity(summary=summary, samples=samples))


def build_store(data_dir: Path, years: int) -> dt.date:
    rng = np.random.default_rng(7)
    days = years * 365
    with Store(data_dir) as store:
        store.set_time_zone("Europe/Berlin")
        for offset in range(days):
            day = START + dt.timedelta(days=offset)
            weekday = day.weekday()
            if weekday in (1, 3, 5, 6) or (weekday == 4 and offset % 14 == 0):
                minutes = 90 if weekday == 6 else int(rng.integers(35, 60))
                store.add(synthetic_activity(day, minutes, "running", rng), f"{offset:064x}",
                          f"run-{day}.fit")
            elif weekday == 2:
                store.add(synthetic_activity(day, 60, "cycling", rng), f"{offset + days:064x}",
                          f"ride-{day}.fit")
        store.add_pain([make_entry(START + dt.timedelta(days=k), int(rng.integers(0, 4)))
                        for k in range(days)])
        print(f"store: {store.count()} activities, {store.pain().height} pain days")
    return START + dt.timedelta(days=days - 1)


def server_render(app, page_module, **query) -> float:
    """Layout plus the callbacks that fire on page load, with an empty report cache."""
    from dashboard.pages import pain

    service._CACHE.clear()
    begin = time.perf_counter()
    with app.server.test_request_context():
        page_module.layout(**query)
        if page_module is pain:
            pain.fill_association("pain-association-box")
    return time.perf_counter() - begin


HEADING = "const h = document.querySelector('main h1'); return h && h.textContent;"


def _wait(driver):
    """A wait that polls every 20 ms (the default 0.5 s would round every figure up)."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, 30, poll_frequency=0.02)


def _complete(driver) -> None:
    """Wait until the page is shown and settled: no request in flight for 3 polls in a row."""
    from browser import wait_until_complete

    wait_until_complete(driver)


def browser_render(url: str, driver) -> float:
    """Seconds from asking for the page's address until it is complete."""
    begin = time.perf_counter()
    driver.get(url)
    _complete(driver)
    return time.perf_counter() - begin - 0.06  # the three quiet polls


def navigate(driver, path: str) -> tuple[float, float]:
    """Seconds from clicking a menu link (in-app navigation) until the page is shown (its
    heading and first content drawn) and until it is complete (every callback done)."""
    from selenium.webdriver.common.by import By

    title = driver.execute_script(HEADING)
    begin = time.perf_counter()
    driver.find_element(By.CSS_SELECTOR, f".nav a[href='{path}']").click()
    _wait(driver).until(lambda d: d.execute_script(HEADING) not in (None, title))
    shown = time.perf_counter() - begin
    _complete(driver)
    return shown, time.perf_counter() - begin - 0.06


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="Build (or reuse) the store in this folder.")
    parser.add_argument("--widths", default="390,1280", help="window widths [px], comma-separated")
    args = parser.parse_args()
    data_dir = args.keep or Path(tempfile.mkdtemp(prefix="strideload-bench-"))
    begin = time.perf_counter()
    if not (data_dir / "strideload.sqlite").exists():
        last = build_store(data_dir, args.years)
    else:
        last = START + dt.timedelta(days=args.years * 365 - 1)
    print(f"store ready in {time.perf_counter() - begin:.1f} s at {data_dir}")
    app = create_app(data_dir, today=last)

    from dashboard.app import PAGES

    modules = {page.__name__.rsplit(".", 1)[1]: page for page in PAGES}
    print("\nserver-side first render (median of 3, cold report cache):")
    for name, module in modules.items():
        query = {"activity_id": "1"} if name == "activity" else {}
        times = [server_render(app, module, **query) for _ in range(3)]
        print(f"  {name:12s} {statistics.median(times) * 1000:7.0f} ms")

    from browser import chromium, serve

    widths = [int(w) for w in args.widths.split(",")]
    service._CACHE.clear()
    with serve(app) as url, chromium(str(data_dir)) as driver:
        driver.set_window_size(widths[0], 844)
        browser_render(url + "/upload", driver)  # the browser and the app's assets loaded
        begin = time.perf_counter()
        warming = warm_up(app)  # as `strideload dashboard`: Today's data, then the address
        ready = time.perf_counter() - begin
        first = browser_render(url + "/", driver)
        warming.join()
        print(f"\nToday opened right after start-up (warm-up running): {first * 1000:.0f} ms "
              f"(target {TARGETS_MS['/']:.0f} ms); start-up prepared Today for "
              f"{ready * 1000:.0f} ms before giving the address, the rest of the warm-up took "
              f"{time.perf_counter() - begin:.1f} s in the background")
        print(f"\nbrowser, page opened by its address (median of 3, after the warm-up), "
              f"widths {' / '.join(f'{w} px' for w in widths)}:")
        medians: dict[int, dict[str, float]] = {}
        for width in widths:
            driver.set_window_size(width, 844 if width < 600 else 900)
            medians[width] = {path: statistics.median(
                browser_render(url + path, driver) for _ in range(3)) * 1000
                for _, path in [*NAV, ("detail", "/activities/1")]}
        for path in medians[widths[0]]:
            target = TARGETS_MS.get(path, TARGETS_MS["other"])
            shown = " / ".join(f"{medians[w][path]:7.0f}" for w in widths)
            verdict = "OK" if all(medians[w][path] <= target for w in widths) else "SLOW"
            print(f"  {path:15s} {shown} ms  (target {target:.0f} ms: {verdict})")
        driver.set_window_size(widths[-1], 900)
        print("\nin-app navigation from the menu (median of 5): shown / complete")
        for _, path in NAV:
            times = []
            for _ in range(5):
                start = "/upload" if path != "/upload" else "/"
                browser_render(url + start, driver)
                times.append(navigate(driver, path))
            shown, complete = (statistics.median(t) * 1000 for t in zip(*times, strict=True))
            print(f"  {path:15s} {shown:7.0f} ms / {complete:7.0f} ms")


if __name__ == "__main__":
    main()
