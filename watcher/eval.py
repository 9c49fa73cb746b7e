"""``python -m watcher.eval``: score the detectors against hand-labelled real email.

Reads the labelled data described in ``../shared/eval-dev/README.md`` (or ``--eval-dir``) and the
corpora its messages come from (``--corpora``), runs the same rules the watcher runs, and prints:

- promise precision, recall and F1 per sentence;
- due-date exact match on labelled promises whose own sentence states a time (the date the watcher
  would store for the sentence: the promise's clause first, then the rest of the sentence);
- expects-reply accuracy, precision and recall per message, on the message's new text as the
  watcher extracts it from the raw corpus file;
- request precision and recall per sentence (for context);
- throughput: messages per second through every detector, on one core;

each for the two parts of the data (``evaldata.part_of``): the **scored** part, whose figures are
the headline because no rule was studied on it, and the **tuned** part, where errors may be read
(``--misses``). It says whether each target is met on the scored part and whether any scored
figure falls more than ``MAX_GAP`` below the tuned one: a sign that a rule memorises its examples
instead of reading the language. Exit status 0 when all is met, 1 when not, 2 when the data
cannot be found. Numeric dates are read month first (``--date-order mdy``) by
default because the labelled mail is American.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from watcher import evaldata
from watcher.rules.check_back import find_check_back
from watcher.rules.declines import find_decline
from watcher.rules.expects_reply import expects_reply, is_request
from watcher.rules.promises import find_promises, promise_due, is_promise

TARGETS = {"promise precision": 0.92, "promise recall": 0.85, "due exact match": 0.85,
           "expects-reply accuracy": 0.88}
MAX_GAP = 0.05  # a scored-part figure this far below the tuned part's means a rule memorises
FROM_ANOTHER_SENTENCE = "[due resolved from another sentence of the message]"


@dataclass(frozen=True)
class Counts:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    true_negative: int = 0

    def add(self, predicted: bool, actual: bool) -> Counts:
        return Counts(self.true_positive + (predicted and actual), self.false_positive + (predicted and not actual),
                      self.false_negative + (actual and not predicted),
                      self.true_negative + (not predicted and not actual))

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 0.0

    @property
    def recall(self) -> float:
        actual = self.true_positive + self.false_negative
        return self.true_positive / actual if actual else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def accuracy(self) -> float:
        total = self.true_positive + self.false_positive + self.false_negative + self.true_negative
        return (self.true_positive + self.true_negative) / total if total else 0.0


@dataclass
class Report:
    """The scores of one part of the labelled data."""

    promises: Counts = Counts()
    requests: Counts = Counts()
    due_matched: int = 0
    due_total: int = 0
    replies: Counts = Counts()
    misses: list[str] = field(default_factory=list, repr=False)  # never printed by a failing test

    @property
    def due_rate(self) -> float:
        return self.due_matched / self.due_total if self.due_total else 0.0

    def figures(self) -> dict[str, float]:
        return {"promise precision": self.promises.precision, "promise recall": self.promises.recall,
                "due exact match": self.due_rate, "expects-reply accuracy": self.replies.accuracy}


@dataclass
class Evaluation:
    """The scores of the tuned and the scored part (``evaldata.part_of``), and the throughput."""

    tuned: Report
    scored: Report
    messages_per_second: float

    def unmet(self) -> list[str]:
        """Return what falls short: a scored-part figure under its target, or more than ``MAX_GAP``
        under the tuned part's."""
        scored, tuned = self.scored.figures(), self.tuned.figures()
        short = [f"{name} {scored[name]:.3f} < {target}" for name, target in TARGETS.items()
                 if scored[name] < target]
        short += [f"{name} gap {tuned[name] - scored[name]:.3f} > {MAX_GAP}" for name in TARGETS
                  if tuned[name] - scored[name] > MAX_GAP]
        return short


def evaluate(eval_dir: Path, corpora: Path, date_order: str = "mdy", seconds: float = 2.0) -> Evaluation:
    """Given the labelled data and its corpora, return the detectors' scores on each part of it."""
    parts = {evaldata.TUNED: Report(), evaldata.SCORED: Report()}
    for item in evaldata.load_sentences(eval_dir):
        _score_sentence(parts[evaldata.part_of(item.msg)], item, date_order)
    texts = [(message, evaldata.message_text(message, corpora)) for message in evaldata.load_messages(eval_dir)]
    for message, text in texts:
        report = parts[evaldata.part_of(message.msg)]
        predicted = bool(expects_reply(text))
        report.replies = report.replies.add(predicted, message.expects_reply)
        if predicted != message.expects_reply:
            report.misses.append(f"expects_reply {'missed' if message.expects_reply else 'false'}: {message.msg}")
    return Evaluation(parts[evaldata.TUNED], parts[evaldata.SCORED], _throughput(texts, date_order, seconds))


def _score_sentence(report: Report, item: evaldata.LabelledSentence, date_order: str) -> None:
    found = is_promise(item.sentence)
    report.promises = report.promises.add(found, item.promise)
    report.requests = report.requests.add(is_request(item.sentence), item.request)
    if found != item.promise:
        report.misses.append(f"promise {'missed' if item.promise else 'false'}: {item.sentence}")
    if item.promise and item.due is not None and FROM_ANOTHER_SENTENCE not in (item.notes or ""):
        due = promise_due(item.sentence, item.sent_at, date_order)
        report.due_total += 1
        report.due_matched += due is not None and due.due == item.due
        if due is None or due.due != item.due:
            report.misses.append(f"due {item.due} read as {due.due if due else None}: {item.sentence}")


