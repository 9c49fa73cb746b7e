"""``python -m watcher.eval`` scores the detectors on the labelled dev data and meets issue 3's
targets there (the held-out half is measured elsewhere)."""

from __future__ import annotations


import pytest

from watcher import eval as evaluation


@pytest.fixture(scope="module")
def report(eval_dev, corpora):
    return evaluation.evaluate(eval_dev, corpora, "mdy", seconds=0.2)


def test_targets_are_met_on_the_dev_data(report):
    figures = report.figures()
    for name, target in evaluation.TARGETS.items():
        assert figures[name] >= target, (name, figures[name], report.misses)


def test_every_labelled_item_is_scored(report):
    assert sum(vars(report.promises).values()) == 446
    assert sum(vars(report.replies).values()) == 133
    assert report.due_total >= 25  # promises whose own sentence states a time
    assert report.messages_per_second > 0


def test_the_table_names_each_measure_and_the_verdict(report):
    table = evaluation.render(report)
    for words in ("promise precision", "promise recall", "due exact match", "expects-reply accuracy",
                  "throughput", "all targets met"):
        assert words in table


def test_counts_compute_precision_recall_and_accuracy():
    counts = evaluation.Counts()
    for predicted, actual in [(True, True), (True, False), (False, True), (False, False), (True, True)]:
        counts = counts.add(predicted, actual)
    assert (counts.precision, counts.recall, counts.accuracy) == (2 / 3, 2 / 3, 3 / 5)


def test_missing_data_is_exit_status_2(tmp_path, capsys):
    assert evaluation.main(["--eval-dir", str(tmp_path), "--corpora", str(tmp_path)]) == 2
    assert "not found" in capsys.readouterr().err
