"""API keys never reach the database, exports or output."""

from __future__ import annotations

from pathlib import Path

from stability.sim.process import sim_server_process
from tests.e2e.conftest import run_cli

SECRET = "sk-planted-9f3c1e7a5b2d4c6e8a0b"


def test_a_planted_api_key_is_never_stored(tmp_path: Path) -> None:
    with sim_server_process() as (url, _):
        db = tmp_path / "k.db"
        # the key in the environment, and in the URL's user-info and query string too
        leaky = url.replace("http://", f"http://user:{SECRET}@") + f"?api-key={SECRET}"
        out = run_cli(
            ["run", "chess", "--base-url", leaky, "--model", "oracle", "--db", str(db)],
            env={"OPENAI_API_KEY": SECRET},
        )
        assert out.returncode == 0, out.stderr
    texts = [out.stdout, out.stderr]
    for args in (
        ["export", "1", "--jsonl"],
        ["export", "1", "--pgn"],
        ["export", "--csv"],
        ["report", "--format", "json"],
        ["show", "1"],
    ):
        result = run_cli([*args, "--db", str(db)])
        assert result.returncode == 0, result.stderr
        texts += [result.stdout, result.stderr]
    blobs = [p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("k.db")]
    assert blobs
    for blob in blobs:
        assert SECRET.encode() not in blob
    for text in texts:
        assert SECRET not in text
