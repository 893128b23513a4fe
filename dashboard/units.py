"""Display units (metric or imperial, the profile's ``units``): data stay in SI units."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

#: Paces slower than this are standing, not moving [s per km] (20 min/km).
SLOWEST_PACE_S_PER_KM = 1200.0


@dataclass(frozen=True)
class Units:
    """How distances, paces, speeds and heights are shown."""

    distance: str  # unit of distance
    metres: float  # metres per distance unit
    speed: str  # unit of speed
    height: str  # unit of elevation
    height_metres: float  # metres per height unit

    @property
    def pace(self) -> str:
        return f"min/{self.distance}"

    def dist(self, metres: float | None) -> float | None:
        """A distance in metres in the display unit."""
        return None if metres is None else metres / self.metres

    def speed_value(self, m_s: float | None) -> float | None:
        return None if m_s is None else m_s * 3600.0 / self.metres

    def height_value(self, metres: float | None) -> float | None:
        return None if metres is None else metres / self.height_metres

    def pace_text(self, m_s: float | None) -> str:
        """'5:12' (minutes:seconds per distance unit) from m/s; '' when unknown or standing."""
        if not m_s or m_s <= 0:
            return ""
        seconds = round(self.metres / m_s)
        return f"{seconds // 60}:{seconds % 60:02d}"

    def pace_minutes(self, speed: pl.Series) -> pl.Series:
        """Pace [min per distance unit] from speed [m/s]; standing (slower than 20 min/km)
        becomes null."""
        slowest = 1000.0 / SLOWEST_PACE_S_PER_KM
        return pl.select(
            pl.when(speed > slowest).then(self.metres / 60.0 / speed).alias("pace")
        ).to_series()


METRIC = Units(distance="km", metres=1000.0, speed="km/h", height="m", height_metres=1.0)
IMPERIAL = Units(distance="mi", metres=1609.344, speed="mph", height="ft", height_metres=0.3048)


def units_of(system: str | None) -> Units:
    """The units of a profile's ``units`` value ('metric' or 'imperial')."""
    if system in (None, "metric"):
        return METRIC
    if system == "imperial":
        return IMPERIAL
    raise ValueError(f"invalid units {system!r}")
