"""Subject lines: reply and forward prefixes in many languages, list tags, and the comparison key.

Mail clients mark a reply or a forward with a localized prefix ("Re:", "AW:", "SV:", "回复："),
sometimes with a counter ("Re[2]:", "Re(3):", "RE^2:"), and stack them as a conversation passes
between clients ("Re: AW: Fwd: Budget"). Mailing lists add a tag ("[dev-list] Re: Budget").
``base_subject`` removes all of that so two subjects of one conversation compare equal.

A prefix counts only as a whole word followed by a colon at the start of the subject (after list
tags or other prefixes), so "Rebate offer", "Reply needed", "Re-launch" and "R2-D2: a story" stay
as they are. Short prefixes remain ambiguous by nature: Italian "R:" (reply) and "I:" (forward),
or "VS:", which is a reply in Finnish but a forward in Danish and Norwegian (listed as a reply).

Sources: en.wikipedia "List of email subject abbreviations", Thunderbird ``mailnews.localizedRe``.
"""

from __future__ import annotations

import re
import unicodedata

# Matched case-insensitively ("RE", "Re" and "re" are one entry), only before a colon.
REPLY_PREFIXES: tuple[str, ...] = (
    "Re", "Res", "Rép", "Réf", "Ref", "Rif", "R",           # Latin; Portuguese, French, Italian
    "Aw", "Antwort", "Antw", "Sv", "Svar", "VS", "Vast",    # German, Dutch, Nordic, Estonian
    "Odp", "Odg", "Ynt", "Atb", "Ats", "Vá",                # Polish, Slovene, Turkish, Baltic, ...
    "Απ", "ΣΧΕΤ", "Отв", "Ответ", "Відп", "Одг",            # Greek, Russian, Ukrainian, Serbian
    "回复", "答复", "回覆", "答覆", "返信", "답장", "회신",   # Chinese, Japanese, Korean
    "השב", "תשובה", "رد",                                   # Hebrew, Arabic
)
FORWARD_PREFIXES: tuple[str, ...] = (
    "Fw", "Fwd", "WG", "TR", "RV", "Enc", "PD", "Doorst",   # English, German, French, Spanish, ...
    "VB", "VL", "FS", "İlt", "Wtr", "Pārs", "I",            # Nordic, Turkish, Latvian, Italian
    "ΠΡΘ", "Пересл", "Переслано",                           # Greek, Russian
    "转发", "轉寄", "轉發", "転送", "전달", "הועבר",          # Chinese, Japanese, Korean, Hebrew
)

# A list tag such as "[dev-list]" or "[PATCH v2 1/3]". A colon is not allowed inside so that the
# old "[Fwd: Budget]" wrapping of a whole subject is not mistaken for a tag and thrown away.
_LIST_TAG = r"\[[^\[\]:\r\n]{1,64}\]"
# "Re[2]:", "Re(3):", "RE^2:", and the French spacing "Réf :". NFKC has already turned a
# full-width colon into ":" and a no-break space into a space.
_COUNTER_AND_COLON = r"\s*(?:(?:\[\d{1,4}\]|\(\d{1,4}\)|\^\d{1,4})\s*)?:"


def _alternatives(words: tuple[str, ...]) -> str:
    # Longest first, so that "Antwort" is tried before "Antw" and "Re" before "R".
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


_REPLY = rf"(?:{_alternatives(REPLY_PREFIXES)}){_COUNTER_AND_COLON}"
_FORWARD = rf"(?:{_alternatives(FORWARD_PREFIXES)}){_COUNTER_AND_COLON}"

_LEADING_TAGS_RX = re.compile(rf"\s*(?:{_LIST_TAG}\s*)*")
_REPLY_RX = re.compile(_REPLY, re.IGNORECASE)
_FORWARD_RX = re.compile(_FORWARD, re.IGNORECASE)
_LEADING_MARKS_RX = re.compile(rf"\A\s*(?:(?:{_LIST_TAG}|{_REPLY}|{_FORWARD})\s*)+", re.IGNORECASE)
_FWD_SUFFIX = "(fwd)"


def _normalized(subject: str | None) -> str:
    return unicodedata.normalize("NFKC", subject or "")


def _without_fwd_suffix(text: str) -> str:
    """Remove the old Pine-style "(fwd)" marker, as often as it is repeated, from the end."""
    text = text.rstrip()
    while text[-len(_FWD_SUFFIX):].casefold() == _FWD_SUFFIX:
        text = text[: -len(_FWD_SUFFIX)].rstrip()
    return text


def _after_list_tags(subject: str | None) -> tuple[str, int]:
    """Return the normalized subject and where it continues after its leading list tags."""
    text = _normalized(subject)
    return text, _LEADING_TAGS_RX.match(text).end()


def base_subject(subject: str | None) -> str:
    """Given a subject line, return its comparison key: leading list tags and reply/forward
    prefixes (any number, any order) and trailing "(fwd)" removed, whitespace collapsed,
    case-folded. "[dev] Re: AW: Fwd:  Budget 2025 (fwd)" gives "budget 2025"; a subject that
    is nothing but prefixes gives ""."""
    text = _LEADING_MARKS_RX.sub("", _normalized(subject), count=1)
    text = _without_fwd_suffix(text)
    return " ".join(text.split()).casefold()


def is_reply_subject(subject: str | None) -> bool:
    """Return True when the subject, after any leading list tags, starts with a reply prefix
    ("Re: x", "[dev] AW: x", "Re: Fwd: x"); False for a forward ("Fwd: Re: x") or no prefix."""
    text, start = _after_list_tags(subject)
    return _REPLY_RX.match(text, start) is not None


def is_forward_subject(subject: str | None) -> bool:
    """Return True when the subject, after any leading list tags, starts with a forward prefix
    ("Fwd: x", "WG: AW: x") or ends with the old "(fwd)" marker."""
    text, start = _after_list_tags(subject)
    return (_FORWARD_RX.match(text, start) is not None
            or _without_fwd_suffix(text) != text.rstrip())
