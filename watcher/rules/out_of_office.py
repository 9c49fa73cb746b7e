"""When is the writer of an out-of-office reply back?

Pure and stdlib only. ``return_date`` reads the new text of an auto-reply already known to be an
out-of-office note and returns the **first day the writer is back**, or None when it names none.
Each date found by ``watcher.rules.dates`` gets a role from the words just before it:

- *until/till X* → back on X ("out until Monday, November 30" → Nov 30);
- *through/thru/to/and/including X*, "X inclusive" and the end of "20-28 November" close an
  inclusive absence → back the day after X ("away from 20 Nov to 28 Nov" → Nov 29);
- *back/return/in the office … X* → back on X ("back on 3/12", "returning next week"), and
  "back after 1 December" → Dec 2;
- *from/since/between X* starts an absence and is never the return ("away from 20 Nov"), unless
  a return word came first ("back in the office from Monday");
- an absence word with a single day ("out of the office on Friday") → the day after; with a week
  ("away next week") → the Monday after it; longer periods give nothing.

Clock times, phone-number-like digits and dates without any of these words (urgent contacts,
office hours) are ignored, as are dates before the message date or more than a year after it.
Of several return dates the latest wins. A bare "the 5th" (not known to ``dates``) is read as the
next such day of the month.

Some out-of-office notes come with no auto-reply header at all (a person's client sends them as
ordinary mail). ``is_absence_notice`` reads such a note from its text: the writer says they are
away ("I am currently out of the office until January 5th") and says nothing else but what such
notes say (thanks for the mail, when they are back, whom to call meanwhile, when they will answer,
how little they read mail). One sentence of anything else ("but yes, let's do it", "can we do the
call on the 14th instead?") makes it a real answer.

Cue words are data (``Cues``); English is the only language so far (German needs German dates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache

from watcher.model import Message
from watcher.rules.dates import find_dates
from watcher.rules.expects_reply import sentences

HORIZON = timedelta(days=366)


@dataclass(frozen=True)
class Cues:
    """The words of one language that the return-date rules know. Each is a regex alternative."""

    until: tuple[str, ...]  # "until X": back on X
    inclusive: tuple[str, ...]  # "through X": absent on X, back the day after
    inclusive_after: tuple[str, ...]  # "X inclusive": said after the date
    start: tuple[str, ...]  # "from X": the first day away
    after: tuple[str, ...]  # "back after X": back the day after
    returning: tuple[str, ...]  # "back", "return": the date that follows is the return
    absent: tuple[str, ...]  # "out", "on leave": the date that follows is a day away
    articles: str  # words allowed between a cue and its date
    away: str  # the writer saying they are away: "I'm out of the office", "I am on annual leave"
    away_words: str  # one of these (lower case) is in every such statement
    notice: tuple[str, ...]  # the other things an out-of-office note says
    clause_breaks: str  # a note's sentence may not hide an answer in a clause: "I'm out, but yes, …"


ENGLISH = Cues(
    until=(r"until", r"till", r"til", r"'til", r"’til", r"up until", r"up till"),
    inclusive=(r"through", r"thru", r"to", r"and", r"up to and including", r"until and including",
               r"till and including", r"including", r"[-–—]"),
    inclusive_after=(r"inclusive", r"\(inclusive\)", r"included"),
    start=(r"from", r"since", r"starting", r"beginning", r"as of", r"effective", r"between", r"commencing"),
    after=(r"after",),
    returning=(r"(?:back|return(?:s|ing)?) from\b[^,;.]{0,30}?\b(?:vacation|leave|holidays?|trip|travel|"
               r"conference|break|absence|sabbatical)", r"back", r"return(?:s|ing)?", r"in the office",
               r"in office", r"at my desk", r"at work", r"available", r"reachable", r"resum(?:e|es|ing)",
               r"reply", r"respond", r"answer"),
    absent=(r"not in the office", r"not available", r"unavailable", r"not reachable", r"out", r"away", r"off",
            r"leave", r"vacation", r"holidays?", r"ooo", r"absent", r"travell?ing", r"no access",
            r"limited access", r"conference", r"offline"),
    articles=r"(?:\s+(?:on|the|of))*",
    away_words=r"\b(?:i|we)(?:'m|'re| am| are|'ll be| will be| shall be)\s+(?:currently |now |presently )?(?:out|away|"
               r"off|on|travell?ing|at|attending|not|unavailable|absent|ooo)\b",
    away=r"^\W*(?:hi|hello|dear \w+)?\W*(?:i|we)\s*(?:'m|\s+am|'re|\s+are|'ll be|\s+will be|\s+shall be)\s+"
         r"(?:currently\s+|now\s+|presently\s+)?(?:out(?:\s+sick)?|away|off|on\s+(?:a\s+)?(?:\w+\s+)?(?:leave|vacation|"
         r"holiday|holidays|pto|sabbatical|site visit|business trip|trip)|travell?ing|at\s+(?:a|an|the)\s+(?:conference|"
         r"trade show|offsite|off-site|workshop|training)|attending|not\s+(?:in|at)\s+(?:the|my)\s+(?:office|desk)|"
         r"unavailable|not available|absent|ooo)\b",
    notice=(
        r"^\W*(?:thanks?|thank you)(?: you)? (?:for|so much for) (?:your|the|reaching|contacting|getting|writing)",
        r"\b(?:limited|no|intermittent|patchy|occasional|sporadic|little|restricted|very limited) (?:access to )?"
        r"(?:e-?mail|email access|access|internet|connectivity|signal|laptop)\b",
        r"\b(?:will not|won't|not) be (?:checking|reading|monitoring) (?:my )?e-?mail",
        r"\b(?:checking|reading) (?:my )?e-?mail (?:only )?(?:occasionally|sporadically|intermittently|rarely)",
        r"\b(?:i'll|i will|i shall|i'm going to)(?: \w+)? (?:reply|respond|answer|get back|get to|catch up|read|"
        r"follow up|return your|deal with)\b[^.?!]*\b(?:when|after|upon|once|on) (?:i|my|i'm|i am)\b",
        r"\b(?:i'll|i will) (?:reply|respond|answer|get back to you)[^.?!]*\b(?:as soon as (?:i|possible)|then|"
        r"after that|on my return)\b",
        r"\byour (?:e-?mail|message|mail|note) will (?:not )?be (?:read|forwarded|answered|seen|handled)",
        r"\b(?:for|if (?:it's|it is|this is|your (?:matter|message|request) is)|in case of) (?:anything )?"
        r"(?:urgent|an emergency|time-sensitive|immediate)",
        r"\burgent (?:enquiries|inquiries|matters|requests|issues)\b",
        r"\b(?:please )?(?:contact|call|ring|e-?mail|reach|write to)\b[^.?!]*\b(?:in my absence|meanwhile|in the "
        r"meantime|instead|reception|colleague|office|team|desk|assistant|at [\w.+-]+@)",
        r"\b(?:is|are|will be) (?:covering|handling|looking after|minding)\b",
        r"\bin the meantime\b|\bin my absence\b",
        r"^\W*(?:i'll be |i will be |i'm |i am )?(?:back|returning|return|in the office)\b",
        r"\b(?:i|we) (?:will|shall|'ll) (?:return|be back|be returning|be in the office)\b",
        r"\bresponses? (?:will|may) be (?:slower|delayed)|\b(?:apologies|sorry) for (?:the|any) (?:delay|inconvenience)",
        r"^\W*(?:happy|merry|season's) (?:holidays|thanksgiving|new year|christmas|easter)\b|^\W*(?:guten tag|"
        r"bonjour|hola|dear sender|dear all)\b",
    ),
    clause_breaks=r",?\s+but\s+|;\s*|\s+[-–—]\s+|,\s*so\s+|:\s+",
)

_CLOCK = re.compile(r"^(?:by |at |before |until |around )?(?:\d{1,2}(?::\d\d)?\s*[ap]\.?m\.?|\d{1,2}:\d\d"
                    r"|noon|midday)$", re.IGNORECASE)
_NUMERIC = re.compile(r"^[\d/.-]+$")
_PHONE_BEFORE = re.compile(r"(?:[+(]|\d)[\s().-]*$")
_PHONE_AFTER = re.compile(r"^[\s().-]*\d")
_RANGE_BEFORE = re.compile(r"\b\d{1,2}[/.]\d{1,2}\s*[-–—]\s*$")
_RANGE_AFTER = re.compile(r"^\s*[-–—]\s*\d{1,2}[/.]\d{1,2}\b(?![/.]?\d{3})")
_BARE_DAY = re.compile(r"\b(?:the\s+)?(?P<day>[0-3]?\d)(?:st|nd|rd|th)\b", re.IGNORECASE)
_NOT_A_BARE_DAY = re.compile(r"[-–—/.:]\d|\s+of\b|\s+(?:floor|place|time|century|edition|anniversary)\b",
                             re.IGNORECASE)
_DAY_DASH = re.compile(r"\d\s*[-–—]\s*$")
_ENDS_WITH_DAY = re.compile(r"\d(?:st|nd|rd|th)?$", re.IGNORECASE)
_DAY_RANGE_END = re.compile(r"\s*(?:(?P<until>till|until)|[-–—]|to|through|thru)\s*"
                            r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?![/:.]\d)", re.IGNORECASE)
_OFFSET = re.compile(r"^(?:in|within|over)\s|\bfrom (?:now|today)\b", re.IGNORECASE)
_AS_SAID = re.compile(r"\b(?:holidays|christmas|new year|next year)\b", re.IGNORECASE)
_WEEK = re.compile(r"\bweek(?:end)?\b", re.IGNORECASE)
_SINGLE_DAY = re.compile(r"\d|day\b|\b(?:today|tonight|tomorrow|morning|afternoon|evening)\b", re.IGNORECASE)
_LEADING_PREPOSITION = re.compile(r"^(?:until|till|til|on|by|before)\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Rules:
    away: re.Pattern
    away_word: re.Pattern
    notice: re.Pattern
    clause_breaks: re.Pattern
    until: re.Pattern
    inclusive: re.Pattern
    inclusive_after: re.Pattern
    start: re.Pattern
    after: re.Pattern
    cue: re.Pattern  # "returning" and "absent" words, absent first so "not in the office" wins


@lru_cache(maxsize=None)
def _rules(cues: Cues) -> _Rules:
    def tail(words: tuple[str, ...]) -> re.Pattern:
        # a dash joins "11/24-11/26" with no space: it needs no word boundary, the words do
        spelled = [word for word in words if word != "[-–—]"]
        dash = "|[-–—]" if len(spelled) < len(words) else ""
        return re.compile(rf"(?:(?<!\w)(?:{'|'.join(spelled)}){dash}){cues.articles}\s*$", re.IGNORECASE)

    return _Rules(
        away=re.compile(cues.away, re.IGNORECASE), away_word=re.compile(cues.away_words),
        notice=re.compile("|".join(f"(?:{cue})" for cue in cues.notice), re.IGNORECASE),
        clause_breaks=re.compile(cues.clause_breaks, re.IGNORECASE),
        until=tail(cues.until), inclusive=tail(cues.inclusive), start=tail(cues.start), after=tail(cues.after),
        inclusive_after=re.compile(rf"\s*,?\s*(?:{'|'.join(cues.inclusive_after)})", re.IGNORECASE),
        cue=re.compile(rf"\b(?:(?P<absent>{'|'.join(cues.absent)})|(?P<returning>{'|'.join(cues.returning)}))\b",
                       re.IGNORECASE))


_rules(ENGLISH)


_SIGNED_NAME = re.compile(r"^-*\s*[A-Z](?:[\w'.-]{0,30}\w)?(?:\s+[A-Z](?:[\w'.-]{0,30}\w)?){0,2}[^\w']{0,5}$")
_CONTACT_ONLY = re.compile(r"^\W*(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\+?[\d\s().-]{7,})\W*$")  # "office@example.de", a phone
NOTICE_MAX_SENTENCES = 8  # an out-of-office note is short; a longer mail that mentions a trip is a letter


def is_absence_notice(text: str, cues: Cues = ENGLISH) -> bool:
    """Given the new text of a reply without an auto-reply header, return whether it is an
    out-of-office note all the same: the writer says they are away, every other clause is what such
    notes say, and nothing is asked."""
    rules = _rules(cues)
    text = text.replace("’", "'")
    if "?" in text or not rules.away_word.search(text.lower()):
        return False  # the cheap gate: the note names the absence
    said = sentences(text)
    if not said or len(said) > NOTICE_MAX_SENTENCES:
        return False
    away = False
    if len(said) > 1 and _SIGNED_NAME.match(said[-1]):
        said = said[:-1]  # the writer's name under the note, without a valediction
    for sentence in said:
        for clause in rules.clause_breaks.split(sentence.replace("’", "'")):
            if not clause.strip(" .,!"):
                continue
            if rules.away.search(clause):
                away = True
                rest = clause[rules.away.search(clause).end():]
                if re.search(r"\b(?:and|but)\s+(?!will\b|(?:i|we)(?:'ll| will| shall)\b|back\b|returning\b)", rest,
                             re.IGNORECASE) and not rules.notice.search(rest):
                    return False  # "I'm out until Monday and yes, let's do it"
            elif not rules.notice.search(clause) and not _CONTACT_ONLY.match(clause):
                return False
    return away


ABSENCE_NOTICE = "out-of-office note without an auto-reply header"


def read_absence_notice(message: Message) -> Message:
    """Given a ``Message`` with its text, return it marked as an automatic reply (``automated``) when
    a person's client sent an out-of-office note as ordinary mail; otherwise the message itself."""
    if message.automated is not None or not message.text or not is_absence_notice(message.text):
        return message
    return replace(message, automated=ABSENCE_NOTICE)


