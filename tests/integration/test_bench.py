"""The benchmark scripts keep working (their figures are read by people, not asserted here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_explain_speed_runs_the_installed_command_and_reports_every_message():
    result = subprocess.run([sys.executable, str(REPO / "bench" / "explain_speed.py"), "-n", "40"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "results printed: 40 (0 unreadable)" in result.stdout
    for line in ("messages:", "wall time:", "throughput:", "target:"):
        assert line in result.stdout
