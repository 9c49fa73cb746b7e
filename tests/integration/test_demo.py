"""The README's first command ends in `followup-watcher demo`: the installed command must print the
nudge for the bundled sample mailbox, as watcher/sample/EXPECTED.md describes it."""

from __future__ import annotations

import os
import subprocess

from tests.integration.mailservers import installed_command


def run_demo(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    return subprocess.run([str(installed_command()), "demo", "--html", str(tmp_path / "nudge.html")],
                          capture_output=True, text=True, timeout=120, env=env)


def test_demo_prints_the_nudge_for_the_sample_mailbox(tmp_path):
    result = run_demo(tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "As of Tue 17 Nov 2026 08:00 CET" in out
    assert "synced 3 folders" in out
    assert "9 open reminders" in out and "1 declined" in out
    assert "Subject: 5 follow-ups due: José Álvarez, Dana Lee, +2" in out
    for due in ("Dana Lee", "Greg Hall", "Markus Brandt", "José Álvarez"):
        assert due in out
    # José: a promise, shown as written, overdue since "next week" from Tue 3 Nov
    assert ("You told José on Tue 3 Nov: “Let me check with our CTO and get back to you next week, well before "
            "your security review”. Due Mon 9 Nov, 8 days ago.") in out
    assert "you followed up 1 time" in out  # Greg: the follow-up came from Pat's alias
    # Dana: "Happy to put together proper pricing …" accepts her request, a plan that needs only her answers
    assert "You told Dana on Sun 8 Nov: “Happy to put together proper pricing for the 2027 rollout" in out
    # Relecloud declined: reported once, closed for good
    assert "Declined since the last nudge" in out and "Kevin Murphy (RE: Partner programme for Relecloud" in out
    # Answered (in Archive, by a colleague on Cc, by a headerless "RE:"), not yet due (Tom, Jonas's
    # promise on Fri 20 Nov, Lena back from holiday, Emma's check-back in January), thanks-only (Olivia).
    for quiet in ("Sam Ortiz", "Priya Nair", "Woodgrove", "Tom Becker", "Emma Schulz", "Lena Fischer",
                  "Jonas Richter", "Olivia Chen"):
        assert quiet not in out
    html = (tmp_path / "nudge.html").read_text()
    assert "<html" in html.lower() and "Dana Lee" in html


def test_demo_leaves_no_state_behind(tmp_path):
    assert run_demo(tmp_path).returncode == 0
    assert not (tmp_path / "state").exists()
    assert not any(tmp_path.glob("followup-watcher-demo-*"))
