"""The runner's profile and the analytics settings: stored in the store's settings table as
JSON objects of the values the runner changed, read leniently (a stored value no longer valid
falls back, with a warning) and changed from typed-in text, checked before anything is stored.
Shared by the command line and the web app.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import zoneinfo
from collections.abc import Mapping

from analytics.athlete import FIRST_BIRTH_YEAR, PROFILE_RANGES, AthleteProfile
from analytics.settings import SETTINGS, Settings
from ingest.store import Store

PROFILE_KEY = "profile"
SETTINGS_KEY = "analytics_settings"
#: Profile fields and how a typed-in value is read.
PROFILE_FIELDS = {f.name: f.type for f in dataclasses.fields(AthleteProfile)}


class InvalidValue(ValueError):
    """A profile or settings value that cannot be stored, with a message for the runner."""


def _read_json(store: Store, key: str) -> tuple[dict[str, object], list[str]]:
    """The stored JSON object under ``key`` and, when it is unreadable, a warning."""
    text = store.get_setting(key)
    try:
        value = json.loads(text or "{}")
    except json.JSONDecodeError:
        value = None
    if isinstance(value, dict):
        return value, []
    return {}, [f"stored {key.replace('_', ' ')} unreadable ({(text or '')[:40]!r}); "
                "using the defaults"]


def _stored_profile(store: Store) -> tuple[AthleteProfile, list[str]]:
    values, problems = _read_json(store, PROFILE_KEY)
    profile, warnings = AthleteProfile.lenient(values)
    return profile, problems + warnings


def load_profile(store: Store) -> AthleteProfile:
    """The stored profile; a stored value that is no longer valid is left out
    (:func:`stored_value_warnings` says which)."""
    return _stored_profile(store)[0]


def load_settings(store: Store) -> Settings:
    """The stored analytics settings; a stored value out of range falls back to its default
    with a line in ``.warnings``."""
    values, problems = _read_json(store, SETTINGS_KEY)
    settings = Settings.lenient(values)
    settings.warnings = (*problems, *settings.warnings)
    return settings


def stored_value_warnings(store: Store) -> list[str]:
    """One line per stored profile or settings value that was ignored (written by an older
    version or edited by hand); the CLI prints them on stderr, the pages show them."""
    return [*_stored_profile(store)[1], *load_settings(store).warnings]


def _profile_value(name: str, text: str) -> object:
    if text.strip().lower() in ("", "none", "unset"):
        return None
    if name == "birth_year":
        this_year = dt.date.today().year
        if not text.strip().isdigit() or not FIRST_BIRTH_YEAR <= int(text) <= this_year:
            raise InvalidValue(f"birth_year must be between {FIRST_BIRTH_YEAR} and {this_year}, "
                               f"got {text!r}")
        return int(text)
    if name == "threshold_pace_s_per_km" and ":" in text:  # 4:30 (min:s per km)
        minutes, _, seconds = text.partition(":")
        if not (minutes.strip().isdigit() and seconds.strip().isdigit()):
            raise InvalidValue(f"threshold pace must be m:ss per km, got {text!r}")
        text = str(int(minutes) * 60 + int(seconds))
    if name in PROFILE_RANGES:
        try:
            value = float(text)
        except ValueError as exc:
            raise InvalidValue(f"{name} must be a number, got {text!r}") from exc
        bounds = PROFILE_RANGES[name]
        if not bounds.low <= value <= bounds.high:
            raise InvalidValue(f"{name} must be {bounds.text()}, got {text.strip()} "
                               f"({bounds.why})")
        return value
    return text.strip()


def update_profile(store: Store, changes: Mapping[str, str], save: bool = True
                   ) -> AthleteProfile:
    """Apply typed-in ``KEY=VALUE`` changes ('' or 'none' clears a value); nothing is stored
    when any value is invalid, or at all with ``save=False`` (validation only). Stored values
    that are no longer valid are dropped."""
    current = load_profile(store)
    stored, _ = _read_json(store, PROFILE_KEY)
    values: dict[str, object] = {name: getattr(current, name) for name in stored
                                 if name in PROFILE_FIELDS}
    for name, text in changes.items():
        if name not in PROFILE_FIELDS:
            known = ", ".join(PROFILE_FIELDS)
            raise InvalidValue(f"unknown profile field {name!r}; known: {known}")
        values[name] = _profile_value(name, text)
    zone = values.get("time_zone")
    if zone is not None:
        try:
            zoneinfo.ZoneInfo(str(zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidValue(f"unknown time zone {zone!r} (use a name like Europe/Berlin)"
                               ) from exc
    try:
        profile = AthleteProfile.from_mapping(values)
    except ValueError as exc:
        raise InvalidValue(str(exc)) from exc
    if not save:
        return profile
    store.set_setting(PROFILE_KEY, json.dumps({k: v for k, v in values.items() if v is not None}))
    if "time_zone" in changes and zone is not None:
        store.set_time_zone(str(zone))
    return profile


def _setting_value(name: str, text: str) -> object:
    default = SETTINGS[name].default
    if isinstance(default, tuple):
        return [part.strip() for part in text.split(",") if part.strip()]
    if isinstance(default, str):
        return text.strip()
    try:
        return float(text)
    except ValueError as exc:
        raise InvalidValue(f"{name} must be {SETTINGS[name].range_text()}, got {text!r}"
                           ) from exc


def update_settings(store: Store, changes: Mapping[str, str], save: bool = True) -> Settings:
    """Apply typed-in changes ('default' restores one); nothing is stored if any is invalid,
    or at all with ``save=False`` (validation only). Stored values that are no longer valid
    are replaced by their defaults."""
    values: dict[str, object] = dict(load_settings(store).changed())
    for name, text in changes.items():
        if name not in SETTINGS:
            raise InvalidValue(f"unknown setting {name!r} (see strideload settings)")
        if text.strip().lower() == "default":
            values.pop(name, None)
        else:
            values[name] = _setting_value(name, text)
    try:
        settings = Settings(values)
    except ValueError as exc:
        raise InvalidValue(str(exc)) from exc
    if save:
        changed = {k: list(v) if isinstance(v, tuple) else v
                   for k, v in settings.changed().items()}
        store.set_setting(SETTINGS_KEY, json.dumps(changed))
    return settings
