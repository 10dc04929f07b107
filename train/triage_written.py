"""Write ``train/data/triage_train_written.jsonl``: hand-written messages for the triage second-opinion model.

Source text lives in ``train/data/written/`` (written for this corpus from ``TAXONOMY.md`` and the known error
families; nothing comes from the dev set or a holdout):

- ``NN_*.txt``: whole messages, one per line: ``issue request sentiment text``;
- ``clauses_*.txt``: problem statements (``issue request-when-alone sentiment text``), used alone and joined with
  one or two hand-written asks from ``asks.txt`` (``request sentiment allowed-issues text``) that fit the issue, so
  the model sees a fault followed by a return/cancel/complaint ask and multi-ask messages. The strongest ask wins
  (complaint > refund/return/exchange/reship/repair/compensation/cancel > expedite > info > none).

Codes: issue sh damaged=dm lost=lo wrong_item=wi missing_item=mi quality=q not_as_described=nd changed_mind=cm
price=pr invoice=iv service=sv inquiry=iq other=ot; request info=in return_refund=rr refund_only=ro exchange=ex
reship=rs repair=rp compensation=co cancel=ca expedite=ep complaint=cp none=no; sentiment - 0 +.

    .venv/bin/python -m train.triage_written        # deterministic (--seed)
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

from train.triage_corpus import priority, write_rows

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "train" / "data" / "written"
OUT = ROOT / "train" / "data" / "triage_train_written.jsonl"
TEMPLATED = ROOT / "train" / "data" / "triage_train.jsonl"

ISSUE = {"sh": "shipping", "dm": "damaged", "lo": "lost", "wi": "wrong_item", "mi": "missing_item", "q": "quality",
         "nd": "not_as_described", "cm": "changed_mind", "pr": "price", "iv": "invoice", "sv": "service",
         "iq": "inquiry", "ot": "other"}
REQUEST = {"in": "info", "rr": "return_refund", "ro": "refund_only", "ex": "exchange", "rs": "reship", "rp": "repair",
           "co": "compensation", "ca": "cancel", "ep": "expedite", "cp": "complaint", "no": "none"}
SENT = {"-": "negative", "0": "neutral", "+": "positive"}
TIER = {"complaint": 4, "return_refund": 3, "refund_only": 3, "exchange": 3, "reship": 3, "repair": 3,
        "compensation": 3, "cancel": 3, "expedite": 2, "info": 1, "none": 0}
JOIN = ["，", "。", "，", "！", " ", "。。", "~", "，，", "...", "；"]
OPEN = ["", "", "", "", "", "在吗？", "你好，", "亲，", "客服，", "hi ", "老板，", "您好，", "喂喂，", "客服在不在，",
        "麻烦看下，", "我说一下哈，", "那个，", "hello "]
ANGRY = {"😡", "！！", "😭", "😤", "，服了"}
TAIL = ["", "", "", "", "", "", "😡", "！！", "🙏", "，谢谢", "😭", "，麻烦了", "。", "😤", "，服了"]


def _rows(path: Path) -> list[list[str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line.split(None, 3))
    return out


def build(seed: int) -> list[dict]:
    rng = random.Random(seed)
    rows: list[dict] = []
    # messages already in the templated corpus are not repeated here
    seen = {json.loads(line)["text"] for line in TEMPLATED.read_text(encoding="utf-8").splitlines() if line.strip()}

    def add(text: str, issue: str, request: str, sentiment: str) -> None:
        text = re.sub(r"\s+", " ", text).strip()
        if text not in seen:
            seen.add(text)
            rows.append({"text": text, "issue": issue, "request": request, "sentiment": sentiment, "entities": {}})

    for path in sorted(SRC.glob("[0-9][0-9]_*.txt")):
        for i, r, s, text in _rows(path):
            add(text, ISSUE[i], REQUEST[r], SENT[s])
    asks = [(REQUEST[r], SENT[s], set(groups.split(",")), text) for r, s, groups, text in _rows(SRC / "asks.txt")]
    for path in sorted(SRC.glob("clauses_*.txt")):
        for i, r, s, text in _rows(path):
            add(text, ISSUE[i], REQUEST[r], SENT[s])
            fit = [a for a in asks if i in a[2]]
            if not fit:
                continue
            for k in range(3):
                chosen = rng.sample(fit, 2 if k == 2 and len(fit) > 1 else 1)
                msg = rng.choice(OPEN) + text
                request, sent = REQUEST[r], SENT[s]
                for req, a_sent, _, a_text in chosen:
                    msg += rng.choice(JOIN) + a_text
                    if TIER[req] > TIER[request]:
                        request = req
                    if a_sent == "negative":
                        sent = "negative"
                if not re.search(r"[!！?？😡😭🙏😤。~]$", msg):
                    tail = rng.choice(TAIL)
                    msg += tail
                    if tail in ANGRY:
                        sent = "negative"
                add(msg, ISSUE[i], request, sent)
    rng.shuffle(rows)
    channels = ["wechat", "sms", "douyin", "taobao", "app", "email"]
    return [{"id": f"written-{n:04d}", "text": r["text"], "channel": rng.choice(channels), "issue": r["issue"],
             "request": r["request"], "priority": priority(r), "sentiment": r["sentiment"], "entities": {}}
            for n, r in enumerate(rows, 1)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seed", type=int, default=20261122)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    write_rows(build(args.seed), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
