"""``strideload wellness``: listing, check-ins by hand, intervals.icu CSV, and the import
command's report of wellness days."""

from __future__ import annotations

import json

from click.testing import CliRunner
from wellness_files import export_sleep, export_uds, export_zip

from dashboard.cli import main

DOCUMENTED = ["date", "resting_hr_bpm", "hrv_rmssd_ms", "hrv_sdnn_ms", "sleep_s", "sleep_score",
              "source"]


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_log_then_list_as_json_with_nulls_where_absent(tmp_path):
    data = ["--data-dir", tmp_path]
    result = invoke("wellness", "log", "--date", "2024-03-04", "--rhr", "52", "--hrv", "61",
                    "--sleep-h", "7.5", "--sleep-quality", "2", "--soreness", "1", *data)
    assert result.exit_code == 0, result.output
    assert result.output == "Check-in for 2024-03-04 saved.\n"
    invoke("wellness", "log", "--date", "2024-03-05", "--hrv", "40", "--hrv-kind", "sdnn", *data)
    rows = json.loads(invoke("wellness", "--format", "json", *data).stdout)
    assert [list(row)[:7] for row in rows] == [DOCUMENTED] * 2
    assert [{k: row[k] for k in DOCUMENTED} for row in rows] == [
        {"date": "2024-03-04", "resting_hr_bpm": 52.0, "hrv_rmssd_ms": 61.0,
         "hrv_sdnn_ms": None, "sleep_s": 27000.0, "sleep_score": None, "source": "manual"},
        {"date": "2024-03-05", "resting_hr_bpm": None, "hrv_rmssd_ms": None,
         "hrv_sdnn_ms": 40.0, "sleep_s": None, "sleep_score": None, "source": "manual"},
    ]
    assert (rows[0]["sleep_quality"], rows[0]["soreness"]) == (2, 1)
    only = json.loads(invoke("wellness", "--from", "2024-03-05", "--to", "2024-03-05",
                             "--format", "json", *data).stdout)
    assert [row["date"] for row in only] == ["2024-03-05"]
    csv_lines = invoke("wellness", "--format", "csv", *data).stdout.splitlines()
    assert csv_lines[0].startswith(",".join(DOCUMENTED))
    table = invoke("wellness", *data).stdout.splitlines()
    assert table[0].split() == ["date", "sleep", "(h:mm)", "resting", "HR", "HRV", "(RMSSD)",
                                "HRV", "(SDNN)", "sleep", "quality", "soreness", "source"]
    assert table[2].split()[:2] == ["2024-03-05", "40"]  # newest first


def test_log_refuses_values_out_of_range_in_one_line(tmp_path):
    data = ["--data-dir", tmp_path]
    for args, message in [
        (["--rhr", "200"], "resting heart rate must be a number from 25 to 120 bpm, got '200'"),
        (["--hrv", "abc"], "HRV (RMSSD) must be a number from 3 to 300 ms, got 'abc'"),
        (["--sleep-h", "30"], "hours slept must be a number from 0 to 16, got '30'"),
        (["--sleep-quality", "5"], "sleep quality (1 excellent - 4 poor) must be a whole number "
                                   "from 1 to 4, got '5'"),
        (["--soreness", "1.5"], "must be a whole number from 0 to 4, got '1.5'"),
        ([], "nothing to log"),
    ]:
        result = invoke("wellness", "log", "--date", "2024-03-04", *args, *data)
        assert result.exit_code == 1, args
        assert len(result.output.strip().splitlines()) == 1, result.output
        assert message in result.output
    future = invoke("wellness", "log", "--date", "2999-01-01", "--rhr", "50", *data)
    assert "is in the future" in future.output
    assert invoke("wellness", "--format", "json", *data).stdout.strip() == "[]"


def test_csv_import_is_all_or_nothing(tmp_path):
    data = ["--data-dir", tmp_path / "d"]
    good = tmp_path / "wellness.csv"
    good.write_text("date,restingHR,hrv,hrvSDNN,sleepSecs,sleepScore,sleepQuality,soreness,"
                    "fatigue,weight\n2024-03-01,50,60,,27000,80,2,1,2,70\n2024-03-02,51,,,,,,,,\n")
    result = invoke("wellness", "import", good, *data)
    assert result.output == f"Imported 2 days from {good} (2 new or changed).\n"
    again = invoke("wellness", "import", good, *data)
    assert again.output == f"Imported 2 days from {good} (0 new or changed).\n"
    bad = tmp_path / "bad.csv"
    bad.write_text("date,restingHR,sleepSecs\n2024-03-03,50,27000\n2024-03-04,52,99999\n")
    refused = invoke("wellness", "import", bad, *data)
    assert refused.exit_code == 1
    assert refused.output.strip() == (f"Error: {bad}: line 3: sleep must be a number from 0 "
                                      "to 57600 s, got '99999'")
    dates = [row["date"] for row in json.loads(invoke("wellness", "--format", "json",
                                                      *data).stdout)]
    assert dates == ["2024-03-01", "2024-03-02"]  # nothing of bad.csv


def test_import_reports_wellness_days(tmp_path):
    export = tmp_path / "export.zip"
    export.write_bytes(export_zip({
        "DI_CONNECT/DI-Connect-Wellness/x_sleepData.json": export_sleep(
            [{"date": "2024-03-01", "deep": 5400, "light": 14400, "rem": 5400}]),
        "DI_CONNECT/DI-Connect-Aggregator/UDSFile_1.json": export_uds(
            [("2024-03-01", 48, 50), ("2024-03-02", 47, 50)]),
    }))
    result = invoke("import", export, "--data-dir", tmp_path / "d")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        "2 imported (0 activities; sleep, resting HR or HRV for 2 days); 0 duplicates; "
        "0 rejected; "
        "1 other files skipped. The store now holds 0 activities.")
    lines = [json.loads(line) for line in invoke("import", export, "--data-dir",
                                                 tmp_path / "e", "--json").stdout.splitlines()]
    assert [(line["status"], line["wellness_days"]) for line in lines] == [("imported", 1),
                                                                          ("imported", 2)]


def test_empty_store_says_what_to_import(tmp_path):
    result = invoke("wellness", "--data-dir", tmp_path)
    assert result.exit_code == 0
    assert "strideload import" in result.output and "wellness log" in result.output
