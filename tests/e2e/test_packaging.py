"""Import-time guarantees: our `watchdog` is checked, headless runs never load Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import run_cli


def test_a_foreign_watchdog_package_is_reported_in_one_line(tmp_path: Path) -> None:
    fake = tmp_path / "shadow" / "watchdog"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("# the PyPI filesystem-events package stands here\n")
    result = run_cli(
        ["run", "chess", "--model", "sim:oracle", "--db", str(tmp_path / "x.db")],
        env={"PYTHONPATH": str(fake.parent)},
        cwd=tmp_path,
    )
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "pipx install llm-stability" in lines[0], result.stderr
    assert not (tmp_path / "x.db").exists()


def test_our_watchdog_is_found_normally() -> None:
    from stability._guard import check_watchdog_package

    check_watchdog_package()


def test_a_headless_run_never_imports_textual(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from stability.cli import main\n"
        "try:\n"
        f"    main(['run', 'chess', '--model', 'sim:oracle', '--db', r'{tmp_path / 'h.db'}'])\n"
        "except SystemExit as e:\n"
        "    assert e.code == 0, e.code\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'dashboard'))\n"
        "print(loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
