"""Shared channel access tokens and small counters in the case table (TOKEN#…, CNT#… items)."""

from __future__ import annotations

import json
import time
from typing import Any

from botocore.exceptions import ClientError


class DynamoTokenStore:
    """One cached access token per channel account, shared by every Lambda (TokenStore port)."""

    def __init__(self, client: Any, table: str) -> None:
        self._db = client
        self._table = table

    def get(self, key: str) -> dict[str, Any] | None:
        r = self._db.get_item(TableName=self._table, Key={"PK": {"S": f"TOKEN#{key}"}, "SK": {"S": "-"}}, ConsistentRead=True)
        return json.loads(r["Item"]["doc"]["S"]) if "Item" in r else None

    def put(self, key: str, value: dict[str, Any], *, expected: str | None = None) -> bool:
        """Store a token; with `expected`, only if the stored one is still that token (else False).

        `expected=""` means "only if there is none yet".
        """
        item = {"PK": {"S": f"TOKEN#{key}"}, "SK": {"S": "-"}, "doc": {"S": json.dumps(value)},
                "token": {"S": str(value.get("access_token", ""))}}
        kwargs: dict[str, Any] = {"TableName": self._table, "Item": item}
        if expected == "":
            kwargs["ConditionExpression"] = "attribute_not_exists(PK)"
        elif expected is not None:
            kwargs["ConditionExpression"] = "attribute_not_exists(PK) OR #t = :t"
            kwargs["ExpressionAttributeNames"] = {"#t": "token"}
            kwargs["ExpressionAttributeValues"] = {":t": {"S": expected}}
        try:
            self._db.put_item(**kwargs)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True


class DynamoCounters:
    """Atomic counters with expiry (SMS per-number daily caps, opt-outs, report aggregates)."""

    def __init__(self, client: Any, table: str) -> None:
        self._db = client
        self._table = table

    def incr(self, key: str, ttl_s: int, by: int = 1) -> int:
        """Add `by` and return the new value; the counter expires `ttl_s` after its first write."""
        r = self._db.update_item(
            TableName=self._table, Key={"PK": {"S": f"CNT#{key}"}, "SK": {"S": "-"}},
            UpdateExpression="ADD n :by SET expires_at = if_not_exists(expires_at, :exp)",
            ExpressionAttributeValues={":by": {"N": str(by)}, ":exp": {"N": str(int(time.time()) + ttl_s)}},
            ReturnValues="UPDATED_NEW",
        )
        return int(r["Attributes"]["n"]["N"])

    def get(self, key: str) -> int:
        r = self._db.get_item(TableName=self._table, Key={"PK": {"S": f"CNT#{key}"}, "SK": {"S": "-"}})
        item = r.get("Item")
        if not item or int(item.get("expires_at", {"N": "0"})["N"]) < time.time():
            return 0  # DynamoDB TTL reaps late (and moto never): expiry is checked on read
        return int(item["n"]["N"])
