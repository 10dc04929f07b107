"""Customer satisfaction: when to ask, what the reply scores (数字, 满意/不满意, emoji), what follows."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta
from functools import cache

from chalicelib.domain import Case, CaseEvent, CaseStatus, can_transition, transition

from ._texts import text, texts

__all__ = ["FOLLOWUP_MAX", "apply", "followup_text", "parse", "should_survey", "skip_event", "survey_event",
           "survey_text", "thanks_text"]

FOLLOWUP_MAX = 2  # a score at or below this gets a person's follow-up
_MAX_REPLY = 40  # longer replies are conversation, not a rating
_DIGIT_REPLY = re.compile(r"^([1-5])(?:分|星|颗星)?$")
_NUMBER = re.compile(r"\d+")
_NOISE = re.compile(r"[\s,.!?~，。！？、…~～:：;；'\"“”‘’()（）\[\]【】]+")
_RESOLVED = frozenset({CaseStatus.RESOLVED, CaseStatus.CLOSED})


def survey_text(case: Case) -> str:
    """The survey question: a 1–5 rating."""
    return text("csat", "survey")


def followup_text(case: Case) -> str:
    """The apology sent after a low score, before a person follows up."""
    return text("csat", "followup")


def thanks_text(case: Case) -> str:
    """The reply to a rating above the follow-up threshold."""
    return text("csat", "thanks")


def parse(reply: str) -> int | None:
    """The 1–5 score a reply gives, or None when it is not a rating (or contradicts itself).

    A bare digit (``5``, ``５``, ``4分``) wins; otherwise words and emoji are matched longest first, so
    ``不满意`` is not read as ``满意``. Mixed signals within one point take the lower score.
    """
    cleaned = _NOISE.sub("", unicodedata.normalize("NFKC", reply or ""))
    if not cleaned or len(cleaned) > _MAX_REPLY:
        return None
    digit = _DIGIT_REPLY.match(cleaned)
    if digit:
        return int(digit.group(1))
    numbers = _NUMBER.findall(cleaned)
    if any(n not in "12345" or len(n) != 1 for n in numbers):
        return None  # "10分", an order number: not a rating
    scores = [int(n) for n in numbers] + _lexicon_scores(_NUMBER.sub("", cleaned))
    if not scores or max(scores) - min(scores) > 1:
        return None
    return min(scores)


def should_survey(case: Case, now: datetime, window: timedelta) -> tuple[bool, str]:
    """Whether to send the survey now, and why (or why not): once per case, resolved, inside the channel window."""
    if "csat" in case.flags or case.flags.get("csat_surveyed_at"):
        return False, "already_surveyed"
    if case.status not in _RESOLVED:
        return False, "not_resolved"
    last = case.last_customer_message_at
    if last is None or now - last > window:
        return False, "outside_channel_window"
    return True, "ok"


def survey_event(case: Case, now: datetime) -> CaseEvent:
    """Mark the case surveyed (``flags["csat_surveyed_at"]``) and return the timeline event."""
    case.flags = {**case.flags, "csat_surveyed_at": now.isoformat()}
    return CaseEvent(case_id=case.case_id, at=now, type="csat.sent", reason="survey sent")


def skip_event(case: Case, reason: str, now: datetime) -> CaseEvent:
    """Record why no survey was sent (``flags["csat_skipped"]``), so the report can count it."""
    case.flags = {**case.flags, "csat_skipped": reason}
    return CaseEvent(case_id=case.case_id, at=now, type="csat.skipped", reason=reason, data={"reason": reason})


def apply(case: Case, score: int, now: datetime) -> list[CaseEvent]:
    """Record a score once (``flags["csat"]``); a low score flags a follow-up and reopens a resolved case.

    A second score for the same case changes nothing and returns no events.
    """
    if "csat" in case.flags:
        return []
    if not 1 <= score <= 5:
        raise ValueError(f"CSAT score {score} is outside 1-5")
    low = score <= FOLLOWUP_MAX
    flags = {**case.flags, "csat": {"score": score, "at": now.isoformat()}}
    if low:
        flags["csat_followup"] = True
    case.flags = flags
    events = [CaseEvent(case_id=case.case_id, at=now, type="csat.received", actor="customer",
                        reason=f"score {score}", data={"score": score}, customer_visible=True)]
    if low:
        events.append(CaseEvent(case_id=case.case_id, at=now, type="csat.followup", reason=f"low CSAT score {score}",
                                data={"score": score, "queue": "senior"}))
        if case.status is CaseStatus.RESOLVED and can_transition(case.status, CaseStatus.OPEN):
            events.append(transition(case, CaseStatus.OPEN, now=now, actor="system", reason="csat follow-up"))
    return events


@cache
def _lexicon() -> tuple[tuple[str, int], ...]:
    entries = {unicodedata.normalize("NFKC", k): int(v) for k, v in texts("csat_scores").items()}
    return tuple(sorted(entries.items(), key=lambda kv: -len(kv[0])))


def _lexicon_scores(reply: str) -> list[int]:
    """Scores of the phrases found in `reply`, longest first, each character used once."""
    scores = []
    rest = reply
    for phrase, score in _lexicon():
        if phrase in rest:
            scores.append(score)
            rest = rest.replace(phrase, "\x00")
    return scores
