"""Time expressions in a sentence, resolved to a calendar date.

Pure and stdlib only. Given a sentence and the instant its message was written (with the writer's
UTC offset), ``find_due`` returns the date the sentence points at and the words it came from:

- today, tonight, this morning/afternoon, later today, EOD/COB → the writer's own date;
- tomorrow (morning), first thing tomorrow → the next day; "in the morning" after noon → the next day;
- a weekday ("by Friday", "on Monday") → the next such day after the message date; "next Tuesday" →
  the nearer Tuesday, like every date library; "Tuesday next week" → that Tuesday;
- next week → its Monday; end of the week, later this week → Friday; mid-week → Wednesday;
  this weekend → Sunday;
- this month / end of the month / quarter / year → its last day; next month → its first day;
  "in Q1" → the first day of that quarter; a month name → the 1st of that month ("mid-" the 15th,
  "end of"/"late" the last day); after the holidays / in the new year → the first working day of January;
- in N days/weeks/months, within a couple of days (+2), in a few days (+3);
- explicit dates: "December 3", "3 Dec", "the 3rd of December", "Tuesday, November 24, 2026",
  "2026-12-03", and numeric "12/3" read by ``date_order`` ("dmy" or "mdy");
- a bare clock time ("by 5pm", "at 9:00") → its next occurrence.

Vague expressions ("soon", "asap", "as soon as I hear", "once it is approved") give a
``DueDate`` with ``due=None`` and the words kept. "today or tomorrow" → the later day.

Languages are data: every word the rules know lives in one ``Vocabulary``; English is the only
one so far. ``has_time_cue`` is the cheap gate: sentences without a cue never reach the rules.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class DueDate:
    """``due`` is None for a vague time ("soon"); ``text`` is the expression as written."""

    due: date | None
    text: str


@dataclass(frozen=True)
class Vocabulary:
    """The words of one language that the date rules know."""

    weekdays: tuple[tuple[str, ...], ...]  # Monday first; each with its abbreviations
    months: tuple[tuple[str, ...], ...]  # January first
    numbers: dict[str, int]
    vague: tuple[str, ...]  # regex alternatives for times with no date


ENGLISH = Vocabulary(
    weekdays=(("monday", "mon"), ("tuesday", "tues", "tue"), ("wednesday", "wed"),
              ("thursday", "thurs", "thur", "thu"), ("friday", "fri"), ("saturday", "sat"), ("sunday", "sun")),
    months=(("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"),
            ("october", "oct"), ("november", "nov"), ("december", "dec")),
    numbers={"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "a couple": 2,
             "couple of": 2, "a few": 3, "few": 3, "several": 3},
    vague=(r"as soon as possible", r"asap", r"a\.s\.a\.p\.?", r"as soon as\b[^,;.]*", r"soon(?:est)?",
           r"shortly", r"(?:at some point|sometime) (?:later|soon)", r"in due course", r"in a (?:bit|while)",
           r"later on", r"(?<!be )later\b(?! (?:today|tonight|this|in the))",
           r"(?:when|once|after) (?:i|we|he|she|they|it|you)\b[^,;.]*", r"next time\b[^,;.]*",
           r"(?:when|once) (?:the|this|that|those|these)\b[^,;.]*"),
)


@dataclass(frozen=True)
class _Context:
    written: datetime  # in the writer's own offset
    date_order: str

    @property
    def today(self) -> date:
        return self.written.date()


def _word_pattern(words: tuple[str, ...]) -> str:
    return "|".join(sorted((re.escape(word) for word in words), key=len, reverse=True))


class _Rules:
    """The compiled rule table of one vocabulary: (pattern, resolver) pairs, tried together."""

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        weekday_index = {word: index for index, names in enumerate(vocabulary.weekdays) for word in names}
        month_index = {word: index + 1 for index, names in enumerate(vocabulary.months) for word in names}
        self.weekday_index, self.month_index = weekday_index, month_index
        self.full_weekdays = {names[0] for names in vocabulary.weekdays}
        weekday = rf"(?P<weekday>{_word_pattern(tuple(weekday_index))})\.?"
        month = rf"(?P<month>{_word_pattern(tuple(month_index))})\.?"
        number = rf"(?P<count>\d+|{_word_pattern(tuple(vocabulary.numbers))})"
        day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
        year = r"(?:,?\s*(?P<year>(?:19|20)\d\d)\b|(?!\s*\d))"
        unit = r"(?P<unit>business days?|working days?|days?|weeks?|fortnights?|months?|years?|hours?|hrs?|minutes?|mins?)"
        # Each row: a pattern, its resolver, and what the row needs to find anything, checked first because
        # it is far cheaper than the pattern: "#" a digit, "W" a weekday name, "M" a month name, "N" a number
        # word, or a substring of the lower-cased sentence.
        rows: list[tuple[str, Callable[[re.Match, _Context], date | None], tuple[str, ...]]] = [
            (rf"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)\b", self._iso, ("#",)),
            (rf"(?:\b{weekday},?\s+)?\b{month}\s+{day}\b{year}", self._month_day, ("M",)),
            (rf"(?:\b{weekday},?\s+)?(?:the\s+)?\b{day}(?:\s+of)?\s+{month}\b{year}", self._month_day, ("M",)),
            (rf"(?:\b{weekday},?\s+)?\b(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)(?:/(?P<y>\d\d(?:\d\d)?))?\b(?![/\d])",
             self._numeric, ("/",)),
            # "10.05.2027", "3.12.26": dotted numbers with a year, as Europe writes them (a version such as
            # "3.2.0" has no two-digit day and month parts this way, and needs the year to count)
            (rf"(?:\b{weekday},?\s+)?(?<![\d.])(?:(?P<a>[0-3]?\d)\.(?P<b>[01]?\d)\.(?P<y>(?:19|20)\d\d)"
             rf"|(?P<a2>[0-3]\d)\.(?P<b2>[01]\d)\.(?P<y2>\d\d))\b(?!\.?\d)", self._dotted, (".",)),
            (r"\b(?:the\s+)?day after tomorrow\b", lambda m, c: c.today + timedelta(days=2), ("tomorrow",)),
            # "by EOD tomorrow", "COB Thursday", "end of day Monday": the end of that day
            (rf"\b(?:eod|cob|eob|close of (?:business|play)|end of (?:the )?(?:business )?day)[,\s]+(?:on\s+)?"
             rf"(?:(?P<tomorrow>tomorrow|tmrw?)|(?P<today>today)|{weekday})\b", self._end_of_day, ("eod", "cob", "eob", "close of", "end of")),
            # "Monday the 14th", "by the 15th", "after the 20th": a day of the month without its month
            # "Monday the 14th", "by the 15th", "after the 20th": a day of the month without its month
            (rf"(?:\b{weekday},?\s+)?\b(?P<after>after\s+)?the\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)\b"
             rf"(?!\s+(?:of\s+)?{month})", self._day_of_month, ("#",)),
            # seasons, meteorological (the WMO's): spring from 1 March, summer 1 June, autumn 1 September
            # a season is a time only after a preposition, "this/next" or "early/late/mid" ("in the spring", "next
            # summer", "after the summer"), and not when it modifies a noun ("the summer schedule", "before prices fall")
            (r"\b(?:(?P<when>early|late|mid-?|(?:the )?end of(?: the)?|beginning of(?: the)?|start of(?: the)?)\s*"
             r"|(?P<after>after (?:the )?)|(?:in|by|until|till|before|during|over|for|around|through)\s+"
             r"(?:the\s+|this\s+|next\s+|coming\s+)?|(?:this|next|coming)\s+)"
             r"(?P<season>spring|summer|autumn|fall|winter)(?:time)?\b"
             r"(?!\s+(?!(?:of|and|or|when|if|after|before|so|then|we|i|you|they|he|she|it|is|will|would|to|at|in|on|for|"
             r"with|as|but|because|about|regarding|once|while|until|till|unless|since|though|although|from|into|by|this|"
             r"that|our|your|my|the|when|once|anyway|sometime|again|too|then|break|holidays?|vacation|months|season|"
             r"recess|term)\b)[a-z]{3,}\b)", self._season, ("spring", "summer", "autumn", "fall", "winter")),
            # a year: "in 2027", "by early 2028", "mid-2027", "end of 2027"
            (r"\b(?P<when>early |mid-?|middle of |late |end of |the end of |beginning of |start of )?"
             r"(?:(?:in|by|until|till|before|after|during|for|around|from)\s+(?:early |mid-?|late |the end of |end of )?)"
             r"(?P<year>20\d\d)\b(?![-/.]\d)|\b(?P<when2>early|mid-?|late|end of)\s*(?P<year2>20\d\d)\b(?![-/.]\d)",
             self._year, ("20",)),
            # meals as times of the day: "before lunch", "by lunchtime", "after lunch"
            (r"\b(?:before|by|after|over|at|around|until)\s+(?:lunch(?:time)?|noon)\b",
             lambda m, c: c.today + timedelta(days=1 if c.written.hour >= 14 else 0), ("lunch", "noon")),
            (rf"\b(?:(?:today|tonight) or tomorrow|tomorrow or {weekday})\b", self._later_of, ("tomorrow",)),
            (r"\b(?:first thing\s+)?(?:tomorrow|tommorr?ow|tomorow|tmrw?|2moro)(?:'s)?\b"
             r"(?:\s+(?:morning|afternoon|evening|night|am|pm|a\.m\.|p\.m\.))?", lambda m, c: c.today + timedelta(days=1), ("tom", "tmr", "2moro")),
            (r"\b(?:today|tonight|tonite|this (?:morning|afternoon|evening|am|pm|a\.m\.|p\.m\.)"
             r"|later (?:today|tonight|this (?:morning|afternoon|evening|am|pm))|end of (?:the |to)?day"
             r"|(?:by |before )?(?:eod|cob|eob|close of business|close of play)(?: today)?)\b",
             lambda m, c: c.today, ("today", "tonight", "tonite", "this ", "later", "end of", "eod", "cob", "eob", "close of")),
            (r"\b(?:first thing\s+)?in the morning\b",
             lambda m, c: c.today + timedelta(days=1 if c.written.hour >= 12 else 0), ("morning",)),
            (rf"\b{weekday}(?:,)?\s+(?:of\s+)?next week\b", self._weekday_next_week, ("week",)),
            (rf"\bnext week(?:'s)?\s+(?:on\s+)?{weekday}\b", self._weekday_next_week, ("week",)),
            (r"\b(?:early|beginning of|start of|first thing)?\s*next week\b|\bnext week(?: sometime)?\b",
             lambda m, c: c.today + timedelta(days=7 - c.today.weekday()), ("week",)),
            (r"\b(?:the )?week after next\b", lambda m, c: c.today + timedelta(days=14 - c.today.weekday()), ("week",)),
            (r"\b(?:mid-?week|middle of (?:the|this) week)\b", lambda m, c: self._this_week_day(c, 2), ("week",)),
            (r"\b(?:(?:by |at |before )?(?:the )?end of (?:the |this )?week|eow|later this week|this week)\b",
             lambda m, c: self._this_week_day(c, 4), ("week", "eow")),
            (r"\b(?:end of next week|late next week|later next week)\b",
             lambda m, c: self._this_week_day(c, 4) + timedelta(days=7), ("week",)),
            (r"\b(?:this|over the|during the|on the) weekend\b", lambda m, c: self._this_week_day(c, 6), ("weekend",)),
            (r"\bnext weekend\b", lambda m, c: self._this_week_day(c, 6) + timedelta(days=7), ("weekend",)),
            (rf"\b(?P<which>this|next|coming|on|by|before|until|til|till)\s+{weekday}\b(?!\s+next week)",
             self._weekday, ("W",)),
            (rf"\b{weekday}\b(?:\s+(?:morning|afternoon|evening|night))?", self._weekday, ("W",)),
            (r"\b(?:end of (?:the |this )?month|month[- ]end|this month|later this month|eom)\b",
             lambda m, c: _month_end(c.today.year, c.today.month), ("month", "eom")),
            (r"\bend of next month\b", lambda m, c: _month_end(*_add_months(c.today.year, c.today.month, 1)), ("month",)),
            (r"\b(?:early |beginning of |start of )?next month\b",
             lambda m, c: date(*_add_months(c.today.year, c.today.month, 1), 1), ("month",)),
            (r"\b(?:end of (?:the |this )?quarter|quarter[- ]end|this quarter|eoq)\b",
             lambda m, c: _quarter_end(c.today), ("quarter", "eoq")),
            (r"\bnext quarter\b", lambda m, c: _quarter_end(c.today) + timedelta(days=1), ("quarter",)),
            (r"\b(?:(?:end of )?q(?P<quarter>[1-4])|(?P<ordinal>first|second|third|fourth) quarter)\b",
             self._quarter, ("q", "quarter")),
            (r"\b(?:end of (?:the |this )?year|year[- ]end|this year)\b", lambda m, c: date(c.today.year, 12, 31), ("year",)),
            (r"\b(?:after|past|over) (?:the )?(?:holidays|new year|christmas)\b|\bin the new year\b"
             r"|\b(?:early |beginning of |start of )?next year\b", self._new_year, ("holiday", "new year", "christmas", "year")),
            (rf"\b(?P<when>mid-?|middle of |early |beginning of |start of |late |end of |the end of )?\s*{month}\b(?!\s*\d)",
             self._month, ("M",)),
            (rf"\b(?:in|within|after|over)\s+(?:the\s+)?(?:next\s+)?{number}\s+{unit}\b", self._offset, ("#", "N")),
            (rf"\b{number}\s+{unit}\s+from (?:now|today)\b", self._offset, ("#", "N")),
            (rf"\b(?:in|within|after)\s+(?:the\s+)?next\s+{unit}\b", self._offset, ("next",)),
            (rf"\b(?:in|within|after)\s+(?:a|an|the|one)\s+{unit}\b", self._offset, ("a ", "an ", "the ", "one ")),
            (r"\b(?:in|within|after|over)\s+(?:the next\s+)?(?:half a year|a half[- ]year|six months)\b",
             lambda m, c: self._months_from(c.today, 6), ("half", "six")),
            (r"\b(?:in|within|over)\s+the\s+(?:coming|next)\s+(?P<plural>weeks|months)\b",
             lambda m, c: c.today + timedelta(weeks=2) if m["plural"] == "weeks" else self._months_from(c.today, 2), ("coming", "next")),
            (r"\b(?:by |at |before |until |around )?(?P<hour>[01]?\d)(?::(?P<minute>[0-5]\d))?\s*(?P<half>[ap]\.?m\b\.?)"
             r"|\b(?:by|at|before|until|around)\s+(?P<hour24>[0-2]?\d):(?P<minute24>[0-5]\d)\b"
             # "at 9", "by 5 tomorrow", "at 10 o'clock": a bare hour of the working day
             r"|\b(?:by|at|around|until)\s+(?P<bare>1[0-2]|[1-9])(?:\s*o'?clock)?(?![\d:%-]|[./,]\d|\s*(?:am|pm|a\.m|p\.m)\b"
             r"|\s+(?:of|on|in|and|or|per|x|[a-z]+s)\b)"
             r"|\b(?:by |at |before )?(?P<noon>noon|midday)\b", self._clock, ("#", "noon", "midday")),
        ]
        self.table = [(re.compile(pattern, re.IGNORECASE), resolve, gate) for pattern, resolve, gate in rows]
        self.number_words = frozenset(word for phrase in vocabulary.numbers for word in phrase.split())
        self.vague = re.compile(rf"\b(?:{'|'.join(vocabulary.vague)})", re.IGNORECASE)
        cue_words = {*weekday_index, *month_index, "today", "tonight", "tonite", "tomorrow", "tommorow",
                     "tommorrow", "tomorow", "tmrw", "tmr", "2moro", "morning", "afternoon", "evening", "week",
                     "weekend", "month", "quarter", "year", "days", "day", "weeks", "months", "eod", "cob",
                     "eob", "eow", "eom", "eoq", "noon", "midday", "midweek", "holidays", "christmas",
                     "business", "am", "pm", "q1", "q2", "q3", "q4", "couple", "few", "soon", "asap",
                     "shortly", "later", "once", "when", "as", "next", "close", "after", "due", "week's",
                     "fortnight", "hours", "hour", "minutes", "lunch", "lunchtime", "spring", "summer", "autumn",
                     "fall", "winter", "springtime", "summertime", "wintertime"}
        # run on lower-cased text: IGNORECASE makes Python's re several times slower
        self.cue = re.compile(rf"\b(?:{_word_pattern(tuple(cue_words))})\b|\d")

    # resolvers: match and context in, a date (or None when the match is not a date after all) out

    def _iso(self, match: re.Match, context: _Context) -> date | None:
        return _safe_date(int(match["y"]), int(match["m"]), int(match["d"]))

    def _month_day(self, match: re.Match, context: _Context) -> date | None:
        month = self.month_index[match["month"].lower()]
        day = int(match["day"])
        if match["year"]:
            return _safe_date(int(match["year"]), month, day)
        return _nearest_future(context.today, month, day)

    def _dotted(self, match: re.Match, context: _Context) -> date | None:
        """"10.05.2027", "10.05.27": day first, as the countries that write dots do; a two-digit year
        needs two-digit day and month, or "2.11.26" (a version number) would be a date."""
        day, month, year = (match["a"], match["b"], match["y"]) if match["a"] else (match["a2"], match["b2"], match["y2"])
        year_number = int(year)
        return _safe_date(year_number + 2000 if year_number < 100 else year_number, int(month), int(day))

    def _end_of_day(self, match: re.Match, context: _Context) -> date:
        if match["tomorrow"]:
            return context.today + timedelta(days=1)
        if match["today"]:
            return context.today
        return self._next_weekday(context.today, match["weekday"])

    def _day_of_month(self, match: re.Match, context: _Context) -> date | None:
        """The next date (from today) with that day of the month, and that weekday if one is named;
        the day after it for "after the 20th"."""
        day, today = int(match["day"]), context.today
        if not 1 <= day <= 31:
            return None
        if not (match["weekday"] or match["after"] or _preceded_by(match, _DAY_PREPOSITIONS)
                or _ORDINAL_ENDS.match(match.string, match.end())):
            return None  # "the 2nd draft", "the 3rd option": an ordinal, not a day
        wanted = self.weekday_index[match["weekday"].lower().rstrip(".")] if match["weekday"] else None
        year, month = today.year, today.month
        for _ in range(14):
            candidate = _safe_date(year, month, day)
            if candidate is not None and candidate >= today and (wanted is None or candidate.weekday() == wanted):
                return candidate + timedelta(days=1) if match["after"] else candidate
            year, month = _add_months(year, month, 1)
        return None

    _SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}

    def _season(self, match: re.Match, context: _Context) -> date:
        """The first day of the season named (already begun: today), or of the one after it for
        "after the summer"; "late"/"end of" the season: its last month, or its last day."""
        today = context.today
        start_month = self._SEASON_START[match["season"].lower()]
        start = date(today.year, start_month, 1)
        end = date(*_add_months(start.year, start.month, 3), 1) - timedelta(days=1)
        if end < today:  # this year's is over: the coming one
            start = date(today.year + 1, start_month, 1)
            end = date(*_add_months(start.year, start.month, 3), 1) - timedelta(days=1)
        if match["after"]:
            return end + timedelta(days=1)
        when = (match["when"] or "").strip().lower()
        if when.startswith("mid"):
            return max(date(*_add_months(start.year, start.month, 1), 15), today)
        if when == "late":
            return max(date(*_add_months(start.year, start.month, 2), 1), today)
        if when.startswith(("end", "the end")):
            return end
        if start <= today:  # "in the spring" said in March: the middle of it, or its end once that has passed
            middle = date(*_add_months(start.year, start.month, 1), 15)
            return middle if middle > today else end
        return start

    def _year(self, match: re.Match, context: _Context) -> date | None:
        """A year named alone: its first working day ("in 2027"), 1 July ("mid-2027"), 1 November
        ("late 2027") or 31 December ("end of 2027"); None for a year already begun, unless its end."""
        year = int(match["year"] or match["year2"])
        when = (match["when"] or match["when2"] or "").strip().lower()
        if year > context.today.year + 20:
            return None
        if when.startswith(("end", "the end")):
            return date(year, 12, 31) if year >= context.today.year else None
        if year <= context.today.year:
            return None
        if when.startswith(("mid", "middle")):
            return date(year, 7, 1)
        if when == "late":
            return date(year, 11, 1)
        return _first_workday(date(year, 1, 2))

    @staticmethod
    def _months_from(today: date, count: int) -> date:
        return months_after(today, count)

    def _numeric(self, match: re.Match, context: _Context) -> date | None:
        first, second = int(match["a"]), int(match["b"])
        month, day = (second, first) if context.date_order == "dmy" else (first, second)
        if match["y"]:
            year = int(match["y"])
            return _safe_date(year + 2000 if year < 100 else year, month, day)
        if not (match["weekday"] or _near_date_word(match)) and (
                match.group(0) == "24/7" or _FRACTION_FOLLOWS.match(match.string, match.end())):
            return None  # "1/2 hour", "24/7", "2/3 of": a ratio, not a date
        return _nearest_future(context.today, month, day)

    def _later_of(self, match: re.Match, context: _Context) -> date:
        if match["weekday"]:
            return max(context.today + timedelta(days=1), self._next_weekday(context.today, match["weekday"]))
        return context.today + timedelta(days=1)

    def _next_weekday(self, today: date, name: str) -> date:
        wanted = self.weekday_index[name.lower().rstrip(".")]
        return today + timedelta(days=(wanted - today.weekday() - 1) % 7 + 1)

    def _weekday(self, match: re.Match, context: _Context) -> date | None:
        name = match["weekday"].rstrip(".")
        if name.lower() not in self.full_weekdays and not match.groupdict().get("which") and not (
                name[0].isupper() and _near_date_word(match)):
            return None  # "Sun", "Sat", "Wed" on their own are more often words than days
        if (match.groupdict().get("which") or "").lower() == "this":
            wanted = self.weekday_index[match["weekday"].lower().rstrip(".")]
            if wanted == context.today.weekday():
                return context.today
        return self._next_weekday(context.today, match["weekday"])

    def _weekday_next_week(self, match: re.Match, context: _Context) -> date:
        monday = context.today + timedelta(days=7 - context.today.weekday())
        return monday + timedelta(days=self.weekday_index[match["weekday"].lower().rstrip(".")])

    @staticmethod
    def _this_week_day(context: _Context, weekday: int) -> date:
        """The given weekday of this week; from a weekend, "the end of the week" is the coming one."""
        today = context.today
        if weekday < 5 and today.weekday() >= 5:
            return today + timedelta(days=7 - today.weekday() + weekday)
        return today + timedelta(days=weekday - today.weekday())

    def _quarter(self, match: re.Match, context: _Context) -> date:
        quarter = int(match["quarter"]) if match["quarter"] else \
            ("first", "second", "third", "fourth").index(match["ordinal"].lower()) + 1
        today = context.today
        year = today.year if quarter >= (today.month - 1) // 3 + 1 else today.year + 1
        if match.group(0).lower().startswith("end"):
            return _quarter_end(date(year, quarter * 3, 1))
        start = date(year, quarter * 3 - 2, 1)
        return max(start, today)

    def _new_year(self, match: re.Match, context: _Context) -> date:
        year = context.today.year + (1 if context.today.month >= 6 else 0)
        return max(_first_workday(date(year, 1, 2)), context.today)

    def _month(self, match: re.Match, context: _Context) -> date | None:
        name = match["month"]
        if name.lower() in ("may", "mar", "jun", "sat", "sun", "dec") and not name[0].isupper():
            return None  # "may" the verb, "mar" …: only a capitalised name is a month on its own
        if not match["when"] and not _preceded_by(match, _MONTH_PREPOSITIONS):
            return None  # "Jan" alone may be a name, "the January volumes" names no date
        month = self.month_index[name.lower()]
        today = context.today
        year = today.year if month >= today.month else today.year + 1
        when = (match["when"] or "").strip().lower()
        if when.startswith("mid"):
            day = 15
        elif when in ("late", "end of", "the end of"):
            day = calendar.monthrange(year, month)[1]
        else:
            day = 1
        return max(date(year, month, day), today)

    def _offset(self, match: re.Match, context: _Context) -> date | None:
        count_text = (match.groupdict().get("count") or "1").lower()
        count = int(count_text) if count_text.isdigit() else self.vocabulary.numbers.get(count_text, 1)
        unit = match["unit"].lower()
        today = context.today
        if unit.startswith(("business", "working")):
            day = today
            for _ in range(count):
                day += timedelta(days=1)
                while day.weekday() >= 5:
                    day += timedelta(days=1)
            return day
        if unit.startswith(("hour", "hr", "min")):
            step = timedelta(hours=count) if unit.startswith("h") else timedelta(minutes=count)
            return (context.written + step).date()
        if unit.startswith("day"):
            return today + timedelta(days=count)
        if unit.startswith("week"):
            return today + timedelta(weeks=count)
        if unit.startswith("fortnight"):
            return today + timedelta(weeks=2 * count)
        if unit.startswith("month"):
            return self._months_from(today, count)
        return _safe_date(today.year + count, today.month, min(today.day, 28))

    def _clock(self, match: re.Match, context: _Context) -> date | None:
        if match["noon"]:
            hour, minute = 12, 0
        elif match["bare"]:
            hour, minute = int(match["bare"]), 0
            hour += 12 if hour < 7 else 0  # "at 3" in business mail is 3 pm, "at 9" is 9 am
        elif match["hour24"]:
            hour, minute = int(match["hour24"]), int(match["minute24"])
        else:
            hour, minute = int(match["hour"]), int(match["minute"] or 0)
            if hour > 12:
                return None
            hour = hour % 12 + (12 if match["half"].lower().startswith("p") else 0)
        if hour > 23:
            return None
        written = context.written
        at = written.replace(hour=hour, minute=minute, second=0, microsecond=0)
        return at.date() if at > written else at.date() + timedelta(days=1)


_WORD = re.compile(r"[a-z]+")
_DAY_PREPOSITIONS = ("by", "on", "before", "until", "till", "til", "from", "through", "thru", "around", "for", "of",
                     "after", "since")
# what may follow "the 14th" when no preposition came before it: the end of the phrase
_ORDINAL_ENDS = re.compile(r"\s*(?:[.,;:!?)]|$|(?:at|in|or|and|to|when|if|as|so|because|then|we|i|you|is|works|"
                           r"would|will)\b)", re.IGNORECASE)


def months_after(day: date, count: int) -> date:
    """The same day ``count`` months later, or the month's last day when it has no such day."""
    year, month = _add_months(day.year, day.month, count)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def first_workday_of_year(year: int) -> date:
    """The first Monday-to-Friday day of ``year`` from 2 January (New Year's Day is a holiday)."""
    return _first_workday(date(year, 1, 2))