def return_date(text: str, received_at: datetime, date_order: str = "dmy", cues: Cues = ENGLISH) -> date | None:
    """Given the new text of an out-of-office reply and when it was sent (in the sender's offset),
    return the first day the sender is back, or None when the text gives no such date."""
    rules = _rules(cues)
    today = received_at.date()
    found = [back for sentence in sentences(text)
             for back in _return_dates(sentence, received_at, date_order, rules)
             if today <= back <= today + HORIZON]
    return max(found, default=None)


def _return_dates(sentence: str, received_at: datetime, date_order: str, rules: _Rules) -> list[date]:
    """Given one sentence, return the return dates it states (possibly none)."""
    dated = _dated_expressions(sentence, received_at, date_order)
    backs = []
    for index, (start, end, when, words) in enumerate(dated):
        if _CLOCK.match(words) or _looks_like_phone(sentence, start, end, words):
            continue
        back = _back_from(sentence, start, end, when, words, earlier_date=index > 0, rules=rules)
        if back is not None:
            backs.append(back)
        range_end = _range_end(sentence, end, when, words)
        if range_end is not None:
            backs.append(range_end)
    return backs


def _range_end(sentence: str, end: int, when: date, words: str) -> date | None:
    """Given a date ending in a day number followed by another day ("Nov 20-28", "Nov 20 until 28"),
    return the return date the second day implies (the day after it, or itself after "until")."""
    match = _DAY_RANGE_END.match(sentence, end)
    if match is None or not _ENDS_WITH_DAY.search(words):
        return None
    last = _safe_date(when.year, when.month, int(match["day"]))
    if last is None or last <= when:
        return None
    return last if match["until"] else last + timedelta(days=1)


