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

and whether each target of issue 3 is met. Exit status 0 when all are met, 1 when one is not,
2 when the data cannot be found. Numeric dates are read month first (``--date-order mdy``) by
default because the labelled mail is American.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from watcher import evaldata
from watcher.rules.check_back import find_check_back
from watcher.rules.declines import find_decline
from watcher.rules.expects_reply import expects_reply, is_request
from watcher.rules.promises import find_promises, promise_due, is_promise

TARGETS = {"promise precision": 0.90, "promise recall": 0.85, "due exact match": 0.85,
           "expects-reply accuracy": 0.85}
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
    promises: Counts
    requests: Counts
    due_matched: int
    due_total: int
    replies: Counts
    messages_per_second: float
    misses: list[str]

    @property
    def due_rate(self) -> float:
        return self.due_matched / self.due_total if self.due_total else 0.0

    def figures(self) -> dict[str, float]:
        return {"promise precision": self.promises.precision, "promise recall": self.promises.recall,
                "due exact match": self.due_rate, "expects-reply accuracy": self.replies.accuracy}


def evaluate(eval_dir: Path, corpora: Path, date_order: str = "mdy", seconds: float = 2.0) -> Report:
    """Given the labelled data and its corpora, return the detectors' scores on it."""
    labelled = evaldata.load_sentences(eval_dir)
    promises, requests, misses = Counts(), Counts(), []
    due_matched = due_total = 0
    for item in labelled:
        found = is_promise(item.sentence)
        promises = promises.add(found, item.promise)
        requests = requests.add(is_request(item.sentence), item.request)
        if found != item.promise:
            misses.append(f"promise {'missed' if item.promise else 'false'}: {item.sentence}")
        if item.promise and item.due is not None and FROM_ANOTHER_SENTENCE not in (item.notes or ""):
            due = promise_due(item.sentence, item.sent_at, date_order)
            due_total += 1
            due_matched += due is not None and due.due == item.due
            if due is None or due.due != item.due:
                misses.append(f"due {item.due} read as {due.due if due else None}: {item.sentence}")
    texts = [(message, evaldata.message_text(message, corpora)) for message in evaldata.load_messages(eval_dir)]
    replies = Counts()
    for message, text in texts:
        predicted = bool(expects_reply(text))
        replies = replies.add(predicted, message.expects_reply)
        if predicted != message.expects_reply:
            misses.append(f"expects_reply {'missed' if message.expects_reply else 'false'}: {message.msg}")
    return Report(promises, requests, due_matched, due_total, replies, _throughput(texts, date_order, seconds),
                  misses)


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


def render(report: Report) -> str:
    """Given a report, return the table ``python -m watcher.eval`` prints."""
    p, r = report.promises, report.replies
    rows = [
        ("promise precision (sentences)", f"{p.precision:.3f}", ">= 0.90"),
        ("promise recall (sentences)", f"{p.recall:.3f}", ">= 0.85"),
        ("promise F1", f"{p.f1:.3f}", ""),
        (f"due exact match ({report.due_total} promises stating a time)", f"{report.due_rate:.3f}", ">= 0.85"),
        (f"expects-reply accuracy ({sum((r.true_positive, r.false_positive, r.false_negative, r.true_negative))}"
         " messages)", f"{r.accuracy:.3f}", ">= 0.85"),
        ("expects-reply precision", f"{r.precision:.3f}", ""),
        ("expects-reply recall", f"{r.recall:.3f}", ""),
        ("request precision (sentences)", f"{report.requests.precision:.3f}", ""),
        ("request recall (sentences)", f"{report.requests.recall:.3f}", ""),
        ("throughput (messages/second, one core)", f"{report.messages_per_second:,.0f}", ""),
    ]
    width = max(len(name) for name, _, _ in rows)
    lines = [f"{'measure':<{width}}  {'value':>8}  target", f"{'-' * width}  {'-' * 8}  {'-' * 7}"]
    lines += [f"{name:<{width}}  {value:>8}  {target}" for name, value, target in rows]
    figures = report.figures()
    unmet = [name for name, target in TARGETS.items() if figures[name] < target]
    lines.append("")
    lines.append("all targets met" if not unmet else "NOT met: " + ", ".join(unmet))
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
    parser.add_argument("--misses", action="store_true", help="also list every sentence or message scored wrong")
    args = parser.parse_args(argv)
    for path, what in ((args.eval_dir / "sentences.jsonl", "--eval-dir"), (args.corpora, "--corpora")):
        if not path.exists():
            print(f"error: {path} not found; point {what} at it", file=sys.stderr)
            return 2
    report = evaluate(args.eval_dir, args.corpora, args.date_order, args.seconds)
    print(render(report))
    if args.misses:
        print("\n" + "\n".join(report.misses))
    return 0 if all(report.figures()[name] >= target for name, target in TARGETS.items()) else 1


if __name__ == "__main__":
    sys.exit(main())
