"""Athlete profile: the user's values, and estimates from the data where they are missing.

docs/methods.md section 1: HRmax = highest 5-s smoothed, artefact-filtered heart rate recorded in
the last 12 months, else 208 - 0.7 * age (Tanaka); HRrest from the user, else 60 bpm (Runalyze
default); LTHR from the user, else HRrest + 0.85 * (HRmax - HRrest) (Elevate default). Every
estimated value is flagged so the interface can show it as estimated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import polars as pl

from analytics.settings import integer, number

SEXES = ("male", "female", "unknown")
UNITS = ("metric", "imperial")


@dataclass(frozen=True)
class ProfileRange:
    """Plausible values of a numeric profile field (outside them: a typing mistake)."""

    low: float
    high: float
    unit: str
    why: str

    def text(self) -> str:
        """E.g. ``"100 to 230 bpm"``."""
        return f"{self.low:g} to {self.high:g} {self.unit}"


#: Ranges of the numeric profile fields.
PROFILE_RANGES = {
    "hr_max": ProfileRange(100, 230, "bpm", "maximal heart rates of adults"),
    "hr_rest": ProfileRange(25, 120, "bpm", "resting heart rates of adults"),
    "lthr": ProfileRange(80, 220, "bpm", "threshold heart rates of adults"),
    "threshold_speed_m_s": ProfileRange(1.5, 7.0, "m/s",
                                        "threshold speeds from 11:07 to 2:23 min per km"),
    "threshold_pace_s_per_km": ProfileRange(140, 660, "s per km",
                                            "threshold paces from 2:20 to 11:00 min per km"),
}
#: Earliest birth year accepted (the latest is this year).
FIRST_BIRTH_YEAR = 1900


@dataclass(frozen=True)
class AthleteProfile:
    """What the user entered; ``None`` = not entered.

    Attributes
    ----------
    sex
        ``"male"``, ``"female"`` or ``"unknown"`` (selects the TRIMP constants).
    birth_year
        Year of birth [year].
    hr_max, hr_rest, lthr
        Maximal, resting and lactate-threshold heart rate [bpm].
    threshold_speed_m_s
        Running speed at lactate threshold [m/s]; wins over ``threshold_pace_s_per_km``.
    threshold_pace_s_per_km
        The same as a pace [s/km].
    time_zone, units
        Display preferences (IANA zone name; ``"metric"`` or ``"imperial"``); the analytics
        themselves work in the local calendar days the store assigns and in SI units.
    """

    sex: str = "unknown"
    birth_year: int | None = None
    hr_max: float | None = None
    hr_rest: float | None = None
    lthr: float | None = None
    threshold_speed_m_s: float | None = None
    threshold_pace_s_per_km: float | None = None
    time_zone: str | None = None
    units: str = "metric"

    def __post_init__(self) -> None:
        if self.sex not in SEXES:
            raise ValueError(f"sex must be one of {', '.join(SEXES)}, got {self.sex!r}")
        if self.units not in UNITS:
            raise ValueError(f"units must be one of {', '.join(UNITS)}, got {self.units!r}")
        this_year = dt.date.today().year
        if self.birth_year is not None and (
                isinstance(self.birth_year, bool) or not isinstance(self.birth_year, int)
                or not FIRST_BIRTH_YEAR <= self.birth_year <= this_year):
            raise ValueError(f"birth_year must be between {FIRST_BIRTH_YEAR} and {this_year}, "
                             f"got {self.birth_year!r}")
        for name, bounds in PROFILE_RANGES.items():
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool)
                                      or not isinstance(value, int | float)
                                      or not bounds.low <= value <= bounds.high):
                raise ValueError(f"{name} must be {bounds.text()}, got {value!r} "
                                 f"({bounds.why})")
        rest, lthr, top = self.hr_rest, self.lthr, self.hr_max
        for low, high, names in ((rest, top, "hr_rest < hr_max"), (rest, lthr, "hr_rest < lthr"),
                                 (lthr, top, "lthr < hr_max")):
            if low is not None and high is not None and low >= high:
                raise ValueError(f"the profile needs {names}, got {low:g} and {high:g}")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> AthleteProfile:
        """Build from a mapping (e.g. the stored settings); ``None`` values mean not entered."""
        known = {f.name for f in fields(cls)}
        unknown = set(values or {}) - known
        if unknown:
            raise ValueError(f"invalid profile fields {sorted(unknown)}")
        given = {k: v for k, v in (values or {}).items() if v is not None}
        return cls(**given)

    @classmethod
    def lenient(cls, stored: Mapping[str, object] | None) -> tuple[AthleteProfile, list[str]]:
        """The profile from stored values with every bad one left out, and a warning each.

        Stored values may come from an older version or a hand edit of the store: unknown
        fields and values that :meth:`from_mapping` rejects are dropped (the value is then
        estimated as if never entered). Never raises.
        """
        kept: dict[str, object] = {}
        warnings = []
        known = {f.name for f in fields(cls)}
        for name, value in (stored or {}).items():
            if value is None:
                continue
            if name not in known:
                warnings.append(f"stored profile field {name} ignored (unknown to this version)")
                continue
            try:
                cls.from_mapping({**kept, name: value})
            except (ValueError, TypeError) as exc:
                warnings.append(f"stored profile value {name} = {value!r} ignored: {exc}")
                continue
            kept[name] = value
        return cls.from_mapping(kept), warnings


@dataclass(frozen=True)
class ResolvedProfile:
    """Profile values used by the analytics, each with where it came from.

    Attributes
    ----------
    sex
        As entered (``"unknown"`` when not).
    age
        Age in the year of the reference date [years], ``None`` without birth year.
    hr_max, hr_rest, lthr
        [bpm]; ``hr_max`` and ``lthr`` are ``None`` when they can be neither entered nor
        estimated (no birth year and no heart-rate data).
    threshold_speed_m_s
        [m/s] or ``None`` (there is no estimate: pace-based load then is not available).
    estimated
        Field name -> ``True`` when the value is an estimate.
    sources
        Field name -> how the value was obtained, in words.
    """

    sex: str
    age: int | None
    hr_max: float | None
    hr_rest: float
    lthr: float | None
    threshold_speed_m_s: float | None
    estimated: dict[str, bool] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def hr_params_estimated(self) -> bool:
        """True when any heart-rate parameter behind TRIMP/HRSS is an estimate."""
        return any(self.estimated.get(k, False) for k in ("hr_max", "hr_rest", "lthr"))

    def as_dict(self) -> dict[str, object]:
        """JSON-ready: ``{field: {"value", "estimated", "source"}}`` plus sex and age."""
        out: dict[str, object] = {"sex": self.sex, "age": self.age}
        for name in ("hr_max", "hr_rest", "lthr", "threshold_speed_m_s"):
            out[name] = {
                "value": getattr(self, name),
                "estimated": self.estimated.get(name, False),
                "source": self.sources.get(name, "not available"),
            }
        return out


def tanaka_hr_max(age: float) -> float:
    """Age-predicted maximal heart rate.

    .. math:: HR_{max} = 208 - 0.7 \\cdot age

    Parameters
    ----------
    age
        [years]. Derived from healthy adults aged 18-81; outside that range it is extrapolation.

    Returns
    -------
    float
        [bpm]

    References
    ----------
    Tanaka H, Monahan KD, Seals DR (2001) Age-predicted maximal heart rate revisited.
    J Am Coll Cardiol 37:153-156. doi:10.1016/S0735-1097(00)01054-8

    Examples
    --------
    >>> tanaka_hr_max(40)
    180.0
    """
    return 208.0 - 0.7 * age


def lthr_from_reserve(hr_rest: float, hr_max: float, fraction: float = number("lthr_hrr_fraction")
                      ) -> float:
    """Lactate-threshold heart rate as a fraction of the heart-rate reserve (Elevate default).

    .. math:: LTHR = HR_{rest} + f \\cdot (HR_{max} - HR_{rest})

    Parameters
    ----------
    hr_rest, hr_max
        [bpm]
    fraction
        f [-], default 0.85.

    Returns
    -------
    float
        [bpm]

    Examples
    --------
    >>> lthr_from_reserve(60, 180)
    162.0
    """
    return hr_rest + fraction * (hr_max - hr_rest)


def local_date(frame: pl.LazyFrame) -> pl.Expr:
    """``local_date`` as a Date, whether stored as Date or as ISO string (``Store``)."""
    if frame.collect_schema()["local_date"] == pl.String:
        return pl.col("local_date").str.to_date()
    return pl.col("local_date").cast(pl.Date)


def recorded_hr_max(activities: pl.DataFrame | pl.LazyFrame, as_of: dt.date | None,
                    window_days: int | None) -> float | None:
    """Highest per-activity 5-s heart rate (column ``hr_max_5s_bpm``) in a date window.

    Parameters
    ----------
    activities
        Frame with ``local_date`` (Date or ISO string) and ``hr_max_5s_bpm`` [bpm].
    as_of
        Last day of the window; ``None`` = the last activity.
    window_days
        Window length [days], ``None`` = whole history.

    Returns
    -------
    float or None
        [bpm]; ``None`` when no activity in the window has heart rate (or the frame has no
        ``hr_max_5s_bpm`` column).
    """
    frame = activities.lazy()
    if "hr_max_5s_bpm" not in frame.collect_schema():
        return None
    frame = frame.select(local_date(frame), pl.col("hr_max_5s_bpm").cast(pl.Float64))
    if as_of is not None:
        frame = frame.filter(pl.col("local_date") <= as_of)
    if window_days is not None:
        last = pl.lit(as_of) if as_of is not None else pl.col("local_date").max()
        frame = frame.filter(pl.col("local_date") > last - pl.duration(days=window_days))
    value = frame.select(pl.col("hr_max_5s_bpm").max()).collect().item()
    return None if value is None else float(value)


def resolve_profile(
    profile: AthleteProfile | None,
    activities: pl.DataFrame | pl.LazyFrame | None = None,
    as_of: dt.date | None = None,
    *,
    hr_rest_default: float = number("hr_rest_default"),
    hr_max_window_days: int = integer("hr_max_window_days"),
    lthr_hrr_fraction: float = number("lthr_hrr_fraction"),
) -> ResolvedProfile:
    """Fill the gaps of a profile from the data, flagging every estimate.

    HRmax: entered, else the recorded maximum of the ``hr_max_window_days`` before ``as_of``,
    else Tanaka (needs birth year), else the recorded maximum of the whole history. The last
    step is not in docs/methods.md: it keeps heart-rate loads available for a runner without birth
    year whose recent files lack heart rate.
    HRrest: entered, else ``hr_rest_default``. LTHR: entered, else
    :func:`lthr_from_reserve`. Threshold speed: entered speed, else 1000 / entered pace.

    Parameters
    ----------
    profile
        What the user entered (``None`` = nothing).
    activities
        Frame with ``local_date`` and ``hr_max_5s_bpm`` (see :mod:`analytics.activity_metrics`);
        ``None`` when there is none.
    as_of
        Reference date: end of the HRmax window and the year for the age. ``None`` = the last
        activity (and no age when there are no activities).

    Returns
    -------
    ResolvedProfile
    """
    profile = profile or AthleteProfile()
    if as_of is None and activities is not None:
        frame = activities.lazy()
        as_of = frame.select(local_date(frame).max()).collect().item()
    age = as_of.year - profile.birth_year if (as_of and profile.birth_year) else None
    estimated: dict[str, bool] = {}
    sources: dict[str, str] = {}

    hr_rest = profile.hr_rest
    if hr_rest is None:
        hr_rest, estimated["hr_rest"] = hr_rest_default, True
        sources["hr_rest"] = f"default {hr_rest_default:g} bpm (Runalyze)"
    else:
        estimated["hr_rest"], sources["hr_rest"] = False, "entered"

    hr_max = profile.hr_max
    if hr_max is not None:
        estimated["hr_max"], sources["hr_max"] = False, "entered"
    else:
        candidates: list[tuple[float | None, str]] = []
        if activities is not None:
            candidates.append((
                recorded_hr_max(activities, as_of, hr_max_window_days),
                f"highest 5-s heart rate of the last {hr_max_window_days} days",
            ))
        if age is not None:
            candidates.append((tanaka_hr_max(age), f"208 - 0.7 x age {age} (Tanaka 2001)"))
        if activities is not None:
            candidates.append((recorded_hr_max(activities, as_of, None),
                               "highest 5-s heart rate recorded"))
        for value, source in candidates:
            if value is not None and value > hr_rest:
                hr_max, estimated["hr_max"], sources["hr_max"] = value, True, source
                break

    lthr = profile.lthr
    if lthr is not None:
        estimated["lthr"], sources["lthr"] = False, "entered"
    elif hr_max is not None:
        lthr = lthr_from_reserve(hr_rest, hr_max, lthr_hrr_fraction)
        estimated["lthr"] = True
        sources["lthr"] = f"HRrest + {lthr_hrr_fraction:g} x heart-rate reserve (Elevate)"

    speed = profile.threshold_speed_m_s
    if speed is None and profile.threshold_pace_s_per_km is not None:
        speed = 1000.0 / profile.threshold_pace_s_per_km
    if speed is not None:
        estimated["threshold_speed_m_s"], sources["threshold_speed_m_s"] = False, "entered"

    return ResolvedProfile(sex=profile.sex, age=age, hr_max=hr_max, hr_rest=hr_rest, lthr=lthr,
                           threshold_speed_m_s=speed, estimated=estimated, sources=sources)
