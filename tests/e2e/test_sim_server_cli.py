"""`stability sim-server` serves personas to any OpenAI client and stops on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys

from openai import OpenAI


def test_sim_server_command_serves_and_stops() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "stability", "sim-server", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("sim server listening on http://127.0.0.1:"), line
        url = line.split(" on ", 1)[1].strip()
        client = OpenAI(base_url=url, api_key="sim", max_retries=0)
        names = {m.id for m in client.models.list()}
        assert {"oracle", "looper", "rambler", "staller", "illegal", "drifter", "flaky"} <= names
        reply = client.chat.completions.create(
            model="oracle", messages=[{"role": "user", "content": "hello"}]
        )
        assert reply.choices[0].message.content
        client.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
    assert proc.returncode == 0
    assert proc.stderr is not None and "Traceback" not in proc.stderr.read()
