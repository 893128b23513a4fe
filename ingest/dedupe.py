"""Is a new recording one the store already holds, and which of the two should stay?

Two rules find the same session (see :mod:`ingest.store`):

* by time: the starts are within :data:`DEDUPE_START_S` and the spans overlap by more than
  :data:`DEDUPE_MIN_OVERLAP` of the longer one (one session recorded by two devices, or
  exported twice); a damaged new recording, whose start and end may be wrong, is the same
  session as any stored one it shares time with (no other session of the athlete does);
* by samples: at least :data:`MIN_IDENTICAL` of the shorter recording's samples carry the
  same time stamp and the same values in both - one recording, read from two files (a cut-short
  copy has fewer samples, or other totals, but what it kept is identical); for a damaged new
  recording :data:`MIN_SHARED` of the shorter one's time stamps in both are enough (damage
  changes values, and no other session of the athlete shares time stamps with a stored one).

The richer recording (more signals; by samples: also a fuller copy) replaces the stored one,
except a damaged recording, which never replaces anything.
"""

from __future__ import annotations

import numpy as np
import polars as pl

#: Starts within this of each other may be the same session [s].
DEDUPE_START_S = 120
#: ... when their spans overlap by more than this fraction of the longer one.
DEDUPE_MIN_OVERLAP = 0.8
#: Share of the shorter recording's samples that must be identical in the other.
MIN_IDENTICAL = 0.8
#: Share of the shorter recording's time stamps found in both, when the new one is damaged.
MIN_SHARED = 0.5
#: Columns compared (as recorded; derived columns such as speed depend on the neighbours).
COMPARED = ("heart_rate_bpm", "lat_deg", "lon_deg", "altitude_m", "cadence_spm",
            "cadence_rpm", "power_w")


def same_by_time(start_ms: int, end_ms: int, other_start_ms: int, other_end_ms: int,
                 damaged: bool = False) -> bool:
    """The time rule: starts within :data:`DEDUPE_START_S`, overlap > :data:`DEDUPE_MIN_OVERLAP`;
    a ``damaged`` new recording (its start and end may be wrong) shares any time."""
    overlap = min(end_ms, other_end_ms) - max(start_ms, other_start_ms)
    if damaged:
        return overlap > 0 or (start_ms == end_ms and other_start_ms <= start_ms <= other_end_ms)
    if abs(start_ms - other_start_ms) > DEDUPE_START_S * 1000:
        return False
    longest = max(end_ms - start_ms, other_end_ms - other_start_ms, 1)
    return overlap / longest > DEDUPE_MIN_OVERLAP


def identical_samples(new: pl.DataFrame, stored: pl.DataFrame) -> int:
    """How many samples of ``new`` have the same time stamp and values in ``stored``.

    A sample is identical when at least one value is in both and equal (to 1e-6), and no value
    in both differs (one missing in either is no difference: a copy may have lost it).
    """
    if not new.height or not stored.height:
        return 0
    columns = ["timestamp", *COMPARED]
    joined = new.select(columns).join(stored.select(columns).unique("timestamp"),
                                      on="timestamp", suffix="_stored")
    agree = np.ones(joined.height, bool)
    compared = np.zeros(joined.height, bool)
    for name in COMPARED:
        a = joined[name].cast(pl.Float64).fill_null(np.nan).to_numpy()
        b = joined[f"{name}_stored"].cast(pl.Float64).fill_null(np.nan).to_numpy()
        both = np.isfinite(a) & np.isfinite(b)
        with np.errstate(invalid="ignore"):
            agree &= ~(both & (np.abs(a - b) > 1e-6))
        compared |= both
    return int((agree & compared).sum())


def same_by_samples(new: pl.DataFrame, stored: pl.DataFrame, damaged: bool) -> bool:
    """The sample rule (see the module notes); ``damaged`` says the new recording is."""
    shorter = min(new.height, stored.height)
    if not shorter:
        return False
    if damaged:
        shared = new["timestamp"].is_in(stored["timestamp"].implode()).sum()
        return shared >= MIN_SHARED * shorter
    return identical_samples(new, stored) >= MIN_IDENTICAL * shorter


def replaces(new_signals: list[str], new_samples: int, damaged: bool, stored_signals: list[str],
             stored_samples: int, by_samples: bool) -> bool:
    """Whether the new recording should replace the stored one of the same session.

    A damaged recording never does; otherwise one with more signals (and, when the two are
    one recording, none fewer) does, and by samples also a fuller copy with every signal.
    """
    if damaged:
        return False
    if by_samples and not set(stored_signals) <= set(new_signals):
        return False
    if len(new_signals) > len(stored_signals):
        return True
    return by_samples and len(new_signals) == len(stored_signals) and new_samples > stored_samples
