"""The words the promise rules know, per language (see ``watcher.rules.promises`` for the rules).

``Cues`` names each kind of word the grammar in ``promises`` reads; ``ENGLISH`` fills it in. The verb
classes follow Levin, *English Verb Classes and Alternations* (1993); the comment above each group
names its class. Adding a language is a new ``Cues`` value, with its own verb classes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cues:
    """The words of one language that the promise rules know. Each is a regex alternative."""

    heads: tuple[str, ...]  # first person + future; the action verb follows
    subjectless: str  # "will"/"shall" with the subject left out
    first_person: str
    filler: str  # adverbs, softeners and aspect between head and verb ("also", "try to", "continue to")
    transfer_verbs: tuple[str, ...]  # sending and giving: owed whatever their object
    contact_verbs: tuple[str, ...]  # getting in touch: owed
    finding_verbs: tuple[str, ...]  # finding out and conferring on the recipient's matter: owed
    making_verbs: tuple[str, ...]  # preparing, arranging, setting right: owed
    acceptance_verbs: tuple[str, ...]  # coming, joining, helping: owed only as a short answer ("I'll attend.")
    affirmative: str  # "Yes, …", "Sounds good, …": the sentence answers a request or an invitation
    state_verbs: tuple[str, ...]  # verbs of state, mind, feeling, stance, going away: never owed
    recipient: str  # the reader in a verb phrase: "you", "your"
    matter_at_hand: str  # an object that points back at what the mail is about: "it", "this", "that"
    particles: str  # verb particles between a verb and its object ("look it over", "send it back")
    coordination: str  # "and", "& then": a second verb of the same commitment follows
    acceptances: str  # "count me in", "happy to help", "will do": a commitment without a head
    progressive: str  # "I'm sending": a present progressive head, a promise with a future time only
    separate_delivery: str  # "under separate cover": a future time for a delivery in progress
    pleasantries: tuple[str, ...]  # head + these words: no promise
    discourse: tuple[str, ...]  # "let me" + these words: talk about the message itself
    be_promises: tuple[str, ...]  # what may follow "I'll be" in a promise
    have_delivery: str  # "I'll have X to you/ready/done", "I'll have Sam call you"
    negations: str
    conditions: str
    reported: str  # "I said (that) I'd …", "I told him we'll …": someone's earlier or reported intention
    impersonal: str  # "Copies will be distributed", "it will be on its way to you"
    delivered_to_you: str  # "you'll have it": a promise when a time follows
    owe: str  # "I owe you a call"
    clause_breaks: str
    gate: str  # every commitment holds one of these words: sentences without any are skipped
    gate_words: tuple[str, ...]  # the same as plain lower-case substrings, checked first because it is cheaper
    speaker: str  # and every commitment names me/us, leaves the subject out, or is an impersonal delivery
    dropped_subject: str  # "Talked to legal and will …": the sentence starts with my verb, subject left out


ENGLISH = Cues(
    heads=(
        # "I'd be happy to …" is left out: its conditional mood makes it an offer, not a commitment
        r"\b(?:i|we)\s*(?:'ll|\s+will|\s+shall|\s+am going to|'m going to|\s+are going to|'re going to|\s+am gonna"
        r"|'m gonna)\b",
        r"\b(?:i|we)\s+(?:also\s+|still\s+|really\s+)?(?:hope|plan|intend|expect|aim|promise|undertake|commit|mean)\s+to\b",
        r"\b(?:i|we)\s+(?:am|'m|are|'re)\s+(?:planning|hoping|aiming|intending|going) to\b",
        r"\b(?:i|we)\s+should\s+(?=(?:be able to\s+)?(?:have|get)\b[^.;]*\b(?:to you|back to you|for you|over to you|ready)\b)",
        # "I can do that", "we can be there": an answer that accepts what was asked
        r"\b(?:i|we)\s+can\s+(?=(?:do (?:it|that|this|so)|make (?:it|the)|be there|attend|join|take (?:it|that|this|care)|"
        r"cover (?:it|that|this|for)|come|host|present|serve|meet)\b)",
        # negated: a promise only as "won't forget to …" or "won't have it … until Monday" (see _negated_promise)
        r"\b(?:i|we)\s*(?:won't|will not|shall not|can't|cannot|can not)\b",
        r"\blet me\b",
        r"\blet us\b(?!\s+know)",
        r"\blet's\b(?=\s+(?:get|set|schedule)\b)",
    ),
    subjectless=r"(?:^\s*|[,;:(]\s*|\b(?:and|but|then|so|&)\s+|\.\.\.\s*)(?:will|shall|'ll)\b",
    first_person=r"\b(?:i|we|i've|we've|i'm|we're|i'd|me|us)\b",
    filler=r"(?:(?:also|just|then|now|definitely|certainly|surely|probably|likely|personally|gladly|happily|"
           r"quickly|immediately|still|absolutely|really|further|soon|again|first|therefore|today|tomorrow|"
           r"try(?:\s+(?:to|and))?|attempt to|make (?:sure|certain) (?:to|and)|be sure to|go ahead and|"
           r"go back (?:to|and)|go (?:and|to)|come back (?:to|and)|get around to|work to|have time to|"
           r"(?:be )?(?:able|happy|glad|delighted|pleased|more than happy) to|do (?:my|our) best to|"
           r"endeavou?r to|need to double|take (?:the time|a minute|a moment) to|"
           r"continue to|keep on|start(?:ing)? to|begin to|personally|hopefully|promptly|"
           r"(?:in|over) the (?:morning|afternoon|evening|meantime)|as well|in turn)\s+)*",
    # send, bring and take, give, contribute, fulfilling (Levin 11.1, 11.3, 13.1, 13.2, 13.4.1)
    transfer_verbs=(
        r"send", r"re-?send", r"forward", r"mail", r"e-?mail", r"fax", r"ship", r"deliver", r"courier", r"fed-?ex",
        r"overnight", r"transmit", r"transfer", r"return (?=(?:it|this|that|them|these|those|the|your|my|our|a|an|his|her|their|calls?)\b)", r"pass (?:it |this |that |them )?"
        # "pass on this one" declines; "pass it on", "pass on your note to Sam" hand something over
        r"(?:along|on(?! (?:this|that|it)(?: one| time| opportunity| round)?\s*(?:[.,!;]|$|for now|this time))|back|over)", r"hand (?:it |this |that |them )?(?:over|off|back)", r"bring", r"give", r"provide",
        r"supply", r"furnish", r"submit", r"distribute", r"circulate", r"share", r"post", r"publish", r"upload",
        r"attach", r"enclose", r"release", r"issue", r"pay", r"refund", r"dispatch", r"convey", r"route", r"relay", r"wire",
        r"run (?:it|this|that|them|these|those) (?:by|past)", r"offer", r"assign", r"allocate", r"show",
        # get verbs (13.5.1): obtaining something to pass on
        r"grab", r"fetch", r"pull (?!out\b)",
        # light verbs with a noun of sending or writing: "do an e-mail", "make the call", "give you a ring"
        r"(?:do|make|give(?: you| him| her| them)?|drop(?: you| him| her| them)?|shoot(?: you| him| her| them)?)"
        r" (?:an? |the |some |my |our )?(?:e-?mail|call|ring|note|line|memo|draft|review|summary|write-?up|follow-?up|"
        r"invitations?|invites?|introductions?|intro|announcement|mark-?up|revisions?|edits?|changes)\b",
    ),
    # instrument of communication and getting in touch (37.4, 37.1; phrasal business usage)
    contact_verbs=(
        r"call", r"phone", r"telephone", r"ring", r"text", r"ping", r"page", r"contact", r"reach (?:out|you|him|her|them)",
        r"follow[- ]?up", r"follow through", r"get back", r"touch base", r"circle back", r"check (?:in|back)",
        r"respond", r"reply", r"answer", r"write", r"update", r"inform", r"notify", r"advise", r"confirm",
        r"report back", r"brief", r"alert", r"remind", r"tell", r"introduce", r"connect", r"put (?:you|him|her|them) "
        r"in touch", r"loop", r"copy (?:you|him|her|them)", r"cc", r"keep (?:you|him|her|them|everyone|everybody|all|"
        r"us|the (?:group|team))\b", r"let (?:you|him|her|them|everyone|everybody|all of you|y'all|the (?:group|team))"
        r" know", r"communicate", r"approach", r"close the loop", r"get in touch",
        # a visit to the recipient is getting in touch in person
        r"(?:stop|drop|swing|come|pop) (?:by|over|round|around)",
    ),
    # finding out: search and investigate (35.2), "see" used for finding out (30.2), conferring (37.5, 37.6)
    finding_verbs=(
        r"check", r"double[- ]?check", r"re-?check", r"look (?:into|at|over|through|for|up|around|closer|further|in"
        r"|it over)", r"review", r"re-?examine", r"examine", r"investigate", r"research", r"explore", r"search",
        r"verify", r"find out", r"figure out", r"dig", r"track down", r"hunt down", r"see (?:(?:if|whether|what|how|who|when|where) (?:i|we)\b|about|to it|to that|to this)", r"inquire", r"enquire", r"ask", r"query", r"chase",
        r"test", r"evaluate", r"assess", r"analy[sz]e", r"compare", r"calculate", r"go (?:over|through)",
        r"read (?:it|this|that|them|the|your|through|over)", r"think (?:it|this|that) (?:over|through)", r"find",
        r"locate", r"retrieve", r"obtain", r"secure", r"request",
        r"talk (?:to|with)", r"speak (?:to|with)", r"discuss", r"consult", r"confer", r"coordinate", r"liaise",
        r"raise", r"escalate", r"pursue", r"negotiate", r"work (?:on|with|out|up|through|it)", r"monitor", r"track",
        r"keep (?:an eye|tabs|track) on", r"follow (?:the|it|this|that|them|progress)", r"explain (?:it|this|that|the|"
        r"how|what|why) (?:to|in)", r"walk (?:you|him|her|them|everyone) through", r"summari[sz]e", r"report",
        r"propose", r"bring (?:it|this|that|them) up", r"mention (?:it|this|that|them) to",
    ),
    # creating, preparing and arranging (26.1, 26.4) and setting things right
    making_verbs=(
        r"prepare", r"draft", r"re-?draft", r"write up", r"draw up", r"put together", r"pull together", r"compile",
        r"assemble", r"produce", r"finish", r"complete", r"finali[sz]e", r"wrap up", r"fix", r"repair", r"correct",
        r"revise", r"edit", r"amend", r"modify", r"change", r"adjust", r"incorporate", r"add", r"include", r"remove",
        r"delete", r"clean up", r"sort out", r"resolve", r"handle", r"take care of", r"deal with", r"process",
        r"file", r"sign", r"execute", r"approve", r"fill (?:out|in)", r"input", r"enter", r"print", r"order", r"buy",
        r"purchase", r"place (?:an? |the |your |our )?orders?", r"book", r"reserve", r"arrange", r"schedule", r"re-?schedule", r"organi[sz]e", r"set up",
        r"line up", r"make (?:sure|certain|a copy|copies|arrangements|the (?:changes|call|arrangements|corrections)|"
        r"time|room)", r"pick up", r"drop off", r"reconcile", r"price", r"quote", r"invoice", r"renew", r"extend",
        r"take (?:care|a look|a stab|a crack|the lead|ownership|charge|it from here|it on|that on|this on)",
        r"nominate", r"recommend", r"get (?:you|it|this|that|them|these|those|the|a|an|some|your|our|my|back|"
        r"together|in touch|on it|on this|started|going|something|copies|him|her)\b", r"help", r"assist",
        r"cover (?:it|this|that|for)",
        # creating (26.4, create verbs) and putting into effect
        r"build", r"create", r"design", r"develop", r"compose", r"compute", r"construct", r"generate", r"model",
        r"implement", r"deploy", r"install", r"configure", r"run (?:the|a|some|it|this|that|them|another)", r"set (?!off\b|out\b|sail\b|foot\b)",
        r"mark (?:it |this |that )?up", r"redline", r"proofread", r"sign off", r"start on", r"tackle",
        r"move (?:forward|ahead) (?:with|on)", r"proceed with", r"document", r"schedule",
        # a contributor's commitments on a patch or a branch (git's own command names)
        r"rebase", r"respin", r"merge", r"apply (?!for\b|to\b)", r"push (?!for\b|back\b)", r"commit (?:it|this|that|the|a)", r"revert", r"queue",
        r"backport", r"cherry-pick", r"bisect", r"land (?=(?:it|this|that|them|the|your|my|our)\b)",
    ),
    # accepting an invitation or a request: coming, joining in. "I will attend." answers an invitation;
    # "I plan to attend the conference in May" reports a plan, so these count only as a short answer.
    acceptance_verbs=(
        r"attend", r"join", r"participate", r"come", r"present", r"host",
        r"sit in", r"show up", r"make (?:it|the)", r"volunteer", r"take part", r"meet", r"be there", r"serve",
        r"take(?! part)",  # an offer taken ("we'll take the 10,000 at the posted price") only after a yes
    ),
    # an answer that says yes: after it an acceptance may name what it accepts ("Yes, I'll attend the offsite")
    affirmative=r"^\W*(?:yes|yep|yeah|sure|certainly|absolutely|of course|definitely|gladly|happy to|great|"
                r"sounds good|sounds great|works for me|that works|no problem|ok(?:ay)?|will do|count me in|"
                r"i accept|we accept|thanks?(?: you)?(?: for (?:the|your) (?:invitation|invite|offer))?)\b",
    state_verbs=(
        # states, the copula and necessity (Vendler's statives; modal "have to", "need")
        r"be", r"become", r"remain", r"stay", r"seem", r"look like", r"sound like", r"live", r"belong", r"own",
        r"cost", r"last", r"have to", r"has to", r"have got to", r"need", r"needs", r"must", r"got to", r"gotta",
        r"end up", r"wind up",
        # mind: knowing, thinking, remembering (mental-state verbs)
        r"know", r"think", r"believe", r"understand", r"remember", r"forget", r"wonder", r"assume", r"suppose",
        r"guess", r"bet", r"imagine", r"reali[sz]e", r"figure(?! out)", r"consider", r"reckon", r"doubt", r"suspect",
        r"expect", r"learn", r"keep (?:it|that|this|them|these|those)? ?in mind", r"bear (?:it|that|this) in mind",
        # perception (30.1, 30.2) and looking forward
        r"see", r"hear", r"watch", r"notice", r"feel", r"smell", r"taste", r"look forward",
        # feeling and attitude (31.2, admire verbs)
        r"like", r"love", r"hate", r"enjoy", r"miss", r"regret", r"fear", r"prefer", r"want", r"wish", r"hope",
        r"mind", r"admire", r"appreciate", r"trust", r"care", r"worry",
        # stance and verdict: taking a side, deferring, leaving a decision to someone
        r"agree", r"disagree", r"defer", r"oppose", r"object", r"accept", r"admit", r"concede", r"insist", r"argue",
        r"favou?r", r"resist", r"fight", r"vote", r"side", r"stand (?:by|firm|behind)", r"leave (?:it|that|this|the "
        r"(?:decision|choice)) (?:to|up to|with)", r"let (?:it|that|this) (?:go|slide|ride|be)\b",
        r"pass(?: on (?:this|that|it)(?: one| time| opportunity| round)?)?(?=\s*(?:[.,!;]|$|for now|this time))",
        # going away and being somewhere: the deictic "go" (51.1) and arriving; other ways of moving
        # ("fly", "drive") are plans unless the reader is in them ("I'll drive you to the airport")
        r"go(?! (?:over|through)\b)", r"depart", r"arrive", r"get (?:back )?(?:to the office|home|in town|there|here)",
        r"return (?:to|home|from)", r"sleep", r"rest", r"wait", r"retire", r"spend the",
        # social formulas
        r"thank", r"apologi[sz]e", r"congratulate", r"welcome", r"say (?:hello|hi|goodbye|bye|thanks)",
    ),
    recipient=r"\b(?:you|your|yours|yourself|yourselves|u|y'all)\b",
    matter_at_hand=r"(?:it|this|that|them|these|those|everything|all of (?:it|this|that|them)|the same)\b",
    particles=r"(?:up|out|over|back|along|on|through|in|off|down|around|together|away|ahead)",
    coordination=r"\s(?:and|&|or)\s+(?:then\s+|also\s+|will\s+|'ll\s+|to\s+|try to\s+)?",
    acceptances=r"^\W*(?:(?:sure|yes|yep|absolutely|of course|no problem|ok(?:ay)?|definitely|gladly|great|will do)\W+)*"
                r"(?:count (?:me|us) in|consider it done|(?:you can )?count on (?:me|us)|will do\W*$|(?:i'm|we're|i am|"
                r"we are) in\W*$|(?:i'm |we're |i am |we are )?"
                r"(?:more than )?(?:happy|glad|delighted|pleased) to\s+)",
    progressive=r"\b(?:i|we)(?:'m|\s+am|'re|\s+are)\s+(?:also\s+|just\s+|now\s+)?(?=\w+ing\b)",
    separate_delivery=r"\b(?:under separate cover|separately|in a separate (?:e-?mail|message|note)|in a (?:bit|minute|"
                      r"moment|sec(?:ond)?)|later)\b",
    # seeing and talking to each other later, keeping the mail short, letting someone go, social meals: nothing owed
    pleasantries=(r"see you", r"(?:talk|speak|chat|catch up) (?:to|with|w/) ?you (?:later|soon|then|tomorrow|next|after|"
                  r"when|at|on|in)", r"look forward", r"miss you", r"be in touch soon", r"catch you",
                  r"chat (?:later|soon)", r"call it (?:a day|a night|quits|even)",
                  r"keep (?:it|this|that|my (?:note|reply|answer)) (?:short|brief|simple)", r"be brief",
                  r"let (?:you|him|her|them) (?:go|get back|get on|enjoy|be)\b",
                  r"(?:grab|get|have|do) (?:a )?(?:lunch|coffee|a drink|drinks|dinner|breakfast|a beer|a bite)\b"),
    discourse=("know", "explain", "say", "add", "start", "begin", "point out", "clarify", "introduce", "reiterate",
               "summari[sz]e", "put it", "be clear", "be honest", "remind", "tell you", "ask you", "assure",
               "stress", "emphasi[sz]e", "note", "repeat", "rephrase", "try again", "correct myself", "first",
               "just say", "just add", "also say", "also add", "give you (?:some|a bit of) (?:background|context)",
               "describe", "outline", "walk you through (?:this|it|what)", "recap", "elaborate", "share (?:my|a few|some) thoughts"),
    be_promises=(r"there\b", r"in touch\b", r"back (?:to|with) you\b", r"(?:happy|glad|delighted|pleased|more than happy) to\b",
                 r"sure to\b", r"able to (?:send|get|have|provide|call|give|forward)\b", r"over\b(?! the)",
                 r"by (?:your|the) (?:office|desk)\b", r"coming\b", r"following up\b"),
    have_delivery=r"have\s+(?!to\b|a (?:much )?(?:better|clearer) |more\b|no\b|an? (?:idea|sense|feel)\b)"
                  r"[^.;]{0,60}?\b(?:to you|for you|back to you|over to you|ready|done|finished|sent|over|out|"
                  r"completed|available|in (?:your|the) (?:hands|inbox|mail))\b"
                  # "I'll have my assistant send you the deck": someone I arrange does it
                  r"|have\s+(?!to\b|a\b|an\b|no\b|more\b|time\b|the chance\b|any\b|some\b)(?:[\w'.-]+\s+){1,4}?"
                  r"(?:call|send|contact|get|look|e-?mail|fax|forward|follow|check|review|prepare|draft|set up|"
                  r"schedule|arrange|reach out|give|provide|deliver|ship|mail|update|drop|bring|run|pull|put)\b",
    negations=r"^(?:not|never|no longer|n't)\b",
    conditions=r"\b(?:if|unless|whether|in case|should you|provided that)\b",
    # reported speech (a past verb of saying or thinking) or a negated belief before the head
    reported=r"(?:\b(?:said|told|mentioned|promised|thought|figured|assumed|decided|hoped|planned|wrote|agreed|"
             r"indicated|claimed)(?:\s+[\w']+){0,3}?|\b(?:don't|do not|didn't|doesn't|not|never) (?:think|expect|"
             r"believe|imagine|know (?:if|whether))|\b(?:doubt|not sure|unsure|uncertain)(?:\s+(?:if|whether))?)"
             r"(?:\s+that)?\s+(?:i|we)\b[^,;.]*$",
    impersonal=r"\b(?:copies|details|information|info|documents?|drafts?|minutes|notes|materials?|the (?:rest|balance|"
               r"remainder)|invitations?|agenda|updates?|report|results?|(?:a|an|the|your|my|our|further|more|final|revised|"
               r"updated) [a-z ]{0,40}?)\s+(?:will|shall)\s+(?:be\s+(?:sent|forwarded|posted|distributed|circulated|provided|"
               r"filed|emailed|e-mailed|faxed|mailed|delivered|shared|published|sent out|made available|couriered|"
               r"shipped|wired|paid|refunded|transferred|credited)|follow)\b"
               # the thing on its way to the reader: "it will be on its way to you", "the deck will reach you Monday"
               r"|\b(?:it|they|(?:the|a|an|your|my|our) [a-z0-9 -]{1,40}?|[a-z]+s)\s+(?:(?:will|shall|'ll|should)\s+"
               r"(?:be on (?:its|their) way|go out to you|reach you|be (?:in|on) your (?:inbox|desk|hands|way)|be with you|"
               r"arrive (?:in your|at your|on your))|(?:is|are|'s|'re) (?:coming|on (?:its|their) way|headed) to you)\b",
    # "you'll have it by Friday", "you will receive the contract Monday": my delivery, once a time is named
    delivered_to_you=r"\byou(?:'ll| will| should| shall)\s+(?:have|get|receive)\s+(?!to\b|no\b|more\b|time\b|"
                     r"(?:an?|the|any) (?:chance|opportunity|idea|sense|feel|choice|option)\b)",
    owe=r"\b(?:i|we)\s+owe\s+(?:you|him|her|them)\b",
    dropped_subject=r"\W*(?:(?:sorry|ok|okay|thanks|thank you|yes|sure|fine|great|hi|hello|no problem)\W+)*"
                    r"(?:[a-z]+ed|got|sent|saw|spoke|heard|met|read|went|had|did|made|took|left|spent|found|"
                    r"told|wrote|thought|caught|just|already|am|have|(?:still |now )?[a-z]+ing)\b",
    gate=r"\b(?:will|shall|ll|going to|gonna|let|hope|hoping|plan|planning|intend|expect|aim|promise|undertake|commit|"
         r"mean|should|owe|on it|taking care|looking into|working on|i can|we can|count (?:me|us) in|count on|"
         r"(?:happy|glad|delighted|pleased) to|i'm|we're|i am|we are|on (?:its|their) way|"
         r"(?:coming|headed) to you|won't|can't|cannot)\b",
    gate_words=("will", "shall", "ll", "going to", "gonna", "let", "hope", "hoping", "plan", "intend", "expect",
                "aim", "promise", "undertake", "commit", "mean", "should", "owe", "on it", "taking care",
                "looking into", "working on", "i can", "we can", "count", "happy to", "glad to", "delighted to",
                "pleased to", "i'm", "we're", "i’m", "we’re", "i am", "we are", "its way", "their way", "to you",
                "won't", "won’t", "can't", "can’t", "cannot"),
    speaker=r"\b(?:i|we|i'm|we're|i'll|we'll|let|let's|owe|you'll)\b|\byou (?:will|should|shall)\b"
            r"|\b(?:coming|headed) to you\b|\bon (?:its|their) way\b|\b(?:will|shall) (?:be|follow|go|reach|"
            r"arrive|be mailed|be sent)\b|(?:^|[,;:(]|\band|\bbut|\bthen|\bso|&|\.\.\.)\W*(?:will|shall|'ll)\b|^\W*\w+ed\b"
            r"|^\W*(?:\w+\W+){0,3}(?:count|happy|glad|delighted|pleased|consider|will do)\b",
    clause_breaks=r";|\s+--+\s+|\s+-\s+|\s+—\s+|—|,\s*but\b|\bbut\b|,\s*so\b|\.\.\.+|:\s|\(|\)|,\s*and\b"
                  r"|,\s*(?=(?:would|could|can|will|do|did|are|is|may|might)\s+(?:you|u)\b)",
)
