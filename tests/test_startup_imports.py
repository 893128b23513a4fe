"""Light commands start fast: logging pain imports none of polars, numpy, dash, plotly, scipy,
flask (``--help`` is checked in test_cli_registry.py); advise imports no web library, nor scipy
once its factor analysis is kept."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from ingest.store import CACHE_DIR, Store

HEAVY = ("dash", "plotly", "scipy", "polars", "flask", "numpy", "pyarrow")


def run_and_list_heavy(args: list[str]) -> tuple[list[str], str]:
    """Run the CLI with ``args`` in a fresh interpreter: (heavy modules imported, output)."""
    code = (
        "import sys, json\n"
        "from dashboard.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit as exit:\n    assert not exit.code, exit\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    *printed, modules = out.stdout.strip().splitlines()
    return json.loads(modules), "\n".join(printed)


@pytest.mark.parametrize("args", [
    ["pain", "add", "2024-05-01", "3", "--note", "stiff"],
    ["unrecorded", "add", "2024-05-02"],
])
def test_logging_a_day_imports_no_heavy_library(tmp_path, args):
    heavy, printed = run_and_list_heavy([*args, "--data-dir", str(tmp_path)])
    assert heavy == []
    assert printed  # the command said what it did
    with Store(tmp_path) as store:  # and it did it
        if args[0] == "pain":
            assert store.pain()["level"].to_list() == [3]
        else:
            assert store.unrecorded() == [dt.date(2024, 5, 2)]


def test_a_store_opened_without_frames_imports_no_heavy_library(tmp_path):
    code = (
        "import sys, json\n"
        "from ingest.store import Store\n"
        f"with Store({str(tmp_path)!r}) as store:\n"
        "    store.set_setting('k', 'v'); store.revision(); store.count()\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert json.loads(out.stdout) == []


def test_advise_imports_no_web_library_and_no_scipy_once_its_factors_are_kept(tmp_path):
    from fitfiles import run_fit

    from dashboard.import_hook import enrich
    from ingest.importer import import_items
    from ingest.journal import make_entry
    from ingest.sources import Item

    start = dt.datetime(2026, 5, 4, 6, 0, tzinfo=dt.UTC)
    with Store(tmp_path) as store:
        items = [Item(f"run{k}.fit", lambda k=k: run_fit(start + dt.timedelta(days=2 * k),
                                                         seconds=900)) for k in range(4)]
        import_items(items, store, jobs=1, enrich=enrich)
        store.add_pain([make_entry(start.date() + dt.timedelta(days=k), k % 4)
                        for k in range(8)])
    args = ["advise", "--date", "2026-05-11", "--data-dir", str(tmp_path)]
    _, said = run_and_list_heavy(args)
    assert list((tmp_path / CACHE_DIR).glob("factors-*.parquet"))  # the analysis was kept
    for kept in (tmp_path / CACHE_DIR).glob("advice-*.json"):  # not the advice: build it again
        kept.unlink()
    heavy, again = run_and_list_heavy(args)
    assert again == said and "The week ahead" in said
    assert set(heavy) <= {"polars", "numpy"}


def test_advise_on_an_unchanged_store_prints_the_kept_advice_without_the_analytics(tmp_path):
    from fitfiles import run_fit

    from dashboard.import_hook import enrich
    from ingest.importer import import_items
    from ingest.sources import Item

    start = dt.datetime(2026, 5, 4, 6, 0, tzinfo=dt.UTC)
    with Store(tmp_path) as store:
        items = [Item(f"run{k}.fit", lambda k=k: run_fit(start + dt.timedelta(days=k),
                                                         seconds=1800)) for k in range(6)]
        import_items(items, store, jobs=1, enrich=enrich)
    for fmt in ("json", "text"):
        for kept in (tmp_path / CACHE_DIR).glob("advice-*.json"):
            kept.unlink()
        args = ["advise", "--date", "2026-05-10", "--format", fmt, "--data-dir", str(tmp_path)]
        heavy, computed = run_and_list_heavy(args)
        assert "polars" in heavy  # computed: the report was built
        heavy, kept = run_and_list_heavy(args)
        assert (heavy, kept) == ([], computed)  # kept: the same words, nothing heavy loaded
    assert json.loads(run_and_list_heavy([*args[:3], "--format", "json", *args[5:]])[1])[
        "suggestion"] == "train"
    # Any change to the store (here a pain entry) computes it again, and the advice follows.
    run_and_list_heavy(["pain", "add", "2026-05-10", "6", "--data-dir", str(tmp_path)])
    heavy, after = run_and_list_heavy([*args[:3], "--format", "json", *args[5:]])
    assert "polars" in heavy
    assert json.loads(after)["suggestion"] == "rest"
    (kept,) = (tmp_path / CACHE_DIR).glob("advice-*.json")  # the older one went
    for damaged in ('{"advice": 1}', "[]", '{"adv'):  # a kept file that is not what we wrote
        kept.write_text(damaged)
        assert run_and_list_heavy([*args[:3], "--format", "json", *args[5:]])[1] == after
