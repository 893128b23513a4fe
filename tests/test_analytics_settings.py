"""Every setting is documented, graded and used; overrides are validated."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.settings import GRADES, SETTINGS, Settings, default, integer, number, text

ANALYTICS = Path(__file__).resolve().parent.parent / "analytics"


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_setting_is_documented(name: str) -> None:
    s = SETTINGS[name]
    assert s.name == name
    assert s.help.strip() and s.unit.strip() and s.source.strip()
    assert s.grade in GRADES
    if s.choices is not None:
        assert s.default in s.choices


def test_every_setting_is_used_by_the_analytics() -> None:
    code = "\n".join(p.read_text() for p in ANALYTICS.glob("*.py") if p.name != "settings.py")
    unused = [name for name in SETTINGS if f'"{name}"' not in code]
    assert unused == []


def test_overrides_are_validated() -> None:
    s = Settings({"acwr_method": "ewma", "tsb_low": -40, "ctl_days": 28.0})
    assert s["acwr_method"] == "ewma" and s.number("tsb_low") == -40.0
    assert s.integer("ctl_days") == 28 and isinstance(s["ctl_days"], int)
    assert s["atl_days"] == default("atl_days") == 7 and len(s) == len(SETTINGS)
    assert Settings.coerce(s) is s and Settings.coerce(None)["acwr_method"] == text("acwr_method")
    assert s.names("association_metrics") == ("load", "running_load", "drift_pct")
    assert "ewma" in repr(s)
    with pytest.raises(ValueError, match="invalid setting"):
        Settings({"acwr_window": 3})
    with pytest.raises(ValueError, match="invalid acwr_method"):
        Settings({"acwr_method": "session"})
    with pytest.raises(ValueError, match="whole number"):
        Settings({"ctl_days": 42.5})
    with pytest.raises(ValueError, match="expected a number"):
        Settings({"tsb_low": "low"})
    with pytest.raises(ValueError, match="expected a number"):
        Settings({"tsb_low": True})
    with pytest.raises(ValueError, match="list of names"):
        Settings({"association_metrics": "load"})
    with pytest.raises(ValueError, match="list of names"):
        Settings({"association_metrics": 3})
    with pytest.raises(ValueError, match="whole number"):
        Settings({"ctl_days": float("inf")})
    assert Settings({"association_metrics": ["load"]}).names("association_metrics") == ("load",)
    with pytest.raises(TypeError):
        s.names("acwr_method")
    with pytest.raises(TypeError):
        integer("tsb_low")
    assert number("acwr_danger") == 1.5
