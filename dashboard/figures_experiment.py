"""Pure figure builders of the Experiment page, each with the words that say what it shows: the
daily pain by arm and the per-pair differences with the mean and its 95 % CI."""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go
import polars as pl

from analytics.experiment_result import Result
from analytics.experiment_schedule import LeverWords
from analytics.experiment_text import signed_points
from dashboard.figures import SHADE, empty_figure
from ingest import scalars

#: Colour and marker of each arm (told apart by shape too, not by colour alone).
ARM_STYLE = {"on": ("#0072b2", "circle"), "off": ("#e69f00", "square")}
MEAN = "#1f2328"
#: Axis titles wrap at this many characters (readable at 390 px).
TITLE_WIDTH = 40


def pain_by_arm_figure(days: pl.DataFrame, words: LeverWords, lag_days: int) -> go.Figure:
    """Daily pain (the outcome: the rating ``lag_days`` after the day) of analysed days, one
    series per arm; left-out days (washout) as hollow grey markers; "on" blocks shaded."""
    rated = days.filter(pl.col("outcome").is_not_null() & pl.col("block").is_not_null())
    if rated.is_empty():
        return empty_figure("No pain ratings in the experiment yet")
    figure = go.Figure()
    on_blocks = (days.filter(pl.col("arm") == "on").group_by("block")
                 .agg(pl.col("date").min().alias("start"), pl.col("date").max().alias("end")))
    for row in on_blocks.iter_rows(named=True):
        figure.add_vrect(x0=row["start"], x1=row["end"], fillcolor=SHADE, opacity=0.35,
                         line_width=0, layer="below")
    for arm, label in (("on", words.on_blocks), ("off", words.off_blocks)):
        colour, symbol = ARM_STYLE[arm]
        part = rated.filter((pl.col("arm") == arm) & ~pl.col("washout"))
        figure.add_trace(go.Scatter(
            x=part["date"], y=part["outcome"], mode="markers", name=label,
            marker={"color": colour, "symbol": symbol, "size": 9},
            hovertemplate="%{x|%a %d %b}: pain %{y}<extra>" + label + "</extra>"))
    washout = rated.filter(pl.col("washout"))
    if washout.height:
        figure.add_trace(go.Scatter(
            x=washout["date"], y=washout["outcome"], mode="markers", name="left out (washout)",
            marker={"color": "#8c959f", "symbol": "circle-open", "size": 9},
            hovertemplate="%{x|%a %d %b}: pain %{y} (left out)<extra></extra>"))
    when = "the next day" if lag_days else "that day"
    figure.update_layout(
        height=320, margin={"l": 10, "r": 10, "t": 10, "b": 40},
        yaxis={"title": f"pain {when} (0-10)", "range": [-0.5, 10.5], "automargin": True},
        legend={"orientation": "h", "y": -0.2}, hovermode="closest")
    return figure


def pain_by_arm_summary(days: pl.DataFrame, words: LeverWords, finished: bool) -> str:
    """The chart in words: rated days per arm (means only once the experiment is over, so
    nobody stops early because it "looks clear")."""
    rated = days.filter(pl.col("outcome").is_not_null() & pl.col("block").is_not_null()
                        & ~pl.col("washout"))
    counts = {arm: rated.filter(pl.col("arm") == arm) for arm in ("on", "off")}
    text = (f"Pain ratings of analysed days: {counts['on'].height} in {words.on_blocks}, "
            f"{counts['off'].height} in {words.off_blocks}.")
    if not finished:
        return text + " The comparison comes when the experiment is over."
    means = {arm: scalars.number_or_none(frame["outcome"].mean()) for arm, frame in counts.items()}
    if means["on"] is None or means["off"] is None:
        return text
    return (text + f" Mean pain {means['on']:.1f} in {words.on_blocks} and {means['off']:.1f} "
            f"in {words.off_blocks}.")


def pair_differences_figure(result: Result, words: LeverWords) -> go.Figure:
    """One marker per counted pair (pain on - off) and the mean difference with its 95 % CI;
    right of 0 = worse with the lever."""
    if not result.differences:
        return empty_figure("No pair counted")
    pairs = [f"pair {pair}" for pair, _ in result.differences]
    figure = go.Figure(go.Scatter(
        x=[d for _, d in result.differences], y=pairs, mode="markers", name="pair",
        marker={"color": ARM_STYLE["on"][0], "symbol": "diamond", "size": 10},
        hovertemplate="%{y}: %{x:+.2f} points<extra></extra>"))
    if result.effect is not None and result.ci_low is not None and result.ci_high is not None:
        figure.add_trace(go.Scatter(
            x=[result.effect], y=["mean (95 % CI)"], mode="markers", name="mean",
            marker={"color": MEAN, "symbol": "square", "size": 12},
            error_x={"type": "data", "symmetric": False,
                     "array": [result.ci_high - result.effect],
                     "arrayminus": [result.effect - result.ci_low], "color": MEAN},
            hovertemplate="mean %{x:+.2f} points<extra></extra>"))
    figure.add_vline(x=0, line={"color": "#8c959f", "dash": "dot"})
    figure.update_layout(
        height=max(240, 34 * (len(pairs) + 1) + 110), margin={"l": 10, "r": 10, "t": 10,
                                                              "b": 70},
        xaxis={"title": "<br>".join(textwrap.wrap(
            f"pain in {words.on_blocks} minus {words.off_blocks} (points)", TITLE_WIDTH)),
            "zeroline": False},
        yaxis={"automargin": True, "autorange": "reversed"}, showlegend=False)
    return figure


def pair_differences_summary(result: Result, words: LeverWords) -> str:
    """The per-pair chart in words."""
    if not result.differences:
        return "No pair counted, so there is nothing to compare."
    listed = "; ".join(f"pair {pair}: {signed_points(d)}" for pair, d in result.differences)
    return f"Pain in {words.on_blocks} compared with {words.off_blocks}, per pair: {listed}."
