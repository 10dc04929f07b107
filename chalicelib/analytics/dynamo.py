"""Daily aggregate items in the case table: `AGG#<shop>#<day>` / family, one numeric attribute per counter.

Writers `ADD` to counters (atomic, no read); a report reads `days × families` items with BatchGetItem,
so its cost grows with the period, never with the number of cases. Example texts behind a counter are
kept as `AGG#<shop>#<day>` / `EX#<counter>#<n>` items (n = 1…3, the count it was written at).

Days that are over (before yesterday) are sealed on first read: the family's counters are copied into
one JSON attribute (`<family>#sealed`), because reading hundreds of numeric attributes per item is
what makes a long report slow (moto and botocore alike). A late write to such a day drops the seal.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

from .facts import Bump

FAMILIES = ("case", "hot")
EXAMPLES = 3
TTL_S = 800 * 86400  # two years and a bit: a year-on-year view stays possible
_CHUNK = 40  # counters per UpdateItem (keeps the expression well under DynamoDB's 4 KB)
_BATCH = 100


def agg_pk(shop: str, day: date) -> str:
    return f"AGG#{shop}#{day.isoformat()}"


class DynamoAggregates:
    """Incremental per-shop, per-day counters (the reports' only data source)."""

    def __init__(self, client: Any, table: str, *, examples: int = EXAMPLES) -> None:
        self._db = client
        self._table = table
        self._examples = examples

    def add(self, shop: str, bump: Bump, *, today: date | None = None) -> None:
        """Apply one bump: counters by ADD, product names by SET, examples while counts are small."""
        key = {"PK": {"S": agg_pk(shop, bump.day)}, "SK": {"S": bump.family}}
        if today is not None and _sealable(bump.day, today):
            self._db.delete_item(TableName=self._table, Key={"PK": key["PK"], "SK": {"S": f"{bump.family}#sealed"}})
        items = list(bump.counts.items())
        new: dict[str, int] = {}
        for start in range(0, max(len(items), 1), _CHUNK):
            chunk = items[start:start + _CHUNK]
            names = {f"#c{i}": k for i, (k, _) in enumerate(chunk)}
            values: dict[str, Any] = {f":c{i}": {"N": str(v)} for i, (_, v) in enumerate(chunk)}
            sets = ["expires_at = if_not_exists(expires_at, :exp)"]
            values[":exp"] = {"N": str(int(time.time()) + TTL_S)}
            if start == 0:
                for j, (k, v) in enumerate(bump.names.items()):
                    names[f"#n{j}"] = k
                    values[f":n{j}"] = {"S": v}
                    sets.append(f"#n{j} = :n{j}")
            expr = "SET " + ", ".join(sets)
            if chunk:
                expr += " ADD " + ", ".join(f"#c{i} :c{i}" for i in range(len(chunk)))
            r = self._db.update_item(TableName=self._table, Key=key, UpdateExpression=expr,
                                     ExpressionAttributeNames=names, ExpressionAttributeValues=values,
                                     ReturnValues="UPDATED_NEW")
            new.update({k: int(v["N"]) for k, v in r.get("Attributes", {}).items() if "N" in v})
        for counter, text in bump.examples.items():
            if new.get(counter, self._examples + 1) <= self._examples:  # slot = the count: known keys, no Query
                self._db.put_item(TableName=self._table, Item={
                    "PK": key["PK"], "SK": {"S": f"EX#{counter}#{new[counter]}"},
                    "doc": {"S": json.dumps({"case_id": bump.ref, "text": text[:300]}, ensure_ascii=False)},
                    "expires_at": values[":exp"]})

    def read(self, shop: str, days: Sequence[date], families: Sequence[str] = FAMILIES, *,
             today: date | None = None) -> dict[date, dict[str, dict[str, Any]]]:
        """{day: {family: {counter: n, "n|<sku>": name}}} for the given days (missing items are empty).

        With `today`, days before yesterday are read from (and on first read, written to) their seals.
        """
        out: dict[date, dict[str, dict[str, Any]]] = {d: {f: {} for f in families} for d in days}
        by_pk = {agg_pk(shop, d): d for d in days}
        sealable = [d for d in days if today is not None and _sealable(d, today)]
        found: set[tuple[date, str]] = set()
        for item in self._get_many([(agg_pk(shop, d), f"{f}#sealed") for d in sealable for f in families]):
            day, family = by_pk[item["PK"]["S"]], item["SK"]["S"].removesuffix("#sealed")
            out[day][family] = json.loads(item["blob"]["S"])
            found.add((day, family))
        missing = [(d, f) for d in days for f in families if (d, f) not in found]
        for item in self._get_many([(agg_pk(shop, d), f) for d, f in missing]):
            out[by_pk[item["PK"]["S"]]][item["SK"]["S"]] = _values(item)
        self._seal(shop, [(d, f, out[d][f]) for d, f in missing if d in set(sealable)])
        return out

    def _get_many(self, keys: list[tuple[str, str]]) -> list[dict[str, Any]]:
        chunks = [[{"PK": {"S": pk}, "SK": {"S": sk}} for pk, sk in keys[i:i + _BATCH]] for i in range(0, len(keys), _BATCH)]
        if not chunks:
            return []
        with ThreadPoolExecutor(max_workers=min(8, len(chunks))) as pool:
            return [item for items in pool.map(self._batch_get, chunks) for item in items]

    def _seal(self, shop: str, rows: list[tuple[date, str, dict[str, Any]]]) -> None:
        puts = [{"PutRequest": {"Item": {"PK": {"S": agg_pk(shop, d)}, "SK": {"S": f"{f}#sealed"},
                                         "blob": {"S": json.dumps(v, ensure_ascii=False)},
                                         "expires_at": {"N": str(int(time.time()) + TTL_S)}}}} for d, f, v in rows]
        for start in range(0, len(puts), 25):
            request = {self._table: puts[start:start + 25]}
            for _ in range(10):
                r = self._db.batch_write_item(RequestItems=request)
                request = r.get("UnprocessedItems") or {}
                if not request:
                    break

    def _batch_get(self, keys: list[dict[str, Any]]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        request = {self._table: {"Keys": keys}}
        for attempt in range(10):
            r = self._db.batch_get_item(RequestItems=request)
            found += r.get("Responses", {}).get(self._table, [])
            request = r.get("UnprocessedKeys") or {}
            if not request:
                return found
            time.sleep(0.02 * (attempt + 1))
        raise RuntimeError(f"aggregates: {len(request[self._table]['Keys'])} keys stayed unprocessed")

    def examples(self, shop: str, wanted: Sequence[tuple[date, str]], limit: int = EXAMPLES) -> dict[tuple[date, str], list[dict[str, Any]]]:
        """The example messages kept behind each (day, counter), fetched by key in one batch."""
        keys = [(agg_pk(shop, d), f"EX#{c}#{n}") for d, c in wanted for n in range(1, min(limit, self._examples) + 1)]
        by_key = {(agg_pk(shop, d), c): (d, c) for d, c in wanted}
        out: dict[tuple[date, str], list[dict[str, Any]]] = {w: [] for w in wanted}
        for item in sorted(self._get_many(keys), key=lambda i: i["SK"]["S"]):
            counter = item["SK"]["S"].removeprefix("EX#").rsplit("#", 1)[0]
            out[by_key[(item["PK"]["S"], counter)]].append(json.loads(item["doc"]["S"]))
        return out


def _sealable(day: date, today: date) -> bool:
    """A day that is over for every time zone and in-flight message: before yesterday."""
    return day < today - timedelta(days=1)


def _values(item: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in item.items():
        if k in ("PK", "SK", "expires_at"):
            continue
        if "N" in v:
            out[k] = int(v["N"])
        elif "S" in v:
            out[k] = v["S"]
    return out
