"""Sanity figures on public labelled data whose definitions differ from ours.

``python -m watcher.eval --public`` prints them beside the main table. They are not targets: the
Parakweet intent labels (``intent/parakweet-verified``, a hand relabel of the Parakweet train set)
mark a sentence that requests or proposes something (and some dated commitments), and BC3
(``intent/bc3``) has three annotators mark requests (``req``) and commitments (``cmt``) in W3C
mailing-list mail. A rule change that moves these figures far, one way or the other, is worth a
look before it lands: the sentences were never used to write the rules.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ElementTree
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from watcher.eval import Counts
from watcher.rules.expects_reply import is_request
from watcher.rules.promises import is_promise

PARAKWEET = "intent/parakweet-verified"
BC3 = "intent/bc3"
BC3_AGREEMENT = 2  # a label counts when at least two of the three annotators gave it


@dataclass(frozen=True)
class Check:
    """One sanity figure: what was compared, on how many sentences, and the counts."""

    name: str
    sentences: int
    counts: Counts

    @property
    def true_positive(self) -> int:
        return self.counts.true_positive

    @property
    def precision(self) -> float:
        return self.counts.precision

    @property
    def recall(self) -> float:
        return self.counts.recall


def _check(name: str, labelled: list[tuple[str, bool]], detector) -> Check:
    counts = Counts()
    for sentence, label in labelled:
        counts = counts.add(bool(detector(sentence)), label)
    return Check(name, len(labelled), counts)


def parakweet(corpora: Path) -> list[tuple[str, bool]]:
    """The verified Parakweet sentences as ``(sentence, intent)``. Raise OSError if absent."""
    folder = Path(corpora) / PARAKWEET
    labelled = []
    for name, label in (("intent_pos", True), ("intent_neg", False)):
        with (folder / name).open(encoding="utf-8", errors="replace") as lines:
            labelled += [(line.strip(), label) for line in lines if line.strip()]
    return labelled


def bc3(corpora: Path) -> list[tuple[str, Counter]]:
    """BC3's sentences with how many annotators gave each label. Raise OSError if absent."""
    folder = Path(corpora) / BC3
    texts = {}
    for thread in ElementTree.parse(folder / "corpus.xml").getroot().iter("thread"):
        listno = (thread.findtext("listno") or "").strip()
        for sent in thread.iter("Sent"):
            text = sent.text or ""
            for _ in range(3):  # the archive escaped some characters more than once
                text = html.unescape(text)
            texts[(listno, sent.get("id"))] = " ".join(text.split())
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for thread in ElementTree.parse(folder / "annotation.xml").getroot().iter("thread"):
        listno = (thread.findtext("listno") or "").strip()
        for annotation in thread.iter("annotation"):
            for tag in ("req", "cmt"):
                for mark in annotation.iter(tag):
                    votes[(listno, mark.get("id"))][tag] += 1
    return [(text, votes[key]) for key, text in texts.items()]


def public_checks(corpora: Path) -> list[Check]:
    """Given the corpora folder, return the sanity figures; raise OSError if the data is absent."""
    intent = parakweet(corpora)
    threads = bc3(corpora)
    return [
        _check("Parakweet intent: request or promise", intent, lambda s: is_request(s) or is_promise(s)),
        _check("BC3 req (2 of 3 annotators): request", [(s, v["req"] >= BC3_AGREEMENT) for s, v in threads],
               is_request),
        _check("BC3 cmt (2 of 3 annotators): promise", [(s, v["cmt"] >= BC3_AGREEMENT) for s, v in threads],
               is_promise),
    ]


def render(checks: list[Check]) -> str:
    """The sanity table printed under the main one."""
    width = max(len(check.name) for check in checks)
    lines = ["public data with other definitions (a sanity check, not a target):",
             f"{'':<{width}}  {'sentences':>9}  {'precision':>9}  {'recall':>6}"]
    lines += [f"{check.name:<{width}}  {check.sentences:>9,}  {check.precision:>9.3f}  {check.recall:>6.3f}"
              for check in checks]
    return "\n".join(lines)
