"""Reliability under bad input, against a real Dovecot with the installed command.

Done-when of the issue: every message file of the shared corpora (malformed MIME, spam, huge
messages, odd charsets, broken or missing dates, missing Message-IDs, reference loops, duplicate
Message-IDs) goes through ``explain`` and through a full ``sync`` without an exception;
unreadable messages are counted and skipped and the rest of the mailbox is unaffected; a 50 MB
message is never downloaded whole; a message with 10,000 References is handled in bounded time.

The corpora are read in place (``corpora`` fixture: skipped when absent, a failure under CI=true)
and appended to Dovecot as they are; the hostile messages are made here, in memory or in tmp_path.
How many bytes the watcher downloads is Dovecot's own figure: the line it logs when an IMAP
session ends ("Logged out in=… out=… hdr_count=… body_bytes=…").
"""

from __future__ import annotations

import base64
import json
import random
import re
import subprocess
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import pytest
from imapclient.exceptions import IMAPClientError

from tests.integration.mailservers import installed_command, make_message, run_cli, write_config

NOW = datetime.now(timezone.utc)
DANA = "Dana Lee <dana@northwind.example>"
EXPLAIN_BATCH = 500        # paths per `explain` run: one process start per batch, not per file
APPEND_BATCH = 100         # messages per MULTIAPPEND (RFC 3502); a refused batch is retried one by one
NOT_MAIL = {".ann", ".cats"}  # the corpora's annotations (see their README), beside the messages


# --- the corpora -----------------------------------------------------------------------------------
def corpus_message_files(corpora: Path) -> list[Path]:
    """Every file of the corpora that holds a message or a message body: all of them except the
    labelled sentences (``intent/``), annotations (``*.ann``, ``*.cats``, ``categories.txt``)
    and licence and read-me files."""
    files = []
    for path in sorted(corpora.rglob("*")):
        relative = path.relative_to(corpora)
        if not path.is_file() or relative.parts[0] == "intent" or path.suffix in NOT_MAIL:
            continue
        if path.name == "categories.txt" or path.suffix == ".md" or \
                path.name.split(".")[0].upper() in ("LICENSE", "COPYING", "README"):
            continue
        files.append(path)
    return files


