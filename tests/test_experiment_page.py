"""The Experiment page's layout and callbacks as plain functions on a real store: the start
form (filled in from "Test this"), values a page would never send, the actions."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from dash import html

from dashboard.app import create_app
from dashboard.pages import experiment
from ingest import experiments as stored
from ingest.store import Store

DAY = dt.date(2026, 6, 20)


def texts(component) -> str:
    return json.dumps(html.Div(component).to_plotly_json(),
                      default=lambda o: o.to_plotly_json() if hasattr(o, "to_plotly_json")
                      else str(o))


@pytest.fixture
def app(tmp_path):
    Store(tmp_path).close()
    return create_app(tmp_path, today=DAY)


def count(app) -> int:
    with Store(app.server.config["STRIDELOAD_DATA_DIR"]) as store:
        return len(stored.experiments(store))


def test_the_start_form_takes_the_lever_of_test_this(app):
    with app.server.test_request_context():
        shown = texts(experiment.layout(lever="carry:vest"))
    assert '"id": "experiment-lever"' in shown and '"value": "carry:vest"' in shown
    assert '"value": "2026-06-21"' in shown  # tomorrow by default
    assert "Finished experiments" not in shown


@pytest.mark.parametrize(("values", "message"), [
    ((["carry:vest"], None, 7, 6, None, "upper-back"), "lever must be a text"),
    (("carry:vest", None, 7.5, 6, None, "upper-back"), "days per block must be a whole"),
    (("carry:vest", None, 7, "six", None, "upper-back"), "pairs must be a whole number"),
    (("carry:vest", None, 7, 6, "2026-99-01", "upper-back"), "month must be in 1..12"),
    (("carry:vest", None, 7, 6, None, "knee"), "--area must be one of upper-back"),
    (("carry:vest", None, 7, 4, None, "upper-back"), "at least 5 pairs"),
    (("x" * 500, None, 7, 6, None, "upper-back"), "at most 200 characters"),
])
def test_bad_start_values_are_refused_and_store_nothing(app, values, message):
    with app.server.test_request_context():
        box, said = experiment.start(1, *values)
    assert said.startswith("Not started:") and message in said
    assert count(app) == 0


def test_a_started_experiment_shows_its_assignment_on_both_pages(app):
    with app.server.test_request_context():
        box, said = experiment.start(1, "custom:breathing cue", "", 7, 5, DAY.isoformat(),
                                     "upper-back")
        assert said.startswith("Started experiment 1: 5 pairs of 7-day blocks")
        assert "this week: " in texts(box) and "I followed it today" in texts(box)
        assert experiment.start(0, "warmup", "", 7, 6, None, "upper-back") == (
            experiment.dash.no_update, experiment.dash.no_update)  # a form just drawn
        with Store(app.server.config["STRIDELOAD_DATA_DIR"]) as store:
            card = texts(experiment.today_card(store, DAY))
        assert "block 1 of 10, pair 1 of 5; 7 days left" in card
    assert count(app) == 1
