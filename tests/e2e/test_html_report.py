"""The HTML report opens in headless Chromium without console errors, charts drawn."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tests.e2e.conftest import run_cli
from tests.e2e.test_report_gate import craft

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
    "--hide-scrollbars",
]


def hex_rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_html_report_renders_in_chromium(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    craft(
        db,
        [("alpha", "completed", "checkmate", [])] * 3
        + [("beta", "forfeit", "illegal_moves", [])] * 2
        + [("beta", "stopped", "loop.text", [])] * 2
        + [("<img src=x onerror=alert(1)>", "completed", "checkmate", [])],
        turns=6,
    )
    page = tmp_path / "report.html"
    out = run_cli(["report", "--html", str(page), "--db", str(db)])
    assert out.returncode == 0, out.stderr
    text = page.read_text()
    assert "<script" not in text and "http" not in text.replace("http-equiv", "")
    assert "<img" not in text, text[text.find("<img") - 80 : text.find("<img") + 40]
    assert "&lt;img src=x onerror=alert(1)&gt;" in text, text[
        text.find("onerror") - 80 : text.find("onerror") + 40
    ]
    shot = tmp_path / "shot.png"
    result = subprocess.run(
        [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={shot}",
            "--window-size=1000,1800",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    console = [
        line
        for line in result.stderr.splitlines()
        if "CONSOLE" in line or "Failed to load" in line or "Uncaught" in line
    ]
    assert console == []
    image = Image.open(shot).convert("RGB")
    counts = {color: n for n, color in image.getcolors(maxcolors=1 << 20)}
    # outcome bars (completed green, forfeit orange, stopped red) and two chart lines
    for needed in ("#2ca02c", "#ff7f0e", "#d62728", "#1f77b4"):
        assert hex_rgb(needed) in counts, needed
    assert counts[hex_rgb("#1f77b4")] > 200  # a drawn line, not a legend swatch alone
