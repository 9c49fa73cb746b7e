"""A realistic, reproducible mailbox for the benchmarks: N messages written as Maildir files.

What it holds, for a seed and N (the same every time):
- conversations between me and one to three people at about 300 companies, of varying depth
  (half are single messages, some run past ten), with Re: subjects, In-Reply-To and References,
  quoted earlier text, signatures, an HTML alternative in a third and an attachment in a few;
- in those, my promises ("I'll send the revised quote by Friday"), questions, check-back
  requests and declines, at about the rate they occur in real sales mail;
- newsletters (List-Id, List-Unsubscribe, HTML), notifications from no-reply addresses, and
  out-of-office auto-replies to my mail;
- about a third of all messages sent by me (in Sent), the rest in INBOX and Archive;
- dates spread over ``span`` days up to ``now``, in working hours, on weekdays mostly.

Files are named the way Dovecot's Maildir driver names them (``,S=`` size, ``:2,S`` seen), and
their modification time is the message's arrival, which Dovecot reports as INTERNALDATE.
"""

from __future__ import annotations

import base64
import os
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

ME = ("Pat Weber", "pat@example.com")
FIRST = ("Anna Ben Carla Dev Elena Farid Grace Hiro Ines Jonas Kemal Lena Marco Nadia Omar Priya Quentin "
         "Rosa Sven Tariq Uma Victor Wen Ximena Yusuf Zoe Aaron Beatriz Chen Dana Emil Fatima Goran "
         "Hannah Ivan Julia Kofi Lucia Mateo Nora").split()
LAST = ("Adler Brandt Costa Dubois Eriksen Fischer Garcia Hansen Ibrahim Jansen Kowalski Laurent "
        "Moreau Nakamura Olsen Petrov Quinn Rossi Schmidt Tanaka Ueda Vogel Weber Xu Yilmaz Zimmer "
        "Novak Horvat Silva Bauer").split()
COMPANY = ("north wind acme globex initech umbrella stark wayne tyrell cyberdyne soylent hooli "
           "vandelay pied massive aperture oscorp gringotts monarch zorg duff").split()
TLD = ("com", "de", "co.uk", "fr", "io", "nl", "es", "it")
TOPICS = ("quote for the Q3 rollout", "renewal terms", "pilot project", "pricing for 200 seats",
          "integration timeline", "security questionnaire", "onboarding plan", "partnership proposal",
          "contract draft", "workshop next month", "invoice 4471", "demo follow-up", "reference call",
          "data migration", "support escalation", "budget approval", "trial extension", "SLA review",
          "kick-off meeting", "case study", "reseller agreement", "API access", "volume discount",
          "training sessions", "procurement process")
FILLER = (
    "Thanks for the quick turnaround on this.",
    "As discussed on the call, the team is aligned on scope.",
    "I have attached the latest version for your review.",
    "Our legal team went through the document and only had minor comments.",
    "The numbers look reasonable, but we need to double-check the rollout dates.",
    "Let me know if anything is unclear.",
    "We are still waiting on the final headcount from finance.",
    "The pilot went well and the users were happy with the results.",
    "Happy to jump on a call if that is easier.",
    "I spoke with my manager and she is supportive.",
    "We had some delays on our side because of the reorganisation.",
    "The integration should take about two weeks once we have API keys.",
    "Please find the summary of our discussion below.",
    "Nothing urgent, just keeping you in the loop.",
    "I hope you had a good weekend.",
)
PROMISES = (
    "I'll send you the revised quote by Friday.",
    "Let me get back to you tomorrow with the numbers.",
    "I will call you on Monday to go through the details.",
    "I'll check with our engineers and get back to you next week.",
    "I will share the contract draft by end of day Thursday.",
    "I'll follow up with the case study early next week.",
)
QUESTIONS = (
    "Could you confirm the delivery date?",
    "Would Tuesday at 10:00 work for a short call?",
    "Can you send me the signed order form?",
    "Do you have any feedback on the proposal?",
    "Who else should be involved in the decision?",
    "Is the budget approved for this quarter?",
)
CHECK_BACKS = (
    "We are not ready yet. Please ask me again in three months.",
    "Can you check back with me in January? Budgets are frozen until then.",
    "Reach out again after the summer, we will know more by then.",
)
DECLINES = (
    "Thanks, but we are not interested at this time.",
    "We decided to go with another vendor. Please remove me from your list.",
)
NEWSLETTERS = (("Product Weekly", "news@productweekly.example"), ("SaaS Digest", "digest@saasnews.example"),
               ("Cloud Events", "events@cloudconf.example"), ("Sales Tips", "tips@salesacademy.example"),
               ("Dev Monthly", "monthly@devletter.example"), ("Market Brief", "brief@marketwatch.example"))
