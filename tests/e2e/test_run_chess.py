"""`stability run chess` end to end: a subprocess, the sim server, a real SQLite file."""

from __future__ import annotations

import io
import json
import time
from datetime import datetime
from pathlib import Path

import chess.pgn
import sqlite_utils

from tests.e2e.conftest import run_cli


def rows(db: Path, sql: str) -> list[dict]:
    return list(sqlite_utils.Database(db).query(sql))


def test_oracle_games_complete_and_pgn_round_trips(db: Path, tmp_path: Path) -> None:
    args = [
        "run",
        "chess",
        "--model",
        "sim:oracle",
        "--games",
        "4",
        "--concurrency",
        "4",
        "--seed",
        "1",
    ]
    result = run_cli([*args, "--db", str(db)])
    assert result.returncode == 0, result.stderr
    runs = rows(db, "SELECT * FROM runs ORDER BY id")
    assert len(runs) == 4
    assert {r["outcome"] for r in runs} == {"completed"}
    assert all(r["status"] == "finished" and r["turns"] > 0 for r in runs)
    for run in runs:
        turns = rows(db, f"SELECT idx FROM turns WHERE run_id = {run['id']} ORDER BY idx")
        assert [t["idx"] for t in turns] == list(range(run["turns"]))

    pgns = []
    for run in runs:
        out = run_cli(["export", str(run["id"]), "--pgn", "--db", str(db)])
        assert out.returncode == 0, out.stderr
        game = chess.pgn.read_game(io.StringIO(out.stdout))
        assert game is not None and not game.errors
        moves = [m.uci() for m in game.mainline_moves()]
        assert moves == json.loads(run["checkpoint"])["moves"]
        assert (
            game.headers["Result"] == game.end().board().result(claim_draw=False)
            or run["reason"] == "ply_cap_draw"
        )
        pgns.append(out.stdout)

    again = tmp_path / "again.db"
    assert run_cli([*args, "--db", str(again)]).returncode == 0
    for run_id, pgn in enumerate(pgns, start=1):
        out = run_cli(["export", str(run_id), "--pgn", "--db", str(again)])
        assert out.stdout == pgn  # byte-identical for the same seed


def test_rambler_is_stopped_at_the_turn_budget(db: Path) -> None:
    result = run_cli(
        ["run", "chess", "--model", "sim:rambler", "--turn-max-tokens", "400", "--db", str(db)]
    )
    assert result.returncode == 0, result.stderr
    (run,) = rows(db, "SELECT * FROM runs")
    assert (run["outcome"], run["reason"]) == ("stopped", "nontermination.turn_tokens")
    (turn,) = rows(db, "SELECT * FROM turns")
    assert turn["completion_tokens"] <= 401 and turn["cut_by"] == "nontermination.turn_tokens"
    assert len(turn["reasoning"]) > 0  # the partial text is kept


def test_staller_is_stopped_quickly(db: Path) -> None:
    t0 = time.monotonic()
    result = run_cli(
        ["run", "chess", "--model", "sim:staller", "--stall-timeout", "1s", "--db", str(db)]
    )
    elapsed = time.monotonic() - t0
    assert result.returncode == 0, result.stderr
    (run,) = rows(db, "SELECT * FROM runs")
    assert (run["outcome"], run["reason"]) == ("stopped", "stall")
    assert elapsed < 5.0


def test_flaky_completes_and_every_retry_is_an_event(db: Path) -> None:
    result = run_cli(["run", "chess", "--model", "sim:flaky?rate=0.4", "--db", str(db)])
    assert result.returncode == 0, result.stderr
    (run,) = rows(db, "SELECT * FROM runs")
    assert run["outcome"] == "completed"
    retries = rows(db, "SELECT * FROM events WHERE kind = 'retry'")
    extra_attempts = rows(db, "SELECT SUM(attempt - 1) AS n FROM turns")[0]["n"]
    assert len(retries) == extra_attempts > 0
    assert {e["code"] for e in retries} <= {
        "http_429",
        "http_500",
        "http_503",
        "connection_dropped",
        "malformed_stream",
    }


def test_illegal_forfeits_after_the_retry_limit(db: Path) -> None:
    result = run_cli(["run", "chess", "--model", "sim:illegal", "--db", str(db)])
    assert result.returncode == 0, result.stderr
    (run,) = rows(db, "SELECT * FROM runs")
    assert (run["outcome"], run["reason"]) == ("forfeit", "illegal_moves")
    turns = rows(db, "SELECT parse, action_key FROM turns ORDER BY idx")
    assert [t["parse"] for t in turns] == ["illegal"] * 3
    assert all(t["action_key"].startswith("illegal:") for t in turns)


def test_max_wall_ends_as_budget_with_the_partial_turn(db: Path) -> None:
    t0 = time.monotonic()
    result = run_cli(
        ["run", "chess", "--model", "sim:rambler?tps=50", "--max-wall", "3s", "--db", str(db)]
    )
    elapsed = time.monotonic() - t0
    assert result.returncode == 0, result.stderr
    (run,) = rows(db, "SELECT * FROM runs")
    assert (run["outcome"], run["reason"]) == ("budget", "max_wall")
    (turn,) = rows(db, "SELECT * FROM turns")
    assert turn["cut_by"] == "max_wall" and turn["completion_tokens"] > 0 and turn["reasoning"]
    run_seconds = (
        datetime.fromisoformat(run["ended_at"]) - datetime.fromisoformat(run["started_at"])
    ).total_seconds()
    assert 3.0 <= run_seconds < 5.0
    assert elapsed < 5.0 + 3.0  # plus interpreter start-up on a loaded 2-core machine


def test_server_failing_after_retries_is_infra(db: Path) -> None:
    result = run_cli(
        [
            "run",
            "chess",
            "--model",
            "sim:flaky?faults=500&rate=1&max_faults=99",
            "--max-retries",
            "2",
            "--db",
            str(db),
        ]
    )
    assert result.returncode == 0, result.stderr
    (run,) = rows(db, "SELECT * FROM runs")
    assert (run["outcome"], run["reason"]) == ("infra", "http_500")
    assert len(rows(db, "SELECT * FROM events WHERE kind = 'retry'")) == 2
    report = run_cli(["report", "--format", "json", "--db", str(db)])
    (group,) = json.loads(report.stdout)["groups"]
    assert group["counts"]["infra"] == 1 and group["termination_rate"]["n"] == 0


def test_show_prints_the_transcript(db: Path) -> None:
    assert run_cli(["run", "chess", "--model", "sim:illegal", "--db", str(db)]).returncode == 0
    out = run_cli(["show", "1", "--db", str(db)])
    assert out.returncode == 0
    assert out.stdout.count("── turn") == 3
    assert "forfeit" in out.stdout and "illegal" in out.stdout
