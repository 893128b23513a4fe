"""The charts' colours survive colour blindness, and never carry meaning alone.

The palette's colours are simulated for protanopia, deuteranopia and tritanopia (Machado,
Oliveira & Fernandes 2009, severity 1, in linear RGB) and every pair must stay apart in CIELAB
(Delta E 1976 >= :data:`MIN_DELTA_E`). Every colour the charts draw on the demo history must
come from that palette, and two series on the same axes that differ in colour must differ in
something else too: marker shape, dash, hatching, bars vs lines, or mode.
"""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import plotly.graph_objects as go
import polars as pl
import pytest

from analytics.cadence import drift_detail
from dashboard import service
from dashboard.a11y.palette import PALETTE
from dashboard.demo import demo_today, load_demo
from dashboard.figures import activity_series_figure, track_figure
from dashboard.figures_bodywork import bodywork_figure
from dashboard.figures_form import cadence_baseline_figure, decoupling_figure, drift_figure
from dashboard.figures_pain import pain_load_figure
from dashboard.figures_recovery import recovery_figure
from dashboard.pages import load
from ingest.store import Store

#: Colour-blindness simulation matrices (Machado et al. 2009, severity 1.0, linear RGB).
MACHADO = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}
#: Smallest CIELAB distance between any two chart colours, for every kind of vision
#: (about 10 is "clearly different" for lines and markers side by side).
MIN_DELTA_E = 12.0


def rgb(colour: str) -> np.ndarray:
    """'#rrggbb' or 'rgba(r, g, b, a)' -> [r, g, b] in 0-255."""
    if colour.startswith("#"):
        return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)
    return np.array([float(v) for v in colour[colour.index("(") + 1:-1].split(",")[:3]])


def linear(srgb: np.ndarray) -> np.ndarray:
    c = srgb / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(lin: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of linear RGB."""
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ np.clip(lin, 0, 1)
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen(colour: str, vision: str) -> np.ndarray:
    lin = linear(rgb(colour))
    return lab(lin if vision == "normal" else np.array(MACHADO[vision]) @ lin)


@pytest.mark.parametrize("vision", ["normal", *MACHADO])
def test_palette_colours_stay_apart(vision):
    distances = {
        (a, b): float(np.linalg.norm(seen(PALETTE[a], vision) - seen(PALETTE[b], vision)))
        for a, b in itertools.combinations(PALETTE, 2)
    }
    closest = min(distances, key=distances.get)
    assert distances[closest] >= MIN_DELTA_E, (closest, distances[closest])


def test_simulation_merges_red_and_green_for_red_green_blindness():
    """The simulator works: pure red and green, far apart normally, nearly meet."""
    red, green = "#d62728", "#2ca02c"
    normal = np.linalg.norm(seen(red, "normal") - seen(green, "normal"))
    deutan = np.linalg.norm(seen(red, "deuteranopia") - seen(green, "deuteranopia"))
    assert normal > 80 and deutan < 0.25 * normal


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> list[go.Figure]:
    """Every chart of the app on the demo history."""
    with Store(tmp_path_factory.mktemp("demo")) as store:
        load_demo(store, jobs=1)
        day = demo_today()
        report = service.report(store, end=day)
        runs = report.runs
        run_id = int(runs.filter(pl.col("drift_spm_per_h").is_not_null())["id"][-1])
        samples = store.samples(run_id)
        recovery = service.recovery(store, end=day)
    s = report.settings
    start = day - dt.timedelta(weeks=16)
    return [
        *(figure for figure, _ in load.charts(report, start, day)),
        cadence_baseline_figure(runs, s), decoupling_figure(runs, s),
        drift_figure(drift_detail(samples, s), s),
        pain_load_figure(report.daily), recovery_figure(recovery, s),
        bodywork_figure(report.weekly()), track_figure(samples),
        activity_series_figure(samples, "running"),
    ]


def colours(trace) -> set[str]:
    found = set()
    for value in (getattr(getattr(trace, "marker", None), "color", None),
                  getattr(getattr(trace, "line", None), "color", None),
                  getattr(trace, "fillcolor", None)):
        for one in ([value] if isinstance(value, str) else list(value or [])):
            if isinstance(one, str):
                found.add(one)
    return found


def hexed(colour: str) -> str:
    return "#" + "".join(f"{int(v):02x}" for v in rgb(colour))


def test_every_chart_draws_with_the_palette_only(figures):
    allowed = {c.lower() for c in PALETTE.values()}
    drawn = {hexed(c) for figure in figures for trace in figure.data for c in colours(trace)}
    drawn |= {hexed(shape.fillcolor) for figure in figures for shape in figure.layout.shapes
              if shape.fillcolor}
    assert len(figures) == 13 and drawn and drawn <= allowed, drawn - allowed


def cue(trace) -> tuple:
    """What tells a series apart besides colour."""
    marker = getattr(trace, "marker", None)
    line = getattr(trace, "line", None)
    pattern = getattr(marker, "pattern", None) if marker is not None else None
    fill_pattern = getattr(trace, "fillpattern", None)
    return (trace.type, getattr(trace, "mode", None),
            str(getattr(marker, "symbol", None)), getattr(line, "dash", None),
            str(getattr(pattern, "shape", None)), getattr(fill_pattern, "shape", None))


def test_series_differ_in_more_than_colour(figures):
    clashes = []
    for figure in figures:
        shown = [t for t in figure.data if t.showlegend is not False and t.hoverinfo != "skip"
                 and t.name]
        by_axes: dict[tuple, list] = {}
        for trace in shown:
            by_axes.setdefault((trace.xaxis, trace.yaxis), []).append(trace)
        for traces in by_axes.values():
            for a, b in itertools.combinations(traces, 2):
                if colours(a) != colours(b) and cue(a) == cue(b):
                    clashes.append((a.name, b.name))
    assert clashes == []
