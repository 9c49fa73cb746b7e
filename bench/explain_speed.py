"""How fast is ``followup-watcher explain`` over 10,000 ordinary messages, on one core?

Builds a Maildir of N messages (default 10,000) in a temporary directory by cycling through real
mail: the Enron, notmuch and sample messages under ``../shared/corpora`` (or ``--corpora``), or the
bundled sample mailbox when the corpora are absent. Then runs the installed ``followup-watcher
explain`` on it, pinned to one CPU where the system allows, with its output thrown away, and prints
the wall-clock time, CPU time and messages per second. Every detector runs on every message.

    python bench/explain_speed.py            # 10,000 messages
    python bench/explain_speed.py -n 2000
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 10.0


def corpus_files(corpora: Path) -> list[Path]:
    """Raw RFC 822 messages from the corpora: the Enron sets and the notmuch maildirs."""
    roots = [corpora / "enron" / "berkeley-categories", corpora / "enron" / "quagga-zoning" / "annotated_all",
             corpora / "enron" / "maildir-sample", corpora / "fixtures" / "notmuch-corpora"]
    files = []
    for root in roots:
        if root.is_dir():
            files += sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in ("", ".txt")
                            and not p.name.endswith((".cats", "categories.txt")) and p.stat().st_size > 200)
    return files


def sample_files() -> list[Path]:
    mailbox = REPO / "watcher" / "sample" / "mailbox"
    return sorted(p for p in mailbox.rglob("*") if p.is_file() and p.parent.name in ("cur", "new"))


def build_maildir(sources: list[Path], count: int, target: Path) -> int:
    """Copy ``count`` messages, cycling through ``sources``, into ``target/cur``; return total bytes."""
    cur = target / "cur"
    cur.mkdir(parents=True)
    (target / "new").mkdir()
    (target / "tmp").mkdir()
    total = 0
    for number, source in zip(range(count), itertools.cycle(sources)):
        destination = cur / f"{number:06d}.bench:2,S"
        shutil.copyfile(source, destination)
        total += destination.stat().st_size
    return total


def machine_reference() -> float:
    """Microseconds for one search of a simple compiled regex over 480 characters: a figure to
    scale the result by (a current laptop core takes about 1 µs)."""
    import re
    pattern, text = re.compile(r"\bfoo\b"), "hello world " * 40
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(20_000):
            pattern.search(text)
        best = min(best, (time.perf_counter() - started) / 20_000 * 1e6)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--messages", type=int, default=10_000)
    parser.add_argument("--corpora", type=Path, default=Path(os.environ.get(
        "FOLLOWUP_CORPORA", REPO.parent / "shared" / "corpora")))
    args = parser.parse_args()

    command = Path(sys.executable).parent / "followup-watcher"
    if not command.exists():
        print(f"{command} not found: install the project first (pip install -e .)", file=sys.stderr)
        return 2
    sources = corpus_files(args.corpora)
    origin = f"{len(sources)} distinct corpus messages from {os.path.relpath(args.corpora, REPO)}"
    if not sources:
        sources = sample_files()
        origin = f"{len(sources)} distinct messages of the bundled sample mailbox (corpora not found)"
    with tempfile.TemporaryDirectory(prefix="explain-bench-") as temp:
        maildir = Path(temp) / "Maildir"
        size = build_maildir(sources, args.messages, maildir)
        pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        result = subprocess.run([*pin, str(command), "explain", str(maildir)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        print(result.stderr, file=sys.stderr)
        return 1
    lines = result.stdout.count("\n")
    errors = result.stdout.count('"error":')
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"messages:        {args.messages:,} ({size / 1e6:.1f} MB), cycled from {origin}")
    print(f"results printed: {lines:,} ({errors} unreadable)")
    print(f"one core:        {'yes (taskset -c 0)' if pin else 'not pinned (taskset missing)'}")
    print(f"machine:         {machine_reference():.1f} µs per simple regex search over 480 characters")
    print(f"wall time:       {wall:.2f} s (includes interpreter start-up)")
    print(f"CPU time:        {cpu:.2f} s")
    print(f"throughput:      {args.messages / wall:,.0f} messages/s")
    scaled = wall * 10_000 / args.messages
    print(f"target:          10,000 messages in < {TARGET_SECONDS:.0f} s: "
          f"{'met' if scaled < TARGET_SECONDS else 'NOT met'} ({scaled:.2f} s for 10,000)")
    return 0 if lines == args.messages else 1


if __name__ == "__main__":
    sys.exit(main())
