"""The sim server in a child process, for benchmarks and tests that need it apart.

A separate process keeps the sim's CPU out of the harness's measurements and
lets a test kill the server mid-run, as a real server can die.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from stability.errors import HarnessError


@contextmanager
def sim_server_process(port: int = 0) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """Run ``stability sim-server`` in a child process; yield (base URL, process).

    The process is terminated on exit (if the caller has not already).
    """
    proc = subprocess.Popen(
        [sys.executable, "-m", "stability", "sim-server", "--port", str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline() if proc.stdout is not None else ""
        if " on " not in line:
            raise HarnessError(f"sim server did not start: {line.strip() or 'no output'}")
        yield line.split(" on ", 1)[1].strip(), proc
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.wait(timeout=10)
