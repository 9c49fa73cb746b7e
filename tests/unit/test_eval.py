"""``python -m watcher.eval`` scores the detectors on the two parts of the labelled dev data and
meets issue 14's targets on the part no rule was tuned on, with no measure falling more than
``MAX_GAP`` below the tuned part (the held-out half is measured elsewhere)."""

from __future__ import annotations

import pytest

from watcher import eval as evaluation
from watcher import evaldata


@pytest.fixture(scope="module")
def result(eval_dev, corpora):
    return evaluation.evaluate(eval_dev, corpora, "mdy", seconds=0.2)


# Issue 14 is open: on the scored part promise precision and expects-reply accuracy are still under
# their targets, and promise recall and expects-reply accuracy fall more than MAX_GAP below the tuned
# part. strict=True: the day they are met these tests fail as XPASS, and the markers must go.
SHORT_OF_TARGET = pytest.mark.xfail(strict=True, reason="issue 14 open: scored-part figures under target "
                                                       "(python -m watcher.eval prints them)")


@SHORT_OF_TARGET
def test_targets_are_met_on_the_scored_part(result):
    figures = result.scored.figures()
    for name, target in evaluation.TARGETS.items():
        assert figures[name] >= target, (name, figures[name])  # its misses are never shown, by design


@SHORT_OF_TARGET
def test_no_scored_measure_falls_far_below_the_tuned_part(result):
    tuned, scored = result.tuned.figures(), result.scored.figures()
    for name in evaluation.TARGETS:
        assert tuned[name] - scored[name] <= evaluation.MAX_GAP, (name, tuned[name], scored[name])


def test_the_scored_part_stays_above_what_this_stop_measured(result):
    """A floor under the figures while issue 14 is open, so they cannot slide back unnoticed."""
    figures = result.scored.figures()
    floors = {"promise precision": 0.85, "promise recall": 0.85, "due exact match": 0.93,
              "expects-reply accuracy": 0.84}
    for name, floor in floors.items():
        assert figures[name] >= floor, (name, figures[name])


def test_targets_are_at_least_issue_14s():
    assert evaluation.TARGETS == {"promise precision": 0.92, "promise recall": 0.85, "due exact match": 0.85,
                                  "expects-reply accuracy": 0.88}
    assert evaluation.MAX_GAP <= 0.05


def test_every_labelled_item_is_scored_in_exactly_one_part(result):
    both = [result.tuned, result.scored]
    assert sum(sum(vars(part.promises).values()) for part in both) == 636
    assert sum(sum(vars(part.replies).values()) for part in both) == 296
    for part in both:  # each part is big enough to say something
        assert sum(vars(part.promises).values()) > 250 and sum(vars(part.replies).values()) > 120
        assert part.promises.true_positive + part.promises.false_negative >= 40
        assert part.due_total >= 12  # promises whose own sentence states a time
    assert result.messages_per_second > 0


def test_the_split_is_by_message_and_fixed():
    assert [evaldata.part_of(msg) for msg in ("m0001", "m0002", "m0003", "n0001")] == [
        "scored", "tuned", "scored", "tuned"]
    ids = [f"m{number:04d}" for number in range(1, 1001)]
    scored = sum(evaldata.part_of(msg) == evaldata.SCORED for msg in ids)
    assert 430 < scored < 570


def test_misses_list_the_tuned_part_only(result, eval_dev):
    scored_sentences = {item.sentence for item in evaldata.load_sentences(eval_dev)
                        if evaldata.part_of(item.msg) == evaldata.SCORED}
    tuned_sentences = {item.sentence for item in evaldata.load_sentences(eval_dev)
                       if evaldata.part_of(item.msg) == evaldata.TUNED}
    for miss in result.tuned.misses:
        if miss.startswith(("promise", "due")):
            assert miss.split(": ", 1)[1] in tuned_sentences


def test_the_table_leads_with_the_scored_part_and_gives_the_verdict(result):
    table = evaluation.render(result)
    header = next(line for line in table.splitlines() if line.startswith("measure"))
    assert header.split()[:4] == ["measure", "scored", "tuned", "gap"]
    for words in ("promise precision", "promise recall", "due exact match", "expects-reply accuracy",
                  "throughput"):
        assert words in table
    assert table.splitlines()[-1].startswith(("all targets met on the scored part", "NOT met"))


def test_a_gap_or_a_short_figure_is_reported_unmet():
    good = evaluation.Report(promises=evaluation.Counts(95, 5, 5, 100), due_matched=9, due_total=10,
                             replies=evaluation.Counts(45, 2, 3, 50))
    weaker = evaluation.Report(promises=evaluation.Counts(93, 7, 7, 100), due_matched=9, due_total=10,
                               replies=evaluation.Counts(40, 4, 8, 48))
    assert evaluation.Evaluation(good, good, 1.0).unmet() == []
    unmet = evaluation.Evaluation(good, weaker, 1.0).unmet()
    assert any(line.startswith("expects-reply accuracy gap") for line in unmet)
    assert not any(line.startswith("promise precision") for line in unmet)


def test_counts_compute_precision_recall_and_accuracy():
    counts = evaluation.Counts()
    for predicted, actual in [(True, True), (True, False), (False, True), (False, False), (True, True)]:
        counts = counts.add(predicted, actual)
    assert (counts.precision, counts.recall, counts.accuracy) == (2 / 3, 2 / 3, 3 / 5)


def test_missing_data_is_exit_status_2(tmp_path, capsys):
    assert evaluation.main(["--eval-dir", str(tmp_path), "--corpora", str(tmp_path)]) == 2
    assert "not found" in capsys.readouterr().err


def test_public_sanity_figures_read_parakweet_and_bc3(corpora):
    from watcher import evalpublic

    checks = evalpublic.public_checks(corpora)
    assert [check.sentences for check in checks] == [3655, 3222, 3222]
    for check in checks:  # labels and detectors agree far more often than chance on each
        assert check.true_positive >= 8 and 0.15 < check.precision < 1 and 0.3 < check.recall < 1, check
    table = evalpublic.render(checks)
    assert "not a target" in table and "Parakweet" in table and "BC3" in table


def test_the_public_flag_prints_the_sanity_table(eval_dev, corpora, capsys):
    evaluation.main(["--eval-dir", str(eval_dev), "--corpora", str(corpora), "--seconds", "0.05", "--public"])
    assert "public data with other definitions" in capsys.readouterr().out
