"""Check-back requests: a contact asks the user to get in touch again later.

Pure and stdlib only. ``find_check_back`` reads the new text of a message someone else wrote and
returns the first sentence that asks the user to come back on a date: "check back with me in two
weeks", "ping me in Q1", "let's reconnect in the new year", "can you call me on Monday?". A
sentence counts when one clause holds

- a **get-in-touch phrase** aimed at the writer: a *directed* one naming them ("call me", "get
  back to us", "drop me a line"), an *undirected* one ("reach out", "follow up", "circle back")
  or a *mutual* one ("reconnect", "touch base", "talk again"; "let's talk");
- whose subject is the user or nobody: imperative, "you", "feel free to", "let's", "it'd be best
  to". "I"/"we"/a third party doing it is the writer's own plan ("I'll get back to you next
  week"), except a shared "we can/could circle back" and "we'll reconnect";
- and a **dated time** after the phrase, or opening the clause ("In January, reach out again").
  Vague times ("soon", "later") and times in another clause ("I'm out next week; ping me") do not
  count.

Not check-backs: negations ("don't call me next week"; "don't hesitate to" is no negation), past
questions ("did you call me on Monday?"), conditional courtesy ("call me if you have questions";
"if you haven't heard from me by Friday, ping me" is kept), deliveries ("email me the report by
Friday") and nouns ("a follow up next week"). The due date is never before the day after the
message was written.

Cue words are data (``Cues``); English is the only language so far.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from watcher.rules.dates import DueDate, find_dates, find_due, has_time_cue
from watcher.rules.expects_reply import sentences


@dataclass(frozen=True)
class CheckBack:
    """``text`` is the sentence as written; ``due`` the date to get in touch; ``due_text`` its words."""

    text: str
    due: date
    due_text: str
    not_now: bool = False  # a soft no ("we're all set for now"): permission to ask again, given without asking


@dataclass(frozen=True)
class Cues:
    """The words of one language that the check-back rules know. Each is a regex alternative."""

    directed: tuple[str, ...]  # the writer named as the one to contact ("call me")
    undirected: tuple[str, ...]  # one-sided get-in-touch verbs ("reach out")
    mutual: tuple[str, ...]  # shared ones: a plan "we" make is still the user's to keep ("reconnect")
    lets_only: tuple[str, ...]  # verbs that are a check-back only after "let's" ("let's talk in January")
    writer: str  # the writer as object: "me", "us"
    not_to_writer: str  # "follow up with you": the writer acts
    delivery: str  # words after "email me" that make it a delivery ("the report")
    subjects: str  # pronouns, with "me to"/"us to" as the subject of an infinitive
    shared_modals: str  # "we can circle back": a proposal, not a promise
    willing: str  # "I'd be happy to reconnect"
    third_party: str  # "John will call me"
    noun_before: str  # "a follow up next week": a noun
    negations: str
    conditions: str
    polite_conditions: str  # "I'd appreciate it if you could", "if you haven't heard from me"
    past_questions: str
    clause_breaks: str
    adverbial_lead: str  # words allowed before a clause-opening time ("so", "maybe")
    inverted_modal: str  # "shall we …?"
    promise_modal: str  # "we'll circle back": the writer's plan
    leading_condition: str  # "If you haven't heard from me by Friday, …"


ENGLISH = Cues(
    directed=(
        r"(?:call|phone|ring|email|e-mail|mail|text|message|ping|nudge|remind|contact|bug|buzz|try|chase|write(?: to)?)"
        r" (?:me|us)(?: back| again)?", r"follow up with (?:me|us)",
        r"(?:get|come|circle|check) back (?:to|with) (?:me|us)", r"get (?:back )?in touch with (?:me|us)",
        r"check in with (?:me|us)", r"ask (?:me|us) again", r"hit (?:me|us) up",
        r"(?:drop|shoot|send) (?:me|us) (?:a|an) (?:line|note|email|e-mail|message|reminder|mail)",
        r"give (?:me|us) a (?:call|ring|shout|buzz|nudge|ping|holler|bell)",
    ),
    undirected=(r"reach (?:back )?out(?: again)?", r"follow up(?: again)?", r"check back", r"circle back", r"loop back",
                r"get (?:back )?in touch", r"be in touch", r"check in again", r"try (?:again|back)"),
    mutual=(r"reconnect", r"re-connect", r"touch base(?: again)?", r"catch up again", r"talk again",
            r"speak again", r"chat again", r"revisit (?:this|it|the (?:topic|idea|proposal|conversation|discussion))",
            r"pick (?:this|it|things) (?:back )?up(?: again)?", r"come back to (?:this|it)",
            r"resume (?:the |our )?(?:conversation|discussion|talks)"),
    lets_only=(r"talk", r"speak", r"chat", r"discuss", r"revisit"),
    writer=r"me|us",
    not_to_writer=r"\s+(?:again\s+)?(?:with|to)\s+(?:you|yourself|him|her|them)\b",
    delivery=r"\s+(?:the|a|an|your|this|that|these|those|it|them|some|any|all|copies|details|what|whether|how|"
             r"who|which)\b",
    subjects=r"let's|let us|i|we|you|he|she|they|me(?= to\b)|us(?= to\b)",
    shared_modals=r"(?:can|could|should|might|may|'ll|will|shall|'d|would)",
    willing=r"(?:'d|would|am|'m)\s+(?:be\s+)?(?:happy|glad|keen|open|willing|pleased|love|like)\s+to\s+$",
    third_party=r"\b(?!you\b|please\b|free\b)\w+\s+(?:will|'ll|shall|would|can|could|should|might|may|must|"
                r"is going to|wants to|needs to|has to)\s+(?:\w+ly\s+|also\s+|then\s+)?$",
    noun_before=r"\b(?:a|an|the|our|your|my|this|that|quick|brief)\s+$",
    negations=r"(?<!why )\b(?:do not|did not|will not|would not|should not|can ?not|never|no need to|no longer|"
              r"not|stop)\b(?!\s+(?:hesitate|forget|be (?:afraid|shy)))"
              r"|(?<!why )\b\w+n't\b(?!\s+(?:hesitate|forget|be (?:afraid|shy)))",
    conditions=r"\b(?:if|unless|in case|should you|whenever|provided)\b",
    polite_conditions=r"\b(?:appreciate(?: it)?|grateful|great|helpful|nice|good|best|love it|like it)\s+if\b"
                      r"|\bif\s+(?:you\s+(?:could|would|can|'d)|you\s+(?:haven't|have not|don't|do not)\s+"
                      r"(?:heard?|received?|gotten|got)|i\s+(?:haven't|have not|don't|do not)\s+"
                      r"(?:get back|reply|respond|answer|follow up|reach out))\b",
    past_questions=r"\b(?:did|didn't|had|hadn't|have|haven't|has|hasn't|was|were)\s+(?:you|he|she|they|i|we)\b",
    clause_breaks=r";|\s+--+\s+|\s+[-–—]\s+|—|:\s|\(|\)|,?\s+but\b|,\s*so\b|\s+so that\b|,?\s+though\b"
                  r"|,?\s+although\b|,?\s+however\b",
    adverbial_lead=r"^\W*(?:(?:so|and|then|maybe|perhaps|ok|okay|probably|ideally|sometime|but|otherwise|"
                   r"realistically|honestly|in|on|at|by|around|from|after|early|late)\W+){0,3}$",
    inverted_modal=r"\b(?:shall|should|can|could|may|might|would|will)\s+$",
    promise_modal=r"\s*(?:'ll|will|shall)\b",
    leading_condition=r"^\W*(?:if|unless)\b[^,]*,\s*",
)


@dataclass(frozen=True)
class _Rules:
    phrase: re.Pattern
    phrase_in_lower_case: re.Pattern
    not_to_writer: re.Pattern
    delivery: re.Pattern
    subject: re.Pattern
    shared: re.Pattern
    willing: re.Pattern
    third_party: re.Pattern
    noun_before: re.Pattern
    negation: re.Pattern
    condition: re.Pattern
    polite_condition: re.Pattern
    past_question: re.Pattern
    clause_break: re.Pattern
    adverbial_lead: re.Pattern
    inverted_modal: re.Pattern
    promise_modal: re.Pattern
    leading_condition: re.Pattern


def _either(words: tuple[str, ...]) -> str:
    return "|".join(words)


@lru_cache(maxsize=None)
def _rules(cues: Cues) -> _Rules:
    def compiled(pattern: str) -> re.Pattern:
        return re.compile(pattern, re.IGNORECASE)

    phrase = (rf"\b(?:(?P<directed>{_either(cues.directed)})|(?P<mutual>{_either(cues.mutual)})"
              rf"|(?P<undirected>{_either(cues.undirected)})"
              rf"|(?:let's|let us)\s+(?P<lets>{_either(cues.lets_only)}))\b")
    return _Rules(
        phrase=compiled(phrase),
        # the same on lower-cased text without IGNORECASE, which makes Python's re several times slower
        phrase_in_lower_case=re.compile(phrase),
        not_to_writer=compiled(cues.not_to_writer), delivery=compiled(cues.delivery),
        subject=compiled(rf"\b(?:{cues.subjects})\b"),
        shared=compiled(rf"^\s*{cues.shared_modals}\b"), willing=compiled(cues.willing),
        third_party=compiled(cues.third_party), noun_before=compiled(cues.noun_before),
        negation=compiled(cues.negations), condition=compiled(cues.conditions),
        polite_condition=compiled(cues.polite_conditions), past_question=compiled(cues.past_questions),
        clause_break=compiled(cues.clause_breaks), adverbial_lead=compiled(cues.adverbial_lead),
        inverted_modal=compiled(cues.inverted_modal), promise_modal=compiled(cues.promise_modal),
        leading_condition=compiled(cues.leading_condition))


_rules(ENGLISH)


def find_check_back(text: str, received_at: datetime, date_order: str = "dmy",
                    cues: Cues = ENGLISH) -> CheckBack | None:
    """Given the new text of a contact's message and when it was written (in the writer's offset),
    return the first request to get in touch again on a date, or None."""
    rules = _rules(cues)
    if not rules.phrase_in_lower_case.search(text.lower().replace("’", "'")):
        return None  # the cheap gate: most mail never asks to be contacted again
    earliest = received_at.date() + timedelta(days=1)
    said = sentences(text)
    for index, sentence in enumerate(said):
        if not rules.phrase_in_lower_case.search(sentence.lower().replace("’", "'")):
            continue
        earlier = " ".join(said[max(0, index - 2):index])
        straight = sentence.replace("’", "'")
        for clause in _clauses(straight, rules):
            due = _check_back_due(clause, received_at, date_order, rules) if has_time_cue(sentence) else None
            if due is None and _THEN.search(clause):
                phrase = rules.phrase.search(clause)
                before = straight[:max(0, straight.find(clause))] + (clause[:phrase.start()] if phrase else "")
                due = _then_due(clause, earlier + " " + before, received_at, date_order, rules)
            if due is not None:
                return CheckBack(sentence, max(due.due, earliest), due.text)
    return None


# "get in touch then", "reach back out at that point", "follow up after that meeting": a time named before
_THEN = re.compile(r"\b(?:then|at that (?:point|time|stage)|by then|around then|after that(?: \w+)?)\s*[.!]?\s*$"
                   r"|\b(?:then|at that point|after that(?: \w+)?)\b(?=\s+(?:and|so|to)\b)", re.IGNORECASE)


def _then_due(clause: str, before: str, received_at: datetime, date_order: str, rules: _Rules) -> DueDate | None:
    """Given a clause that asks to get in touch "then" (or "after that"), return the last date named
    in the sentences before it; the day after for "after that"."""
    if not any(_asks_the_user(clause, match, rules) for match in rules.phrase.finditer(clause)):
        return None
    if rules.condition.search(clause) and not rules.polite_condition.search(clause):
        return None
    dated = [item for item in find_dates(before, received_at, date_order) if item[2] > received_at.date()]
    if not dated:
        return None
    _, _, when, words = dated[-1]
    after = re.search(r"\bafter that\b", clause, re.IGNORECASE)
    return DueDate(when + timedelta(days=1) if after else when, words)


def _clauses(sentence: str, rules: _Rules) -> list[str]:
    """Given a sentence, return its clauses (split at ";", dashes, "but", ", so" …)."""
    return [clause for clause in rules.clause_break.split(sentence) if clause and clause.strip()]


def _check_back_due(clause: str, received_at: datetime, date_order: str, rules: _Rules) -> DueDate | None:
    """Given one clause, return the dated time of the check-back it asks for, or None."""
    if rules.condition.search(clause) and not rules.polite_condition.search(clause):
        return None
    condition = rules.leading_condition.match(clause)
    if condition:  # "If you haven't heard from me by Friday, ping me": the date is the condition's
        clause = clause[condition.end():]
    for match in rules.phrase.finditer(clause):
        if not _asks_the_user(clause, match, rules):
            continue
        due = _attached_due(clause, match, received_at, date_order, rules)
        if due is None and condition:
            due = find_due(condition.group(0), received_at, date_order)
        if due is not None and due.due is not None:
            return due
    return None


def _asks_the_user(clause: str, match: re.Match, rules: _Rules) -> bool:
    """Given a get-in-touch phrase in a clause, return whether the user is asked (or invited) to do it."""
    before = clause[:match.start()]
    if rules.negation.search(before) or rules.past_question.search(before):
        return False
    if rules.noun_before.search(before) and not match["lets"]:
        return False
    after = clause[match.end():]
    if match["directed"] and rules.delivery.match(after) and not has_time_cue(" ".join(after.split()[:2])):
        return False
    if not match["directed"] and rules.not_to_writer.match(after):
        return False
    return _subject_allows(before, match, rules)


def _subject_allows(before: str, match: re.Match, rules: _Rules) -> bool:
    """Given the words before a phrase, return whether its doer is the user, nobody (imperative) or
    a shared "we"; the writer or a third party doing it is no request."""
    if re.search(r"[,;:]\s*(?:(?:please|just|then|so|and|do|kindly)\s+)*$", before):
        return True  # "We're reviewing vendors in Q3, get in touch then": an imperative opens its own clause
    subject = None
    for subject in rules.subject.finditer(before):
        pass
    if subject is None:
        return not rules.third_party.search(before)
    word = subject.group(0).lower()
    if word in ("you", "let's", "let us"):
        return True
    if word in ("i", "me"):
        return bool(match["mutual"]) and bool(rules.willing.search(before[subject.end():]))
    if word in ("we", "us") and not match["directed"]:
        rest = before[subject.end():]
        if rules.willing.search(rest) or rules.inverted_modal.search(before[:subject.start()]):
            return True
        return bool(rules.shared.match(rest)) and (bool(match["mutual"]) or not rules.promise_modal.match(rest))
    return False


def _attached_due(clause: str, match: re.Match, received_at: datetime, date_order: str,
                  rules: _Rules) -> DueDate | None:
    """Given a clause and its get-in-touch phrase, return the dated time after the phrase, or the one
    opening the clause ("After the holidays, ping me"); None for vague or missing times."""
    following = find_due(clause[match.start():], received_at, date_order)
    if following is not None and following.due is not None:
        return following
    leading = clause[:match.start()]
    dated = find_dates(leading, received_at, date_order)
    if dated and rules.adverbial_lead.match(leading[:dated[0][0]]):
        return DueDate(dated[0][2], dated[0][3])
    return None
