"""Every setting is documented, graded, ranged and used; overrides are validated at the door."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.settings import (
    GRADES,
    ORDER,
    SETTINGS,
    Setting,
    Settings,
    default,
    integer,
    number,
    text,
)

ANALYTICS = Path(__file__).resolve().parent.parent / "analytics"
NUMERIC = sorted(n for n, s in SETTINGS.items() if s.kind in ("number", "whole number"))


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_setting_is_documented_with_a_range_and_its_reason(name: str) -> None:
    s = SETTINGS[name]
    assert s.name == name
    assert s.help.strip() and s.unit.strip() and s.source.strip()
    assert s.grade in GRADES
    assert s.check(s.default) == s.default  # the default is in its own range
    if s.kind == "choice":
        assert s.choices and s.default in s.choices
    else:
        assert s.low is not None and s.high is not None and s.low < s.high and s.why.strip()
    if s.kind == "names":
        assert s.choices and set(s.default) <= set(s.choices)  # type: ignore[arg-type]


def test_defaults_keep_every_order() -> None:
    values = Settings()
    for lower, upper in ORDER:
        assert values[lower] <= values[upper]


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
    assert "ewma" in repr(s) and s.changed() == {"acwr_method": "ewma", "tsb_low": -40.0,
                                                  "ctl_days": 28}
    with pytest.raises(ValueError, match="unknown setting 'acwr_window'"):
        Settings({"acwr_window": 3})
    with pytest.raises(ValueError, match="acwr_method must be one of rolling_coupled, "
                                         "rolling_uncoupled, ewma, got 'session'"):
        Settings({"acwr_method": "session"})
    with pytest.raises(ValueError, match="ctl_days must be 21 to 120 days, got 42.5"):
        Settings({"ctl_days": 42.5})
    with pytest.raises(ValueError, match="tsb_low must be -200 to -5 points, got 'low'"):
        Settings({"tsb_low": "low"})
    with pytest.raises(ValueError, match="got True"):
        Settings({"tsb_low": True})
    with pytest.raises(ValueError, match="association_metrics must be 1 to 3 of load, "):
        Settings({"association_metrics": "load"})
    with pytest.raises(ValueError, match="association_metrics must be"):
        Settings({"association_metrics": 3})
    with pytest.raises(ValueError, match="got unknown_metric"):
        Settings({"association_metrics": ["unknown_metric"]})
    with pytest.raises(ValueError, match="got nothing"):
        Settings({"association_metrics": []})
    with pytest.raises(ValueError, match="got load,atl,ctl,tsb"):
        Settings({"association_metrics": ["load", "atl", "ctl", "tsb"]})
    with pytest.raises(ValueError, match="got inf"):
        Settings({"ctl_days": float("inf")})
    with pytest.raises(ValueError, match=r"monotony_warn \(2.5\) must be at most monotony_high "
                                         r"\(2\)"):
        Settings({"monotony_warn": 2.5})
    with pytest.raises(ValueError, match=r"pain_cross_train_level \(6\) must be at most "
                                         r"pain_rest_level \(5\)"):
        Settings({"pain_cross_train_level": 6})
    assert Settings({"association_metrics": ["load"]}).names("association_metrics") == ("load",)
    with pytest.raises(TypeError, match="setting acwr_method is not a list of names"):
        s.names("acwr_method")
    with pytest.raises(TypeError, match="setting tsb_low is not a whole number"):
        integer("tsb_low")
    assert Settings().warnings == () and repr(Settings()) == "Settings({})"
    # the unit in a range: none for a ratio, "%" and words as written
    assert SETTINGS["lthr_hrr_fraction"].range_text() == "0.6 to 0.95"
    assert SETTINGS["weekly_change_high_pct"].range_text() == "5 to 300 %"
    assert SETTINGS["ramp_high"].range_text() == "1 to 50 points/week"
    assert number("acwr_danger") == 1.5


def test_the_rejection_is_one_line_with_the_range_and_its_reason() -> None:
    with pytest.raises(ValueError) as caught:
        Settings({"ctl_days": 0})
    assert str(caught.value) == ("ctl_days must be 21 to 120 days, got 0 (fitness is a slow "
                                 "average of three weeks to four months, slower than fatigue)")
    with pytest.raises(ValueError) as caught:
        Settings({"pain_carry_days": 1e9})
    assert str(caught.value).startswith("pain_carry_days must be 0 to 7 days, got 1e+09 (")


def beyond(setting: Setting) -> st.SearchStrategy[object]:
    """Values outside a numeric setting's range, near and far, and values of another type."""
    low, high = float(setting.low), float(setting.high)  # type: ignore[arg-type]
    return st.one_of(
        st.floats(max_value=low, exclude_max=True, allow_nan=False),
        st.floats(min_value=high, exclude_min=True, allow_nan=False),
        st.sampled_from([low - 1, high + 1, -1e9, 1e9, 1e300, float("nan"), float("inf"),
                         -float("inf"), "7", None, True, [1]])
        .filter(lambda v: not isinstance(v, float | int) or not low <= v <= high),
    )


