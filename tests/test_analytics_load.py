"""Athlete profile estimates, session load (TRIMP, HRSS, pace, sRPE, fallbacks), daily series."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analytics import athlete, daily, load
from analytics.settings import Settings

MALE = athlete.AthleteProfile(sex="male", hr_rest=50, hr_max=190, lthr=170,
                              threshold_speed_m_s=4.0)


def hist(**seconds_at_bpm: float) -> list[float]:
    """Histogram with ``bpm150=600`` style keyword arguments."""
    h = np.zeros(201)
    for key, seconds in seconds_at_bpm.items():
        h[int(key[3:]) - 30] = seconds
    return h.tolist()


# --- athlete profile --------------------------------------------------------------------------

def hr_activities() -> pl.DataFrame:
    return pl.DataFrame({
        "local_date": ["2023-01-10", "2024-03-01", "2024-06-01"],
        "hr_max_5s_bpm": [195.0, 182.0, 185.0],
    })


def test_formulas() -> None:
    assert athlete.tanaka_hr_max(40) == pytest.approx(180.0)  # 208 - 0.7 * 40
    assert athlete.lthr_from_reserve(60, 185) == pytest.approx(166.25)  # 60 + 0.85 * 125


def test_entered_profile_is_not_estimated() -> None:
    p = athlete.resolve_profile(MALE)
    assert (p.hr_max, p.hr_rest, p.lthr, p.threshold_speed_m_s) == (190, 50, 170, 4.0)
    assert not any(p.estimated.values()) and not p.hr_params_estimated
    pace = athlete.resolve_profile(athlete.AthleteProfile(threshold_pace_s_per_km=250))
    assert pace.threshold_speed_m_s == pytest.approx(4.0)  # 1000 m / 250 s


@pytest.mark.parametrize("lazy", [False, True])
def test_estimates_in_order(lazy: bool) -> None:
    acts = hr_activities().lazy() if lazy else hr_activities()
    born = athlete.AthleteProfile(birth_year=1984)
    # 365 days before 30 Jun 2024: 182 and 185 -> 185; HRrest default 60;
    # LTHR = 60 + 0.85 * (185 - 60) = 166.25
    p = athlete.resolve_profile(born, acts, dt.date(2024, 6, 30))
    assert (p.hr_max, p.hr_rest, p.lthr) == (185.0, 60.0, pytest.approx(166.25))
    assert p.estimated == {"hr_rest": True, "hr_max": True, "lthr": True}
    assert p.sources["hr_max"] == "highest 5-s heart rate of the last 365 days"
    assert p.age == 40 and p.hr_params_estimated
    # nothing recorded in the last year: Tanaka 208 - 0.7 * 42 = 178.6
    p = athlete.resolve_profile(born, acts, dt.date(2026, 1, 1))
    assert p.hr_max == pytest.approx(178.6) and "Tanaka" in p.sources["hr_max"]
    # neither recent data nor birth year: the whole history (deviation, documented)
    p = athlete.resolve_profile(None, acts, dt.date(2026, 1, 1))
    assert p.hr_max == 195.0 and p.sources["hr_max"] == "highest 5-s heart rate recorded"
    # as_of defaults to the last activity (1 Jun 2024)
    assert athlete.resolve_profile(None, acts).hr_max == 185.0


def test_nothing_known() -> None:
    p = athlete.resolve_profile(None)
    assert p.hr_max is None and p.lthr is None and p.hr_rest == 60.0
    empty = hr_activities().clear()
    assert athlete.resolve_profile(None, empty).hr_max is None
    nulls = hr_activities().with_columns(pl.lit(None, pl.Float64).alias("hr_max_5s_bpm"))
    assert athlete.resolve_profile(None, nulls).hr_max is None
    assert p.as_dict()["hr_max"] == {"value": None, "estimated": False,
                                     "source": "not available"}
    # a store frame without the stored metrics
    assert athlete.recorded_hr_max(hr_activities().drop("hr_max_5s_bpm"), None, None) is None


def test_invalid_profiles() -> None:
    with pytest.raises(ValueError, match="sex must be one of male, female, unknown, got 'x'"):
        athlete.AthleteProfile(sex="x")
    with pytest.raises(ValueError, match="hr_max must be 100 to 230 bpm, got 55"):
        athlete.AthleteProfile(hr_max=55, hr_rest=60)
    with pytest.raises(ValueError, match="the profile needs hr_rest < hr_max, got 110 and 105"):
        athlete.AthleteProfile(hr_max=105, hr_rest=110)
    with pytest.raises(ValueError, match="the profile needs lthr < hr_max, got 190 and 185"):
        athlete.AthleteProfile(hr_max=185, lthr=190)
    with pytest.raises(ValueError, match="lthr must be 80 to 220 bpm, got -1"):
        athlete.AthleteProfile(lthr=-1)
    with pytest.raises(ValueError, match="birth_year must be between 1900 and"):
        athlete.AthleteProfile(birth_year=1850)
    with pytest.raises(ValueError, match="units must be one of metric, imperial"):
        athlete.AthleteProfile(units="furlongs")
    with pytest.raises(ValueError, match="invalid profile fields"):
        athlete.AthleteProfile.from_mapping({"vo2max": 60})
    assert athlete.AthleteProfile.from_mapping({"sex": "female", "lthr": None}).sex == "female"


def test_stored_profile_values_that_are_no_longer_valid_are_left_out() -> None:
    profile, warnings = athlete.AthleteProfile.lenient({
        "sex": "female", "hr_rest": 50, "hr_max": 500, "lthr": 40, "birth_year": "1980",
        "shoe": "red", "units": None})
    assert (profile.sex, profile.hr_rest, profile.hr_max, profile.lthr) == (
        "female", 50, None, None)
    assert profile.birth_year is None and profile.units == "metric"
    assert warnings == [
        "stored profile value hr_max = 500 ignored: hr_max must be 100 to 230 bpm, got 500 "
        "(maximal heart rates of adults)",
        "stored profile value lthr = 40 ignored: lthr must be 80 to 220 bpm, got 40 "
        "(threshold heart rates of adults)",
        "stored profile value birth_year = '1980' ignored: birth_year must be between 1900 and "
        f"{dt.date.today().year}, got '1980'",
        "stored profile field shoe ignored (unknown to this version)",
    ]


# --- TRIMP and friends ------------------------------------------------------------------------

def test_trimp_constants() -> None:
    assert load.trimp_constants("male") == (0.64, 1.92)
    assert load.trimp_constants("female", "common") == (0.86, 1.67)
    assert load.trimp_constants("female", "goldencheetah") == (0.64, 1.67)
    assert load.trimp_constants("unknown") == (0.7252, 1.795)
    with pytest.raises(ValueError, match="invalid sex"):
        load.trimp_constants("other")
    with pytest.raises(ValueError, match="invalid female_convention"):
        load.trimp_constants("female", "polar")


def test_banister_trimp_equals_per_sample_integration() -> None:
    # 30 min at 150 and 30 min at 170 bpm, HRrest 50, HRmax 190, men:
    # HRr 100/140 -> 30 * 0.714286 * 0.64 * exp(1.371429) = 30 * 0.457143 * 3.940977
    #             = 30 * 1.801589 = 54.0477
    # HRr 120/140 -> 30 * 0.857143 * 0.64 * exp(1.645714) = 30 * 0.548571 * 5.184712
    #             = 30 * 2.844185 = 85.3255;  total 139.3732
    expected = 30 * (100 / 140) * 0.64 * math.exp(1.92 * 100 / 140) \
        + 30 * (120 / 140) * 0.64 * math.exp(1.92 * 120 / 140)
    assert expected == pytest.approx(139.3732, abs=1e-4)
    h = np.array(hist(bpm150=1800, bpm170=1800))
    assert float(load.banister_trimp(h, 50, 190, 0.64, 1.92)) == pytest.approx(expected)
    # the same sum over 3600 one-second samples
    hr = np.r_[np.full(1800, 150.0), np.full(1800, 170.0)]
    hrr = np.clip((hr - 50) / 140, 0, 1)
    per_sample = np.sum(hrr * 0.64 * np.exp(1.92 * hrr) / 60)
    assert float(load.banister_trimp(h, 50, 190, 0.64, 1.92)) == pytest.approx(per_sample)
    # clamping: 10 min above HRmax counts as HRr 1, below HRrest as 0
    clamp = np.array(hist(bpm200=600, bpm40=600))
    assert float(load.banister_trimp(clamp, 50, 190, 0.64, 1.92)) == pytest.approx(
        10 * 0.64 * math.exp(1.92))
    # two histograms at once
    both = load.banister_trimp(np.vstack([h, clamp]), 50, 190, 0.64, 1.92)
    assert both.shape == (2,)


def test_edwards_hrss_pace_srpe_default() -> None:
    # HRmax 200: 10 min at 100 (50 %, zone 1), 10 at 139 (69.5 %, zone 2), 10 at 199 (zone 5),
    # 10 at 99 (below 50 %): 10 + 20 + 50 = 80
    h = np.array(hist(bpm100=600, bpm139=600, bpm199=600, bpm99=600))
    assert float(load.edwards_trimp(h, 200)) == pytest.approx(80.0)
    # 60 min at LTHR is 100 HRSS by definition
    norm = load.threshold_hour_trimp(170, 50, 190, 0.64, 1.92)
    lt = load.banister_trimp(np.array(hist(bpm170=3600)), 50, 190, 0.64, 1.92)
    assert float(load.hrss(lt, norm)) == pytest.approx(100.0)
    assert float(load.pace_load(1800, 3.2, 4.0)) == pytest.approx(32.0)  # 100*0.5*0.8^2
    assert float(load.session_rpe(5, 60)) == 300.0
    assert float(load.srpe_points(300, 7)) == pytest.approx(300 * 100 / 420)
    # 1 h at HRr 0.55 vs threshold 120/140: 100 * 0.55 e^1.056 / (0.857143 e^1.645714)
    #   = 100 * 0.55 * 2.874849 / (0.857143 * 5.184712) = 100 * 1.581167 / 4.444039 = 35.5795
    expected = 100 * 0.55 * math.exp(1.056) / (120 / 140 * math.exp(1.92 * 120 / 140))
    assert expected == pytest.approx(35.5795, abs=1e-4)
    assert float(load.duration_default_load(60, 0.55, 120 / 140, 1.92)) == pytest.approx(
        expected)


# --- session_loads ----------------------------------------------------------------------------

def activities() -> pl.DataFrame:
    day = dt.datetime(2024, 5, 1, 7, tzinfo=dt.UTC)
    rows = [
        # A: HR at LTHR for the whole hour -> 100 HRSS
        dict(id=1, sport="running", duration_s=3600.0, hr_hist_s=hist(bpm170=3600),
             hr_seconds=3600.0, moving_s=3600.0, norm_speed_m_s=3.2),
        # B: run without HR, 30 min moving at 3.2 m/s, threshold 4 m/s -> 32
        dict(id=2, sport="running", duration_s=1900.0, moving_s=1800.0, norm_speed_m_s=3.2),
        # C: ride without HR, RPE 5 for 60 min -> 300 AU -> 71.43 points
        dict(id=3, sport="cycling", duration_s=3600.0),
        # D: yoga, nothing but the duration -> per-sport default, estimated
        dict(id=4, sport="yoga", duration_s=3600.0),
        # E: HR covers 1000 of 3600 s (< 50 %) -> duration default for running
        dict(id=5, sport="running", duration_s=3600.0, hr_hist_s=hist(bpm150=1000),
             hr_seconds=1000.0),
        # F: 2 h of HR at HRmax in a 1-h session: TRIMP 120 * 0.64 e^1.92 = 523.9 > 400/h
        dict(id=6, sport="running", duration_s=3600.0, hr_hist_s=hist(bpm190=7200),
             hr_seconds=7200.0),
        # G: nothing known
        dict(id=7, sport="running"),
    ]
    for i, row in enumerate(rows):
        row["local_date"] = "2024-05-01"
        row["start_time"] = day + dt.timedelta(minutes=i)
    return pl.DataFrame(rows, schema_overrides={"hr_hist_s": pl.List(pl.Float64)})


RPE = pl.DataFrame({"activity_id": [3, 6, 6], "rpe": [5, 2, 8]})  # the last rating counts


@pytest.mark.parametrize("lazy", [False, True])
def test_session_loads_sources(lazy: bool) -> None:
    acts = activities().lazy() if lazy else activities()
    rpe = RPE.lazy() if lazy else RPE
    out = load.session_loads(acts, athlete.resolve_profile(MALE), rpe)
    assert out.schema == pl.Schema(load.SESSION_SCHEMA)
    by_id = {r["id"]: r for r in out.iter_rows(named=True)}
    assert by_id[1]["load"] == pytest.approx(100.0) and by_id[1]["load_source"] == "hr_trimp"
    assert by_id[2]["load"] == pytest.approx(32.0) and by_id[2]["load_source"] == "pace"
    assert by_id[3]["load"] == pytest.approx(300 * 100 / 420) and by_id[3]["srpe_au"] == 300
    assert by_id[3]["load_source"] == "srpe"
    b = 1.92
    threshold = 120 / 140

    def default(hrr: float) -> float:
        return 100 * hrr * math.exp(b * hrr) / (threshold * math.exp(b * threshold))

    assert by_id[4]["load"] == pytest.approx(default(0.55))  # "other" sport: 0.55
    assert by_id[4]["load_source"] == "duration_default" and by_id[4]["estimated"]
    assert by_id[5]["load"] == pytest.approx(default(0.70))  # running default 0.70
    assert by_id[5]["trimp"] == pytest.approx(
        1000 / 60 * (100 / 140) * 0.64 * math.exp(1.92 * 100 / 140))
    assert by_id[6]["trimp"] == pytest.approx(120 * 0.64 * math.exp(1.92))
    assert by_id[6]["load_source"] == "srpe" and by_id[6]["rpe"] == 8  # last rating
    assert by_id[6]["load"] == pytest.approx(8 * 60 * 100 / 420)
    assert by_id[7]["load"] is None and by_id[7]["load_source"] is None
    assert not by_id[7]["estimated"]
    assert [by_id[i]["is_run"] for i in (1, 3, 4)] == [True, False, False]
    assert by_id[1]["edwards_trimp"] == pytest.approx(60 * 4)  # 170/190 = 89 % -> zone 4


def test_session_loads_with_estimated_profile_and_settings() -> None:
    acts = activities().filter(pl.col("id") == 1)
    p = athlete.resolve_profile(athlete.AthleteProfile(sex="male", hr_max=190), acts)
    out = load.session_loads(acts, p)
    # HRrest defaults to 60 -> LTHR estimated 60 + 0.85 * 130 = 170.5; flagged estimated
    assert out["load_source"][0] == "hr_trimp" and out["estimated"][0]
    strict = load.session_loads(activities().filter(pl.col("id") == 5),
                                athlete.resolve_profile(MALE),
                                settings=Settings({"hr_min_coverage": 0.25}))
    assert strict["load_source"][0] == "hr_trimp"  # 1000/3600 = 28 % >= 25 %


def test_session_loads_empty_and_all_null() -> None:
    empty = load.session_loads(activities().clear(), athlete.resolve_profile(MALE))
    assert empty.height == 0 and empty.schema == pl.Schema(load.SESSION_SCHEMA)
    bare = pl.DataFrame({"id": [1, 2], "sport": ["running", "cycling"],
                         "local_date": ["2024-01-01", "2024-01-02"],
                         "start_time": [dt.datetime(2024, 1, 1, tzinfo=dt.UTC)] * 2})
    out = load.session_loads(bare, athlete.resolve_profile(None))
    assert out["load"].null_count() == 2 and out["load_source"].null_count() == 2


# --- daily series -----------------------------------------------------------------------------

def sessions() -> pl.DataFrame:
    def row(day: int, sport: str, value: float | None, source: str | None, distance: float | None,
            estimated: bool = False) -> dict[str, object]:
        date = dt.date(2024, 1, day)
        return {"id": day * 10 + len(sport), "local_date": date,
                "start_time": dt.datetime(2024, 1, day, 7, tzinfo=dt.UTC), "sport": sport,
                "is_run": sport == "running", "session_s": 3600.0, "distance_m": distance,
                "trimp": None, "edwards_trimp": None, "hrss": None, "pace_load": None,
                "rpe": None, "srpe_au": None, "load": value, "load_source": source,
                "estimated": estimated}

    return pl.DataFrame([
        row(1, "running", 50.0, "hr_trimp", 10000.0),
        row(1, "cycling", 30.0, "duration_default", None, estimated=True),
        row(3, "running", None, None, 5000.0),  # load unknown -> day missing
        row(5, "running", 40.0, "pace", 8000.0),
    ], schema=load.SESSION_SCHEMA)


@pytest.mark.parametrize("lazy", [False, True])
def test_daily_series(lazy: bool) -> None:
    frame = sessions().lazy() if lazy else sessions()
    out = daily.daily_series(frame, start=dt.date(2023, 12, 31),
                             unrecorded=[dt.date(2024, 1, 4)])
    assert out.schema == pl.Schema(daily.DAILY_SCHEMA)
    assert out["date"].to_list() == [dt.date(2023, 12, 31)] + [
        dt.date(2024, 1, d) for d in range(1, 6)]
    expected = pl.DataFrame({
        "history_days": [0, 1, 2, 3, 4, 5],
        "sessions": [0, 2, 0, 1, 0, 1],
        "load": [None, 80.0, 0.0, None, None, 40.0],  # rest day 0; unknown and unrecorded null
        "running_load": [None, 50.0, 0.0, None, None, 40.0],
        "cross_load": [None, 30.0, 0.0, 0.0, None, 0.0],
        "distance_m": [None, 10000.0, 0.0, 5000.0, None, 8000.0],
        "longest_run_m": [None, 10000.0, None, 5000.0, None, 8000.0],
        "missing": [False, False, False, True, True, False],
        "estimated": [False, True, False, False, False, False],
        "estimated_28d": [False, True, True, True, True, True],
        "mixed_sources_28d": [False, True, True, True, True, True],
    })
    assert_frame_equal(out.select(expected.columns), expected, check_dtypes=False)
    assert out["load_sources"][1].to_list() == ["duration_default", "hr_trimp"]


def test_daily_series_empty() -> None:
    out = daily.daily_series(sessions().clear())
    assert out.height == 0 and out.schema == pl.Schema(daily.DAILY_SCHEMA)