NOTIFIERS = (("GitHub", "noreply@github.example"), ("Calendar", "calendar-notification@google.example"),
             ("Jira", "jira@acme.atlassian.example"), ("Billing", "no-reply@billing.example"))


@dataclass
class Mail:
    """One generated message: where it goes, when it arrived, its bytes."""

    folder: str
    arrived: datetime
    raw: bytes


@dataclass
class Generator:
    """Draws people, threads and messages from one seeded random source."""

    seed: int = 20261123
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    span: timedelta = timedelta(days=330)
    rng: random.Random = field(init=False)
    people: list[tuple[str, str, str]] = field(init=False)  # (name, email, company)
    counter: int = 0

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        companies = [f"{c}{i}.{self.rng.choice(TLD)}" for i, c in enumerate(COMPANY * 15)]  # 315 domains
        self.people = []
        for number in range(1500):
            first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
            domain = self.rng.choice(companies)
            self.people.append((f"{first} {last}", f"{first.lower()}.{last.lower()}{number}@{domain}", domain))

    # --- building blocks -----------------------------------------------------------------------
    def message_id(self, domain: str) -> str:
        self.counter += 1
        return f"<{self.counter:07d}.{self.rng.getrandbits(40):010x}@{domain}>"

    def when(self) -> datetime:
        """A working-hours moment inside the span, weekdays nine times in ten."""
        while True:
            moment = self.now - self.span * self.rng.random()
            if moment.weekday() < 5 or self.rng.random() < 0.1:
                moment = moment.replace(hour=self.rng.randint(7, 18), minute=self.rng.randint(0, 59),
                                        second=self.rng.randint(0, 59), microsecond=0)
                return min(moment, self.now.replace(microsecond=0) - timedelta(seconds=self.rng.randint(1, 3600)))

    def paragraph(self, extra: tuple[str, ...] = ()) -> str:
        sentences = self.rng.sample(FILLER, self.rng.randint(2, 5)) + list(extra)
        self.rng.shuffle(sentences)
        return " ".join(sentences)

    def body(self, greeting: str, signer: str, company: str, extra: tuple[str, ...], quoted: str) -> str:
        paragraphs = [self.paragraph(extra if i == 0 else ()) for i in range(self.rng.randint(1, 3))]
        text = f"Hi {greeting},\n\n" + "\n\n".join(wrap(p) for p in paragraphs)
        text += f"\n\nBest regards,\n{signer}\n\n-- \n{signer}\n{company.split('.')[0].title()} Ltd.\n" \
                f"+49 30 {self.rng.randint(1000000, 9999999)}\n"
        return text + quoted

    # --- messages -------------------------------------------------------------------------------
    def conversation(self, budget: int) -> list[Mail]:
        """A thread between me and one to three people, never longer than ``budget`` messages."""
        depth = min(budget, self.rng.choice((1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 8, 12)))
        them = self.rng.sample(self.people, self.rng.choice((1, 1, 1, 1, 2, 3)))
        topic = self.rng.choice(TOPICS)
        moment = self.when()
        mine = self.rng.random() < 0.5
        mails, ids, previous = [], [], ""
        for step in range(depth):
            sender = ME if mine else them[0 if step < 2 else self.rng.randrange(len(them))][:2]
            recipients = [p[:2] for p in them] if mine else [ME] + [p[:2] for p in them if p[1] != sender[1]]
            extra: tuple[str, ...] = ()
            last = step == depth - 1
            roll = self.rng.random()
            if mine and roll < 0.25:
                extra = (self.rng.choice(PROMISES),)
            elif roll < 0.6:
                extra = (self.rng.choice(QUESTIONS),)
            elif not mine and last and roll < 0.68:
                extra = (self.rng.choice(CHECK_BACKS),)
            elif not mine and last and roll < 0.72:
                extra = (self.rng.choice(DECLINES),)
            domain = "example.com" if mine else sender[1].split("@")[1]
            mid = self.message_id(domain)
            quoted = ""
            if previous:
                quoted = f"\nOn {format_datetime(moment)}, {mails[-1][1][0]} wrote:\n" + "".join(
                    f"> {line}\n" for line in previous.splitlines()[:40])
            text = self.body(recipients[0][0].split()[0], sender[0], domain, extra, quoted)
            subject = ("Re: " if step else "") + topic.capitalize()
            headers = {"From": address(sender), "To": ", ".join(address(r) for r in recipients[:2]),
                       "Subject": subject, "Date": format_datetime(moment), "Message-ID": mid}
            if len(recipients) > 2:
                headers["Cc"] = ", ".join(address(r) for r in recipients[2:])
            if ids:
                headers["In-Reply-To"] = ids[-1]
                headers["References"] = " ".join(ids[-10:])
            folder = "Sent" if mine else ("Archive" if self.rng.random() < 0.3 else "INBOX")
            html = self.rng.random() < 0.35
            attach = self.rng.random() < 0.04
            mails.append((Mail(folder, moment, build(headers, text, html, attach, self.rng)), sender))
            ids.append(mid)
            previous = text
            if mine and self.rng.random() < 0.03 and not last:  # an out-of-office answer
                mails.append((self.auto_reply(them[0], mid, subject, moment), them[0]))
            moment += timedelta(hours=self.rng.choice((1, 3, 5, 20, 26, 50, 75, 120)), minutes=self.rng.randint(0, 59))
            if moment > self.now:
                break
            mine = not mine if self.rng.random() < 0.85 else mine
        return [mail for mail, _ in mails][:budget]

    def auto_reply(self, person, replying_to: str, subject: str, moment: datetime) -> Mail:
        headers = {"From": address(person[:2]), "To": address(ME), "Subject": f"Automatic reply: {subject}",
                   "Date": format_datetime(moment + timedelta(minutes=1)),
                   "Message-ID": self.message_id(person[2]), "In-Reply-To": replying_to,
                   "Auto-Submitted": "auto-replied", "X-Autoreply": "yes"}
        text = "I am out of the office until next Monday with limited access to email.\n"
        return Mail("INBOX", moment + timedelta(minutes=1), build(headers, text, False, False, self.rng))

    def newsletter(self) -> Mail:
        name, sender = self.rng.choice(NEWSLETTERS)
        moment = self.when()
        domain = sender.split("@")[1]
        headers = {"From": f"{name} <{sender}>", "To": address(ME), "Subject": f"{name}: {self.rng.choice(TOPICS)} and more",
                   "Date": format_datetime(moment), "Message-ID": self.message_id(domain),
                   "List-Id": f"<{name.lower().replace(' ', '-')}.{domain}>",
                   "List-Unsubscribe": f"<https://{domain}/unsubscribe?u={self.rng.getrandbits(32):x}>",
                   "Precedence": "bulk", "Feedback-ID": f"{self.rng.getrandbits(24):x}:campaign:{domain}"}
        text = "\n\n".join(wrap(self.paragraph()) for _ in range(self.rng.randint(6, 14)))
        folder = "Archive" if self.rng.random() < 0.2 else "INBOX"
        return Mail(folder, moment, build(headers, text, True, False, self.rng))

    def notification(self) -> Mail:
        name, sender = self.rng.choice(NOTIFIERS)
        moment = self.when()
        headers = {"From": f"{name} <{sender}>", "To": address(ME),
                   "Subject": f"[{name}] {self.rng.choice(TOPICS)} was updated",
                   "Date": format_datetime(moment), "Message-ID": self.message_id(sender.split("@")[1]),
                   "Auto-Submitted": "auto-generated"}
        text = f"{self.paragraph()}\n\nYou are receiving this because you are subscribed.\n"
        return Mail("INBOX", moment, build(headers, text, self.rng.random() < 0.5, False, self.rng))

    def mailbox(self, count: int) -> list[Mail]:
        """``count`` messages: about 70% conversation mail, the rest newsletters and notifications."""
        mails: list[Mail] = []
        while len(mails) < count:
            roll = self.rng.random()
            if roll < 0.40:
                mails += self.conversation(count - len(mails))
            elif roll < 0.75:
                mails.append(self.newsletter())
            else:
                mails.append(self.notification())
        return mails

    def arrivals(self, count: int, known: list[Mail]) -> list[Mail]:
        """``count`` new messages arriving in the last hour: a third are answers to my mail of
        the last month (``known``), the rest new conversations, newsletters and notifications."""
        mine = [m for m in known if m.folder == "Sent" and m.arrived > self.now - timedelta(days=30)]
        answers = [self.answer(self.rng.choice(mine)) for _ in range(count // 3)] if mine else []
        saved_span = self.span
        self.span = timedelta(hours=1)
        try:
            return answers + self.mailbox(count - len(answers))
        finally:
            self.span = saved_span

    def answer(self, mail: Mail) -> Mail:
        """A reply to one of my messages from its first recipient, arriving in the last hour."""
        head = mail.raw.split(b"\n\n", 1)[0].decode("utf-8")
        fields = dict(line.split(": ", 1) for line in head.split("\n") if ": " in line and not line[0].isspace())
        name, email = fields["To"].split(",")[0].rsplit(" <", 1)
        person = (name, email.rstrip(">"))
        moment = self.now - timedelta(minutes=self.rng.randint(1, 59))
        subject = fields["Subject"] if fields["Subject"].startswith("Re: ") else "Re: " + fields["Subject"]
        headers = {"From": address(person), "To": address(ME), "Subject": subject, "Date": format_datetime(moment),
                   "Message-ID": self.message_id(person[1].split("@")[1]), "In-Reply-To": fields["Message-ID"],
                   "References": (fields.get("References", "") + " " + fields["Message-ID"]).strip()}
        text = self.body(ME[0].split()[0], person[0], person[1].split("@")[1], (self.rng.choice(FILLER),), "")
        return Mail("INBOX", moment, build(headers, text, self.rng.random() < 0.35, False, self.rng))


def address(person: tuple[str, str]) -> str:
    return f"{person[0]} <{person[1]}>"


def wrap(text: str, width: int = 72) -> str:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join(lines + [line])


def build(headers: dict[str, str], text: str, html: bool, attach: bool, rng: random.Random) -> bytes:
    """A message with LF line endings (as Maildir stores it): plain, or multipart with an HTML
    alternative and/or an attachment. The headers a real server adds come first."""
    hops = "".join(
        f"Received: from mx{rng.randint(1, 9)}.relay.example (mx.relay.example [192.0.2.{rng.randint(1, 254)}])\n"
        f"\tby mail.example.com with ESMTPS id {rng.getrandbits(48):012x}\n\tfor <pat@example.com>; {headers['Date']}\n"
        for _ in range(rng.randint(1, 3)))
    head = hops + "".join(f"{name}: {value}\n" for name, value in headers.items()) + "MIME-Version: 1.0\n"
    plain = "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + text
    if not html and not attach:
        return (head + plain).encode("utf-8")
    boundary = f"=_b{rng.getrandbits(48):012x}"
    parts = [plain]
    if html:
        markup = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
        parts.append("Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
                     f"<html><body style=\"font-family:sans-serif\">{markup}</body></html>\n")
    if html and not attach:
        return (head + multipart("alternative", boundary, parts)).encode("utf-8")
    if html:
        inner = f"=_a{rng.getrandbits(48):012x}"
        parts = ["" + multipart("alternative", inner, parts)]
    blob = base64.encodebytes(rng.randbytes(rng.randint(20_000, 200_000))).decode()
    parts.append("Content-Type: application/pdf; name=\"document.pdf\"\nContent-Transfer-Encoding: base64\n"
                 "Content-Disposition: attachment; filename=\"document.pdf\"\n\n" + blob)
    return (head + multipart("mixed", boundary, parts)).encode("utf-8")


def multipart(subtype: str, boundary: str, parts: list[str]) -> str:
    return (f"Content-Type: multipart/{subtype}; boundary=\"{boundary}\"\n\n"
            + "".join(f"--{boundary}\n{part}\n" for part in parts) + f"--{boundary}--\n")


def write_maildir(root: Path, mails: list[Mail], owner: tuple[int, int] | None = None) -> dict[str, int]:
    """Write ``mails`` under the Maildir ``root`` (INBOX at the top, other folders as ``.Name``);
    return how many went to each folder. ``owner`` (uid, gid) is given to every file and folder."""
    counts: dict[str, int] = {}
    made: set[Path] = set()
    for number, mail in enumerate(sorted(mails, key=lambda m: m.arrived)):
        folder = root if mail.folder == "INBOX" else root / f".{mail.folder}"
        if folder not in made:
            for sub in ("cur", "new", "tmp"):
                (folder / sub).mkdir(parents=True, exist_ok=True)
            if folder != root:
                (folder / "maildirfolder").touch()
            made.add(folder)
        stamp = int(mail.arrived.timestamp())
        crlf = len(mail.raw) + mail.raw.count(b"\n")
        path = folder / "cur" / f"{stamp}.M{number}P1.bench,S={len(mail.raw)},W={crlf}:2,S"
        path.write_bytes(mail.raw)
        os.utime(path, (stamp, stamp))
        counts[mail.folder] = counts.get(mail.folder, 0) + 1
    if owner is not None:
        for directory, subdirs, files in os.walk(root):
            os.chown(directory, *owner)
            for name in files:
                os.chown(os.path.join(directory, name), *owner)
    return counts
