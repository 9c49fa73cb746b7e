"""Fuzzing the command-mail gate (watcher.command_mail through the sync, in memory).

Thousands of seeded random and forged command mails are synced, in batches, into a mailbox with
three open reminders, one closed and a nudge the watcher sent. None may change a reminder, the
muted list or the list of applied commands, or move a mail out of its folder; each one shaped
like a command is logged as ignored. Then the genuine link and reply do apply (so the fuzz can
fail), and a genuine command replayed does no harm.

The cases come from ``FUZZ_SEED`` (default ``SEED``); a failure names the seed and the case
numbers. Reproduce or explore with, e.g.::

    FUZZ_SEED=7 FUZZ_CASES=20000 .venv/bin/pytest -q -p no:cacheprovider tests/unit/test_command_mail_fuzz.py

``fuzz_case`` and ``Target`` are shared with tests/integration/test_command_mail_fuzz.py.
"""

from __future__ import annotations

import base64
import os
import quopri
import random
import re
import string
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.fakes import FakeSource
from tests.unit.test_sync import BERLIN, ME, NOW, policy, question, reply
from watcher import actions, command_mail, commands, digest
from watcher.jobs import open_reminders
from watcher.parse import header_block, parse_headers
from watcher.store import Store
from watcher.sync import run_once

SEED = int(os.environ.get("FUZZ_SEED", "20261117"))
CASES = int(os.environ.get("FUZZ_CASES", "3000"))
BATCH = 150  # cases per sync: a failing batch is replayed case by case to name the culprits
SECRET = "5e" * 32
ALIAS = "pat@old.example"  # my other address in tests.unit.test_sync.policy
EVIL = "mallory@evil.example"
PEOPLE = (("q1@example.com", "Dana Lee <dana@northwind.example>", "Pricing for 2027"),
          ("q2@example.com", "Greg Hall <greg@contoso.example>", "Budget"),
          ("q3@example.com", "Olga Berg <olga@fabrikam.example>", "Contract"))
CLOSED = ("q4@example.com", "Ed Wu <ed@tailspin.example>", "Samples")  # answered: a closed reminder


# --- what a forger aims at ------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """The mailbox under attack: my addresses, the state's secret, the ids of the nudge's items in
    order, other ids (closed reminders), the nudge's Message-ID (without brackets), day and text."""

    me: str
    aliases: tuple[str, ...]
    secret: str
    items: tuple[str, ...]
    others: tuple[str, ...]
    nudge_id: str
    day: date
    nudge_text: str
    now: datetime

    @property
    def local(self) -> str:
        return self.me.split("@")[0]

    @property
    def domain(self) -> str:
        return self.me.split("@")[1]


@dataclass(frozen=True)
class Case:
    """One fuzzed mail: ``shaped`` when it must reach the command gate (and be logged there)."""

    number: int
    category: str
    what: str
    raw: bytes
    folder: str = "INBOX"
    shaped: bool = False

    def line(self, seed: int) -> str:
        return f"seed {seed} case {self.number} [{self.category}] {self.what[:300]}"


@dataclass
class Draft:
    """A mail being made up: headers in order (values str or raw bytes), body, and line ending."""

    headers: list[tuple[str, str | bytes]]
    body: str | bytes = ""
    line_end: bytes = b"\r\n"
    encode_body: bool = True  # pick a random transfer encoding (same text) for a str body
    keep_fields: bool = True  # a line break in a value only folds it (garbage may break fields)


# --- random material ------------------------------------------------------------------------------
ASCII = string.ascii_letters + string.digits + string.punctuation + " "
CONTROL = "".join(map(chr, range(0x20))) + "\x7f\x80\x85\x9b\u2028\u2029\ufeff\u200b\u200e\u200f\u202e\u00ad\u2060"
UNICODE = ("éßüñøÅçğıİ中文字日本語한국어Приветمرحباשלוםनमस्ते🙂👍🏽👨‍👩‍👧\u0301\u0308"
           "٣３²½Ωℌ𝔡𝔬𝔫𝔢ｄｏｎｅ")
HEX = "0123456789abcdef"
WORDS = ("followup-watcher", "followup-watcher done", "done", "snooze", "stop", "keep", "mute", "Re:", "Fwd:",
         "=?utf-8?b?", "=?utf-8?q?", "?=", "<", ">", "@", "1", "3", "5d", "1w", "2026-12-01", "\r\n", "\n\n",
         ">", "-- ", "nudge.", "@followup-watcher.invalid", "From:", "In-Reply-To:", "\\", '"', "(", ")", ";")
ACTIONS = ("done", "stop", "keep", "mute", "snooze 2d", "snooze 1w", "snooze 5d", "snooze 2026-12-01")
ABSURD_SNOOZES = ("snooze 0d", "snooze 000d", "snooze 999w", "snooze 999d", "snooze 2026-02-30",
                  "snooze 9999-12-31", "snooze 0001-01-01", "snooze 1999-01-01", "snooze 2026-11-17")
UNREADABLE_SNOOZES = ("snooze 99999d", "snooze -1d", "snooze 1y", "snooze 1e9d", "snooze 2d2w", "snooze ∞",
                      "snooze 2 d", "snooze", "snooze 10000w", "snooze 2026-1-1", "snooze tomorrow")
WHITESPACE = (" ", "\t", "\u00a0", "\u2003", "  ", "\r\n ")
INVISIBLE = ("\u200b", "\u00ad", "\ufeff", "\u2060", "\u200e")


