"""Tell a wellness file from an activity file by its content, and read it."""

from __future__ import annotations

from ingest.apple_health.pieces import WELLNESS_MAGIC
from ingest.apple_health.wellness import read_wellness_piece
from ingest.errors import Rejected
from ingest.wellness.checkin import looks_like_wellness_csv, parse_wellness_csv
from ingest.wellness.fit_wellness import is_wellness_fit, read_fit_wellness
from ingest.wellness.garmin_json import looks_like_json, read_garmin_json
from ingest.wellness.records import WellnessBatch, WellnessError


def read_wellness(data: bytes) -> WellnessBatch | None:
    """The wellness in ``data``, or None when it is no wellness file (an activity, or a format
    the activity readers judge). The wellness piece of an Apple Health export is one too.

    Raises
    ------
    ingest.errors.Rejected
        A wellness file (Garmin JSON, FIT wellness, intervals.icu CSV, Apple Health) that
        cannot be read.
    """
    if data.startswith(WELLNESS_MAGIC):
        return read_wellness_piece(data)
    if looks_like_json(data):
        return read_garmin_json(data)
    if data[8:12] == b".FIT":
        return read_fit_wellness(data) if is_wellness_fit(data) else None
    if looks_like_wellness_csv(data):
        try:
            return parse_wellness_csv(data.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise Rejected(f"a CSV that is not UTF-8 text ({exc})") from exc
        except WellnessError as exc:
            raise Rejected(str(exc)) from exc
    return None