def _throughput(texts, date_order: str, seconds: float) -> float:
    """Messages per second through every detector that reads a message's text, measured by running
    them over the labelled messages' texts for about ``seconds``."""
    done, started = 0, time.perf_counter()
    while True:
        for message, text in texts:
            find_promises(text, message.sent_at, date_order)
            expects_reply(text)
            find_check_back(text, message.sent_at, date_order)
            find_decline(text)
        done += len(texts)
        elapsed = time.perf_counter() - started
        if elapsed >= seconds or not texts:
            return done / elapsed if elapsed else 0.0


def render(evaluation: Evaluation) -> str:
    """Given an evaluation, return the table ``python -m watcher.eval`` prints: the scored part
    first (the headline), then the tuned part and how far the scored part falls below it."""
    scored, tuned = evaluation.scored, evaluation.tuned

    def size(counts: Counts) -> int:
        return sum(vars(counts).values())

    rows = [
        ("promise precision (sentences)", lambda r: r.promises.precision, TARGETS["promise precision"]),
        ("promise recall (sentences)", lambda r: r.promises.recall, TARGETS["promise recall"]),
        ("promise F1", lambda r: r.promises.f1, None),
        (f"due exact match ({scored.due_total} | {tuned.due_total} promises stating a time)", lambda r: r.due_rate,
         TARGETS["due exact match"]),
        (f"expects-reply accuracy ({size(scored.replies)} | {size(tuned.replies)} messages)",
         lambda r: r.replies.accuracy, TARGETS["expects-reply accuracy"]),
        ("expects-reply precision", lambda r: r.replies.precision, None),
        ("expects-reply recall", lambda r: r.replies.recall, None),
        ("request precision (sentences)", lambda r: r.requests.precision, None),
        ("request recall (sentences)", lambda r: r.requests.recall, None),
    ]
    width = max(len(name) for name, _, _ in rows)
    lines = [f"scored part: {size(scored.promises)} sentences, {size(scored.replies)} messages, never tuned on; "
             f"tuned part: {size(tuned.promises)} sentences, {size(tuned.replies)} messages",
             "",
             f"{'measure':<{width}}  {'scored':>7}  {'tuned':>7}  {'gap':>6}  target",
             f"{'-' * width}  {'-' * 7}  {'-' * 7}  {'-' * 6}  {'-' * 7}"]
    for name, measure, target in rows:
        gap = measure(tuned) - measure(scored)
        lines.append(f"{name:<{width}}  {measure(scored):>7.3f}  {measure(tuned):>7.3f}  {gap:>+6.3f}  "
                     + (f">= {target:.2f}" if target is not None else ""))
    lines.append(f"{'throughput (messages/second, one core)':<{width}}  {evaluation.messages_per_second:>7,.0f}")
    lines.append("")
    unmet = evaluation.unmet()
    lines.append(f"all targets met on the scored part, no gap over {MAX_GAP}" if not unmet
                 else "NOT met: " + "; ".join(unmet))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    default_eval, default_corpora = evaldata.default_paths()
    parser = argparse.ArgumentParser(
        prog="python -m watcher.eval", description=__doc__.split("\n\n")[0],
        epilog="example: python -m watcher.eval --eval-dir ../shared/eval-dev --corpora ../shared/corpora")
    parser.add_argument("--eval-dir", type=Path, default=default_eval, help="labelled data (default: %(default)s)")
    parser.add_argument("--corpora", type=Path, default=default_corpora, help="corpora (default: %(default)s)")
    parser.add_argument("--date-order", choices=("mdy", "dmy"), default="mdy",
                        help="how to read numeric dates such as 12/3 (default: %(default)s)")
    parser.add_argument("--seconds", type=float, default=2.0, help="how long to measure throughput")
    parser.add_argument("--public", action="store_true",
                        help="also print sanity figures on public labelled data with other definitions "
                             "(Parakweet intent, BC3 req/cmt)")
    parser.add_argument("--misses", action="store_true",
                        help="also list every sentence or message of the tuned part scored wrong (the scored "
                             "part's errors are never listed: read them and it stops measuring anything)")
    args = parser.parse_args(argv)
    for path, what in ((args.eval_dir / "sentences.jsonl", "--eval-dir"), (args.corpora, "--corpora")):
        if not path.exists():
            print(f"error: {path} not found; point {what} at it", file=sys.stderr)
            return 2
    evaluation = evaluate(args.eval_dir, args.corpora, args.date_order, args.seconds)
    print(render(evaluation))
    if args.public:
        from watcher import evalpublic
        try:
            print("\n" + evalpublic.render(evalpublic.public_checks(args.corpora)))
        except OSError as error:
            print(f"\npublic data not found: {error}", file=sys.stderr)
    if args.misses:
        print("\nscored wrong in the tuned part:\n" + "\n".join(evaluation.tuned.misses))
    return 0 if not evaluation.unmet() else 1


if __name__ == "__main__":
    sys.exit(main())