def random_text(rng: random.Random, size: int | None = None, words: bool = True) -> str:
    """Text of ``size`` characters (default: empty, short, long or a huge line) mixing ASCII,
    control characters, other scripts, emoji, hex and (with ``words``) words of the command language."""
    if size is None:
        size = rng.choice((0, 1, rng.randint(2, 80), rng.randint(2, 80), rng.randint(80, 2000),
                           rng.randint(20_000, 120_000) if rng.random() < 0.08 else 10))
    parts, length = [], 0
    while length < min(size, 4000):
        if words and rng.random() < 0.2:
            part = rng.choice(WORDS) + rng.choice(" \t\n")
        else:
            part = "".join(rng.choices(rng.choice((ASCII, ASCII, CONTROL, UNICODE, HEX)), k=rng.randint(1, 12)))
        parts.append(part)
        length += len(part)
    text = "".join(parts)
    return (text * (size // max(1, len(text)) + 1))[:size] if size > len(text) else text[:size]


def random_id(rng: random.Random) -> str:
    """A made-up item id of the right shape (6 base32 characters)."""
    return "".join(rng.choices("abcdefghijklmnopqrstuvwxyz234567", k=6))


def random_hex(rng: random.Random, length: int) -> str:
    return "".join(rng.choices(HEX, k=length))


def message_id(rng: random.Random) -> str:
    return f"<fuzz.{rng.getrandbits(64):016x}@client.example>"


def encoded_word(text: str, rng: random.Random) -> str:
    """``text`` as one RFC 2047 encoded word, base64 or Q."""
    if rng.random() < 0.5:
        return f"=?utf-8?b?{base64.b64encode(text.encode()).decode()}?="
    safe = string.ascii_letters + string.digits
    q = "".join(chr(byte) if chr(byte) in safe else "_" if byte == 32 else f"={byte:02X}" for byte in text.encode())
    return f"=?utf-8?q?{q}?="


# --- senders --------------------------------------------------------------------------------------
def my_senders(target: Target) -> list[str]:
    """From headers that are truly mine (name and case as a client may write them)."""
    upper = f"{target.local.upper()}@{target.domain.title()}"
    return [f"Pat Weber <{target.me}>", target.me, f"<{target.me}>", f'"Weber, Pat" <{target.me}>',
            f"Pat <{upper}>", f"=?utf-8?q?Pat_W=C3=A9ber?= <{target.me}>",
            *[f"Pat Weber <{alias}>" for alias in target.aliases]]


def foreign_senders(target: Target, rng: random.Random) -> list[str | None]:
    """From headers of someone else, many made to look like mine. ``None``: no From at all.
    (Those a lenient parser reads as mine are in ``FIRST_FROM_MINE``, tested apart.)"""
    me, local, domain = target.me, target.local, target.domain
    cyrillic = local.replace("a", "\u0430", 1) if "a" in local else local + "\u0430"
    return [
        f"Mallory <{EVIL}>", EVIL, f"{me}.evil.example", f"Pat Weber <{me}.evil.example>",
        f"{local}@evil.example", f"{local}@{domain}.", f"{local}@{domain}m", f"{local}+x@{domain}",
        f"{local}@{domain}@evil.example", f'"{me}"@evil.example', f"{local}%{domain}@evil.example",
        f"{cyrillic}@{domain}", f"{me}\u200b", f"Pat <{me}\u200b>", f'"{local}"@{domain}',
        f'"{me}" <{EVIL}>', f"{me} <{EVIL}>", f'"Pat Weber <{me}>" <{EVIL}>', f"{me}\t<{EVIL}>",
        f"{encoded_word(me, rng)} <{EVIL}>", encoded_word(me, rng), encoded_word(f"Pat Weber <{me}>", rng),
        f"{encoded_word('Pat Weber', rng)} <{EVIL}>", f"{EVIL} ({me})", f"({me}) {EVIL}",
        f"Mallory <{EVIL}>, Pat Weber <{me}>", f"{EVIL}, {me}", f"{EVIL};{me}", f"Friends: {EVIL};, {me}",
        f"Pat Weber <{EVIL}> <{me}>", f"<{EVIL}> {me}", f'"{EVIL}" {me}', "undisclosed-recipients:;",
        "", "Pat Weber", local, "<>", f"<{local}>", f"@{domain}", f"{local}@", None,
    ]


# From fields (one or two) accepted today as mine when a valid token comes with them: the first
# address read is mine (see test_a_from_that_also_names_someone_else_is_not_mine).
FIRST_FROM_MINE = (
    ("{me}, {evil}",), ("Pat Weber <{me}>, Mallory <{evil}>",), ("{me};{evil}",), ("evil.example)<{me}>",),
    ("<{me}>@evil.example",), ("Pat Weber <{me}> <{evil}>",), ("{me}", "{evil}"), ("", "{me}"),
    ("Pat Weber", "{me}"),
)


def extra_mine(target: Target, rng: random.Random, sender: str | None) -> list[tuple[str, str]]:
    """Headers other than From that name me: none of them may stand in for From. A second From
    field naming me follows only a From that names someone else (the rest: FIRST_FROM_MINE)."""
    me = target.me
    chosen = [("Sender", f"Pat Weber <{me}>"), ("Reply-To", me), ("Return-Path", f"<{me}>"),
              ("Resent-From", me), ("X-Original-From", me), ("Delivered-To", me), ("X-Sender", me),
              ("Authentication-Results", f"mx.{target.domain}; dmarc=pass header.from={target.domain}"),
              ("DKIM-Signature", f"v=1; a=rsa-sha256; d={target.domain}; s=x; b={random_hex(rng, 40)}"),
              ("Resent-Sender", me)]
    if sender in (EVIL, f"Mallory <{EVIL}>"):
        chosen.append(("From", f"Pat Weber <{me}>"))
    return rng.sample(chosen, rng.randint(0, len(chosen))) if sender is not None else []


# --- tokens and subjects --------------------------------------------------------------------------
def wrong_token(rng: random.Random, target: Target, item: str, action: str) -> tuple[str, str]:
    """A token that must not authorise ``action`` on ``item``: ``(how it was made, token)``."""
    right = commands.token(target.secret, item, action)
    other_item = rng.choice([i for i in (*target.items, *target.others, random_id(rng)) if i != item])
    other_action = rng.choice([a for a in (*ACTIONS, *ABSURD_SNOOZES) if a != action])
    cut = rng.randint(1, 15)
    made = {
        "random hex": lambda: random_hex(rng, rng.choice((16, 20, 32, 64))),
        "truncated below 16": lambda: right[:rng.randint(0, 15)],
        "another item's": lambda: commands.token(target.secret, other_item, action),
        "another action's": lambda: commands.token(target.secret, item, other_action),
        "another secret's": lambda: commands.token(random_hex(rng, 64), item, action),
        "upper-case, another item's": lambda: commands.token(target.secret, other_item, action).upper(),
        "upper-case, another action's": lambda: commands.token(target.secret, item, other_action).upper(),
        "whitespace inside": lambda: right[:cut] + rng.choice(WHITESPACE) + right[cut:],
        "invisible character inside": lambda: right[:cut] + rng.choice(INVISIBLE) + right[cut:],
        "one character changed": lambda: _changed(rng, right),
        "lookalike characters": lambda: right[:cut].replace("0", "O").replace("1", "l").replace("a", "\u0430")
        .replace("e", "\u0435").replace("c", "\u0441") + "O" + right[cut + 1:],
        "empty": lambda: "",
        "not hex": lambda: "".join(rng.choices("ghijklmnopqrstuvwxyz", k=20)),
        "0x-prefixed other": lambda: "0x" + commands.token(target.secret, other_item, action),
        "two wrong halves": lambda: commands.token(target.secret, other_item, action)[:10] + right[10:],
    }
    how = rng.choice(list(made))
    return how, made[how]()


def _changed(rng: random.Random, token: str) -> str:
    place = rng.randrange(len(token))
    return token[:place] + rng.choice([c for c in HEX if c != token[place]]) + token[place + 1:]


def dressed_action(rng: random.Random, action: str) -> str:
    """The action as a client may show it: case and spacing vary (the token does not depend on it)."""
    words = action.split()
    if rng.random() < 0.3:
        words = [w.upper() if rng.random() < 0.5 else w.title() for w in words]
    return rng.choice((" ", " ", "\t", "  ", "\u00a0")).join(words)


def dressed_subject(rng: random.Random, subject: str) -> str:
    """A subject as clients send it back: prefixes, tags, an encoded word, trailing text."""
    prefix = rng.choice(("", "", "Re: ", "RE: ", "Fwd: ", "AW: ", "[SPAM] ", "Re: Re: ", "Fw: [ext] "))
    suffix = rng.choice(("", "", " ", " (sent from my phone)", " " + random_text(rng, rng.randint(0, 40))))
    subject = prefix + subject + suffix
    return encoded_word(subject, rng) if rng.random() < 0.1 else subject


def link_subject(rng: random.Random, item: str, action: str, token: str) -> str:
    return dressed_subject(rng, f"followup-watcher {dressed_action(rng, action)} {item} {token}")


# --- parents (In-Reply-To, References) ------------------------------------------------------------
def tampered_nudge_id(rng: random.Random, target: Target) -> tuple[str, str]:
    """A Message-ID close to the nudge's but not it: ``(how, id)``."""
    real = target.nudge_id
    head, _, domain = real.partition("@")
    prefix, tag = head.rsplit(".", 1)
    other_day = target.day + timedelta(days=rng.choice((-30, -2, -1, 1, 2, 365)))
    made = {
        "one tag character changed": lambda: f"{prefix}.{_changed(rng, tag)}@{domain}",
        "tag cut short": lambda: f"{prefix}.{tag[:rng.randint(0, len(tag) - 1)]}@{domain}",
        "tag made longer": lambda: f"{prefix}.{tag}{rng.choice(HEX)}@{domain}",
        "another day, same tag": lambda: f"nudge.{other_day.isoformat()}.{tag}@{domain}",
        "another domain": lambda: f"{head}@{rng.choice(('followup-watcher.example', domain + '.evil.example'))}",
        "no domain": lambda: head,
        "prefixed": lambda: f"x{real}",
        "never sent (another day)": lambda: digest.nudge_message_id(target.me, other_day, target.secret).strip("<>"),
        "never sent (another secret)": lambda: digest.nudge_message_id(
            target.me, target.day, random_hex(rng, 64)).strip("<>"),
        "never sent (no secret)": lambda: digest.nudge_message_id(target.me, target.day).strip("<>"),
        "random": lambda: f"{random_hex(rng, 12)}@{rng.choice(('example.com', domain))}",
    }
    how = rng.choice(list(made))
    forged = made[how]()
    assert forged.lower() != real.lower(), (how, forged)
    return how, forged


def parent_headers(rng: random.Random, parents: list[str], noise: int = 0) -> list[tuple[str, str]]:
    """In-Reply-To and/or References naming ``parents`` among ``noise`` random ids."""
    references = [f"{random_hex(rng, 10)}@example.org" for _ in range(noise)] + parents
    where = rng.choice(("both", "in-reply-to", "references"))
    headers = []
    if where in ("both", "in-reply-to"):
        headers.append(("In-Reply-To", " ".join(f"<{p}>" for p in parents)))
    if where in ("both", "references"):
        headers.append(("References", " ".join(f"<{p}>" for p in references)))
    return headers


# --- command lines --------------------------------------------------------------------------------
def command_lines(rng: random.Random, target: Target) -> list[str]:
    """Lines that would act on real items in a genuine reply."""
    count = len(target.items)
    return [f"done {rng.randint(1, count)}", f"stop {rng.randint(1, count)}", f"mute {rng.randint(1, count)}",
            f"keep {rng.randint(1, count)}", f"snooze {rng.randint(1, count)} 5d", f"snooze {rng.randint(1, count)}",
            f"done {rng.choice(target.items)}", f"Stop {rng.choice(target.items)}.", "  done 1  ",
            f"snooze {rng.randint(1, count)} 2026-12-01"]


def void_lines(rng: random.Random, target: Target) -> list[str]:
    """Command-like lines that name no item of the nudge or do not parse at all."""
    count = len(target.items)
    number = rng.choice((0, count + 1, rng.randint(count + 1, 999), 1000, 10 ** 20, -1))
    action = rng.choice(("done", "stop", "mute", "keep", "snooze"))
    return [
        f"{action} {number}", f"{action} {'0' * rng.randint(1, 3)}", f"{action} {count + 1:03d}",
        f"{action} 1.5", f"{action} 1,2", f"{action} #1", f"{action} (1)", f"{action} 1)", f"{action} +1",
        f"{action} ١٠", f"{action} ４", f"{action} ²", f"{action} one", f"{action} 1st", f"{action} 1 2",
        f"{action} 1?", f"{action} 1!!", f"{action}: 1", f"{action}-1", f"{action}1", f"1 {action}",
        f"{action}s 1", f"un{action} 1", f"{action} 1 5x", f"{action}\u200b 1", f"{action[0]}\u00ad{action[1:]} 1",
        f"ｄｏｎｅ 1", f"I am {action} 1 time", f"please {action} 1 thanks", f"{action}",
        f"snooze 1 {rng.choice(UNREADABLE_SNOOZES).split(' ', 1)[-1]}", "snooze 1 5 d", "snooze 1 next week",
        f"snooze {number} 5d", "> done 1", "> stop 2", ">> mute 3", "> snooze 1 5d",
    ]


def reply_body(rng: random.Random, target: Target, lines: list[str]) -> str:
    """A reply: some of ``lines`` among greetings and noise, then maybe the quoted nudge."""
    chosen = rng.sample(lines, rng.randint(1, min(5, len(lines))))
    chosen += [rng.choice(("Hi,", "Thanks!", "", "-- ", random_text(rng, rng.randint(0, 60), words=False)))
               for _ in range(rng.randint(0, 3))]
    rng.shuffle(chosen)
    quoted = rng.choice(("", "\n".join("> " + line for line in target.nudge_text.splitlines()),
                         f"\nOn {target.day} followup-watcher wrote:\n> 1. Dana Lee\n> done 1"))
    return "\n".join(chosen) + "\n\n" + quoted


# --- the categories -------------------------------------------------------------------------------
def basic_headers(rng: random.Random, target: Target, sender: str | None, subject: str | None,
                  extra: list[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    headers = [] if sender is None else [("From", sender)]
    headers.append(("To", target.me))
    if subject is not None:
        headers.append(("Subject", subject))
    headers += [("Date", format_datetime(target.now - timedelta(minutes=rng.randint(1, 600)))),
                ("Message-ID", message_id(rng)), *extra]
    return headers


def garbage(rng: random.Random, target: Target) -> tuple[str, Draft, bool]:
    """Random subjects, bodies and headers; from anyone; odd line endings, 8-bit and control bytes."""
    mine = rng.random() < 0.4
    sender = rng.choice(my_senders(target) if mine else foreign_senders(target, rng) + [random_text(rng, 30)])
    subject = rng.choice((
        lambda: random_text(rng), lambda: "", lambda: None, lambda: random_text(rng, rng.randint(20_000, 60_000)),
        lambda: f"followup-watcher {random_text(rng, 40)}", lambda: encoded_word(random_text(rng, 30), rng),
        lambda: f"{random_text(rng, 10)}\r\nFrom: Pat Weber <{target.me}>"))()
    injected = subject is not None and "\nFrom:" in subject
    extra = []
    if not mine and not injected and rng.random() < 0.5:
        extra += parent_headers(rng, [target.nudge_id], noise=rng.randint(0, 3))
    elif rng.random() < 0.5:
        extra += parent_headers(rng, [tampered_nudge_id(rng, target)[1]])
    odd_headers = (
        lambda: ("X-" + random_hex(rng, 6), random_text(rng, 50)),
        lambda: ("Content-Type", rng.choice(("multipart/mixed; boundary=", "text/html", "application/x",
                                             "text/plain; charset=x-unknown", "multipart/alternative"))),
        lambda: ("Content-Transfer-Encoding", rng.choice(("base64", "quoted-printable", "x-uue", "7bit"))),
        lambda: ("Subject", random_text(rng, 40)),
        lambda: ("In-Reply-To", random_text(rng, 40)))
    extra += [rng.choice(odd_headers)() for _ in range(rng.randint(0, 4))]
    headers = basic_headers(rng, target, sender, subject, extra)
    rng.shuffle(headers)
    body = rng.choice((lambda: random_text(rng), lambda: random_text(rng), lambda: rng.randbytes(rng.randint(0, 3000)),
                       lambda: b"", lambda: random_text(rng, rng.randint(100_000, 300_000))))()
    line_end = rng.choice((b"\r\n", b"\r\n", b"\n", b"\r"))
    what = f"garbage from {sender!r}, subject {str(subject)[:80]!r}"
    return what, Draft(headers, body, line_end, encode_body=False, keep_fields=False), False


def bad_token(rng: random.Random, target: Target) -> tuple[str, Draft, bool]:
    """An action link from me whose token is wrong: forged, cut, for another item or action."""
    item = rng.choice((*target.items, *target.items, *target.others, random_id(rng)))
    action = rng.choice((*ACTIONS, *ABSURD_SNOOZES, *UNREADABLE_SNOOZES))
    how, token = wrong_token(rng, target, item, action)
    subject = link_subject(rng, item, action, token)
    extra = parent_headers(rng, [tampered_nudge_id(rng, target)[1]]) if rng.random() < 0.2 else []
    body = rng.choice(("", "Send this mail as it is.", random_text(rng), reply_body(rng, target,
                                                                                      command_lines(rng, target))))
    what = f"{how} token, subject {subject!r}"
    return what, Draft(basic_headers(rng, target, rng.choice(my_senders(target)), subject, extra), body), True


def foreign_link(rng: random.Random, target: Target) -> tuple[str, Draft, bool]:
    """A valid action link (right token) sent from an address that is not mine, however dressed."""
    item = rng.choice((*target.items, *target.others, random_id(rng)))
    action = rng.choice((*ACTIONS, *ABSURD_SNOOZES))
    subject = dressed_subject(rng, commands.action_subject(target.secret, item, action))
    sender = rng.choice(foreign_senders(target, rng))
    extra = extra_mine(target, rng, sender)
    if rng.random() < 0.3:
        extra += parent_headers(rng, [target.nudge_id])
    body = rng.choice(("Send this mail as it is.", "", reply_body(rng, target, command_lines(rng, target))))
    what = f"valid token from {sender!r} (+{[name for name, _ in extra]}), subject {subject!r}"
    return what, Draft(basic_headers(rng, target, sender, subject, extra), body), True


def foreign_reply(rng: random.Random, target: Target) -> tuple[str, Draft, bool]:
    """A reply to the real nudge with real command lines, from an address that is not mine."""
    sender = rng.choice(foreign_senders(target, rng))
    parent = target.nudge_id.upper() if rng.random() < 0.1 else target.nudge_id
    extra = parent_headers(rng, [parent], noise=rng.choice((0, 0, 3, 60))) + extra_mine(target, rng, sender)
    subject = rng.choice(("Re: 3 follow-ups due", "Re:", "", random_text(rng, 30)))
    body = reply_body(rng, target, command_lines(rng, target))
    what = f"reply to the nudge from {sender!r} (+{[name for name, _ in extra]}): {body[:120]!r}"
    return what, Draft(basic_headers(rng, target, sender, subject, extra), body), True


def unsent_nudge_reply(rng: random.Random, target: Target) -> tuple[str, Draft, bool]:
    """From me, real command lines, but answering a nudge never sent, tampered, or not at all
    (the real id only where it proves nothing: Reply-To, an X- header, the subject, the body)."""
    subject = rng.choice(("Re: 3 follow-ups due", "Re:", ""))
    lines = command_lines(rng, target)
    if rng.random() < 0.75:
        how, forged = tampered_nudge_id(rng, target)
        extra = parent_headers(rng, [forged], noise=rng.choice((0, 2)))
    else:
        how = "real id outside In-Reply-To/References"
        real = f"<{target.nudge_id}>"
        extra = [rng.choice((("Reply-To", real), ("X-In-Reply-To", real), ("X-References", real),
                             ("Message-ID", real)))]
        subject += f" {real}" if rng.random() < 0.5 else ""
        lines = lines + [f"In-Reply-To: {real}"]
    headers = basic_headers(rng, target, rng.choice(my_senders(target)), subject)
    headers = [h for h in headers if not (h[0] == "Message-ID" and any(e[0] == "Message-ID" for e in extra))]
    what = f"reply from me to {how}: {extra!r}"
    return what, Draft(headers + extra, reply_body(rng, target, lines)), False


def void_reply(rng: random.Random, target: Target) -> tuple[str, Draft, bool]:
    """From me, to the real nudge, but no line names one of its items: numbers out of range,
    negative or huge, unreadable snoozes, commands in the quote or in a sentence, or just the
    nudge's own text unquoted."""
    if rng.random() < 0.1:
        body = "Thanks!\n\n" + target.nudge_text
    else:
        body = reply_body(rng, target, void_lines(rng, target))
    extra = parent_headers(rng, [target.nudge_id], noise=rng.choice((0, 1, 5)))
    headers = basic_headers(rng, target, rng.choice(my_senders(target)), rng.choice(("Re: 3 follow-ups due", "")),
                            extra)
    return f"reply from me to the nudge: {body[:200]!r}", Draft(headers, body), True


def mixed(rng: random.Random, target: Target) -> tuple[str, Draft, bool]:
    """Valid-looking pieces thrown together: real tokens and nudge ids only with a sender not mine."""
    genuine_piece = rng.random() < 0.5
    sender = rng.choice(foreign_senders(target, rng) if genuine_piece else my_senders(target))
    item, action = rng.choice((*target.items, random_id(rng))), rng.choice((*ACTIONS, *ABSURD_SNOOZES))
    if genuine_piece:
        token = commands.token(target.secret, item, action)
    else:
        token = wrong_token(rng, target, item, action)[1]
    around = random_text(rng, 20), random_text(rng, 20)
    subject = rng.choice((link_subject(rng, item, action, token), random_text(rng, 80),
                          f"Re: {around[0]} followup-watcher {action} {item} {token} {around[1]}"))
    parents = [target.nudge_id if genuine_piece else tampered_nudge_id(rng, target)[1]]
    extra = parent_headers(rng, parents, noise=rng.randint(0, 4)) if rng.random() < 0.6 else []
    lines = command_lines(rng, target) if genuine_piece or not extra else void_lines(rng, target)
    body = reply_body(rng, target, lines + [random_text(rng, 100), f"followup-watcher {action} {item} {token}"])
    headers = basic_headers(rng, target, sender, subject, extra + extra_mine(target, rng, sender))
    shaped = commands.looks_like_command(subject) or (genuine_piece and bool(extra))
    return f"mixed from {sender!r}, subject {subject[:120]!r}, body {body[:120]!r}", Draft(headers, body), shaped


CATEGORIES = {"garbage": garbage, "bad token": bad_token, "foreign link": foreign_link,
              "foreign reply": foreign_reply, "unsent nudge": unsent_nudge_reply, "void reply": void_reply,
              "mixed": mixed}


def fuzz_case(seed: int, number: int, target: Target) -> Case:
    """Case ``number`` of the run seeded ``seed``: the same mail every time."""
    rng = random.Random(f"{seed}/{number}")
    category = rng.choice(list(CATEGORIES))
    what, draft, shaped = CATEGORIES[category](rng, target)
    raw = assemble(rng, draft)
    folder = "Sent" if rng.random() < 0.1 else "INBOX"
    return Case(number, category, what, raw, folder, shaped and draft.line_end == b"\r\n")


def assemble(rng: random.Random, draft: Draft) -> bytes:
    """The raw bytes of ``draft``: 8-bit header values, a text/plain body in a random encoding
    (or as given), ``draft.line_end`` between lines."""
    headers, body = list(draft.headers), draft.body
    if draft.encode_body and isinstance(body, str):
        encoding_headers, body = encoded_body(rng, body)
        headers += encoding_headers
    elif not any(name.lower() == "content-type" for name, _ in headers):
        headers += [("MIME-Version", "1.0"), ("Content-Type", "text/plain; charset=utf-8")]
    if isinstance(body, str):
        body = body.encode("utf-8")
    if draft.keep_fields:
        headers = [(name, _FIELD_BREAK.sub(" ", value) if isinstance(value, str) else value) for name, value in headers]
    lines = [name.encode() + b": " + (value if isinstance(value, bytes) else value.encode("utf-8"))
             for name, value in headers]
    end = draft.line_end
    return end.join(lines) + end + end + body.replace(b"\r\n", b"\n").replace(b"\n", end) + end


_FIELD_BREAK = re.compile(r"(?:\r\n|\r|\n)(?![ \t])")  # a line break that would end the field


def encoded_body(rng: random.Random, text: str) -> tuple[list[tuple[str, str]], bytes]:
    """``text`` as a text/plain part in 8bit, base64 or quoted-printable, or in a
    multipart/alternative with an HTML copy of it: the same words whichever is chosen."""
    data = text.replace("\n", "\r\n").encode("utf-8")
    how = rng.choice(("8bit", "8bit", "base64", "quoted-printable", "alternative"))
    plain = [("MIME-Version", "1.0"), ("Content-Type", "text/plain; charset=utf-8")]
    if how == "base64":
        return plain + [("Content-Transfer-Encoding", "base64")], base64.encodebytes(data)
    if how == "quoted-printable":
        return plain + [("Content-Transfer-Encoding", "quoted-printable")], quopri.encodestring(data)
    if how == "8bit":
        return plain + [("Content-Transfer-Encoding", "8bit")], data
    boundary = f"b{rng.getrandbits(48):x}"
    html = "<p>" + "<br>".join(line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                                for line in text.splitlines()) + "</p>"
    parts = b"".join(f"--{boundary}\r\nContent-Type: text/{subtype}; charset=utf-8\r\n"
                     f"Content-Transfer-Encoding: base64\r\n\r\n".encode() + base64.encodebytes(payload.encode("utf-8"))
                     for subtype, payload in (("plain", text.replace("\n", "\r\n")), ("html", html)))
    return ([("MIME-Version", "1.0"), ("Content-Type", f'multipart/alternative; boundary="{boundary}"')],
            parts + f"--{boundary}--\r\n".encode())


# --- the mailbox under attack ---------------------------------------------------------------------
@dataclass
class World:
    """A mailbox and state with three due reminders, one closed, and a nudge sent today."""

    source: FakeSource
    state: Path
    target: Target
    nudge_links: dict[str, list[str]] = field(default_factory=dict)  # label -> mailto URIs, item order

    def sync(self, now: datetime = NOW):
        with Store.open(self.state, "test") as store:
            summary = run_once(policy(), self.source, store, now)
            return summary, snapshot(store)

    def folders(self) -> dict[str, dict[int, bytes]]:
        return {name: dict(box) for name, box in self.source.folders.items()}


def snapshot(store: Store) -> dict:
    """Everything a command may change: every reminder record in full, the muted list, the
    commands applied."""
    return {"reminders": {r["key"]: dict(r) for r in store.reminders()},
            "muted": list(store.meta(actions.MUTED, []) or []),
            "applied": list(store.meta(command_mail.APPLIED, []) or [])}


def make_world(directory: Path) -> World:
    directory.mkdir(parents=True, exist_ok=True)
    source = FakeSource(special_use={"Sent": "\\sent", "Trash": "\\trash"})
    for folder in ("INBOX", "Sent", "Trash"):
        source.add_folder(folder)
    for days, (mid, to, subject) in zip((9, 8, 7), PEOPLE):
        source.append("Sent", question(days, mid=mid, to=to, subject=subject))
    source.append("Sent", question(9, mid=CLOSED[0], to=CLOSED[1], subject=CLOSED[2]))
    source.append("INBOX", reply(8, CLOSED[0], sender=CLOSED[1], mid="r4@tailspin.example", subject="Re: Samples"))
    state = directory / "state.json"
    with Store.open(state, "test") as store:
        store.set_meta(**{command_mail.SECRET: SECRET})
        run_once(policy(), source, store, NOW)
        settings = digest.NudgeSettings(to=ME, sender=ME, account_email=ME, zone=BERLIN, weekdays_only=False,
                                        secret=SECRET, my_name="Pat Weber")
        reminders = open_reminders(store)
        nudge = digest.build_nudge(reminders, NOW, settings)
        shown = [item.id for item in digest.focus(reminders, NOW.date(), settings).shown]
        command_mail.record_nudge(store, nudge["Message-ID"], NOW.date().isoformat(), shown)
        closed = [r["id"] for r in store.reminders() if r["status"] == "closed"]
        store.commit()
    source.append("INBOX", nudge.as_bytes())
    text = nudge.get_body(("plain",)).get_content()
    target = Target(ME, (ALIAS,), SECRET, tuple(shown), tuple(closed), nudge["Message-ID"].strip("<>"),
                    NOW.date(), text, NOW)
    return World(source, state, target, nudge_links(text))


def nudge_links(text: str) -> dict[str, list[str]]:
    links: dict[str, list[str]] = {}
    for line in text.splitlines():
        label, _, uri = line.strip().partition(": mailto:")
        if uri:
            links.setdefault(label, []).append("mailto:" + uri)
    return links


def link_mail(uri: str, sender: str, mid: str, now: datetime = NOW) -> bytes:
    """The mail a client composes from an action link of the nudge, sent as it is."""
    query = parse_qs(urlsplit(uri).query)
    return assemble(random.Random(0), Draft(
        [("From", sender), ("To", ME), ("Subject", query["subject"][0]), ("Date", format_datetime(now)),
         ("Message-ID", f"<{mid}>")], query["body"][0], encode_body=False))


def reply_mail(world: World, body: str, mid: str, sender: str = f"Pat Weber <{ME}>") -> bytes:
    return assemble(random.Random(0), Draft(
        [("From", sender), ("To", ME), ("Subject", "Re: 3 follow-ups due"), ("Date", format_datetime(NOW)),
         ("Message-ID", f"<{mid}>"), ("In-Reply-To", f"<{world.target.nudge_id}>"),
         ("References", f"<{world.target.nudge_id}>")], body, encode_body=False))


@pytest.fixture
def world(tmp_path) -> World:
    return make_world(tmp_path / "world")


# --- the fuzz -------------------------------------------------------------------------------------
def test_random_and_forged_command_mails_change_nothing(world, tmp_path):
    """Phase 1: the fuzz. Then the genuine link and reply apply. Phase 2: forged mails that reuse
    the Message-ID of those applied command mails (as if copies of them) are not taken as copies."""
    print(f"command mail fuzz: seed {SEED}, {CASES} + {CASES // 10} cases (FUZZ_SEED, FUZZ_CASES)")
    cases = [fuzz_case(SEED, number, world.target) for number in range(CASES)]
    assert len({case.category for case in cases}) == len(CATEGORIES) or CASES < 100
    fuzz(world, cases, tmp_path, prepare=lambda alone: None)
    applied = genuine_commands_still_apply(world)
    rng = random.Random(f"{SEED}/reuse")
    more = (fuzz_case(SEED, number, world.target) for number in range(CASES, CASES + CASES // 10))
    # A reply from me to the real nudge proves itself whatever its lines: a copy of it may go.
    reusing = [reused_message_id(case, rng.choice(applied)) for case in more if case.category != "void reply"]
    fuzz(world, reusing, tmp_path, prepare=genuine_commands_still_apply)


def fuzz(world: World, cases: list[Case], tmp_path: Path, prepare) -> None:
    """Sync ``cases`` in batches; after each, nothing may have changed but the mail indexed."""
    _, before = world.sync()
    folders = world.folders()
    for start in range(0, len(cases), BATCH):
        batch = cases[start:start + BATCH]
        for case in batch:
            folders[case.folder][world.source.append(case.folder, case.raw)] = case.raw
        summary, after = world.sync()
        problems = batch_problems(batch, summary, after, before, folders, world)
        assert not problems, failure_report(problems, batch, tmp_path, prepare)


def reused_message_id(case: Case, reused: str) -> Case:
    """``case`` with the Message-ID ``reused`` (put first, so it is the one read)."""
    raw = _FUZZ_ID.sub(b"", case.raw, count=1)
    return Case(case.number, case.category, f"{case.what}, Message-ID <{reused}>",
                f"Message-ID: <{reused}>\r\n".encode() + raw, case.folder, case.shaped)


_FUZZ_ID = re.compile(rb"Message-ID: <fuzz\.[0-9a-f]{16}@client\.example>(?:\r\n|\r|\n)")


def batch_problems(batch, summary, after, before, folders, world) -> list[str]:
    """What went wrong with a synced batch, in words (empty when nothing did)."""
    problems = []
    if after != before:
        changed = sorted(k for k in {*after["reminders"], *before["reminders"]}
                         if after["reminders"].get(k) != before["reminders"].get(k))
        problems.append(f"state changed: reminders {changed}, muted {after['muted']}, applied {after['applied']}")
    if summary.commands:
        problems.append(f"{summary.commands} command(s) applied")
    if world.folders() != folders:
        problems.append("mail moved: " + ", ".join(f"{name} {len(box)} (expected {len(folders[name])})"
                                                   for name, box in world.folders().items()))
    gate = {world.target.nudge_id}
    reached = [case for case in batch if command_mail.is_candidate(parse_headers(header_block(case.raw)), gate)]
    logged = sum(warning.startswith("command mail ignored") for warning in summary.warnings)
    if logged != len(reached):
        problems.append(f"{len(reached)} mails reached the command gate but {logged} were logged as ignored")
    missed = [case for case in batch if case.shaped and case not in reached]
    problems += [f"generator: shaped like a command but not seen as one: {case.line(SEED)}" for case in missed]
    return problems


def failure_report(problems: list[str], batch: list[Case], tmp_path: Path, prepare) -> str:
    """The problems, and which cases of the batch cause a change when synced alone (in a fresh
    world made ready by ``prepare``)."""
    culprits = []
    for case in batch:
        alone = make_world(tmp_path / f"case{case.number}")
        prepare(alone)
        _, before = alone.sync()
        trash = len(alone.source.folders["Trash"])
        alone.source.append(case.folder, case.raw)
        summary, after = alone.sync()
        if after != before or summary.commands or len(alone.source.folders["Trash"]) != trash:
            culprits.append(case.line(SEED))
    return "\n".join([f"command mail fuzz, seed {SEED}, cases {batch[0].number}-{batch[-1].number}:", *problems,
                      "cases that change something on their own:", *(culprits or ["(none alone)"])])


def genuine_commands_still_apply(world: World) -> list[str]:
    """The positive control, in the fuzzed mailbox: an unmutated Done link and a reply do act
    (and go to Trash). Return their Message-IDs."""
    inbox, trash = dict(world.source.folders["INBOX"]), len(world.source.folders["Trash"])
    first, second = world.target.items[:2]
    done = world.nudge_links["Done"][0]
    assert first in done
    world.source.append("INBOX", link_mail(done, f"Pat Weber <{ME}>", "genuine-done@client.example"))
    world.source.append("INBOX", reply_mail(world, "stop 2\n\nThanks", "genuine-reply@client.example"))
    summary, after = world.sync()
    status = {r["id"]: r["status"] for r in after["reminders"].values() if r["kind"] == "no_reply"}
    assert summary.commands == 2 and status[first] == status[second] == "closed", (SEED, summary.line())
    assert world.source.folders["INBOX"] == inbox and len(world.source.folders["Trash"]) == trash + 2
    return ["genuine-done@client.example", "genuine-reply@client.example"]


# --- positive controls and replays ----------------------------------------------------------------
@pytest.mark.parametrize("label", ["Done", "Snooze 2 days", "Snooze 1 week", "Stop tracking", "Mute contact"])
def test_each_link_of_the_nudge_applies_as_sent(world, label):
    """The forms the fuzz mutates do work unmutated: the test above can fail."""
    _, before = world.sync()
    inbox = dict(world.source.folders["INBOX"])
    uri = world.nudge_links[label][1]
    world.source.append("INBOX", link_mail(uri, f"Pat Weber <{ME}>", "genuine@client.example"))
    summary, after = world.sync()
    assert summary.commands == 1 and after["reminders"] != before["reminders"]
    assert world.source.folders["INBOX"] == inbox and len(world.source.folders["Trash"]) == 1


def no_reply_by_id(snapshot_: dict) -> dict[str, dict]:
    return {r["id"]: r for r in snapshot_["reminders"].values() if r["kind"] == "no_reply"}


@pytest.mark.parametrize("label", ["Done", "Snooze 2 days", "Stop tracking", "Mute contact"])
def test_a_command_mail_delivered_again_later_changes_nothing(world, label):
    """Each command mail is applied once: a copy (same Message-ID) days later is only moved."""
    inbox = dict(world.source.folders["INBOX"])
    raw = link_mail(world.nudge_links[label][0], f"Pat Weber <{ME}>", "once@client.example")
    world.source.append("Sent", raw)
    world.source.append("INBOX", raw)
    summary, applied = world.sync()
    assert summary.commands == 1 and applied["applied"] == ["once@client.example"]
    world.source.append("INBOX", raw)
    summary, later = world.sync(NOW + timedelta(days=3))
    assert summary.commands == 0 and later["reminders"] == applied["reminders"]
    assert world.source.folders["INBOX"] == inbox and len(world.source.folders["Trash"]) == 3


@pytest.mark.parametrize("label, days", [("Done", 0), ("Done", 2), ("Stop tracking", 2), ("Mute contact", 2),
                                         ("Snooze 2 days", 0), ("Snooze 1 week", 0)])
def test_the_same_link_sent_again_with_a_new_message_id_does_no_harm(world, label, days):
    """Sending a link again is a new command mail: it may be applied, but a closed item stays as
    closed (same record), and the same snooze on the same day moves nothing further."""
    uri = world.nudge_links[label][0]
    world.source.append("INBOX", link_mail(uri, f"Pat Weber <{ME}>", "first@client.example"))
    _, once = world.sync()
    later = NOW + timedelta(days=days)
    world.source.append("INBOX", link_mail(uri, f"Pat Weber <{ME}>", "again@client.example", now=later))
    _, twice = world.sync(later)
    assert twice["reminders"] == once["reminders"] and twice["muted"] == once["muted"]


def test_a_reply_sent_again_does_not_act_twice(world):
    world.source.append("INBOX", reply_mail(world, "done 1\nmute 3", "reply-1@client.example"))
    _, once = world.sync()
    world.source.append("INBOX", reply_mail(world, "done 1\nmute 3", "reply-2@client.example"))
    _, twice = world.sync(NOW + timedelta(days=1))
    assert twice["reminders"] == once["reminders"] and twice["muted"] == once["muted"]


def test_a_strangers_mail_reusing_an_applied_message_id_stays_in_the_inbox(world):
    """Regression: a copy of an applied command mail used to be moved to Trash on its Message-ID
    alone, so anyone could make a command-like mail vanish, unlogged (phase 2 of the fuzz)."""
    world.source.append("INBOX", link_mail(world.nudge_links["Done"][0], f"Pat Weber <{ME}>", "c1@client.example"))
    world.sync()
    forged = assemble(random.Random(0), Draft(
        [("From", f"Mallory <{EVIL}>"), ("To", ME), ("Subject", "followup-watcher done abcdef 00"),
         ("Date", format_datetime(NOW)), ("Message-ID", "<c1@client.example>")], "hi", encode_body=False))
    uid = world.source.append("INBOX", forged)
    summary, _ = world.sync()
    assert world.source.folders["INBOX"].get(uid) == forged and len(world.source.folders["Trash"]) == 1
    assert summary.warnings == [f"command mail ignored: from {EVIL}, which is not one of your addresses"]


@pytest.mark.parametrize("line", ["snooze 1 0d", "snooze 1 000d", "snooze 1 2026-02-30", "snooze 1 1999-01-01",
                                  "snooze 1 2026-11-17", "snooze 1 0001-01-01"])
def test_a_genuine_reply_with_an_impossible_snooze_changes_nothing(world, line):
    _, before = world.sync()
    world.source.append("INBOX", reply_mail(world, line, "absurd@client.example"))
    _, after = world.sync()
    assert after["reminders"] == before["reminders"]


@pytest.mark.parametrize("line, due", [("snooze 1 999w", NOW.date() + timedelta(weeks=999)),
                                       ("snooze 1 9999-12-31", date(9999, 12, 31))])
def test_a_genuine_reply_with_a_far_snooze_leaves_a_sane_state(world, line, due):
    """Applied as asked or refused (a cap on snoozes would be fine), and later syncs cope."""
    _, before = world.sync()
    world.source.append("INBOX", reply_mail(world, line, "far@client.example"))
    world.sync()
    _, after = world.sync(NOW + timedelta(days=1))
    first = world.target.items[0]
    assert no_reply_by_id(after)[first]["due"] in (due.isoformat(), no_reply_by_id(before)[first]["due"])


# --- a From that names me among others, or malformed around me ---------------------------------
@pytest.mark.parametrize("fields", FIRST_FROM_MINE)
def test_a_from_that_also_names_someone_else_is_not_mine(world, fields):
    """A valid link whose From also names someone else, or is malformed around my address."""
    _, before = world.sync()
    subject = parse_qs(urlsplit(world.nudge_links["Done"][0]).query)["subject"][0]
    headers = [("From", value.format(me=ME, evil=EVIL)) for value in fields]
    world.source.append("INBOX", assemble(random.Random(0), Draft(
        [*headers, ("To", ME), ("Subject", subject), ("Date", format_datetime(NOW)),
         ("Message-ID", "<two@client.example>")], "", encode_body=False)))
    summary, after = world.sync()
    assert after["reminders"] == before["reminders"] and summary.commands == 0
