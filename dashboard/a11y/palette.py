"""Colours of the charts: the Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"),
whose colours stay apart for people with protanopia, deuteranopia and tritanopia
(tests/test_a11y_palette.py simulates them after Machado et al. 2009 and checks the
distances). Colour never carries meaning alone: flagged points also have their own marker
shape, partial weeks and short nights a hatch pattern, lines their own dash, and every chart
its words (:mod:`dashboard.a11y.charts`). Labels on charts use :data:`INK` (text contrast).
"""

from __future__ import annotations

BLUE = "#0072B2"
SKY = "#56B4E9"
VERMILLION = "#D55E00"
ORANGE = "#E69F00"
GREEN = "#009E73"
PURPLE = "#CC79A7"
INK = "#24292f"
GREY = "#6e7781"

#: Every colour a chart draws with (tests check each pair under colour-blindness).
PALETTE = {"blue": BLUE, "sky": SKY, "vermillion": VERMILLION, "orange": ORANGE,
           "green": GREEN, "purple": PURPLE, "ink": INK, "grey": GREY}


def rgba(colour: str, alpha: float) -> str:
    """``colour`` ('#rrggbb') with opacity ``alpha`` as a CSS rgba() string (shaded bands)."""
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha:g})"
