"""Request axis: detect every ask, then keep the strongest by taxonomy precedence."""

from __future__ import annotations

import re
from functools import lru_cache

from .issue import Decision
from .lexicon import CueLexicon, Filters, Scores
from .resources import load_json
from .taxonomy import taxonomy
from .text import Prepared

MIN_ASK = 1.5
_NO_GOODS_BACK = frozenset({"price", "lost", "shipping"})
_GOODS_BACK = re.compile(r"退货|寄回|退回去|退掉")
_SENT_BACK = re.compile(r"(已经|已)(寄回|退回|寄出|发回)|退货|(寄|退)回(去)?了")
_WHOLE_UNIT = frozenset({"damaged", "quality"})
_SEND_AGAIN = re.compile(r"重新(给我)?(发|寄)")
_SEND_RIGHT = re.compile(r"(给我)?(发|寄)过来|重新发|换(成|给我)")
_MONEY = re.compile(r"钱|元|块|差价|红包|券|积分|补偿|赔")


@lru_cache(maxsize=1)
def _lexicon() -> CueLexicon:
    raw = load_json("request_rules.json")
    done_after, done_before = re.compile(raw["done"]), re.compile(raw["done_before"])
    return CueLexicon(raw["rules"], Filters(negation=True, done_after=done_after, done_before=done_before))


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    raw = load_json("request_rules.json")
    return re.compile(raw["just_asking"]), re.compile(raw["info_cue"])


@lru_cache(maxsize=1)
def _question() -> re.Pattern[str]:
    return re.compile(load_json("request_rules.json")["question"])


def is_question(prep: Prepared) -> bool:
    """Return True if the message is phrased as a question."""
    return bool(_question().search(prep.text))


def _refine(label: str, issue: str, prep: Prepared) -> str:
    """Adjust an ask to the issue: nothing goes back for price, lost or unshipped orders; a wrong item is
    exchanged, a missing one reshipped."""
    if label == "return_refund" and issue in _NO_GOODS_BACK and not _GOODS_BACK.search(prep.text):
        return "refund_only"
    if label == "refund_only" and issue not in _NO_GOODS_BACK and _SENT_BACK.search(prep.text):
        return "return_refund"
    if label == "reship" and issue == "price":
        return "compensation"  # "会员价没生效 补一下": what is missing is money, not goods
    if label == "reship" and (issue == "wrong_item" or (issue in _WHOLE_UNIT and _SEND_AGAIN.search(prep.text))):
        return "exchange"  # the right item or a new unit in place of this one, not a missing piece
    if label == "return_refund" and issue == "wrong_item" and _SEND_RIGHT.search(prep.text):
        return "exchange"  # "衣服我寄回去，脚垫给我发过来": the wrong goods go back for the right ones
    if label == "compensation" and issue == "missing_item" and not _MONEY.search(prep.text):
        return "reship"  # "赠品呢？补上": what is missing is goods, not money
    return label


def request_scores(prep: Prepared) -> Scores:
    """Return the raw cue scores of every request label (they depend on the text only, not on the issue)."""
    return _lexicon().score(prep)


def classify_request(prep: Prepared, issue: str, positive: bool, policy_question: bool = False,
                     scores: Scores | None = None) -> Decision:
    """Pick the request label: complaint > money/goods/action > expedite > info > none.

    ``scores`` are ``request_scores(prep)`` when the caller already has them (a re-run for another issue).
    """
    tax = taxonomy()
    if scores is None:
        scores = _lexicon().score(prep)
    just_asking, info_cue = _patterns()
    asks = [(tax.request_tier[k], v, k) for k, v in scores.score.items() if k != "info" and v >= MIN_ASK]
    if (policy_question or just_asking.search(prep.text)) and not any(t >= 4 for t, _, _ in asks):
        asks = []
    if issue == "invoice":
        asks = [a for a in asks if a[0] != 3]
    if asks:
        tier, value, raw = max(asks)
        label = _refine(raw, issue, prep)
        runner = [v for t, v, k in asks if t == tier and k not in (raw, label)]
        conf = 0.9 if not runner else round(min(0.85, 0.5 + 0.5 * (value - max(runner)) / (value + 1.0)), 3)
        cues = ", ".join(dict.fromkeys(scores.hits.get(label, []) or [h for k2 in scores.hits for h in scores.hits[k2]]))
        others = sorted(k for _, _, k in asks if k != label)
        extra = f"; outranks {', '.join(others)}" if others else ""
        return Decision(label, conf, (f"request={label} (tier {tier}): {cues}{extra}",))
    if issue == "invoice":
        return Decision("info", 0.7, ("request=info: invoice request",))
    if issue == "other" and len(prep.text) > 6 and (is_question(prep) or info_cue.search(prep.text)):
        return Decision("info", 0.6, ("request=info: a question that is not about a problem",))
    if issue == "other" or (positive and not is_question(prep)):
        return Decision("none", 0.7, ("request=none: no ask found",))
    if is_question(prep) or info_cue.search(prep.text) or just_asking.search(prep.text):
        return Decision("info", 0.65, ("request=info: question or asks to check",))
    implied = load_json("request_rules.json")["implied_by_issue"].get(issue)
    if implied is not None:  # "两罐只收到一罐": the usual remedy is the ask (a weak decision the model may override)
        return Decision(implied, 0.55, (f"request={implied}: no ask stated; the usual remedy for {issue}",))
    return Decision("none", 0.5, ("request=none: states a problem without an ask",))