def _first_workday(day: date) -> date:
    """The day itself, or the Monday after it when it is a weekend day. New Year's Day is left out
    by starting from 2 January."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


# words that make a month name a time ahead ("by March", "until June"); "last May", "since March" are the past
_MONTH_PREPOSITIONS = ("in", "by", "until", "till", "til", "before", "after", "during", "early", "late", "of", "from",
                       "through", "thru", "for", "this", "next", "around", "mid", "end", "beginning", "start", "into",
                       "to", "on", "than", "coming")


def _preceded_by(match: re.Match, words: tuple[str, ...]) -> bool:
    before = match.string[:match.start()].split()
    return bool(before) and before[-1].lower().strip(",") in words


def _near_date_word(match: re.Match) -> bool:
    before = match.string[:match.start()].split()
    return bool(before) and before[-1].lower().strip(",") in ("on", "by", "until", "till", "before", "from",
                                                             "after", "back", "due", "of", "dated", "thru")


_FRACTION_FOLLOWS = re.compile(r"\s*(?:of\b|hours?\b|hrs?\b|days?\b|weeks?\b|miles?\b|cups?\b|inch|%|percent|pts?\b)",
                               re.IGNORECASE)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _nearest_future(today: date, month: int, day: int) -> date | None:
    """Given a month and day without a year, return this year's date, or next year's when this year's
    passed more than a week ago (a date just gone is more likely a reference than a deadline a year out)."""
    candidate = _safe_date(today.year, month, day)
    if candidate is None:
        return _safe_date(today.year + 1, month, day)
    if candidate < today - timedelta(days=7):
        return _safe_date(today.year + 1, month, day)
    return candidate


def _add_months(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + count
    return index // 12, index % 12 + 1


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _quarter_end(day: date) -> date:
    last_month = ((day.month - 1) // 3 + 1) * 3
    return _month_end(day.year, last_month)


_RULES: dict[str, _Rules] = {}


def _rules(vocabulary: Vocabulary) -> _Rules:
    key = str(id(vocabulary))
    if key not in _RULES:
        _RULES[key] = _Rules(vocabulary)
    return _RULES[key]


def has_time_cue(text: str, vocabulary: Vocabulary = ENGLISH) -> bool:
    """Return whether ``text`` holds any word a time expression could start from (cheap gate)."""
    return bool(_rules(vocabulary).cue.search(text.lower()))


def find_dates(sentence: str, written: datetime, date_order: str = "dmy",
               vocabulary: Vocabulary = ENGLISH) -> list[tuple[int, int, date, str]]:
    """Given a sentence and when it was written, return every dated expression in it as
    ``(start, end, date, text)``, in order, overlapping matches resolved to the longest."""
    rules = _rules(vocabulary)
    context = _Context(written, date_order)
    found: list[tuple[int, int, date, str]] = []
    lowered = sentence.lower()
    words = set(_WORD.findall(lowered))
    present = {"#": any(character.isdigit() for character in sentence),
               "W": not words.isdisjoint(rules.weekday_index), "M": not words.isdisjoint(rules.month_index),
               "N": not words.isdisjoint(rules.number_words)}
    for pattern, resolve, gate in rules.table:
        if not any(present[need] if need in present else need in lowered for need in gate):
            continue
        for match in pattern.finditer(sentence):
            text = match.group(0).strip()
            if not text:
                continue
            resolved = resolve(match, context)
            if resolved is not None:
                start = match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
                found.append((start, start + len(text), resolved, text))
    found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    kept: list[tuple[int, int, date, str]] = []
    for item in found:
        if kept and item[0] < kept[-1][1]:
            if item[1] - item[0] > kept[-1][1] - kept[-1][0]:
                kept[-1] = item
            continue
        kept.append(item)
    return kept


def find_due(sentence: str, written: datetime, date_order: str = "dmy",
             vocabulary: Vocabulary = ENGLISH) -> DueDate | None:
    """Given a sentence and the instant it was written (in the writer's offset), return the date it
    sets (the first dated expression; the later one in "X or Y"; a day beats a clock time), a vague
    ``DueDate(None, …)`` when it only says "soon"/"once …", or None when it names no time."""
    if not has_time_cue(sentence, vocabulary):
        return None
    dated = find_dates(sentence, written, date_order, vocabulary)
    days = [item for item in dated if not _rules(vocabulary).table[-1][0].fullmatch(item[3])]
    chosen = days or dated
    if chosen:
        best = chosen[0]
        for following in chosen[1:]:
            between = sentence[best[1]:following[0]].strip(" ,").lower()
            if between in ("or", "or by", "or at the latest", "at the latest", "or latest"):
                best = following if following[2] > best[2] else best
        return DueDate(best[2], best[3])
    vague = _rules(vocabulary).vague.search(sentence)
    if vague:
        return DueDate(None, vague.group(0).strip(" ,"))
    return None
