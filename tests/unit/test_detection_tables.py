"""Issue 14: detection that generalises, checked on sentences and mails written for these tests.

Two kinds of table live here. The large ones in ``tests/unit/data`` were written by someone who
read only the labelling guidelines of ``../shared/eval-dev`` (never the rules, never the dev data):
``promise_sentences.jsonl`` (305 sentences in 13 families, with due dates) and
``conversation_cases.jsonl`` (231 mails: expects-reply, check-backs, declines and soft no's,
out-of-office notes without an auto-reply header). Their rates are held to floors, since a
few of their labels are judgement calls the rules decide the other way (each noted below).

The small tables below are the situations issue 14 names, each in wording of our own, and must
all hold.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from watcher.findings import check_back_in
from watcher.rules.check_back import find_check_back
from watcher.rules.dates import find_due
from watcher.rules.declines import find_decline, find_not_now
from watcher.rules.expects_reply import expects_reply
from watcher.rules.out_of_office import is_absence_notice, return_date
from watcher.rules.promises import is_promise, promise_due

DATA = Path(__file__).parent / "data"
CENTRAL = timezone(timedelta(hours=-6))
FRIDAY_EVENING = datetime(2026, 12, 4, 18, 0, tzinfo=CENTRAL)  # Fri 4 Dec 2026, 18:00


def rows(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


@dataclass
class Rate:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 0.0


# --- the large tables ---------------------------------------------------------------------------
def test_promise_table_precision_recall_and_due_dates():
    found = correct = actual = 0
    due = Rate()
    for row in rows("promise_sentences.jsonl"):
        sent = datetime.fromisoformat(row["sent"])
        predicted = is_promise(row["sentence"])
        found += predicted
        actual += row["promise"]
        correct += predicted and row["promise"]
        if row["promise"] and row["due"]:
            read = promise_due(row["sentence"], sent, "mdy")
            due.add(read is not None and read.due is not None and read.due.isoformat() == row["due"])
    precision, recall = correct / found, correct / actual
    print(f"promise table: precision {precision:.3f}, recall {recall:.3f}, due {due.right}/{due.total}")
    # Left to the rules' reading: "I'd be glad to present …" (an offer in the conditional mood, as
    # the dev labels have it), and a few elliptical or open-source shapes ("… and I will, I just
    # need …", "will be on the list by Sunday").
    assert precision >= 0.95 and recall >= 0.93
    assert due.value >= 0.97


def test_conversation_table_expects_reply():
    rate = Rate()
    for row in rows("conversation_cases.jsonl"):
        if row["kind"] == "expects_reply":
            rate.add(bool(expects_reply(row["text"])) == row["expects_reply"])
    assert rate.total >= 90 and rate.value >= 0.97, rate


def test_conversation_table_check_backs_and_their_dates():
    rate = Rate()
    for row in rows("conversation_cases.jsonl"):
        if row["kind"] == "check_back":
            found = check_back_in(row["text"], datetime.fromisoformat(row["sent"]), "mdy")
            wanted = row["due"] if row["check_back"] else None
            rate.add((found.due.isoformat() if found else None) == wanted)
    assert rate.total >= 45 and rate.value >= 0.97, rate


def three_months(day: date) -> date:
    month = day.month + 3
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, min(day.day, 28))


def first_workday_of_january(year: int) -> date:
    day = date(year, 1, 2)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def test_conversation_table_firm_declines_soft_nos_and_objections():
    rate = Rate()
    for row in rows("conversation_cases.jsonl"):
        if row["kind"] != "decline":
            continue
        sent = datetime.fromisoformat(row["sent"])
        firm, soft = find_decline(row["text"]), find_not_now(row["text"], sent, "mdy")
        kind = "firm" if firm else "soft" if soft else "none"
        ok = kind == {"firm": "firm", "soft": "soft"}.get(row["decline"], "none")
        if ok and kind == "soft":
            horizon = row["horizon"]
            if horizon == "next_year":
                ok = soft.due == first_workday_of_january(sent.year + 1)
            elif horizon == "for_now":
                ok = abs((soft.due - three_months(sent.date())).days) <= 3
            else:
                ok = soft.due == date.fromisoformat(horizon)
        rate.add(ok)
    assert rate.total >= 45 and rate.value >= 0.97, rate


def test_conversation_table_out_of_office_notes_and_return_dates():
    rate = Rate()
    for row in rows("conversation_cases.jsonl"):
        if row["kind"] != "out_of_office":
            continue
        notice = is_absence_notice(row["text"])
        ok = notice == row["out_of_office"]
        if ok and notice:
            back = return_date(row["text"], datetime.fromisoformat(row["sent"]), row["date_order"])
            ok = (back.isoformat() if back else None) == row["back"]
        rate.add(ok)
    assert rate.total >= 30 and rate.value >= 0.97, rate


# --- the situations of issue 14, in our own words -----------------------------------------------
@pytest.mark.parametrize("sentence", [
    # verbs that an exception list once refused
    "I'll get you the updated forecast on Monday.",
    "I will attend.",
    "We will use your template for the filing.",
    # acceptances
    "Count us in for the panel.",
    "Happy to take that on.",
    "Yes, I'll join the call on Thursday.",
    # deliveries I arrange through someone
    "I'll have our controller send you the reconciliation.",
    "I'll get someone from legal to review your markup.",
    # a promise and a request in one sentence
    "I'll courier the originals tomorrow and would be grateful if you could sign them by Friday.",
    "I will send the term sheet tonight; can you circulate it to your board?",
    # passive and progressive deliveries
    "The signed copies will be on their way to you Monday.",
    "I'm sending over the corrected schedule later today.",
    "You'll have our comments by end of day Wednesday.",
    "Your refund will be wired tomorrow.",
])
def test_shapes_once_missed_are_promises(sentence):
    assert is_promise(sentence)


@pytest.mark.parametrize("sentence", [
    # plans that owe the reader nothing
    "I will teach the Tuesday seminar as usual.",
    "I'm going to Denver on the 9th for the hearing.",
    "We will be closed on Christmas Eve.",
    # predictions and stances with "we will"
    "We will likely vote against the amendment.",
    "We will get nowhere if both sides keep posturing.",
    "We'll probably regret not bidding.",
    "I will have to disagree with Tom on this.",
    # intentions reported, or in the past
    "I told Maria I would look at the numbers.",
    "I said we'd send it, but legal stopped us.",
    "I was going to call you yesterday.",
    "I don't think I'll have time to review it this week.",
    # offers, courtesies and pleasantries
    "I'd be happy to walk you through the model if that helps.",
    "I'll let you get back to your holiday.",
    "Let's grab coffee when you're in town.",
])
def test_look_alikes_are_not_promises(sentence):
    assert not is_promise(sentence)


@pytest.mark.parametrize("sentence, due", [
    ("I'll circulate the draft by EOD tomorrow.", date(2026, 12, 5)),
    ("We'll have the redline back to you by COB Thursday.", date(2026, 12, 10)),
    ("I'll confirm the volumes by end of day Monday.", date(2026, 12, 7)),
    ("I'll send the executed copy on Tuesday the 15th.", date(2026, 12, 15)),
    ("I'll get you the invoice by the 18th.", date(2026, 12, 18)),
    ("I'll send the final numbers by 12/16.", date(2026, 12, 16)),
    ("I'll have the study done in a fortnight.", date(2026, 12, 18)),
    ("We'll respond within 72 hours.", date(2026, 12, 7)),
    ("I'll wrap up the audit before the end of the month.", date(2026, 12, 31)),
    # vague but distant: never the two-day default
    ("I'll be in touch in the spring about renewing.", date(2027, 3, 1)),
    ("We'll pick this up again next year.", date(2027, 1, 4)),
    ("I'll come back to you after the summer.", date(2027, 9, 1)),
    ("I'll have a proposal for you in 2027.", date(2027, 1, 4)),
])
def test_due_dates_from_a_friday_evening(sentence, due):
    assert is_promise(sentence)
    assert promise_due(sentence, FRIDAY_EVENING, "mdy").due == due


def test_numeric_dates_follow_the_date_order():
    assert find_due("back on 12/14", FRIDAY_EVENING, "mdy").due == date(2026, 12, 14)
    assert find_due("back on 14/12", FRIDAY_EVENING, "dmy").due == date(2026, 12, 14)
    assert find_due("out until 1/4", FRIDAY_EVENING, "mdy").due == date(2027, 1, 4)
    assert find_due("out until 1/4", FRIDAY_EVENING, "dmy").due == date(2027, 4, 1)


@pytest.mark.parametrize("text, due", [
    ("Not now, maybe in 6 months.", date(2027, 6, 4)),
    ("Try us again next quarter.", date(2027, 1, 1)),
    ("Reach out again in 2028.", date(2028, 1, 3)),
    ("We're reviewing vendors in Q3, get in touch then.", date(2027, 7, 1)),
    ("Ask me again in half a year.", date(2027, 6, 4)),
    ("Ping me after the 20th.", date(2026, 12, 21)),
    ("Let's talk again in the spring.", date(2027, 3, 1)),
    ("Budgets are set in March. Drop me a line then.", date(2027, 3, 1)),
])
def test_check_backs_once_missed(text, due):
    found = check_back_in(text, FRIDAY_EVENING, "mdy")
    assert found is not None and found.due == due, found


@pytest.mark.parametrize("text, due", [
    ("Honestly this isn't a priority for us this year.", date(2027, 1, 4)),
    ("We're all set for now, thanks.", date(2027, 3, 4)),
    ("Not the right time for us. Maybe next year.", date(2027, 1, 4)),
    ("We've put the project on hold until the summer.", date(2027, 6, 1)),
    ("We're covered through the end of March, so not before then.", date(2027, 4, 1)),
])
def test_a_soft_no_is_a_check_back_said_not_now(text, due):
    assert find_decline(text) is None
    found = check_back_in(text, FRIDAY_EVENING, "mdy")
    assert found is not None and found.not_now and found.due == due, found
    assert find_check_back(text, FRIDAY_EVENING, "mdy") is None  # nobody asked in so many words


@pytest.mark.parametrize("text", [
    "We have no budget for this.",
    "It's too expensive for a team our size.",
    "We're happy with our current tool, but what would switching cost?",
])
def test_objections_are_neither_declines_nor_soft_nos(text):
    assert find_decline(text) is None and find_not_now(text, FRIDAY_EVENING, "mdy") is None


@pytest.mark.parametrize("text", [
    "We went with another supplier.",
    "We've signed with a competitor, so we won't be needing this.",
    "Thanks, but no thanks.",
    "I'm going to pass on this.",
    "We've decided to build it in-house.",
])
def test_firm_declines(text):
    assert find_decline(text) is not None


@pytest.mark.parametrize("text, expected", [
    # an offer sent for a decision, whatever its closing line
    ("Hi Ana,\n\nAttached is our quote for the 12 additional licences.\n\nLet me know if you have any "
     "questions.\n\nBest,\nPat", True),
    ("Hi Ana,\n\nHere's the proposal we discussed, with the phased rollout.\n\nLooking forward to your "
     "thoughts.\n\nPat", True),
    ("Hi Ana,\n\nPlease find the draft agreement attached for your review.\n\nPat", True),
    # a bump in a thread that waits
    ("Hi Ana,\n\nJust following up on the below.\n\nPat", True),
    ("Circling back on this one.", True),
    ("Bumping this up your inbox.", True),
    ("Hi Ana,\n\nWanted to make sure my note didn't get lost.\n\nPat", True),
    # no decision waits
    ("Hi Ana,\n\nAttached is the signed agreement for your records.\n\nPat", False),
    ("Hi Ana,\n\nHere are the slides from today's session. Let me know if you have any questions.\n\nPat", False),
    ("Hi Ana,\n\nI wanted to follow up regarding the audit findings: all three items are closed.\n\nPat", False),
    ("Thanks again for your time today!", False),
])
def test_mail_that_waits_without_asking(text, expected):
    assert expects_reply(text) is expected


@pytest.mark.parametrize("text, back", [
    ("I am currently out of the office until January 5th with limited access to e-mail.", date(2027, 1, 5)),
    ("Thanks for your note. I'm on leave and back on 12/14. For urgent matters please contact the desk.",
     date(2026, 12, 14)),
    ("I'm travelling until Wednesday and will reply when I return.", date(2026, 12, 9)),
])
def test_an_out_of_office_note_without_a_header(text, back):
    assert is_absence_notice(text)
    assert return_date(text, FRIDAY_EVENING, "mdy") == back


@pytest.mark.parametrize("text", [
    "I'm out until Monday, but yes, let's go ahead.",
    "I'm travelling next week - can we talk on the 14th instead?",
    "Back from vacation today. The numbers look right to me.",
])
def test_a_real_answer_that_mentions_an_absence_is_an_answer(text):
    assert not is_absence_notice(text)


# --- found in review: wording the first version read wrongly -------------------------------------
@pytest.mark.parametrize("sentence, expected", [
    ("I promise that I will send it tomorrow.", True),  # a that-clause after a committing verb
    ("I can confirm that we will send the contract Monday.", True),
    ("I'll land in Boston at 6pm.", False),  # travel, not a patch landing
    ("We will apply for the grant next year.", False),
    ("I'll take the train.", False),  # taking is an acceptance only after a yes
    ("Sounds good, we'll take the 5,000 units at that price.", True),
    ("I'll set off early tomorrow.", False),
    ("I'll have notes on the shared drive by Friday.", True),
    ("I'm sending Friday's invoice on Monday.", True),
    ("I'm paying Cheli to clean the house on Tuesday.", False),  # someone else's errand
])
def test_review_findings_promises(sentence, expected):
    assert is_promise(sentence) is expected


@pytest.mark.parametrize("sentence, due", [
    ("I'll call you at 3.", date(2026, 12, 5)),  # 3 pm has passed at 18:00: tomorrow's
    ("Here is what we did last May.", None),
    ("I'll call you before prices fall.", None),
    ("The summer schedule is attached.", None),
    ("I'll deploy version 2.11.26 today.", date(2026, 12, 4)),  # a version, not a dotted date
    ("I'll send you the 2nd draft.", None),
    ("I'll send it on the 14th.", date(2026, 12, 14)),
])
def test_review_findings_dates(sentence, due):
    found = find_due(sentence, FRIDAY_EVENING, "mdy")
    assert (found.due if found is not None else None) == due, found


def test_a_soft_no_without_a_subject():
    found = find_not_now("Hi Sam,\n\nNot a priority this year.\n\nAva", FRIDAY_EVENING, "mdy")
    assert found is not None and found.due == date(2027, 1, 4)


def test_curly_apostrophes_read_like_straight_ones():
    differ = []
    for row in rows("promise_sentences.jsonl"):
        curly = row["sentence"].replace("'", "\u2019")
        if is_promise(curly) != is_promise(row["sentence"]):
            differ.append(row["sentence"])
    for row in rows("conversation_cases.jsonl"):
        sent, curly = datetime.fromisoformat(row["sent"]), row["text"].replace("'", "\u2019")
        for read in (is_absence_notice, lambda text: bool(expects_reply(text)), lambda text: bool(find_decline(text)),
                     lambda text: getattr(check_back_in(text, sent, "mdy"), "due", None)):
            if read(curly) != read(row["text"]):
                differ.append(row["text"])
    assert differ == []


@pytest.mark.parametrize("read, text", [
    (expects_reply, "I just " * 40 + "follow x"),
    (expects_reply, "File and " * 40 + "x."),
    (lambda text: find_promises_anywhere(text), "I'll meet and " * 500),
    (lambda text: find_promises_anywhere(text), "we will " * 800),
    (is_absence_notice, "I'm out of the office until Monday.\n\nA" + "'" * 4000 + " b"),
])
def test_hostile_text_is_read_in_linear_time(read, text):
    """Each took seconds to minutes (exponential or quadratic) before the patterns were bounded and the
    windows around a head cut to 200 characters; the bound here is far above what they take now."""
    started = time.perf_counter()
    read(text)
    assert time.perf_counter() - started < 2.0


def find_promises_anywhere(text: str):
    from watcher.rules.promises import find_promises
    return find_promises(text, FRIDAY_EVENING, "mdy")
