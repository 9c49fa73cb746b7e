"""The labelled evaluation data (../shared/eval-dev) loads, and each message's text is the new text
our pipeline would see: no quoted history, and the labelled sentences in it.

Also the Enron (Lotus Notes) quoting that this data relies on being cut by ``watcher.quotes``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from watcher.evaldata import (LabelledMessage, default_paths, load_messages, load_sentences,
                              message_text)
from watcher.quotes import new_text

MESSAGES = 296
SENTENCES = 636
# Two messages are forwards without a word from the forwarder; their labels cover the forwarded
# mail (a Quagga annotation artefact), which is not new text for us.
MAX_EMPTY_TEXTS = 2
MIN_FULL_SAMPLE_SENTENCES_FOUND = 0.95




@pytest.fixture(scope="module")
def texts(eval_dev, corpora) -> dict[str, str]:
    return {message.msg: message_text(message, corpora) for message in load_messages(eval_dev)}


def flat(text: str) -> str:
    return " ".join(text.split())


# --- Enron quoting, cut by watcher.quotes.new_text ------------------------------------------------
LOTUS_REPLY = (
    "Sounds good, send it over.\n\nKim\n\n"
    "Jordan Blake@EXAMPLE\n10/23/2000 09:12 AM\nTo: Kim Lee/HOU/ECT@ECT\ncc: \nSubject: Re: Draft\n\n"
    "Can you review the draft by Friday?\n"
)
LOTUS_INDENTED = (
    "Ditto.\n\n\tJordan Blake@EXAMPLE\n\tSent by: Robin Day@EXAMPLE\n\t04/02/2001 04:59 PM\n\t\t\n"
    "\t\t To: Kim Lee/HOU/ECT@ECT, Sam Roe/HOU/ECT@ECT, Alex\nDoe/HOU/ECT@ECT\n\t\t cc: \n"
    "\t\t Subject: Approvals\n\nPlease approve the attached.\n"
)
LOTUS_WRAPPED_DATE = (
    "Do we have a time?  --Kim\n\n\"Jordan Blake\" <jordan@example.com> on 04/19/2001\n09:01:03 PM\n"
    "To: \"Kim\" <kim@example.com>\ncc:\nSubject: list\n\nHere is the list.\n"
)
FORWARDED_BY = (
    "For the meeting file.\n---------------------- Forwarded by Kim Lee/HOU/ECT on 08/14/2000 09:13\n"
    "AM ---------------------------\n\nJordan Blake\n08/14/2000 08:51 AM\nTo: Kim Lee\ncc:\nSubject: Agenda\n\nAgenda below.\n"
)


@pytest.mark.parametrize("body, expected", [
    (LOTUS_REPLY, "Sounds good, send it over.\n\nKim"),
    (LOTUS_INDENTED, "Ditto."),
    (LOTUS_WRAPPED_DATE, "Do we have a time?  --Kim"),
    (FORWARDED_BY, "For the meeting file."),
    ("Done.\n\n----- Forwarded by Kim Lee/HOU/ECT on 04/02/2001 04:58 PM -----\n\nOld text.", "Done."),
    (" -----Original Message-----\nFrom: \tJordan\nSent:\tTuesday\nTo:\tKim\nSubject:\tRE: x\n\nOld?", ""),
    # a Lotus header whose sender and date stamp were cut: only To (wrapped), cc and Subject remain
    ("Worth a look.\n\n\nTo: Ann Roe/HOU/ECT@ECT, Bo\nLind/HOU/EES@EES\ncc: Cy Day/Corp/Enron@ENRON\n"
     "Subject: Plan\n\nOld text.", "Worth a look."),
])
def test_enron_quoting_is_cut(body, expected):
    assert new_text(body) == expected


@pytest.mark.parametrize("body", [
    "The call is on 10/23/2000 09:00 AM.\nTo: be confirmed by Pat.\nThanks.",  # no cc:/Subject: block follows
    "Meet me at 10/23/2000 09:00 AM in room 4.\n\nSee you there.",
    "Steps:\n\nTo: the board, a summary.\nCc: nobody yet.\nThen we decide.",  # no Subject: line
])
def test_dates_in_prose_are_not_taken_for_lotus_headers(body):
    assert new_text(body) == body.strip()


# --- loading --------------------------------------------------------------------------------------
def test_default_paths_follow_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("FOLLOWUP_EVAL_DEV", str(tmp_path / "eval"))
    monkeypatch.setenv("FOLLOWUP_CORPORA", str(tmp_path / "corpora"))
    assert default_paths() == (tmp_path / "eval", tmp_path / "corpora")
    monkeypatch.delenv("FOLLOWUP_EVAL_DEV")
    monkeypatch.delenv("FOLLOWUP_CORPORA")
    eval_dir, corpora = default_paths()
    assert eval_dir.parts[-2:] == ("shared", "eval-dev") and corpora.parts[-2:] == ("shared", "corpora")
    assert eval_dir.parent.parent == Path(__file__).resolve().parents[2].parent


def test_bc3_locator_must_name_an_email(tmp_path):
    corpus = tmp_path / "intent" / "bc3" / "corpus.xml"
    corpus.parent.mkdir(parents=True)
    corpus.write_text(
        "<root><thread><listno>001-1</listno><DOC><Text>"
        "<Sent id='1.1'>Can we meet &amp;amp; talk? </Sent><Sent id='1.2'>&amp;gt; old text</Sent>"
        "</Text></DOC></thread></root>")
    sent_at = datetime(2001, 3, 25, 21, 51, tzinfo=timezone.utc)
    message = LabelledMessage("m1", "intent/bc3/corpus.xml", "BC3 thread listno 001-1, email 1 of the thread",
                              sent_at, "", True, "")
    assert message_text(message, tmp_path) == "Can we meet & talk?"
    with pytest.raises(ValueError):
        message_text(LabelledMessage("m2", "intent/bc3/corpus.xml", "BC3 thread listno 001-1, email 2 of the thread",
                                     sent_at, "", True, ""), tmp_path)


def test_sentences_load_with_their_labels(eval_dev):
    sentences = load_sentences(eval_dev)
    assert len(sentences) == SENTENCES
    assert len({s.id for s in sentences}) == SENTENCES
    assert sum(s.request for s in sentences) == 101 and sum(s.promise for s in sentences) == 109
    dated = [s for s in sentences if s.due is not None]
    assert len(dated) == 35 and all(s.promise for s in dated)
    # A due date is never before the day the message was written (in the sender's own offset).
    assert all(s.due >= s.sent_at.date() - timedelta(days=1) for s in dated)
    assert all(s.sent_at.utcoffset() is not None for s in sentences)
    assert all(isinstance(s.due, date) for s in dated)


def test_messages_load_with_their_labels(eval_dev):
    messages = load_messages(eval_dev)
    assert len(messages) == MESSAGES
    assert sum(m.expects_reply for m in messages) == 128
    assert all(m.sent_at.utcoffset() is not None for m in messages)
    assert all((m.locator is not None) == m.source.endswith("corpus.xml") for m in messages)


# --- message texts --------------------------------------------------------------------------------
def test_every_message_has_new_text(texts):
    assert len(texts) == MESSAGES
    empty = sorted(msg for msg, text in texts.items() if not text.strip())
    assert len(empty) <= MAX_EMPTY_TEXTS, empty


def test_texts_hold_no_quoted_history(texts):
    # A quote line, an Outlook separator, a Lotus forward line or a Lotus header's "cc:" line.
    history = re.compile(r"^\s*>|-{3,}\s*Original Message|-{3,}\s*Forwarded by|^\s*cc:", re.IGNORECASE | re.MULTILINE)
    quoted = {msg: history.search(text).group(0) for msg, text in texts.items() if history.search(text)}
    assert not quoted


def test_labelled_sentences_are_in_their_message_text(eval_dev, texts):
    sentences = [s for s in load_sentences(eval_dev) if s.msg in texts]
    full = [s for s in sentences if s.msg <= "m0120"]
    found_full = [s for s in full if flat(s.sentence) in flat(texts[s.msg])]
    found_all = [s for s in sentences if flat(s.sentence) in flat(texts[s.msg])]
    share = len(found_full) / len(full)
    print(f"labelled sentences found: full sample {len(found_full)}/{len(full)}, "
          f"all {len(found_all)}/{len(sentences)}")
    assert share >= MIN_FULL_SAMPLE_SENTENCES_FOUND, [s.id for s in full if s not in found_full]
    assert len(found_all) / len(sentences) >= 0.9
