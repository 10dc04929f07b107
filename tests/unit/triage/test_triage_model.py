"""The trained second opinion: the scorer loads and is deterministic and fast; the rules-first combination."""

from __future__ import annotations

import json
import time

import pytest

from chalicelib.triage.hybrid import (
    SecondOpinion,
    Threshold,
    combine,
    combine_issue,
    combine_request,
    thresholds,
)
from chalicelib.triage.issue import Decision
from chalicelib.triage.resources import DATA_DIR
from chalicelib.triage.segment import cut
from chalicelib.triage.taxonomy import taxonomy
from chalicelib.triage.text import normalise
from chalicelib.triage.triage_model import AxisModel, model_features, triage_model


def op_support(raw: str, label: str) -> str:
    op = _opinion(raw)
    op.predict("issue")
    return op.support("issue", label)


def _opinion(raw: str) -> SecondOpinion:
    text = normalise(raw)
    return SecondOpinion(text, cut(text))


def test_model_file_loads_with_taxonomy_labels_and_provenance() -> None:
    model = triage_model()
    raw = json.loads((DATA_DIR / "triage_model.json").read_text(encoding="utf-8"))
    assert model.version == raw["version"] and raw["eval_model_alone"]["dev"]["issue"] > 0.5
    assert set(model.axes["issue"].labels) == set(taxonomy().issues)
    assert set(model.axes["request"].labels) <= set(taxonomy().requests)
    for axis in model.axes.values():
        assert len(axis.bias) == len(axis.labels)


def test_scoring_is_deterministic_and_order_free() -> None:
    feats = model_features(normalise("签收了但是没收到东西"), cut(normalise("签收了但是没收到东西")))
    issue = triage_model().axes["issue"]
    assert issue.scores(feats) == issue.scores(list(feats)) == issue.scores(feats + feats)
    assert issue.scores(list(reversed(feats))) == pytest.approx(issue.scores(feats))
    assert issue.predict(feats) == issue.predict(feats)


@pytest.mark.parametrize(("text", "label"), [
    ("显示已签收，但我根本没收到，快递柜也没有", "lost"),
    ("收到的外套颜色和图片差太多了，面料也跟描述不一样", "not_as_described"),
    ("芒果压烂了好几个，箱子都扁了", "damaged"),
    ("客服两天不回消息", "service"),
])
def test_model_alone_on_written_examples(text: str, label: str) -> None:
    pred = _opinion(text).predict("issue")
    assert pred is not None and pred.label == label and 0.0 < pred.prob <= 1.0
    assert op_support(text, label)


def test_scorer_is_fast() -> None:
    op = _opinion("买的吹风机用了两天就有焦糊味，我要退货，麻烦尽快处理")
    op.predict("issue")
    model, feats = triage_model(), op._feats
    assert feats is not None
    n = 2000
    t0 = time.perf_counter()
    for _ in range(n):
        model.predict_all(feats)
    assert (time.perf_counter() - t0) / n < 0.0005  # generous for CI; ~20 us on one core


def test_features_are_built_once_and_only_when_needed() -> None:
    op = _opinion("快递到哪了")
    sure = Decision("shipping", 0.9, ("issue=shipping: 到哪了",))
    assert combine_issue(sure, op) is sure and op._preds is None  # fast path: a sure rule never scores the model
    op.predict("issue")
    first = op._feats
    op.predict("request")
    assert op._feats is first


def test_unsure_rule_is_overridden_by_a_confident_model_and_says_why() -> None:
    op = _opinion("显示已签收，但我根本没收到，快递柜也没有")
    unsure = Decision("other", 0.55, ("issue=other: no fault or question cue",))
    got = combine_issue(unsure, op)
    assert got.label == "lost" and got.confidence >= thresholds()["issue"].model_min
    assert "model" in got.reasons[0] and "overrides unsure rule issue=other" in got.reasons[0]


def test_sure_rule_stands_even_against_the_model() -> None:
    op = _opinion("显示已签收，但我根本没收到，快递柜也没有")
    sure = Decision("shipping", 0.7, ("issue=shipping",))
    assert combine("issue", sure, op, Threshold(rule_sure=0.7, model_min=0.5)) is sure


def test_a_doubtful_model_keeps_the_rule() -> None:
    op = _opinion("嗯")
    unsure = Decision("other", 0.5, ("issue=other",))
    assert combine("issue", unsure, op, Threshold(rule_sure=0.6, model_min=1.01)) is unsure  # model can never reach 1.01


def test_request_combination_and_missing_axis() -> None:
    op = _opinion("尺码表完全不准，按表买的大了两个码，我要退货退款")
    unsure = Decision("none", 0.5, ("request=none: states a problem without an ask",))
    assert combine_request(unsure, op).label == "return_refund"
    assert combine("nope", unsure, op, Threshold(0.6, 0.1)) is unsure  # no model for an axis: the rule stands


def test_axis_model_sparse_rows() -> None:
    m = AxisModel(labels=("a", "b"), bias=(0.0, 0.1), weights={"w:x": ((0, 2.0),), "c:y": ((1, 1.0), (0, -0.5))})
    assert m.scores(["w:x", "c:y", "c:zz"]) == [1.5, 1.1]
    pred = m.predict(["w:x"])
    assert pred.label == "a" and pred.second == "b" and m.support(["w:x", "c:y"], "a") == "w:x"


def test_one_pass_scoring_matches_per_axis_scoring() -> None:
    model = triage_model()
    text = normalise("买的空气炸锅用了一周就有焦糊味，退货退款，气死了")
    feats = model_features(text, cut(text))
    joint = model.predict_all(feats)
    for axis in model.axes:
        single = model.predict(axis, feats)
        assert single is not None and joint[axis].label == single.label
        assert joint[axis].prob == pytest.approx(single.prob, abs=1e-3)


def test_sentiment_combination() -> None:
    from chalicelib.triage.hybrid import combine_sentiment

    op = _opinion("什么破东西，用两天就坏了，气死了")
    unsure = Decision("neutral", 0.55, ("sentiment=neutral",))
    assert combine_sentiment(unsure, op).label == "negative"
    sure = Decision("neutral", 0.95, ("sentiment=neutral",))
    assert combine_sentiment(sure, op) is sure


def test_model_cannot_turn_an_action_ask_into_a_no_problem_issue() -> None:
    op = _opinion("支持七天无理由吗，多久能到")
    inferred = Decision("shipping", 0.5, ("issue=shipping: no issue cue, inferred from request expedite",))
    pred = op.predict("issue")
    assert pred is not None and pred.label == "inquiry"
    assert combine_issue(inferred, op, "expedite") is inferred
    assert combine_issue(inferred, op, "info").label == "inquiry"
