"""A run's calendar day comes from the UTC offset at its start (real FIT bytes, a real store).

The watch writes its offset with the activity message at the end of the run. On the night the
clocks go back (Europe/Berlin, Sunday 25 October 2026, 03:00 CEST -> 02:00 CET) a run that
starts at 00:30 CEST ends on CET: its recorded offset is +1 h, but it started at +2 h.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from click.testing import CliRunner
from fitfiles import run_fit

from dashboard.cli import main
from ingest.reader import read_activities
from ingest.store import Store

#: 00:30 CEST on 25 October 2026 = 22:30 UTC on 24 October; three hours long.
START = dt.datetime(2026, 10, 24, 22, 30, tzinfo=dt.UTC)
LONG = 3 * 3600


def add(store: Store, start: dt.datetime, seconds: int, offset_s: int | None, name: str) -> int:
    (activity,) = read_activities(run_fit(start, seconds=seconds, local_offset_s=offset_s),
                                  name)
    stored = store.add(activity, name.ljust(64, "0"), name)
    assert stored.activity_id is not None
    return stored.activity_id


def day_and_offset(store: Store, activity_id: int) -> tuple[str, int]:
    row = store.activity(activity_id)
    return row["local_date"], row["utc_offset_s"]


def test_a_run_across_the_clock_change_counts_for_the_day_it_started(tmp_path) -> None:
    with Store(tmp_path) as store:
        store.set_time_zone("Europe/Berlin")
        crossing = add(store, START, LONG, 3600, "crossing.fit")  # offset recorded at the end
        assert day_and_offset(store, crossing) == ("2026-10-25", 7200)
        # a short run the evening before: no clock change, the watch's offset as recorded
        evening = add(store, START - dt.timedelta(hours=3), 1800, 7200, "evening.fit")
        assert day_and_offset(store, evening) == ("2026-10-24", 7200)


def test_the_watch_offset_decides_when_the_zone_does_not_explain_it(tmp_path) -> None:
    """Travelling: the watch says +9 h (Tokyo); the profile's Berlin zone does not apply."""
    with Store(tmp_path) as store:
        store.set_time_zone("Europe/Berlin")
        tokyo = add(store, START, LONG, 9 * 3600, "tokyo.fit")
        assert day_and_offset(store, tokyo) == ("2026-10-25", 9 * 3600)
        # 22:30 UTC + 9 h = 07:30 on 25 Oct; at 14:30 UTC (23:30 Tokyo) it is still the 24th
        late = add(store, START - dt.timedelta(hours=8), 1800, 9 * 3600, "late.fit")
        assert day_and_offset(store, late) == ("2026-10-24", 9 * 3600)


def test_setting_the_zone_later_re_dates_the_crossing_run(tmp_path) -> None:
    with Store(tmp_path) as store:
        store.set_time_zone("UTC")
        crossing = add(store, START, LONG, 3600, "crossing.fit")
        assert day_and_offset(store, crossing) == ("2026-10-24", 3600)  # nothing to go by
        store.set_time_zone("Europe/Berlin")
        assert day_and_offset(store, crossing) == ("2026-10-25", 7200)
        no_offset = add(store, START, 1800, None, "gpx-like.fit")
        assert day_and_offset(store, no_offset) == ("2026-10-25", 7200)


def test_the_activities_listing_shows_the_local_start(tmp_path) -> None:
    with Store(tmp_path) as store:
        store.set_time_zone("Europe/Berlin")
        add(store, START, LONG, 3600, "crossing.fit")
    listing = CliRunner().invoke(main, ["activities", "--format", "csv", "--data-dir",
                                        str(tmp_path)])
    (row,) = csv.DictReader(io.StringIO(listing.stdout))
    assert (row["start_time"], row["start_local"], row["local_date"]) == (
        "2026-10-24T22:30:00Z", "2026-10-25T00:30:00+02:00", "2026-10-25")
    table = CliRunner().invoke(main, ["activities", "--data-dir", str(tmp_path)]).stdout
    assert "2026-10-25  00:30" in table.splitlines()[2]


def test_the_day_rule_is_told_in_profile_help_and_the_readme() -> None:
    help_text = " ".join(CliRunner().invoke(main, ["profile", "--help"]).stdout.split())
    assert "the UTC offset your watch recorded in the file decides, not time_zone" in help_text
    assert "the zone's offset at the start is used" in help_text
    readme = " ".join((Path(__file__).parent.parent / "README.md").read_text().split())
    assert "the UTC offset the watch recorded in the file decides, not the profile's " \
           "`time_zone`" in readme