def within(setting: Setting) -> st.SearchStrategy[float | int]:
    """Values in a numeric setting's range, its bounds included."""
    low, high = setting.low, setting.high
    if setting.kind == "whole number":
        return st.one_of(st.sampled_from([int(low), int(high)]),  # type: ignore[arg-type]
                         st.integers(int(low), int(high)))  # type: ignore[arg-type]
    return st.one_of(st.sampled_from([low, high]),
                     st.floats(low, high))  # type: ignore[arg-type]


@given(st.sampled_from(NUMERIC).flatmap(lambda n: st.tuples(st.just(n),
                                                               beyond(SETTINGS[n]))))
def test_every_value_beyond_a_range_is_rejected_naming_the_setting(case) -> None:
    name, value = case
    with pytest.raises(ValueError) as caught:
        SETTINGS[name].check(value)
    message = str(caught.value)
    assert message.startswith(f"{name} must be {SETTINGS[name].range_text()}, got ")
    assert "\n" not in message


@given(st.sampled_from(NUMERIC).flatmap(lambda n: st.tuples(st.just(n),
                                                               within(SETTINGS[n]))))
def test_every_value_within_a_range_is_accepted(case) -> None:
    name, value = case
    assert SETTINGS[name].check(value) == value


@given(st.sampled_from(sorted(SETTINGS)).flatmap(
    lambda n: st.tuples(st.just(n), beyond(SETTINGS[n]) if n in NUMERIC
                        else st.sampled_from(["sideways", 0, ["nope"], []]))))
def test_a_stored_bad_value_falls_back_to_its_default_with_a_warning(case) -> None:
    name, value = case
    good = "atl_days" if name == "ctl_days" else "ctl_days"
    s = Settings.lenient({good: 10 if good == "atl_days" else 50, name: value})
    assert s[name] == SETTINGS[name].default and s[good] == (10 if good == "atl_days" else 50)
    (warning,) = s.warnings
    assert warning.startswith(f"stored setting {name} = ") and "using the default" in warning


def test_stored_values_fall_back_one_by_one_with_their_words() -> None:
    s = Settings.lenient({"old_setting": 1, "ctl_days": 0, "atl_days": 10,
                          "acwr_method": "sideways", "tsb_low": -45})
    assert (s["ctl_days"], s["atl_days"], s["acwr_method"], s["tsb_low"]) == (
        42, 10, "rolling_uncoupled", -45.0)
    assert s.warnings == (
        "stored setting old_setting ignored (unknown to this version)",
        "stored setting ctl_days = 0 ignored (must be 21 to 120 days); using the default 42",
        "stored setting acwr_method = 'sideways' ignored (must be one of rolling_coupled, "
        "rolling_uncoupled, ewma); using the default 'rolling_uncoupled'",
    )
    # only the upper value of a pair stored, below the lower default: both back to defaults
    low = Settings.lenient({"monotony_high": 1.2})
    assert low["monotony_high"] == 2.0 and low.warnings == (
        "stored settings monotony_warn and monotony_high ignored (monotony_warn (1.5) must be "
        "at most monotony_high (1.2)); using the defaults",)


def test_stored_values_that_break_an_order_fall_back_together() -> None:
    s = Settings.lenient({"monotony_warn": 3.0, "monotony_high": 4.0, "monotony_cap": 3.5,
                          "old_setting": 1})
    assert (s["monotony_warn"], s["monotony_high"], s["monotony_cap"]) == (1.5, 2.0, 10.0)
    assert s.warnings == (
        "stored setting old_setting ignored (unknown to this version)",
        "stored settings monotony_high and monotony_cap ignored (monotony_high (4) must be at "
        "most monotony_cap (3.5)); using the defaults",
        "stored settings monotony_warn and monotony_high ignored (monotony_warn (3) must be at "
        "most monotony_high (2)); using the defaults",
    )
    assert Settings.lenient(None).warnings == () and Settings.lenient({}) == Settings()