def _back_from(sentence: str, start: int, end: int, when: date, words: str, earlier_date: bool,
               rules: _Rules) -> date | None:
    """Given one dated expression in a sentence, return the return date it implies, or None when it
    is no return (the start of an absence, a date with no absence or return words)."""
    leading = _LEADING_PREPOSITION.match(words)
    before = sentence[:start] + (leading.group(0) if leading else "")
    cue = _last_cue(before, rules)
    inclusive = bool(rules.inclusive_after.match(sentence, end))
    if rules.until.search(before):
        return when + timedelta(days=1) if inclusive else when
    if rules.inclusive.search(before) and (cue == "absent" or _DAY_DASH.search(before)
                                           or earlier_date and rules.cue.search(sentence)):
        return when + timedelta(days=1)
    if rules.start.search(before):
        return when if cue == "returning" else None
    if rules.after.search(before) and cue:
        return when + timedelta(days=1)
    if cue == "returning":
        return when + timedelta(days=1) if inclusive else when
    if cue == "absent":
        return _day_after_absence(when, words)
    return None


def _last_cue(before: str, rules: _Rules) -> str | None:
    """Given the words before a date, return "returning" or "absent" for the nearest such word."""
    last = None
    for last in rules.cue.finditer(before):
        pass
    if last is None:
        return None
    return "absent" if last["absent"] else "returning"


