"""``followup-watcher demo``: the whole pipeline on the bundled sample mailbox, with a throwaway state.

The sample mailbox (``watcher/sample/mailbox``) is a small business mailbox read through the same
``LocalSource`` interface as any Maildir; its ``AS_OF`` file fixes the "now" the demo runs at,
so the output is the same on every machine and every day.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from watcher import command_mail
from watcher.config import parse_config
from watcher.digest import build_nudge
from watcher.jobs import nudge_settings, open_reminders, unreported_declines
from watcher.source import LocalSource
from watcher.store import Store
from watcher.sync import policy_from_config, run_once

SAMPLE_MAILBOX = Path(__file__).parent / "sample" / "mailbox"
DEMO_SECRET = "d3" * 32  # a throwaway state: its action links need not be secret, only stable


def demo_config(state_dir: Path, environ) -> object:
    """The demo's configuration: the sample's owner, Pat Weber, in Berlin; nothing is sent."""
    return parse_config({
        "account": {"email": "pat@example.com", "name": "Pat Weber", "aliases": ["pat@old.example"]},
        "local": {"path": str(SAMPLE_MAILBOX), "folders": ["*"]},
        "smtp": {"host": "localhost", "port": 25, "security": "none"},
        "digest": {"time": "08:00", "timezone": "Europe/Berlin"},
        "state": {"path": str(state_dir / "state.json")},
    }, environ)


def sample_now() -> datetime:
    return datetime.fromisoformat((SAMPLE_MAILBOX / "AS_OF").read_text(encoding="utf-8").strip())


def run_demo(environ):
    """Sync the sample mailbox into a temporary state; return ``(summary, nudge or None, now)``
    with ``now`` in the demo's zone."""
    now = sample_now()
    with tempfile.TemporaryDirectory(prefix="followup-watcher-demo-") as state_dir:
        config = demo_config(Path(state_dir), environ)
        with Store.open(config.state.path, "demo") as store:
            store.set_meta(**{command_mail.SECRET: DEMO_SECRET})  # the same links on every run
            summary = run_once(policy_from_config(config), LocalSource(SAMPLE_MAILBOX), store, now)
            settings = nudge_settings(config, store.meta(command_mail.SECRET) or "")
            nudge = build_nudge(open_reminders(store), now, settings, unreported_declines(store))
    return summary, nudge, now.astimezone(config.digest.timezone)
