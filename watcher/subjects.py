"""Subject lines: reply and forward prefixes in many languages, and the base subject behind them.

"Re: AW: Fwd: [sales] Quarterly plan" and "quarterly plan" have the same base subject. Prefixes
are only recognised before a colon ("Rebate offer" and "Aw shucks" are not replies).
"""

from __future__ import annotations

import re

# Reply prefixes as mail clients write them, by language (case does not matter).
REPLY_PREFIXES = (
    "re", "aw", "antw", "antwort", "sv", "vs", "vá", "odp", "ynt", "atb", "rif", "r", "réf", "ref",
    "res", "resp", "απ", "σχετ", "отв", "ответ", "odg", "bls", "balas",
    "回复", "答复", "回覆", "答覆", "返信", "답장",
)
# Forward prefixes.
FORWARD_PREFIXES = (
    "fw", "fwd", "wg", "tr", "rv", "enc", "pd", "doorst", "i", "ilt", "İlt", "vl", "vb", "trs",
    "πρθ", "пересл", "转发", "轉寄", "転送", "전달", "fs",
)

_COUNTER = r"(?:\s*(?:\[\d+\]|\(\d+\)|\^\d+))?"
_COLON = r"\s*[:：]"
_LIST_TAG = re.compile(r"^\s*\[[^\]\n]{1,60}\]\s*")


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_REPLY = re.compile(rf"^\s*(?:{_alternation(REPLY_PREFIXES)}){_COUNTER}{_COLON}\s*", re.IGNORECASE)
_FORWARD = re.compile(rf"^\s*(?:{_alternation(FORWARD_PREFIXES)}){_COUNTER}{_COLON}\s*", re.IGNORECASE)
_FWD_SUFFIX = re.compile(r"\s*\((?:fwd|fw)\)\s*$", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def _strip_list_tag(subject: str) -> str:
    return _LIST_TAG.sub("", subject, count=1)


def is_reply_subject(subject: str | None) -> bool:
    """True when ``subject`` (after an optional "[list]" tag) starts with a reply prefix."""
    return bool(subject) and bool(_REPLY.match(_strip_list_tag(subject)))


def is_forward_subject(subject: str | None) -> bool:
    """True when ``subject`` (after an optional "[list]" tag) starts with a forward prefix."""
    return bool(subject) and bool(_FORWARD.match(_strip_list_tag(subject)))


def base_subject(subject: str | None) -> str:
    """Return ``subject`` without list tags, reply and forward prefixes and "(fwd)", with
    whitespace collapsed and case folded: the key for "same topic" comparisons."""
    text = subject or ""
    while True:
        stripped = _strip_list_tag(text)
        stripped = _REPLY.sub("", stripped, count=1)
        stripped = _FORWARD.sub("", stripped, count=1)
        if stripped == text:
            break
        text = stripped
    text = _FWD_SUFFIX.sub("", text)
    return _SPACE.sub(" ", text).strip().casefold()