def _day_after_absence(when: date, words: str) -> date | None:
    """Given a date an absence word points at, return the first day back: the next day for a single
    day, the Monday after a week; None for longer or vaguer periods ("in December")."""
    if _AS_SAID.search(words):
        return when
    if _OFFSET.search(words):
        return None
    if _WEEK.search(words):
        return when + timedelta(days=7 - when.weekday())
    if _SINGLE_DAY.search(words):
        return when + timedelta(days=1)
    return None


def _looks_like_phone(sentence: str, start: int, end: int, words: str) -> bool:
    """A numeric "date" glued to more digits ("06/12 34 56 78") is part of a phone number."""
    before, after = sentence[:start], sentence[end:]
    if _RANGE_BEFORE.search(before) or _RANGE_AFTER.match(after):
        return False  # "11/24-11/26": a range of two dates
    return bool(_NUMERIC.match(words)) and bool(_PHONE_BEFORE.search(before) or _PHONE_AFTER.match(after))


def _dated_expressions(sentence: str, received_at: datetime, date_order: str) -> list[tuple[int, int, date, str]]:
    """Given a sentence, return its dated expressions in order, with bare "the 5th" added."""
    dated = find_dates(sentence, received_at, date_order)
    for match in _BARE_DAY.finditer(sentence):
        if any(start < match.end() and match.start() < end for start, end, _, _ in dated):
            continue
        if _NOT_A_BARE_DAY.match(sentence, match.end()):
            continue
        when = _next_day_of_month(received_at.date(), int(match["day"]))
        if when is not None:
            dated.append((match.start(), match.end(), when, match.group(0)))
    return sorted(dated)


def _next_day_of_month(today: date, day: int) -> date | None:
    """Given today and a day of the month, return the next date (from today) with that day."""
    year, month = today.year, today.month
    for _ in range(3):
        candidate = _safe_date(year, month, day)
        if candidate is not None and candidate >= today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