def explain(paths: list[Path], timeout: float = 120) -> list[dict]:
    """Run the installed ``followup-watcher explain PATHS...``; check it neither failed nor
    printed a traceback; return the JSON object it printed for each message."""
    result = subprocess.run([str(installed_command()), "explain", *map(str, paths)], capture_output=True,
                            text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return [json.loads(line) for line in result.stdout.splitlines()]


def source_file(label: str) -> str:
    """The file an ``explain`` result came from: its source without an mbox entry's ``#N``."""
    path, hash_mark, number = label.rpartition("#")
    return path if hash_mark and number.isdigit() else label


@pytest.fixture(scope="module")
def explained(corpora) -> tuple[list[Path], list[dict]]:
    """The corpora's message files and what ``explain`` printed for them (run once per module)."""
    files = corpus_message_files(corpora)
    results = []
    for start in range(0, len(files), EXPLAIN_BATCH):
        results += explain(files[start:start + EXPLAIN_BATCH])
    return files, results


# --- the mailbox -----------------------------------------------------------------------------------
def append_all(client, folder: str, raws: list[bytes]) -> list[tuple[int, str]]:
    """Append ``raws`` to ``folder`` as they are; return ``(index, reason)`` of each one the
    server refused. A refused MULTIAPPEND saves nothing (RFC 3502), so its batch is then appended
    one message at a time to find the culprits."""
    refused = []
    for start in range(0, len(raws), APPEND_BATCH):
        batch = raws[start:start + APPEND_BATCH]
        before = message_count(client, folder)
        try:
            client.multiappend(folder, batch)  # imapclient returns a refusal rather than raising it
        except IMAPClientError:
            pass
        saved = message_count(client, folder) - before
        if saved == len(batch):
            continue
        assert saved == 0, f"MULTIAPPEND saved {saved} of {len(batch)} messages: not all or nothing"
        for index, raw in enumerate(batch, start):
            try:
                client.append(folder, raw)
            except IMAPClientError as error:
                refused.append((index, str(error)))
    return refused


def message_count(client, folder: str) -> int:
    return client.folder_status(folder, [b"MESSAGES"])[b"MESSAGES"]


def sessions(dovecot, user: str) -> list[dict[str, int]]:
    """Dovecot's own account of each ended IMAP session of ``user``: the counters of its logout
    line (``in``, ``out`` bytes; ``hdr_count``, ``hdr_bytes``, ``body_count``, ``body_bytes``)."""
    log = dovecot.root / "dovecot.log"
    text = log.read_text(errors="replace") if log.exists() else ""
    found = []
    for line in text.splitlines():
        if f"imap({user})" in line and "Logged out " in line:
            counters = line.split("Logged out ", 1)[1].split()
            found.append({key: int(value) for key, _, value in (c.partition("=") for c in counters)
                          if value.isdigit()})
    return found


def watcher_sessions(dovecot, user: str, timeout: float = 10.0) -> list[dict[str, int]]:
    """The ended sessions of ``user`` that fetched headers, which only the watcher does here.
    Dovecot logs a session's end after the client has gone, so wait for the line (not for time)."""
    deadline = time.monotonic() + timeout
    while not (fetching := [s for s in sessions(dovecot, user) if s.get("hdr_count", 0) > 0]) \
            and time.monotonic() < deadline:
        time.sleep(0.05)
    assert fetching, f"no logout line with fetch counters for {user} in Dovecot's log:\n{dovecot.log_tail()}"
    return fetching


SYNC_LINE = re.compile(r"synced \d+ folders? \([^)]*\), (?P<new>\d+) new messages?, (?P<open>\d+) open reminders?")
UNREADABLE = re.compile(r"(\d+) unreadable messages? skipped")


def sync(config: Path, timeout: float = 60) -> tuple[int, int]:
    """Run the installed ``followup-watcher sync``; check it succeeded without a traceback;
    return ``(new messages, unreadable messages skipped)`` from the line it printed."""
    result = run_cli("sync", config=config, timeout=timeout)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    line = SYNC_LINE.search(result.stdout)
    assert line, result.stdout
    unreadable = UNREADABLE.search(result.stdout)
    return int(line["new"]), int(unreadable[1]) if unreadable else 0


def listed(config: Path) -> list[dict]:
    result = run_cli("list", "--json", config=config)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def question(me: str, subject: str, days_ago: float, mid: str, to: str = DANA, **headers) -> bytes:
    """A question I sent ``days_ago`` that expects a reply."""
    text = "Hi,\n\ncould you send me the signed copy by Friday?\n\nThanks,\nPat"
    return make_message(sender=f"Pat Weber <{me}>", to=to, subject=subject, body=text,
                        date=NOW - timedelta(days=days_ago), message_id=mid, **headers)


def open_subjects(config: Path) -> list[str]:
    return sorted(item["subject"] for item in listed(config))


# --- 1. explain ------------------------------------------------------------------------------------
def test_explain_reads_every_corpus_message_without_an_error(explained):
    files, results = explained
    assert len(files) > 1000, "the corpora look incomplete"
    per_file = Counter(source_file(result["source"]) for result in results)
    missing = [str(path) for path in files if str(path) not in per_file]
    assert not missing, f"{len(missing)} files without a result, e.g. {missing[:5]}"
    assert len(per_file) == len(files)  # and no result from anywhere else
    errors = [(r["source"], r["error"]) for r in results if "error" in r]
    assert not errors, f"{len(errors)} messages explain could not read, e.g. {errors[:5]}"
    assert all(r["message_id"].startswith("<") for r in results)  # every message has an id, maybe synthetic
    print(f"\nexplain: {len(files)} corpus files, {len(results)} messages "
          f"({len(results) - len(files)} more from files read as mboxes), 0 errors")


# --- 2. a full sync of the corpora --------------------------------------------------------------------
def test_a_sync_of_every_corpus_message_succeeds_and_leaves_the_rest_of_the_mailbox_alone(
        explained, dovecot, mail_user, tmp_path):
    """The corpora go into INBOX and Sent (alternately) next to three unanswered questions of
    mine. Every corpus sender is made an alias of the account, so the sync reads every message's
    body too (it reads bodies only of my mail and of replies to it), and the lookback reaches back
    past the oldest corpus date, so every message is indexed and threaded."""
    files, results = explained
    user, password = mail_user
    first_result = {}
    for result in results:
        first_result.setdefault(source_file(result["source"]), result)
    refused: dict[str, list[tuple[Path, str]]] = {}
    with dovecot.client(user) as client:
        for folder, share in (("INBOX", files[0::2]), ("Sent", files[1::2])):
            refusals = append_all(client, folder, [path.read_bytes() for path in share])
            refused[folder] = [(share[index], why) for index, why in refusals]
    known_good = [question(user, f"Known good {n}: the 2027 rollout", days_ago=4 + n,
                           mid=f"<known-good-{n}@example.com>", to=f"Contact {n} <contact{n}@northwind.example>")
                  for n in range(3)]
    for raw in known_good:
        dovecot.append(user, "Sent", raw)
    refused_files = {path for folder in refused.values() for path, _why in folder}  # reported, not failed on
    with dovecot.client(user) as client:
        stored = {folder: message_count(client, folder) for folder in ("INBOX", "Sent")}
    assert stored == {"INBOX": len(files[0::2]) - len(refused["INBOX"]),
                      "Sent": len(files[1::2]) - len(refused["Sent"]) + len(known_good)}

    accepted = [first_result[str(path)] for path in files if path not in refused_files]
    senders = sorted({r["from"] for r in accepted if r["from"] and re.fullmatch(
        r"[\w.+-]+@[\w-]+(\.[\w-]+)+", r["from"], re.ASCII)})
    oldest = min(datetime.fromisoformat(r["date"]) for r in accepted if r["date"])
    config = write_config(tmp_path / "config.toml", dovecot.port, user, password, tmp_path / "state.json",
                          delivery="imap", extra_sections={
                              "account": {"aliases": senders},
                              "rules": {"lookback": f"{(NOW - oldest).days + 30}d"}})

    new, unreadable = sync(config, timeout=600)

    # Every message is in the index once (one per Message-ID, or per synthetic id when it has
    # none), except any the sync counted as unreadable: nothing lost, nothing made up.
    distinct = {r["message_id"] for r in accepted if not r["watcher_mail"]} | \
               {f"<known-good-{n}@example.com>" for n in range(3)}
    status = run_cli("status", "--json", config=config)
    assert status.returncode == 0, status.stderr
    report = json.loads(status.stdout)
    assert report["unreadable_total"] == unreadable
    assert len(distinct) - unreadable <= report["state"]["messages"] <= len(distinct)
    # "new" also counts each further copy of a Message-ID that turns up within one folder
    assert report["state"]["messages"] <= new <= len(accepted) + len(known_good)
    reminders = listed(config)
    for n in range(3):
        mine = [r for r in reminders if r["last_message_id"] == f"<known-good-{n}@example.com>"]
        assert len(mine) == 1, f"known-good question {n} is not listed once: {mine}"
        assert mine[0]["contact"] == f"contact{n}@northwind.example"
        assert mine[0]["subject"] == f"Known good {n}: the 2027 rollout"
    assert sync(config) == (0, 0)  # and the next sync has nothing to do
    print(f"\nsync: {len(files)} corpus files, {len(accepted)} appended "
          f"(Dovecot refused {len(refused_files)}: "
          f"{sorted({why.split('(')[0].strip() for folder in refused.values() for _p, why in folder})}), "
          f"{new} new messages, {report['state']['messages']} indexed, {unreadable} unreadable skipped, "
          f"{len(reminders)} open reminders, {len(senders)} aliases")


# --- 3. a 50 MB message ------------------------------------------------------------------------------
def big_message(me: str, attachment_bytes: int = 37 * 1024 * 1024, pasted_log_lines: int = 40_000) -> bytes:
    """A question of mine with a long pasted log in its text part (about 2 MB) and a random
    attachment of ``attachment_bytes``, base64-encoded as mail clients send it (about 50 MB)."""
    log = "".join(f"2026-11-{1 + i % 28:02d} 09:{i % 60:02d}:00 worker-{i % 7} step {i} ok\n"
                  for i in range(pasted_log_lines))
    text = ("Hi Dana,\n\ncould you check the attached export and tell me if anything is missing?\n"
            "The log of the run is below.\n\nThanks,\nPat\n\n" + log)
    attachment = base64.encodebytes(random.Random(50).randbytes(attachment_bytes))
    return b"".join([
        mime_head(me, DANA, "The 50 MB export", 5, "<big-export@example.com>",
                'multipart/mixed; boundary="EXPORT"'),
        b"--EXPORT\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
        text.replace("\n", "\r\n").encode(), b"\r\n--EXPORT\r\n",
        b"Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"export.bin\"\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n", attachment.replace(b"\n", b"\r\n"), b"--EXPORT--\r\n",
    ])


def mime_head(me: str, to: str, subject: str, days_ago: float, mid: str, content_type: str) -> bytes:
    """The header block (and the empty line after it) of a MIME message of mine."""
    return (f"From: Pat Weber <{me}>\r\nTo: {to}\r\nSubject: {subject}\r\n"
            f"Date: {format_datetime(NOW - timedelta(days=days_ago))}\r\nMessage-ID: {mid}\r\n"
            f"MIME-Version: 1.0\r\nContent-Type: {content_type}\r\n\r\n").encode()


def test_a_50_mb_message_is_read_without_downloading_it(dovecot, mail_user, tmp_path):
    user, password = mail_user
    raw = big_message(user)
    assert len(raw) > 50 * 1000 * 1000
    dovecot.append(user, "Sent", raw)
    config = write_config(tmp_path / "config.toml", dovecot.port, user, password, tmp_path / "state.json",
                          delivery="imap")

    assert sync(config) == (1, 0)

    (session,) = watcher_sessions(dovecot, user)
    # Everything the server sent the watcher, answers to its commands included, is a sliver of
    # the message: its headers and the start of its text part (the question comes first).
    assert session["out"] < 1_000_000, session
    assert 0 < session["body_bytes"] < 100_000, session
    (reminder,) = listed(config)
    assert reminder["subject"] == "The 50 MB export" and reminder["contact"] == "dana@northwind.example"

    (tmp_path / "big.eml").write_bytes(raw)
    (result,) = explain([tmp_path / "big.eml"], timeout=60)
    assert result["expects_reply"] is True and "error" not in result
    print(f"\n50 MB message: {len(raw):,} bytes stored; the sync's session received {session['out']:,} bytes "
          f"(headers {session['hdr_bytes']:,}, text {session['body_bytes']:,})")


# --- 4. 10,000 References, reference loops, duplicate Message-IDs -------------------------------------
def hard_threads(me: str) -> dict[str, list[tuple[str, bytes]]]:
    """Messages whose reply headers are hostile, by folder. Open afterwards, each once: "10k refs",
    "Self-loop" and "Duplicate id"; answered: "10k answered" and "Loop"; the three-way loop is one
    thread with one reminder, on its latest message ("Cycle 3")."""
    chain = " ".join(f"<ref-{i:05d}@lists.example>" for i in range(10_000))
    other_chain = " ".join(f"<chain-{i:05d}@lists.example>" for i in range(10_000))
    sent = [
        ("10k refs", question(me, "Re: 10k refs", 5, "<ten-k@example.com>",
                              in_reply_to="<ref-09999@lists.example>", references=chain)),
        ("10k answered", question(me, "Re: 10k answered", 6, "<ten-k-answered@example.com>",
                                  in_reply_to="<chain-09999@lists.example>", references=other_chain)),
        ("Loop", question(me, "Loop", 5, "<loop-x@example.com>", in_reply_to="<loop-y@northwind.example>",
                          references="<loop-y@northwind.example>")),
        ("Self-loop", question(me, "Self-loop", 4, "<self@example.com>", in_reply_to="<self@example.com>",
                               references="<self@example.com> <self-parent@example.com> <self@example.com>")),
        ("Duplicate id", question(me, "Duplicate id", 5, "<dup@example.com>")),
    ]
    for n, (parent, days_ago) in enumerate((("cycle-3", 7), ("cycle-1", 6), ("cycle-2", 5)), 1):
        sent.append((f"Cycle {n}", question(me, f"Cycle {n}", days_ago, f"<cycle-{n}@example.com>",
                                            in_reply_to=f"<{parent}@example.com>",
                                            references=f"<{parent}@example.com>")))
    inbox = [
        ("10k answer", make_message(DANA, me, "Re: 10k answered", "Here they are.", NOW - timedelta(days=1),
                                    message_id="<ten-k-answer@northwind.example>",
                                    in_reply_to="<ten-k-answered@example.com>",
                                    references=f"{other_chain} <ten-k-answered@example.com>")),
        ("Loop answer", make_message(DANA, me, "Re: Loop", "Yes, done.", NOW - timedelta(days=2),
                                     message_id="<loop-y@northwind.example>", in_reply_to="<loop-x@example.com>",
                                     references="<loop-x@example.com>")),
        ("Duplicate id copy", question(me, "Duplicate id", 5, "<dup@example.com>")),  # my Bcc to myself
        ("Duplicate id clash", make_message("Offers <offers@bulk.example>", me, "You won!", "Click here.",
                                            NOW - timedelta(days=2), message_id="<dup@example.com>")),
    ]
    return {"Sent": sent, "INBOX": inbox}


def test_10000_references_loops_and_duplicate_ids_are_synced_and_explained_correctly(
        dovecot, mail_user, tmp_path):
    user, password = mail_user
    folders = hard_threads(user)
    for folder, messages in folders.items():
        for _name, raw in messages:
            dovecot.append(user, folder, raw)
    config = write_config(tmp_path / "config.toml", dovecot.port, user, password, tmp_path / "state.json",
                          delivery="imap")

    new, unreadable = sync(config, timeout=60)

    assert unreadable == 0
    assert new == 10  # each message once: the copy of <dup@example.com> and the clash with it are not new
    assert open_subjects(config) == ["Cycle 3", "Duplicate id", "Re: 10k refs", "Self-loop"]
    ten_k = next(r for r in listed(config) if r["subject"] == "Re: 10k refs")
    assert ten_k["last_message_id"] == "<ten-k@example.com>" and ten_k["contact"] == "dana@northwind.example"

    directory = tmp_path / "hard"
    directory.mkdir()
    for folder, messages in folders.items():
        for n, (_name, raw) in enumerate(messages):
            (directory / f"{folder}-{n:02d}.eml").write_bytes(raw)
    results = explain([directory], timeout=60)
    assert len(results) == sum(map(len, folders.values())) and not [r for r in results if "error" in r]
    replying_to = {(r["message_id"], r["subject"]): r["in_reply_to"] for r in results}
    assert replying_to[("<ten-k@example.com>", "Re: 10k refs")] == ["<ref-09999@lists.example>"]
    assert replying_to[("<loop-x@example.com>", "Loop")] == ["<loop-y@northwind.example>"]
    assert replying_to[("<loop-y@northwind.example>", "Re: Loop")] == ["<loop-x@example.com>"]
    assert replying_to[("<self@example.com>", "Self-loop")] == ["<self@example.com>"]
    assert sorted(r["from"] for r in results if r["message_id"] == "<dup@example.com>") == sorted(
        [user, user, "offers@bulk.example"])


# --- the bugs this found -----------------------------------------------------------------------------
def test_an_odd_charset_or_broken_html_stops_neither_the_sync_nor_explain(dovecot, mail_user, tmp_path):
    """A text part labelled ``charset=idna`` made every sync fail (UnicodeError), and a broken HTML
    part (an unclosed tag, 2 MB of it) kept ``explain`` busy for about an hour."""
    user, password = mail_user
    idna = question(user, "Odd charset", 4, "<odd-charset@example.com>").replace(
        b"charset=\"utf-8\"", b"charset=\"idna\"")
    assert b"charset=\"idna\"" in idna
    broken_html = (mime_head(user, DANA, "Broken markup", 4, "<broken-html@example.com>",
                             'multipart/alternative; boundary="B1"')
                   + b"--B1\r\nContent-Type: text/html; charset=utf-8\r\nno colon in this header\r\n\r\n"
                   b"<p>Could you send the contract?</p>" + b'<x y="' * 350_000 + b"\r\n")
    dovecot.append(user, "Sent", idna)
    dovecot.append(user, "Sent", broken_html)
    config = write_config(tmp_path / "config.toml", dovecot.port, user, password, tmp_path / "state.json",
                          delivery="imap")

    assert sync(config) == (2, 0)
    assert open_subjects(config) == ["Broken markup", "Odd charset"]

    for name, raw in (("idna.eml", idna), ("broken.eml", broken_html)):
        (tmp_path / name).write_bytes(raw)
    results = explain([tmp_path / "idna.eml", tmp_path / "broken.eml"], timeout=60)
    assert [r["expects_reply"] for r in results] == [True, True]
    assert "could you send me the signed copy" in results[0]["new_text"]
    assert "Could you send the contract?" in results[1]["new_text"]
