"""Does a message of mine ask something of the recipient?

A question to the recipient, a request ("please …", "could you …", "let me know …") or a
proposal awaiting a decision expects a reply. FYI notes, thanks-only mail, deliveries and
"no need to reply" do not. Conditional courtesy closers ("let me know if you have any
questions") are not requests.
"""

from __future__ import annotations

import re

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|\n{2,}|\n(?=[-*•]\s)")
_NO_REPLY_NEEDED = re.compile(
    r"\b(?:no need to (?:reply|respond|answer)|no reply (?:needed|necessary|required)"
    r"|(?:don't|do not) (?:need to )?(?:reply|respond)|nothing (?:needed|required) from you"
    r"|just fyi|fyi only)\b", re.IGNORECASE)
_COURTESY = re.compile(
    r"\b(?:let me know|please (?:call|contact|reach out|get in touch|feel free)|feel free to"
    r"|don't hesitate|do not hesitate)\b[^.?!]*\bif\b[^.?!]*\b(?:any|further|other|more)?\s*"
    r"(?:questions?|help|anything|concerns?|need|comments?|issues?|problems?)", re.IGNORECASE)
_REQUEST = re.compile(
    r"^(?:please|pls|kindly)\b|\b(?:could|can|would|will) you\b|\b(?:let me know|lmk)\b"
    r"|\bi(?:'d| would) (?:appreciate|like to (?:know|hear|get your))\b|\bi was wondering\b"
    r"|\b(?:what do you think|your thoughts|any thoughts|thoughts\?)"
    r"|\b(?:are you|do you|did you|have you|is it|is there|when can|when will|what time)\b.*\?$"
    r"|\bplease (?:send|confirm|review|advise|reply|respond|sign|approve|check|let)\b"
    r"|\b(?:awaiting|look forward to) your (?:reply|response|feedback|decision|approval|confirmation)\b",
    re.IGNORECASE)
_RHETORICAL = re.compile(r"^(?:how are you|how's it going|how was your|hope you)\b", re.IGNORECASE)


def sentences(text: str) -> list[str]:
    """Split new text into sentences (and list items), whitespace collapsed, empty ones dropped."""
    parts = (" ".join(part.split()) for part in _SENTENCE_SPLIT.split(text or ""))
    return [part for part in parts if part]


def asking_sentences(text: str) -> list[str]:
    """Return the sentences of ``text`` that ask the recipient to answer, decide or do something."""
    if _NO_REPLY_NEEDED.search(text or ""):
        return []
    asks = []
    for sentence in sentences(text):
        if _RHETORICAL.search(sentence) or _COURTESY.search(sentence):
            continue
        if sentence.endswith("?") or _REQUEST.search(sentence):
            asks.append(sentence)
    return asks


def expects_reply(text: str | None) -> bool | None:
    """Given the new text of my message, return whether it expects a reply; None if unknown
    (the body was not read)."""
    if text is None:
        return None
    return bool(asking_sentences(text))
