"""Report, gate and exports on crafted databases, through the real command line."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from stability.store import Store
from stability.types import Outcome
from tests.e2e.conftest import run_cli


def craft(db: Path, runs: list[tuple[str, str, str, list[str]]], turns: int = 3) -> None:
    """runs: (model, outcome, reason, tags); each run gets `turns` turns."""
    store = Store.open(db)
    for i, (model, outcome, reason, tags) in enumerate(runs):
        run_id = store.create_run(
            batch="b",
            scenario="chess",
            model=model,
            base_url="",
            params={"scenario": {"ply_cap": 200}},
            seed=i,
            tags=tags,
            checkpoint={},
        )
        for t in range(turns):
            store.record_turn(
                {
                    "run_id": run_id,
                    "idx": t,
                    "completion_tokens": 100 * (t + 1),
                    "prompt_tokens": 50,
                    "reasoning_tokens": 10,
                    "latency_ms": 200.0,
                    "ttft_ms": 20.0,
                    "parse": "ok",
                    "format_ok": 1,
                },
                {"moves": ["e2e4"] * (t + 1), "model_color": "white"},
            )
        store.finish_run(run_id, Outcome(outcome), reason)
    store.close()


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    db = tmp_path / "mixed.db"
    craft(
        db,
        [("good", "completed", "checkmate", ["v1"])] * 9
        + [("good", "forfeit", "illegal_moves", ["v1"])]
        + [("good", "infra", "http_500", ["v1"])] * 2
        + [("good", "interrupted", "sigint", ["v1"])]
        + [("bad", "stopped", "loop.text", ["v2"])] * 6
        + [("bad", "completed", "checkmate", ["v2"])] * 4,
    )
    return db


def test_report_denominators_exclude_infra_and_interrupted(mixed: Path) -> None:
    out = run_cli(["report", "--format", "json", "--db", str(mixed)])
    assert out.returncode == 0, out.stderr
    groups = {g["model"]: g for g in json.loads(out.stdout)["groups"]}
    good = groups["good"]
    assert good["termination_rate"]["n"] == 10 and good["termination_rate"]["value"] == 1.0
    assert good["completion_rate"]["value"] == pytest.approx(0.9)
    assert good["counts"]["infra"] == 2 and good["counts"]["interrupted"] == 1
    assert groups["bad"]["loop_rate"] == pytest.approx(0.6)
    assert good["tokens"]["completion"]["p95"] == pytest.approx(300, rel=0.01)
    table = run_cli(["report", "--db", str(mixed)])
    assert "not counted: infra 2 · interrupted 1" in table.stdout


def test_report_filters_and_compare(mixed: Path) -> None:
    only = run_cli(["report", "--format", "json", "--tag", "v2", "--db", str(mixed)])
    (group,) = json.loads(only.stdout)["groups"]
    assert group["model"] == "bad" and group["runs"] == 10
    since = run_cli(["report", "--format", "json", "--since", "2999-01-01", "--db", str(mixed)])
    assert json.loads(since.stdout)["groups"] == []
    runs = run_cli(["report", "--format", "json", "--run", "1", "--run", "2", "--db", str(mixed)])
    assert json.loads(runs.stdout)["runs"] == 2
    cmp = run_cli(["report", "--compare", "good", "bad", "--format", "json", "--db", str(mixed)])
    rates = {r["metric"]: r for r in json.loads(cmp.stdout)["rates"]}
    assert rates["termination_rate"]["significant"] is True  # 10/10 vs 4/10
    bad_sel = run_cli(["report", "--compare", "good", "nobody", "--db", str(mixed)])
    assert bad_sel.returncode == 2 and "nobody" in bad_sel.stderr


def test_gate_exit_codes(mixed: Path, tmp_path: Path) -> None:
    def gate(*args: str, env: dict[str, str] | None = None):
        return run_cli(["gate", *args, "--db", str(mixed)], env=env)

    assert gate("--model", "good", "--min-termination-rate", "0.95").returncode == 0
    assert gate("--min-termination-rate", "0.95").returncode == 1  # "bad" fails
    assert (
        gate("--model", "good", "--min-termination-rate", "0.95", "--on-lower-bound").returncode
        == 1
    )  # 10/10: lower bound 0.72
    assert gate("--model", "bad", "--max-loop-rate", "0.5").returncode == 1
    assert gate("--model", "good", "--fail-over", "tokens.completion.p95=250").returncode == 1
    assert gate("--model", "good", "--fail-under", "chess.length_pct_of_cap=1").returncode == 0
    for bad in (
        ["--fail-under", "nonsense"],
        ["--fail-under", "termination_rate=high"],
        ["--fail-over", "no.such.metric=1"],
        [],
        ["--model", "nobody", "--min-termination-rate", "0.5"],
    ):
        result = gate(*bad)
        assert result.returncode == 2, (bad, result.stdout, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1
    summary_file = tmp_path / "step.md"
    junit = tmp_path / "gate.xml"
    failing = gate(
        "--min-termination-rate",
        "0.95",
        "--junit",
        str(junit),
        env={"GITHUB_STEP_SUMMARY": str(summary_file)},
    )
    assert failing.returncode == 1
    assert "FAILED" in summary_file.read_text()
    root = ET.parse(junit).getroot()
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    runs, gates = suites["runs"], suites["gates"]
    assert (runs.get("tests"), runs.get("failures"), runs.get("skipped")) == ("23", "6", "3")
    assert len(list(runs.iter("testcase"))) == 23
    assert (gates.get("tests"), gates.get("failures")) == ("2", "1")
    assert len(list(gates.iter("failure"))) == 1


def test_export_csv_round_trips(mixed: Path) -> None:
    out = run_cli(["export", "--csv", "--db", str(mixed)])
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(rows) == 23 and rows[0]["outcome"] == "completed" and rows[0]["turns"] == "3"
    jsonl = run_cli(["export", "1", "--jsonl", "--db", str(mixed)])
    assert [json.loads(line)["idx"] for line in jsonl.stdout.splitlines()] == [0, 1, 2]
