"""followup-watcher at mailbox scale, side by side with the floor, in one run.

For each N (default 10,000 and 50,000) this generates a realistic mailbox (``bench/genmail.py``)
into a private Dovecot, then measures the installed ``followup-watcher``:

1. the floor: a bare imapclient fetch of the same header fields from the same folders since the
   same date (``bench/floor.py``), in its own process; and the same through imaplib with nothing
   parsed (the wire);
2. the first sync of the mailbox (``followup-watcher sync``, no state yet);
3. syncs with no new mail: the ``sync`` command (and the IMAP commands it sends, counted by a
   relay in between), and polls of a running daemon (``bench/poll.py``);
4. syncs after 100 new messages arrive (appended over IMAP): command and daemon, alternately;
5. the peak RSS of each process (``bench/rss.py``: ``wait4`` from a small parent);
6. the state file's size and how often each sync replaced it (inotify, outside the process);
7. detection throughput: ``followup-watcher explain`` over 10,000 of the messages.

Each timed step runs ``--repeat`` times (default 3), alternating floor and first sync, and the
median is shown. The mail server warms up with one untimed floor run first, so both sides read
from the same warm Dovecot cache. The account keeps in touch (``keep_in_touch_after = "90d"``),
so the first sync reads the headers of every message of the year, as the floor does, while the
index keeps only the 30-day lookback. docs/benchmarks.md explains each figure.

    python bench/scale.py                       # N = 10,000 and 50,000 (about 5 minutes)
    python bench/scale.py -n 2000 --repeat 1    # a quick look
    python bench/scale.py --json figures.json   # also write every figure as JSON
    python bench/scale.py --update-docs         # also put the report into docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import json
import os
import platform
import re
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.genmail import ME, Generator, write_maildir  # noqa: E402

from tests.integration.mailservers import Dovecot, write_config  # noqa: E402

NEW_MAIL = 100
EXPLAIN_MESSAGES = 10_000
LOOKBACK_DAYS = 30
KEEP_IN_TOUCH = "90d"       # makes the ledger read headers back a year: every generated message
HISTORY_DAYS = 365
FOLDERS = ["Sent", "INBOX", "Archive"]  # what folders = ["*"] watches in the generated mailbox

# The targets of issue 6.
TARGET_FIRST_SYNC_RATIO = 1.5     # first sync of 50,000 within 1.5x the floor
TARGET_NO_CHANGE_SECONDS = 0.25   # beyond process start-up
TARGET_NEW_MAIL_SECONDS = 1.0
TARGET_RSS_MB = 150
TARGET_STATE_MB = 20


# --- measuring a process ------------------------------------------------------------------------
@dataclass
class Run:
    seconds: float
    rss_mb: float
    stdout: str
    state_writes: int = 0
    other_writes: int = 0


class WriteCounter:
    """Counts, with inotify, how often files in a directory are replaced or closed after writing,
    by name: an atomic replace (temp file + rename) shows as one IN_MOVED_TO of the final name."""

    IN_CLOSE_WRITE, IN_MOVED_TO = 0x8, 0x80

    def __init__(self, directory: Path):
        self.libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        if self.libc.inotify_add_watch(self.fd, str(directory).encode(), self.IN_CLOSE_WRITE | self.IN_MOVED_TO) < 0:
            raise OSError(ctypes.get_errno(), f"inotify_add_watch {directory}")

    def drain(self) -> dict[str, int]:
        """Events since the last drain: final file name -> how many times it was written."""
        counts: dict[str, int] = {}
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return counts
            offset = 0
            while offset < len(data):
                _wd, mask, _cookie, length = struct.unpack_from("iIII", data, offset)
                name = data[offset + 16:offset + 16 + length].rstrip(b"\0").decode()
                offset += 16 + length
                if mask & self.IN_MOVED_TO or (mask & self.IN_CLOSE_WRITE and not name.endswith(".tmp")):
                    counts[name] = counts.get(name, 0) + 1

    def close(self) -> None:
        os.close(self.fd)


# The program runs as installed: with its bytecode cache (a shell may turn writing it off).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(command: list[str], counter: WriteCounter | None = None, state_name: str = "state.json") -> Run:
    """Run ``command`` to its end; return its wall time and peak RSS (``bench/rss.py``), its
    output, and the files it wrote (``counter``)."""
    if counter:
        counter.drain()
    with tempfile.NamedTemporaryFile(prefix="rss-", suffix=".txt") as figures:
        process = subprocess.run([sys.executable, str(REPO / "bench" / "rss.py"), figures.name, *command],
                                 capture_output=True, env=CHILD_ENV)
        seconds, rss_kib = Path(figures.name).read_text().split()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{process.stderr.decode()}")
    run = Run(float(seconds), int(rss_kib) / 1024, process.stdout.decode())
    if counter:
        writes = counter.drain()
        run.state_writes = writes.pop(state_name, 0)
        run.other_writes = sum(writes.values())
    return run


class Poller:
    """``bench/poll.py``: polls as the running daemon makes them, one at a time, on request."""

    def __init__(self, config: Path):
        self.process = subprocess.Popen([sys.executable, str(REPO / "bench" / "poll.py"), str(config)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=CHILD_ENV)

    def poll(self, counter: WriteCounter | None = None) -> Run:
        if counter:
            counter.drain()
        self.process.stdin.write("poll\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("bench/poll.py ended early (see its error output above)")
        seconds, _new, _writes = line.split()
        run = Run(float(seconds), 0.0, line)
        if counter:
            writes = counter.drain()
            run.state_writes = writes.pop("state.json", 0)
            run.other_writes = sum(writes.values())
        return run

    def close(self) -> float:
        """End it; return its peak RSS in MB."""
        out, _ = self.process.communicate("quit\n", timeout=60)
        return int(out.split()[-1]) / 1024


# --- counting IMAP commands ---------------------------------------------------------------------
class CommandCounter:
    """A TCP relay to the IMAP server that counts the tagged commands clients send through it."""

    TAGGED = re.compile(rb"^[A-Za-z0-9]+ [A-Za-z]")

    def __init__(self, port: int):
        self.target = port
        self.commands: list[bytes] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, count: bool) -> None:
        pending = b""
        try:
            while data := source.recv(65536):
                sink.sendall(data)
                if count:
                    pending += data
                    *lines, pending = pending.split(b"\r\n")
                    self.commands += [line.split(b" ", 2)[1].upper() for line in lines if self.TAGGED.match(line)]
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self.listener.close()


# --- one mailbox size ---------------------------------------------------------------------------
@dataclass
class Figures:
    messages: int
    folders: dict[str, int]
    mailbox_mb: float
    read_by_first_sync: int = 0
    startup: float = 0.0          # followup-watcher --version: the interpreter and the command line
    daemon_no_change: list[Run] = field(default_factory=list)
    daemon_new_mail: list[Run] = field(default_factory=list)
    daemon_rss_mb: float = 0.0
    floor: list[Run] = field(default_factory=list)
    wire: list[Run] = field(default_factory=list)
    first_sync: list[Run] = field(default_factory=list)
    no_change: list[Run] = field(default_factory=list)
    no_change_commands: list[str] = field(default_factory=list)
    new_mail: list[Run] = field(default_factory=list)
    explain: Run | None = None
    explain_messages: int = 0
    state_mb_first: float = 0.0
    state_mb_end: float = 0.0
    indexed: int = 0

    @staticmethod
    def median(runs: list[Run]) -> float:
        return statistics.median(run.seconds for run in runs)

    def summary(self) -> dict:
        floor, first = self.median(self.floor), self.median(self.first_sync)
        no_change = self.median(self.no_change)
        return {
            "messages": self.messages, "folders": self.folders, "mailbox_mb": round(self.mailbox_mb, 1),
            "read_by_first_sync": self.read_by_first_sync, "indexed_after_first_sync": self.indexed,
            "startup_s": self.startup,
            "daemon_no_change_s": self.median(self.daemon_no_change),
            "daemon_no_change_state_writes": max(r.state_writes for r in self.daemon_no_change),
            "daemon_new_mail_s": self.median(self.daemon_new_mail),
            "daemon_new_mail_state_writes": max(r.state_writes for r in self.daemon_new_mail),
            "daemon_rss_mb": self.daemon_rss_mb,
            "floor_s": floor, "floor_rss_mb": max(r.rss_mb for r in self.floor),
            "wire_s": self.median(self.wire), "first_sync_wire_ratio": first / self.median(self.wire),
            "first_sync_s": first, "first_sync_ratio": first / floor,
            "first_sync_rss_mb": max(r.rss_mb for r in self.first_sync),
            "first_sync_state_writes": max(r.state_writes for r in self.first_sync),
            "no_change_s": no_change, "no_change_beyond_startup_s": no_change - self.startup,
            "no_change_rss_mb": max(r.rss_mb for r in self.no_change),
            "no_change_state_writes": max(r.state_writes for r in self.no_change),
            "no_change_other_writes": max(r.other_writes for r in self.no_change),
            "no_change_commands": self.no_change_commands,
            "new_mail_s": self.median(self.new_mail), "new_mail_rss_mb": max(r.rss_mb for r in self.new_mail),
            "new_mail_state_writes": max(r.state_writes for r in self.new_mail),
            "explain_messages": self.explain_messages,
            "explain_s": self.explain.seconds if self.explain else None,
            "explain_per_s": self.explain_messages / self.explain.seconds if self.explain else None,
            "explain_rss_mb": self.explain.rss_mb if self.explain else None,
            "state_mb_first_sync": round(self.state_mb_first, 2), "state_mb_end": round(self.state_mb_end, 2),
            "runs": {name: [asdict(run) | {"stdout": run.stdout[-300:]} for run in getattr(self, name)]
                     for name in ("floor", "wire", "first_sync", "no_change", "new_mail", "daemon_no_change",
                                  "daemon_new_mail")},
        }


def bench_size(dovecot: Dovecot, count: int, repeat: int, workdir: Path, command: Path, now: datetime,
               log) -> Figures:
    user, password = dovecot.add_user()
    generator = Generator(now=now)
    log(f"N={count:,}: generating the mailbox")
    mails = generator.mailbox(count)
    owner = (dovecot.mail_uid, dovecot.mail_gid) if os.geteuid() == 0 else None
    maildir = dovecot.root / "home" / user / "Maildir"
    folders = write_maildir(maildir, mails, owner)
    figures = Figures(count, folders, sum(len(m.raw) for m in mails) / 1e6)

    state_dir = workdir / f"state-{count}"
    state_dir.mkdir()
    state = state_dir / "state.json"
    config = write_config(workdir / f"config-{count}" / "config.toml", dovecot.port, user, password, state,
                          smtp_port=2525, extra_sections={
                              "account": {"email": ME[1], "name": ME[0]},
                              "imap": {"folders": ["*"], "timeout": "120s"},
                              "rules": {"lookback": f"{LOOKBACK_DAYS}d", "keep_in_touch_after": KEEP_IN_TOUCH},
                          })
    sync = [str(command), "--config", str(config), "sync"]
    since = (now - timedelta(days=HISTORY_DAYS)).date().isoformat()
    from watcher.imap_source import _HEADER_ITEM
    floor = [sys.executable, str(REPO / "bench" / "floor.py"), "127.0.0.1", str(dovecot.port), user,
             str(config.parent / "imap-password"), since, "\t".join(["RFC822.SIZE", "INTERNALDATE", _HEADER_ITEM]),
             *FOLDERS]
    counter = WriteCounter(state_dir)

    measure([str(command), "--version"])  # writes the bytecode cache if it is missing
    figures.startup = statistics.median(measure([str(command), "--version"]).seconds for _ in range(5))
    log(f"N={count:,}: warming the server up (one untimed floor run)")
    read = int(measure(floor).stdout.split()[0])
    figures.read_by_first_sync = read
    for round_ in range(repeat):
        log(f"N={count:,}: floor and first sync, round {round_ + 1} of {repeat}")
        figures.floor.append(measure(floor))
        figures.wire.append(measure([floor[0], floor[1], "--wire", *floor[2:]]))
        for leftover in state_dir.iterdir():
            leftover.unlink()
        figures.first_sync.append(measure(sync, counter))
    figures.state_mb_first = state.stat().st_size / 1e6
    figures.indexed = store_count(state)

    log(f"N={count:,}: syncs with no new mail")
    for _ in range(repeat):
        figures.no_change.append(measure(sync, counter))
    relay = CommandCounter(dovecot.port)
    relayed = write_config(workdir / f"config-{count}-relay" / "config.toml", relay.port, user, password, state,
                           smtp_port=2525, extra_sections={
                               "account": {"email": ME[1], "name": ME[0]}, "imap": {"folders": ["*"]},
                               "rules": {"lookback": f"{LOOKBACK_DAYS}d", "keep_in_touch_after": KEEP_IN_TOUCH}})
    measure([str(command), "--config", str(relayed), "sync"])
    figures.no_change_commands = [c.decode() for c in relay.commands]
    relay.close()
    log(f"N={count:,}: the daemon's polls with no new mail")
    daemon = Poller(config)
    daemon.poll(counter)  # its first poll reads the state, as a daemon does once after starting
    for _ in range(repeat):
        run = daemon.poll(counter)
        if run.stdout.split()[1] != "0":
            raise RuntimeError(f"a poll without new mail found some: {run.stdout}")
        figures.daemon_no_change.append(run)

    log(f"N={count:,}: syncs after {NEW_MAIL} new messages (sync command, then the daemon)")
    for round_ in range(2 * repeat):
        arrivals = Generator(seed=round_ + 1, now=datetime.now(timezone.utc)).arrivals(NEW_MAIL, mails)
        mails += arrivals
        with dovecot.client(user) as client:
            for mail in arrivals:
                client.append(mail.folder, mail.raw.replace(b"\n", b"\r\n"), flags=(b"\\Seen",), msg_time=mail.arrived)
        if round_ % 2 == 0:
            run = measure(sync, counter)
            if f" {NEW_MAIL} new messages" not in run.stdout:
                raise RuntimeError(f"expected {NEW_MAIL} new messages, the sync said: {run.stdout}")
            figures.new_mail.append(run)
        else:
            run = daemon.poll(counter)
            if run.stdout.split()[1] != str(NEW_MAIL):
                raise RuntimeError(f"expected {NEW_MAIL} new messages, the poll found: {run.stdout}")
            figures.daemon_new_mail.append(run)
    figures.daemon_rss_mb = daemon.close()
    figures.state_mb_end = state.stat().st_size / 1e6
    counter.close()

    explain_count = min(EXPLAIN_MESSAGES, count)
    log(f"N={count:,}: explain over {explain_count:,} messages")
    explain_dir = workdir / f"explain-{count}"
    write_maildir(explain_dir, mails[:explain_count])
    paths = [str(explain_dir)] + [str(p) for p in sorted(explain_dir.glob(".*")) if p.is_dir()]
    figures.explain = measure([str(command), "explain", *paths])
    figures.explain_messages = figures.explain.stdout.count("\n")
    shutil.rmtree(explain_dir)
    shutil.rmtree(maildir, ignore_errors=True)
    return figures


def store_count(state: Path) -> int:
    data = json.loads(state.read_text(encoding="utf-8"))
    return len(data.get("messages", {}))


# --- the report ---------------------------------------------------------------------------------
def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    dovecot = subprocess.run(["dovecot", "--version"], capture_output=True, text=True).stdout.strip() \
        if shutil.which("dovecot") else "?"
    return (f"{cpu or platform.machine()}, {os.cpu_count()} cores, Linux {platform.release()}, "
            f"Python {platform.python_version()}, Dovecot {dovecot}")


def table(results: list[dict]) -> str:
    """The figures as a Markdown table, one column per mailbox size."""
    def each(render) -> list[str]:
        return [render(r) for r in results]

    rows = [("", *each(lambda r: f"N = {r['messages']:,}")),
            ("mailbox", *each(lambda r: f"{r['mailbox_mb']:.0f} MB; "
                                        + ", ".join(f"{k} {v:,}" for k, v in r["folders"].items()))),
            ("messages whose headers are read", *each(lambda r: f"{r['read_by_first_sync']:,}")),
            ("floor: bare imapclient header fetch", *each(lambda r: f"{r['floor_s']:.2f} s, {r['floor_rss_mb']:.0f} MB")),
            ("wire: imaplib, nothing parsed", *each(lambda r: f"{r['wire_s']:.2f} s")),
            ("first sync", *each(lambda r: f"{r['first_sync_s']:.2f} s = {r['first_sync_ratio']:.2f}x floor, "
                                           f"{r['first_sync_rss_mb']:.0f} MB, {r['first_sync_state_writes']} write")),
            ("  per message (floor, wire)", *each(lambda r: f"{r['first_sync_s'] / r['messages'] * 1e6:.0f} µs "
                                                            f"({r['floor_s'] / r['messages'] * 1e6:.0f} µs, "
                                                            f"{r['wire_s'] / r['messages'] * 1e6:.0f} µs)")),
            ("no new mail: daemon poll", *each(lambda r: f"{r['daemon_no_change_s'] * 1000:.0f} ms, "
                                                         f"{r['daemon_no_change_state_writes']} writes")),
            ("no new mail: `sync` command", *each(lambda r: f"{r['no_change_s']:.2f} s (start-up {r['startup_s']:.2f} s), "
                                                            f"{r['no_change_rss_mb']:.0f} MB, "
                                                            f"{r['no_change_state_writes']} writes")),
            ("  IMAP commands", *each(lambda r: f"{len(r['no_change_commands'])}: "
                                                + " ".join(r["no_change_commands"]))),
            (f"{NEW_MAIL} new messages: daemon poll", *each(lambda r: f"{r['daemon_new_mail_s']:.2f} s, "
                                                                      f"{r['daemon_new_mail_state_writes']} write")),
            (f"{NEW_MAIL} new messages: `sync` command", *each(lambda r: f"{r['new_mail_s']:.2f} s, "
                                                                         f"{r['new_mail_rss_mb']:.0f} MB, "
                                                                         f"{r['new_mail_state_writes']} write")),
            ("daemon peak RSS", *each(lambda r: f"{r['daemon_rss_mb']:.0f} MB")),
            ("state file", *each(lambda r: f"{r['state_mb_first_sync']:.1f} MB after the first sync "
                                           f"({r['indexed_after_first_sync']:,} messages indexed), "
                                           f"{r['state_mb_end']:.1f} MB at the end")),
            ("detection: `explain`", *each(lambda r: f"{r['explain_messages']:,} messages in {r['explain_s']:.1f} s "
                                                     f"= {r['explain_per_s']:,.0f}/s, {r['explain_rss_mb']:.0f} MB"))]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def verdicts(results: list[dict]) -> list[tuple[bool, str]]:
    """Each target of issue 6, met or not, with the figure."""
    largest = max(results, key=lambda r: r["messages"])
    checks = [(largest["first_sync_ratio"] <= TARGET_FIRST_SYNC_RATIO,
               f"first sync of {largest['messages']:,} within {TARGET_FIRST_SYNC_RATIO}x the floor: "
               f"{largest['first_sync_ratio']:.2f}x")]
    for r in results:
        size = f"N={r['messages']:,}"
        writes = r["no_change_state_writes"] + r["daemon_no_change_state_writes"]
        commands = len(r["no_change_commands"])
        folders = len(r["folders"])
        peak = max(r["first_sync_rss_mb"], r["no_change_rss_mb"], r["new_mail_rss_mb"], r["daemon_rss_mb"])
        checks += [
            (writes == 0, f"{size}: no new mail, no state write: {writes}"),
            (commands <= 2 * folders + 4, f"{size}: no new mail, a few IMAP commands: {commands} for {folders} "
                                          f"folders (log in, list, one EXAMINE each, log out)"),
            (r["daemon_no_change_s"] < TARGET_NO_CHANGE_SECONDS,
             f"{size}: no new mail, under {TARGET_NO_CHANGE_SECONDS} s beyond process start-up: "
             f"{r['daemon_no_change_s']:.3f} s per daemon poll (the `sync` command: {r['no_change_s']:.2f} s "
             f"in all, {r['no_change_s'] - r['startup_s']:.2f} s after the interpreter started)"),
            (r["daemon_new_mail_s"] < TARGET_NEW_MAIL_SECONDS,
             f"{size}: {NEW_MAIL} new messages under {TARGET_NEW_MAIL_SECONDS:.0f} s: {r['daemon_new_mail_s']:.2f} s "
             f"per daemon poll (the `sync` command, loading the program as well: {r['new_mail_s']:.2f} s)"),
            (peak < TARGET_RSS_MB, f"{size}: peak RSS under {TARGET_RSS_MB} MB: {peak:.0f} MB"),
            (r["state_mb_end"] < TARGET_STATE_MB, f"{size}: state under {TARGET_STATE_MB} MB with a "
                                                  f"{LOOKBACK_DAYS}-day lookback: {r['state_mb_end']:.1f} MB"),
        ]
    if len(results) > 1:
        small = min(results, key=lambda r: r["messages"])
        grow = largest["messages"] / small["messages"]
        sync_growth = largest["first_sync_s"] / small["first_sync_s"]
        floor_growth = largest["floor_s"] / small["floor_s"]
        checks.append((sync_growth <= max(grow, floor_growth) * 1.2,
                       f"first sync grows linearly: x{sync_growth:.1f} for x{grow:.0f} messages "
                       f"(the floor: x{floor_growth:.1f})"))
    return checks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--messages", type=int, action="append",
                        help="mailbox size; repeat for several (default: 10000 and 50000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timed step; the median is shown")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure to FILE")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    parser.add_argument("--update-docs", action="store_true",
                        help="also put the report into docs/benchmarks.md (between its bench markers)")
    args = parser.parse_args()
    sizes = args.messages or [10_000, 50_000]
    command = Path(sys.executable).parent / "followup-watcher"
    if not command.exists():
        print(f"{command} not found: install the project first (./install.sh or pip install -e .)", file=sys.stderr)
        return 2

    def log(text: str) -> None:
        if not args.quiet:
            print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)

    now = datetime.now(timezone.utc)
    dovecot = Dovecot().start()
    results = []
    try:
        with tempfile.TemporaryDirectory(prefix="followup-scale-") as temp:
            for count in sizes:
                results.append(bench_size(dovecot, count, args.repeat, Path(temp), command, now, log).summary())
    finally:
        dovecot.stop()
    checks = verdicts(results)
    report = "\n".join([
        f"followup-watcher {version()} at mailbox scale, {now:%Y-%m-%d}, median of {args.repeat} run(s)  ",
        f"machine: {machine()}  ",
        f"account: folders = [\"*\"] ({', '.join(FOLDERS)}), lookback = \"{LOOKBACK_DAYS}d\", "
        f"keep_in_touch_after = \"{KEEP_IN_TOUCH}\" (headers read back {HISTORY_DAYS} days)",
        "", table(results), "", "```",
        *[f"{'met    ' if ok else 'NOT MET'}  {text}" for ok, text in checks], "```"])
    print(report)
    if args.update_docs:
        update_docs(REPO / "docs" / "benchmarks.md", "bench", report)
        update_docs(REPO / "README.md", "headline", headline(results))
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "repeat": args.repeat, "results": results,
                                         "checks": [{"met": ok, "text": text} for ok, text in checks]}, indent=1))
    return 0


def headline(results: list[dict]) -> str:
    """The largest mailbox's figures in a few lines, for the README."""
    r = max(results, key=lambda r: r["messages"])
    return "\n".join([
        f"- first sync of {r['messages']:,} messages: {r['first_sync_s']:.1f} s, {r['first_sync_ratio']:.2f}x the "
        f"floor ({r['floor_s']:.1f} s), one state write, {r['first_sync_rss_mb']:.0f} MB peak;",
        f"- a poll with no new mail: {r['daemon_no_change_s'] * 1000:.0f} ms in the daemon, "
        f"{len(r['no_change_commands'])} IMAP commands, nothing written;",
        f"- a poll after {NEW_MAIL} new messages: {r['daemon_new_mail_s']:.2f} s in the daemon "
        f"({r['new_mail_s']:.2f} s as a `sync` command, which loads the program first);",
        f"- state file {r['state_mb_end']:.1f} MB with the 30-day lookback; detection "
        f"{r['explain_per_s']:,.0f} messages a second (`explain`).",
    ])


def update_docs(path: Path, marker: str, report: str) -> None:
    """Replace what stands between the ``marker`` comments of ``path`` with ``report``."""
    text = path.read_text(encoding="utf-8")
    begin, end = f"<!-- {marker}:begin -->", f"<!-- {marker}:end -->"
    if begin not in text or end not in text:
        raise SystemExit(f"{path} has no {begin} ... {end} block to fill")
    head, rest = text.split(begin, 1)
    path.write_text(f"{head}{begin}\n{report}\n{end}{rest.split(end, 1)[1]}", encoding="utf-8")


def version() -> str:
    from watcher import __version__
    return __version__


if __name__ == "__main__":
    sys.exit(main())
