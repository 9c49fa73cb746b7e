"""Promises in my own mail: I (or we) commit to a future action owed to the recipient.

Pure and stdlib only. A sentence is a promise when one of its clauses has a **commitment head**
(first person + future or commitment wording: "I'll", "we will", "I shall", "I'm going to",
"let me", "I hope/plan/intend to", a subject-less "Will …" or "…, and will …") followed by an
**action owed** to the recipient. Whether an action is owed is read from the verb's class and
its objects, never from a list of verbs that once failed:

- **verbs of doing something for someone** are owed whatever their object: transfer ("send",
  "forward", "give", "provide"), contact ("call", "get back", "follow up", "let you know"),
  finding out ("check", "look into", "review", "see if"), conferring ("talk to", "discuss"),
  preparing and arranging ("draft", "put together", "set up", "schedule", "fix", "handle") and
  accepting an invitation or request ("attend", "join", "come to", "help");
- **verbs of state, mind, feeling, stance and going away** are never owed, even with "you" or
  "it": "I'll see you", "I'll know more", "I'll miss you", "we will oppose it", "I'm going to San
  Francisco", "we will need more time";
- **any other verb** is owed only when the recipient is in its phrase ("I'll teach you") or its
  object is the matter at hand ("I'll do it", "I'll finish that"): "I will teach the class on
  Thursday" is a plan that owes the reader nothing;
- a coordinated verb counts too: "I'll meet with Bob and get back to you".

Also promises: acceptances ("count me in", "happy to help", "will do"), deliveries I arrange
("I'll have my assistant send you the deck"), deliveries in the passive or to "you" ("copies will
be distributed", "it will be on its way to you tomorrow", "you'll have it by Friday"), and the
present progressive with a future time ("I'm sending the revised version shortly").

Not promises: questions, negations ("I won't"), conditional offers ("if you have questions,
I'll answer them"), pleasantries ("I'll see you tomorrow"), discourse ("let me explain"),
reported or past intentions ("I said I would …", "I told her we'll send it"), and third parties'
actions ("John will send it").

The due date comes from the commitment's own clause first ("…, but I'll send it next week"), then
from the rest of the sentence ("By Tuesday, I will send …"); see ``watcher.rules.dates``.

Cue words are data (``Cues`` in ``watcher.rules.promise_words``); English is the only language so far. The verb classes follow Levin,
*English Verb Classes and Alternations* (1993): send (11.1), bring and take (11.3), give (13.1),
contribute (13.2), fulfilling (13.4.1), create and build (26.1, 26.4), search (35.2), instrument of
communication (37.4), talk and confer (37.5, 37.6) are owed; admire (31.2), see and sight
(30.1, 30.2), stative and mental-state verbs, and the deictic "go" family (51.1) are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from watcher.rules.dates import DueDate, find_dates, find_due
from watcher.rules.expects_reply import sentences
from watcher.rules.promise_words import ENGLISH, Cues

__all__ = ["Cues", "ENGLISH", "Promise", "find_promises", "is_promise", "promise_due"]


@dataclass(frozen=True)
class Promise:
    """``text`` is the sentence as written; ``due`` is None when it names no date."""

    text: str
    due: date | None = None
    due_text: str | None = None


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


def _ing(verb: str) -> str:
    """The -ing form of a base verb ("send" → "sending", "make" → "making", "set" → "setting")."""
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    if re.fullmatch(r"[a-z]*[^aeiou][aeiou][bdgklmnprt]", verb) and len(verb) <= 4:
        return verb + verb[-1] + "ing"  # one syllable ending consonant-vowel-consonant doubles it
    return verb + "ing"


def _progressive_verbs(owed: tuple[str, ...]) -> str:
    """The owed verbs with their first word in the -ing form ("send" → "sending", "get back" →
    "getting back"), for those whose first word is a plain word, as one alternative."""
    forms = set()
    for entry in owed:
        first, _, rest = entry.partition(" ")
        if re.fullmatch(r"[a-z]+", first):
            forms.add(_ing(first) + (" " + rest if rest else ""))
    return _alternatives(tuple(forms))


class _Rules:
    def __init__(self, cues: Cues):
        flags = re.IGNORECASE
        # one pattern for every head: a clause is scanned once (heads never overlap in practice)
        self.heads = re.compile("|".join(f"(?:{head})" for head in cues.heads), flags)
        self.subjectless = re.compile(cues.subjectless, flags)
        self.first_person = re.compile(cues.first_person, flags)
        self.filler = re.compile(cues.filler, flags)
        owed = cues.transfer_verbs + cues.contact_verbs + cues.finding_verbs + cues.making_verbs
        self.owed = re.compile(rf"(?:{_alternatives(owed)})\b", flags)
        self.acceptance_verb = re.compile(rf"(?:{_alternatives(cues.acceptance_verbs)})\b", flags)
        self.affirmative = re.compile(cues.affirmative, flags)
        self.state = re.compile(rf"(?:{_alternatives(cues.state_verbs)})\b", flags)
        self.recipient = re.compile(cues.recipient, flags)
        self.matter_at_hand = re.compile(rf"[a-z'-]+(?:\s+{cues.particles})?\s+{cues.matter_at_hand}", flags)
        self.coordination = re.compile(cues.coordination, flags)
        self.acceptance = re.compile(cues.acceptances, flags)
        self.progressive = re.compile(cues.progressive, flags)
        # "I'm sending it Monday": sending and contacting only; "we're preparing our issue this week" reports work
        self.progressive_owed = re.compile(
            rf"(?:{_progressive_verbs(cues.transfer_verbs + cues.contact_verbs)})\b", flags)
        self.separate_delivery = re.compile(cues.separate_delivery, flags)
        self.discourse = re.compile(rf"\s*(?:{'|'.join(cues.discourse)})\b", flags)
        self.pleasantry = re.compile(rf"(?:{'|'.join(cues.pleasantries)})", flags)
        self.be_promise = re.compile(rf"be\s+(?:{'|'.join(cues.be_promises)})", flags)
        # "I'll be sending": only sending and contact verbs; "we will be asking the Board" is a plan
        self.be_progressive = re.compile(rf"be\s+(?:{_progressive_verbs(cues.transfer_verbs + cues.contact_verbs)})\b",
                                         flags)
        self.have_delivery = re.compile(cues.have_delivery, flags)
        self.negation = re.compile(cues.negations, flags)
        self.condition = re.compile(cues.conditions, flags)
        self.reported = re.compile(cues.reported, flags)
        self.impersonal = re.compile(cues.impersonal, flags)
        self.delivered_to_you = re.compile(cues.delivered_to_you, flags)
        self.owe = re.compile(cues.owe, flags)
        self.clause_breaks = re.compile(cues.clause_breaks, flags)
        self.gate = re.compile(cues.gate)  # on lower-cased text: IGNORECASE makes re several times slower
        self.speaker = re.compile(cues.speaker)
        self.question_start = re.compile(r"^\W*(?:will|shall|would|should|can|could|do|did|are|is|may)\s+"
                                         r"(?:i|we|you|he|she|they|it|this|that|there)\b", flags)
        self.let_you_know = re.compile(r"let (?:you|him|her|them|everyone|everybody|all of you|y'all) know\b", flags)
        self.dropped_subject = re.compile(cues.dropped_subject, flags)
        self.word = re.compile(r"[A-Za-z][\w'/-]*")


_RULES: dict[int, _Rules] = {}


def _rules(cues: Cues) -> _Rules:
    if id(cues) not in _RULES:
        _RULES[id(cues)] = _Rules(cues)
    return _RULES[id(cues)]


def _clauses(sentence: str, rules: _Rules) -> list[tuple[int, str]]:
    """Given a sentence, return its clauses with their offsets."""
    clauses, start = [], 0
    for match in rules.clause_breaks.finditer(sentence):
        clauses.append((start, sentence[start:match.start()]))
        start = match.end()
    clauses.append((start, sentence[start:]))
    return [(offset, text) for offset, text in clauses if text.strip()]


def _heads(clause: str, rules: _Rules, sentence_start: bool, earlier: str) -> list[tuple[int, int]]:
    """Given a clause, return where each commitment head in it starts and ends (the action follows)."""
    ends = [(match.start(), match.end()) for match in rules.heads.finditer(clause)]
    subjectless = list(rules.subjectless.finditer(clause))
    if not subjectless:
        return sorted(set(ends), key=lambda span: span[1])
    # once per clause, not per "will": is there a first person before, or a left-out subject at the start?
    first_person = rules.first_person.search(earlier) is not None
    first_in_clause = rules.first_person.search(clause)
    dropped = rules.dropped_subject.match((earlier + " " + clause)[:120]) is not None
    for match in subjectless:
        if match.group(0).lower().startswith("'ll"):
            continue
        at_start = not clause[:match.start()].strip(" ,;:(") and sentence_start
        speaker_before = first_person or (first_in_clause is not None and first_in_clause.start() < match.start())
        if at_start or speaker_before or dropped:
            follower = clause[match.end():].lstrip()
            if not re.match(r"(?:you|he|she|they|it|we|i|this|that|there|the|anyone|someone)\b", follower,
                            re.IGNORECASE):
                ends.append((match.start(), match.end()))
    return sorted(set(ends), key=lambda span: span[1])


def _action_after(rest: str, rules: _Rules, head: str = "", answering: bool = False) -> bool:
    """Given the words after a commitment head (and the head; ``answering`` when the sentence opens
    with a yes), return whether they name an action owed to the recipient (see the module
    docstring for how the verb's class and objects decide)."""
    rest = rest.lstrip(" ,")
    if _NEGATED_HEAD.search(head):
        return _negated_promise(rest, rules)
    if rules.negation.match(rest) or rest.lower().startswith(("n't", "not ")):
        return _negated_promise(re.sub(r"^(?:n't|not|never)\s*", "", rest, flags=re.IGNORECASE), rules)
    filler = rules.filler.match(rest).group(0)
    rest = rest[len(filler):].lstrip()
    lower = rest.lower()
    if re.search(r"\b(?:happy|glad|delighted|pleased)\b", filler, re.IGNORECASE):
        # "I'd be happy to …": an acceptance, unless what follows is a feeling ("happy to hear")
        return not rules.state.match(lower) and not lower.startswith(("report", "say", "announce", "share that"))
    if not rest or not rules.word.match(rest):
        return bool(re.search(r"\btry\b", filler, re.IGNORECASE))  # "… but will try to today"
    if rules.pleasantry.match(lower):
        return False
    if lower.startswith("be "):
        return bool(rules.be_promise.match(lower) or rules.be_progressive.match(lower))
    if lower.startswith(("have ", "has ")):
        after_have = lower.split(" ", 1)[1] if " " in lower else ""
        return bool(rules.have_delivery.match(lower)) or _arranged(after_have, rules) or _handed_over(after_have)
    if lower.startswith("get ") and _arranged(lower[4:], rules, through="to"):
        return True  # "I'll get someone to fix it"
    if rules.acceptance_verb.match(lower) and not rules.owed.match(lower):
        return (answering and _ANSWER_HEAD.search(head) is not None) or _short_answer(lower, head, rules) \
            or bool(rules.matter_at_hand.match(lower)) or _coordinated_owed(lower, rules)
    return _owed(lower, rules)


_NEGATED_HEAD = re.compile(r"(?:n't|\bnot|\bcannot)\s*$", re.IGNORECASE)


def _negated_promise(rest: str, rules: _Rules) -> bool:
    """After "I won't", a promise only as "won't forget to send …" (a commitment said as a negation)
    or "won't have it … until Monday" (the guidelines: it announces when it comes)."""
    forget = re.match(r"\s*forget to\s+", rest, re.IGNORECASE)
    if forget:
        return _action_after(rest[forget.end():], rules)
    until = re.search(r"\b(?:until|till|before)\b", rest, re.IGNORECASE)
    if until is None or not re.search(r"\b(?:have|get|send|be able to|deliver|finish|provide)\b", rest[:until.start()],
                                      re.IGNORECASE):
        return False
    due = find_due(rest[until.start():], _NO_DATE)
    return due is not None and due.due is not None


_ARRANGED_SKIP = re.compile(r"(?!to\b|no\b|more\b|time\b|the chance\b|any\b|some\b|one\b)"
                            r"(?:(?!to\b)[\w'.-]+\s+){1,4}?")


def _arranged(after_verb: str, rules: _Rules, through: str = "") -> bool:
    """"(have) my assistant send you the deck", "(get) legal to look at it": someone I arrange does
    an owed action (``through`` is the word before their verb, if any)."""
    match = _ARRANGED_SKIP.match(after_verb)
    if match is not None:
        following = after_verb[match.end():]
        if through:
            if not following.startswith(through + " "):
                return False
            following = following[len(through) + 1:]
        return bool(rules.owed.match(following)) and not rules.state.match(following)
    return False


_NOT_HANDED_OVER = re.compile(
    r"(?:(?:to|no|more|time|any|the chance)\b|(?:an? |the |much )?(?:better|clearer|good|great|nice|long|short|quick)\b|"
    r"an? (?:idea|sense|feel|word|chance|look|meeting|call|chat|conversation|discussion|lunch|dinner|drink|coffee|"
    r"baby|party|holiday|vacation|day|week|trip|flight|appointment))", re.IGNORECASE)


_INDEFINITE = re.compile(r"(?:an?|another)\s+(?!(?:\w+\s+){0,2}(?:draft|copy|copies|proposal|quote|estimate|report|summary|list|"
                         r"answer|update|response|decision|recommendation|revision|version|markup|redline|schedule|"
                         r"contract|agreement|invoice|analysis|memo|letter|deck|presentation)\b)", re.IGNORECASE)


def _handed_over(after_have: str) -> bool:
    """"(I'll have) the corrected file on the FTP site by 8am": something of mine in the reader's
    reach by a time named. "A legal happy hour tomorrow" is an event, not a delivery: an indefinite
    object counts only as a document ("a draft", "a revised quote")."""
    if _NOT_HANDED_OVER.match(after_have) or _INDEFINITE.match(after_have):
        return False
    due = find_due(after_have[:100], _NO_DATE)
    return due is not None and due.due is not None


def _owed(phrase: str, rules: _Rules) -> bool:
    """Given a verb phrase (lower case, verb first), return whether it is an action owed: an owed
    verb, or another verb (not a state) whose phrase holds the recipient or the matter at hand; or
    the same for a verb coordinated with it ("meet with Bob and get back to you"). Where a state and
    an owed phrase both fit, the longer wins: "see if" finds out, "see" alone perceives."""
    state, owed = rules.state.match(phrase), rules.owed.match(phrase)
    if owed and (state is None or owed.end() > state.end()):
        return True
    if state is None and (rules.recipient.search(phrase[:80]) or rules.matter_at_hand.match(phrase)):
        return True
    return _coordinated_owed(phrase, rules)


def _coordinated_owed(phrase: str, rules: _Rules) -> bool:
    for joint in rules.coordination.finditer(phrase):
        following = phrase[joint.end():]
        state, owed = rules.state.match(following), rules.owed.match(following)
        if owed and (state is None or owed.end() > state.end()):
            return True
        if state is None and following.startswith("have ") and rules.have_delivery.match(following):
            return True
    return False


_ANSWER_HEAD = re.compile(r"(?:'ll|will|shall|\bcan)\s*$", re.IGNORECASE)
_ANSWER_WORDS = 2  # "I will attend.", "I'll join you", "we can make it Tuesday", "I'll come to the meeting"


def _short_answer(phrase: str, head: str, rules: _Rules) -> bool:
    """"I will attend.", "I'll join you then": an acceptance verb after "will"/"can" with at most
    ``_ANSWER_WORDS`` words besides times, the way an answer to an invitation reads. "I plan to
    attend the conference in May" and "I shall attend the RISK conference" report a plan."""
    if not _ANSWER_HEAD.search(head):
        return False
    verb = rules.acceptance_verb.match(phrase)
    if verb.group(0).startswith("take") and not verb.group(0).startswith("take part"):
        return False  # "I'll take the train": taking is an acceptance only after a yes
    rest = phrase[verb.end():]
    for start, end, _, _ in reversed(find_dates(rest, _NO_DATE)):
        rest = rest[:start] + rest[end:]
    words = [word for word in re.findall(r"[a-z0-9'-]+", rest)
             if word not in ("too", "also", "then", "there", "as", "well", "definitely", "happily", "gladly")]
    return len(words) <= _ANSWER_WORDS


def _progressive_promise(clause: str, rules: _Rules) -> bool:
    """"I'm sending the revised version shortly", "we're getting it to you Monday": a present
    progressive of an owed verb is a promise when the clause puts it in the future; "I'm sending
    you the file" (sent with this very mail) is not."""
    for match in rules.progressive.finditer(clause):
        rest = clause[match.end():]
        verb = rules.progressive_owed.match(rest)
        if not verb or _in_subordinate(clause[:match.start()]):
            continue
        if re.match(r"\s+(?!I\b)[A-Z][a-z]+\s+to\s+[a-z]+", rest[verb.end():]):
            continue  # "I'm paying Cheli to clean the house on Tuesday": someone else's errand
        if rules.separate_delivery.search(rest) or find_due(rest, _NO_DATE) is not None:
            return True
    return False


# A head inside a clause of time, condition or relation is no commitment of its own: "let her know
# when we will be there", "the positions that we are booking tomorrow", "when the credit will be posted".
_SUBORDINATE = re.compile(r"\b(?:when|whenever|while|once|as soon as|by the time|until|till|whether|that|which|"
                          r"who|where)\s+(?:(?!and\b|but\b|or\b|so\b|then\b)[\w'-]+\s+){0,4}$", re.IGNORECASE)


def _in_subordinate(before: str) -> bool:
    """Whether the words ``before`` a head leave it inside a subordinate clause that follows its main
    clause ("let her know when we will be there"); a clause put first ("As soon as you approve the
    PO I will place the order") leaves the head in the main clause."""
    match = _SUBORDINATE.search(before)
    if match is None or not before[:match.start()].strip(" ,;:(\"'-"):
        return False
    # "I promise that I will …", "I can confirm that we will …": a commitment said as a that-clause
    return not (match.group(0).lower().startswith("that") and re.search(
        rf"\b(?:{'|'.join(_COMMITTING_VERBS)})\s*$", before[:match.start()], re.IGNORECASE))


_NO_DATE = datetime(2000, 1, 3)  # find_due only says here whether a time is named, not which


def is_promise(sentence: str, cues: Cues = ENGLISH) -> bool:
    """Given one sentence of my mail, return whether it commits me (or us) to an action."""
    rules = _rules(cues)
    return _may_commit(sentence, cues, rules) and _commitment_at(sentence, rules) is not None


def _may_commit(sentence: str, cues: Cues, rules: _Rules) -> bool:
    """The cheap look first: a commitment needs a commitment word and a speaker (me, us, a left-out
    subject or an impersonal delivery); most sentences have neither and skip the grammar."""
    lowered = sentence.lower().replace("’", "'")
    return (any(word in lowered for word in cues.gate_words) and bool(rules.gate.search(lowered))
            and bool(rules.speaker.search(lowered)))


def _is_question(sentence: str, rules: _Rules) -> bool:
    stripped = sentence.rstrip(" )\"'")
    return stripped.endswith("?") and not stripped.endswith(".?") or bool(rules.question_start.match(sentence))


def _commitment_at(sentence: str, rules: _Rules) -> int | None:
    """Given a sentence, return the offset of its first commitment (its head, or the clause of a
    head-less one), or None."""
    text = sentence.replace("’", "'")
    if rules.question_start.match(text):
        return None
    answering = bool(rules.affirmative.match(text))
    clauses = _clauses(text, rules)
    for index, (offset, clause) in enumerate(clauses):
        if _is_question(clause if index < len(clauses) - 1 else text, rules):
            continue  # "I'll send it, OK?" asks; "I'll send it tomorrow; can you check it?" promises first
        earlier = text[:offset]
        for start, end in _heads(clause, rules, index == 0, earlier):
            # Only the words near a head decide about it: the windows keep a clause of many heads linear.
            before = clause[max(0, end - _WINDOW):end]
            rest = clause[end:end + _WINDOW]
            if before.lower().rstrip().endswith(("let me", "let us")) and rules.discourse.match(rest):
                continue
            if _reported(before, rules) or _in_subordinate(clause[max(0, start - _WINDOW):start]):
                continue
            if not _action_after(rest, rules, before, answering):
                continue
            if _conditional(text[:offset][-_WINDOW:], clause[max(0, end - _WINDOW):], min(end, _WINDOW), rest,
                            rules, whole=text):
                continue
            return offset + start
        head_less = _head_less_commitment(text, offset, clause, rules)
        if head_less is not None:
            return head_less
    return None


def _head_less_commitment(text: str, offset: int, clause: str, rules: _Rules) -> int | None:
    """A commitment without a head in ``clause`` (an impersonal or "you'll have it" delivery, an
    acceptance, a progressive with a future time, "I owe you", "I'm on it"): its offset, or None.
    Each shape is looked for only when the clause holds a word it cannot do without."""
    lowered = clause.lower()
    if any(word in lowered for word in ("will", "shall", "'ll", "should", "coming", "way", "headed")):
        impersonal = rules.impersonal.search(clause)
        if impersonal and not rules.condition.search(clause) and not _in_subordinate(clause[:impersonal.start()]):
            return offset
    if "you" in lowered:
        delivered = rules.delivered_to_you.search(clause)
        if delivered and not rules.condition.search(clause) and find_due(clause[delivered.end():][:80], _NO_DATE):
            return offset + delivered.start()
    if any(word in lowered for word in _ACCEPTANCE_WORDS):
        acceptance = rules.acceptance.match(clause)
        if acceptance and (acceptance.end() == len(clause) or not acceptance.group(0).rstrip().endswith("to")
                           or _action_after("happy to " + clause[acceptance.end():], rules)) \
                and not _conditional(text[:offset][-_WINDOW:], clause, acceptance.end(), clause[acceptance.end():],
                                     rules, whole=text):
            return offset
    if "ing" in lowered and _progressive_promise(clause, rules) and not rules.condition.search(clause):
        return offset
    if "owe" in lowered and rules.owe.search(clause):
        return offset
    if any(word in lowered for word in ("on it", "taking care", "looking into", "working on")) and re.search(
            r"\bi(?:'m| am) (?:on it|taking care of|looking into|working on (?:it|this|that|your))\b", clause,
            re.IGNORECASE):
        return offset
    return None


_ACCEPTANCE_WORDS = ("count", "consider", "will do", "happy", "glad", "delighted", "pleased", "i'm in", "we're in",
                     "am in", "are in")


def _reported(before_head: str, rules: _Rules) -> bool:
    """"It's unlikely that we will …", "they expect that we shall …", "I told her we'll …", "I don't
    think I'll …": the head is inside someone else's statement, an earlier one or a doubt, not my
    commitment now; "I promise that I will …" still commits."""
    if rules.reported.search(before_head):
        return True
    match = re.search(r"(\w+)\s+that\s+(?:i|we)\b[^,;]*$", before_head, re.IGNORECASE)
    return match is not None and match.group(1).lower() not in _COMMITTING_VERBS


# verbs (and adjectives) whose that-clause commits the speaker: "I promise that I will …"
_COMMITTING_VERBS = ("promise", "assure", "guarantee", "confirm", "ensure", "sure", "certain", "undertake", "agree",
                     "commit", "pledge", "swear")


_WINDOW = 200  # characters around a head that decide about it


def _conditional(earlier: str, clause: str, end: int, rest: str, rules: _Rules, whole: str = "") -> bool:
    """A commitment that waits on an "if" is an offer, not a promise. "Let me know X and I'll …"
    is a firm plan; "let you know if …" still informs either way. ``earlier`` is the sentence before
    the clause, ``end`` where the head ends in ``clause``, ``whole`` the sentence."""
    whole = whole or earlier + clause
    if _INPUT_CONDITION.match(whole):
        return False  # "If you can send me the data, I'll …": a firm plan that needs only their input
    if re.match(r"\W*(?:if|unless|should you|in case)\b", whole, re.IGNORECASE):
        return True  # "If so, let me know and I'll …": the whole sentence waits on the condition
    if re.search(r"\byou (?:can|could|may|might)\b", earlier + clause[:end], re.IGNORECASE):
        return True  # "You can forward it to me and I'll make sure …": an offer
    before = clause[:end]
    condition = None
    for condition in rules.condition.finditer(before):
        pass
    if condition is not None and not before[:condition.start()].lower().rstrip().endswith(_IF_AS_WHETHER):
        return True
    if rules.let_you_know.match(rules.filler.sub("", rest.lstrip(), count=1)):
        return False
    after = re.match(r"[^,;]*?\b(\w+)\s+(?:if|unless)\b", rest, re.IGNORECASE)
    return after is not None and not after.group(1).lower().endswith(_IF_AS_WHETHER)


# the recipient supplying what I need (the guidelines' "firm plan that only needs an input")
_INPUT_CONDITION = re.compile(
    r"\W*(?:if|once|as soon as) you (?:can |could |will |would |)(?:please )?(?:send|get|give|confirm|provide|forward|"
    r"e-?mail|fax|approve|sign|return|tell me|let me know (?:which|what|who|when|where))\b", re.IGNORECASE)
# words before "if" that make it "whether" ("see if"), or a polite request ("grateful if you could")
_IF_AS_WHETHER = ("know", "see", "check", "ask", "find out", "wonder", "determine", "confirm", "verify", "whether",
                  "learn", "tell", "even", "grateful", "appreciate it", "appreciated", "great", "helpful", "nice",
                  "good", "ideal", "thankful", "obliged")


def find_promises(text: str, written: datetime, date_order: str = "dmy", cues: Cues = ENGLISH) -> list[Promise]:
    """Given the new text of my message and when I wrote it, return the promises in it with their
    due dates (None when no date is named)."""
    rules = _rules(cues)
    if not rules.gate.search(text.lower().replace("’", "'")):
        return []  # the cheap gate: no commitment wording anywhere
    found = []
    for sentence in sentences(text):
        start = _commitment_at(sentence, rules) if _may_commit(sentence, cues, rules) else None
        if start is None:
            continue
        due = _due(sentence, start, written, date_order)
        found.append(Promise(sentence, due.due if due else None, due.text if due else None))
    return found


def promise_due(sentence: str, written: datetime, date_order: str = "dmy", cues: Cues = ENGLISH) -> DueDate | None:
    """Given a promise sentence and when it was written, return its due date as ``find_promises``
    would (from the commitment's clause first), or None when it names no time."""
    start = _commitment_at(sentence, _rules(cues))
    return _due(sentence, start or 0, written, date_order)


def _due(sentence: str, start: int, written: datetime, date_order: str) -> DueDate | None:
    own = find_due(sentence[start:], written, date_order)
    if own is not None and own.due is not None:
        return own
    whole = find_due(sentence, written, date_order)
    if whole is not None and whole.due is not None:
        return whole
    return own or whole
