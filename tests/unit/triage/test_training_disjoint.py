"""The triage model is never trained on the sentences it is evaluated on (issue 5: "never train on the
sentences you evaluate on")."""

from __future__ import annotations

import pytest

from train import overlap

EVALUATION = [p for p in [overlap.DEV, *overlap.HOLDOUTS] if p.exists()]


def _long(text: str) -> bool:
    # greetings like 在吗 / ok thx / 发货没 are the same in any after-sales corpus: only messages of more
    # than five letters are distinctive enough to count as copied
    return len(overlap.letters(text)) > 5


@pytest.mark.skipif(not EVALUATION, reason="no evaluation files beside the repo")
def test_no_training_text_is_a_near_copy_of_an_evaluation_text():
    evaluation = [pair for path in EVALUATION for pair in overlap.read_texts(path) if _long(pair[1])]
    training = [pair for path in overlap.TRAINING for pair in overlap.read_texts(path)]
    hits = overlap.close_pairs(training, evaluation, 0.8)
    assert not hits, f"{len(hits)} training texts copy evaluation texts (run python -m train.overlap): {hits[:5]}"


def test_the_check_catches_a_light_rewrite():
    evaluation = [("e1", "买的电饭煲用了三天就不加热了，退货吧")]
    training = [("t1", "买的电饭煲用了三天就不加热了，退货！"), ("t2", "羽绒服跑绒严重，想换一件")]
    assert [(t, e) for _, t, e in overlap.close_pairs(training, evaluation, 0.8)] == [("t1", "e1")]
