"""Daily aggregate items in the case table: `AGG#<shop>#<day>` / family, one numeric attribute per counter.

Writers `ADD` to counters (atomic, no read); a report reads `days × families` items with BatchGetItem,
so its cost grows with the period, never with the number of cases. Example texts behind a counter are
kept as `AGG#<shop>#<day>` / `EX#<counter>#<case>` items while the counter is small.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
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

    def add(self, shop: str, bump: Bump) -> None:
        """Apply one bump: counters by ADD, product names by SET, examples while counts are small."""
        key = {"PK": {"S": agg_pk(shop, bump.day)}, "SK": {"S": bump.family}}
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
            if new.get(counter, self._examples + 1) <= self._examples:
                self._db.put_item(TableName=self._table, Item={
                    "PK": key["PK"], "SK": {"S": f"EX#{counter}#{bump.ref}"},
                    "doc": {"S": json.dumps({"case_id": bump.ref, "text": text[:300]}, ensure_ascii=False)},
                    "expires_at": values[":exp"]})

    def read(self, shop: str, days: Sequence[date], families: Sequence[str] = FAMILIES) -> dict[date, dict[str, dict[str, Any]]]:
        """{day: {family: {counter: n, "n|<sku>": name}}} for the given days (missing items are empty)."""
        keys = [{"PK": {"S": agg_pk(shop, d)}, "SK": {"S": f}} for d in days for f in families]
        out: dict[date, dict[str, dict[str, Any]]] = {d: {f: {} for f in families} for d in days}
        by_pk = {agg_pk(shop, d): d for d in days}
        chunks = [keys[i:i + _BATCH] for i in range(0, len(keys), _BATCH)]
        with ThreadPoolExecutor(max_workers=min(8, max(len(chunks), 1))) as pool:
            for items in pool.map(self._batch_get, chunks):
                for item in items:
                    out[by_pk[item["PK"]["S"]]][item["SK"]["S"]] = _values(item)
        return out

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

    def examples(self, shop: str, day: date, counter: str, limit: int = EXAMPLES) -> list[dict[str, Any]]:
        """The example messages kept behind one counter of one day."""
        r = self._db.query(
            TableName=self._table, KeyConditionExpression="PK = :pk AND begins_with(SK, :p)",
            ExpressionAttributeValues={":pk": {"S": agg_pk(shop, day)}, ":p": {"S": f"EX#{counter}#"}}, Limit=limit)
        return [json.loads(i["doc"]["S"]) for i in r.get("Items", [])]


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
