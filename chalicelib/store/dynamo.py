"""DynamoDB single-table case repository (implements domain.ports.CaseRepository)."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import time
from collections.abc import Iterable, Sequence
from typing import Any

from botocore.exceptions import ClientError

from ..domain import Case, CaseEvent, CaseNotFound, Message, Order, Shipment
from ..domain.ports import Mutation
from . import keys as k
from .errors import ConcurrencyConflict

log = logging.getLogger(__name__)
_TX_LIMIT = 100
UNKNOWN_CARRIER = "-"  # a return parcel is known by number before its carrier (index keys cannot be empty)


def _s(v: str) -> dict[str, str]:
    return {"S": v}


def _doc(item: dict[str, Any]) -> Any:
    return json.loads(item["doc"]["S"])


def _dump(model: Any) -> str:
    return model.model_dump_json()


class DynamoCaseRepository:
    """Cases, messages, timelines, orders and shipments in one table (keys in store/keys.py)."""

    def __init__(self, client: Any, table: str, *, shards: int = 8, retention_s: int = 365 * 86400) -> None:
        self._db = client
        self._table = table
        self._shards = shards
        self._retention_s = retention_s

    # -- dedupe -------------------------------------------------------------------------------
    def claim(self, key: str, ttl_s: int, doc: dict[str, Any] | None = None) -> bool:
        """Record `key` as seen; True the first time."""
        try:
            self._db.put_item(
                TableName=self._table, Item=self._seen_item(key, ttl_s, doc),
                ConditionExpression="attribute_not_exists(PK)",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def seen(self, key: str) -> dict[str, Any] | None:
        """The document stored with a claim, or None if the key was never claimed."""
        r = self._db.get_item(TableName=self._table, Key={"PK": _s(k.seen_pk(key)), "SK": _s("-")}, ConsistentRead=True)
        item = r.get("Item")
        return _doc(item) if item else None

    def release(self, key: str) -> None:
        self._db.delete_item(TableName=self._table, Key={"PK": _s(k.seen_pk(key)), "SK": _s("-")})

    def _seen_item(self, key: str, ttl_s: int, doc: dict[str, Any] | None) -> dict[str, Any]:
        return {
            "PK": _s(k.seen_pk(key)), "SK": _s("-"), "doc": _s(json.dumps(doc or {}, ensure_ascii=False)),
            "expires_at": {"N": str(int(time.time()) + ttl_s)},
        }

    # -- cases --------------------------------------------------------------------------------
    def get_case(self, case_id: str) -> Case | None:
        r = self._db.get_item(TableName=self._table, Key={"PK": _s(k.case_pk(case_id)), "SK": _s("META")}, ConsistentRead=True)
        item = r.get("Item")
        return Case.model_validate(_doc(item)) if item else None

    def get_customer_case(self, customer_key: str) -> Case | None:
        r = self._db.get_item(TableName=self._table, Key={"PK": _s(k.customer_pk(customer_key)), "SK": _s("OPEN")}, ConsistentRead=True)
        item = r.get("Item")
        return self.get_case(item["case_id"]["S"]) if item else None

    def create_case(
        self, case: Case, *, events: Sequence[CaseEvent] = (), messages: Sequence[Message] = (),
        claim: tuple[str, int, dict[str, Any]] | None = None,
    ) -> None:
        """Create a case and point its customer at it, atomically with its first items (and the claim).

        Raises:
            ConcurrencyConflict: when the case id exists or the claim was taken meanwhile.
        """
        case.version = 1
        ops = [{"Put": {"TableName": self._table, "Item": self._case_item(case), "ConditionExpression": "attribute_not_exists(PK)"}}]
        ops.append({"Put": {"TableName": self._table, "Item": {
            "PK": _s(k.customer_pk(case.customer.key)), "SK": _s("OPEN"), "case_id": _s(case.case_id)}}})
        self._write(ops, events, messages, claim, key=case.case_id)

    def save_case(
        self, case: Case, *, events: Sequence[CaseEvent] = (), messages: Sequence[Message] = (),
        claim: tuple[str, int, dict[str, Any]] | None = None, point_customer: bool = False,
    ) -> Case:
        """Write `case` if its stored version is still `case.version`; bumps the version.

        Raises:
            ConcurrencyConflict: when the stored version moved on (or the claim was taken).
        """
        expected = case.version
        saved = case.model_copy(update={"version": expected + 1})
        ops: list[dict[str, Any]] = [{"Put": {
            "TableName": self._table, "Item": self._case_item(saved),
            "ConditionExpression": "version = :v", "ExpressionAttributeValues": {":v": {"N": str(expected)}},
        }}]
        if point_customer:
            ops.append({"Put": {"TableName": self._table, "Item": {
                "PK": _s(k.customer_pk(case.customer.key)), "SK": _s("OPEN"), "case_id": _s(case.case_id)}}})
        self._write(ops, events, messages, claim, key=case.case_id)
        case.version = saved.version
        return saved

    def update_case(self, case_id: str, mutate: Mutation, *, attempts: int = 8) -> Case:
        """Read-mutate-save with optimistic retries."""
        for attempt in range(attempts):
            case = self.get_case(case_id)
            if case is None:
                raise CaseNotFound(case_id)
            events = list(mutate(case))
            try:
                return self.save_case(case, events=events)
            except ConcurrencyConflict:
                log.info("case %s: version conflict, retry %d", case_id, attempt + 1)
                time.sleep(0.01 * (attempt + 1))
        raise ConcurrencyConflict(case_id)

    def _case_item(self, case: Case) -> dict[str, Any]:
        n = k.shard(case.case_id, self._shards)
        due = _next_due(case)
        item = {
            "PK": _s(k.case_pk(case.case_id)), "SK": _s("META"), "doc": _s(_dump(case)),
            "version": {"N": str(case.version)},
            "GSI1PK": _s(k.queue_pk(case.shop, n)), "GSI1SK": _s(f"{k.iso(case.created_at)}#{case.case_id}"),
            "GSI2PK": _s(k.queue_pk(case.shop, n)), "GSI2SK": _s(k.urgency_sk(case.priority.value, due, case.case_id)),
            "status": _s(case.status.value), "priority": _s(case.priority.value), "channel": _s(case.channel),
        }
        for attr in ("issue", "assignee"):
            if getattr(case, attr):
                item[attr] = _s(getattr(case, attr))
        item["escalated"] = _s("true" if case.escalated else "false")
        return item

    def _write(
        self, ops: list[dict[str, Any]], events: Sequence[CaseEvent], messages: Sequence[Message],
        claim: tuple[str, int, dict[str, Any]] | None, *, key: str,
    ) -> None:
        if claim:
            ops.append({"Put": {"TableName": self._table, "Item": self._seen_item(*claim),
                                "ConditionExpression": "attribute_not_exists(PK)"}})
        ops += [{"Put": {"TableName": self._table, "Item": self._message_item(m)}} for m in messages]
        ops += [{"Put": {"TableName": self._table, "Item": self._event_item(e, n)}} for n, e in enumerate(events)]
        head, rest = ops[:_TX_LIMIT], ops[_TX_LIMIT:]
        try:
            self._db.transact_write_items(TransactItems=head)
        except ClientError as exc:
            if exc.response["Error"]["Code"] in ("TransactionCanceledException", "ConditionalCheckFailedException"):
                raise ConcurrencyConflict(key) from exc
            raise
        for op in rest:  # only timeline/message puts overflow; they are idempotent
            self._db.put_item(**op["Put"])

    # -- messages and timeline ----------------------------------------------------------------
    def _message_item(self, m: Message) -> dict[str, Any]:
        return {
            "PK": _s(k.case_pk(m.case_id)), "SK": _s(f"MSG#{k.iso(m.at)}#{m.message_id}"), "doc": _s(_dump(m)),
            "expires_at": {"N": str(int(m.at.timestamp()) + self._retention_s)},
        }

    def _event_item(self, e: CaseEvent, n: int = 0) -> dict[str, Any]:
        """Events sort by time, then by their order within one write (a breach before its escalation)."""
        digest = hashlib.sha1(_dump(e).encode()).hexdigest()[:10]
        return {"PK": _s(k.case_pk(e.case_id)), "SK": _s(f"EVT#{k.iso(e.at)}#{n:04d}#{digest}"), "doc": _s(_dump(e))}

    def add_events(self, events: Iterable[CaseEvent]) -> None:
        for n, e in enumerate(events):
            self._db.put_item(TableName=self._table, Item=self._event_item(e, n))

    def put_message(self, message: Message) -> None:
        self._db.put_item(TableName=self._table, Item=self._message_item(message))

    def list_messages(self, case_id: str) -> list[Message]:
        return [Message.model_validate(d) for d in self._query_prefix(k.case_pk(case_id), "MSG#")]

    def list_events(self, case_id: str) -> list[CaseEvent]:
        return [CaseEvent.model_validate(d) for d in self._query_prefix(k.case_pk(case_id), "EVT#")]

    def _query_prefix(self, pk: str, prefix: str) -> list[Any]:
        out: list[Any] = []
        kwargs: dict[str, Any] = {
            "TableName": self._table, "KeyConditionExpression": "PK = :pk AND begins_with(SK, :p)",
            "ExpressionAttributeValues": {":pk": _s(pk), ":p": _s(prefix)}, "ConsistentRead": True,
        }
        while True:
            r = self._db.query(**kwargs)
            out += [_doc(i) for i in r.get("Items", [])]
            if "LastEvaluatedKey" not in r:
                return out
            kwargs["ExclusiveStartKey"] = r["LastEvaluatedKey"]

    # -- queue views ----------------------------------------------------------------------------
    def list_cases(
        self, shop: str, *, filters: dict[str, str] | None = None, order: str = "newest",
        limit: int = 50, cursor: str | None = None,
    ) -> tuple[list[Case], str | None]:
        """Merge the shop's shards: each shard is queried in sort order, the heads are merged."""
        index, desc = ("GSI1", True) if order == "newest" else ("GSI2", False)
        state: dict[str, Any] = json.loads(base64.urlsafe_b64decode(cursor)) if cursor else {}
        rows: list[tuple[str, int, dict[str, Any]]] = []
        for n in range(self._shards):
            if state.get(str(n)) == "done":
                continue
            rows += [(i[f"{index}SK"]["S"], n, i) for i in self._shard_page(shop, n, index, desc, filters, limit, state.get(str(n)))]
        rows.sort(key=lambda r: r[0], reverse=desc)
        page = rows[:limit]
        last: dict[int, str] = {}
        for sk, n, _ in page:
            last[n] = sk
        next_state = dict(state)
        for n, sk in last.items():
            next_state[str(n)] = sk
        more = len(rows) > limit
        cursor_out = base64.urlsafe_b64encode(json.dumps(next_state).encode()).decode() if more else None
        return [Case.model_validate(_doc(i)) for _, _, i in page], cursor_out

    def _shard_page(
        self, shop: str, n: int, index: str, desc: bool, filters: dict[str, str] | None, limit: int, after: str | None,
    ) -> list[dict[str, Any]]:
        values: dict[str, Any] = {":pk": _s(k.queue_pk(shop, n))}
        cond = f"{index}PK = :pk"
        if after:
            cond += f" AND {index}SK {'<' if desc else '>'} :after"
            values[":after"] = _s(after)
        names: dict[str, str] = {}
        clauses = []
        for i, (field, value) in enumerate(sorted((filters or {}).items())):
            names[f"#f{i}"] = field
            values[f":f{i}"] = _s(value)
            clauses.append(f"#f{i} = :f{i}")
        kwargs: dict[str, Any] = {
            "TableName": self._table, "IndexName": index, "KeyConditionExpression": cond,
            "ExpressionAttributeValues": values, "ScanIndexForward": not desc,
        }
        if clauses:
            kwargs["FilterExpression"] = " AND ".join(clauses)
            kwargs["ExpressionAttributeNames"] = names
        out: list[dict[str, Any]] = []
        while len(out) < limit:
            r = self._db.query(**kwargs)
            out += r.get("Items", [])
            if "LastEvaluatedKey" not in r:
                break
            kwargs["ExclusiveStartKey"] = r["LastEvaluatedKey"]
        return out[:limit]

    # -- orders and shipments -------------------------------------------------------------------
    def put_order(self, order: Order) -> None:
        item = {"PK": _s(k.order_pk(order.shop, order.order_no)), "SK": _s("META"), "doc": _s(_dump(order))}
        cust = order.customer.key if hasattr(order.customer, "key") else (order.customer or None)
        if cust:
            item["GSI1PK"] = _s(f"CUSTORDER#{cust}")
            item["GSI1SK"] = _s(k.iso(order.paid_at or order.updated_at) if (order.paid_at or order.updated_at) else order.order_no)
        self._db.put_item(TableName=self._table, Item=item)

    def get_order(self, shop: str, order_no: str) -> Order | None:
        r = self._db.get_item(TableName=self._table, Key={"PK": _s(k.order_pk(shop, order_no)), "SK": _s("META")})
        return Order.model_validate(_doc(r["Item"])) if "Item" in r else None

    def customer_orders(self, customer_key: str, limit: int = 5) -> list[Order]:
        """The customer's most recent orders (newest first)."""
        r = self._db.query(
            TableName=self._table, IndexName="GSI1", KeyConditionExpression="GSI1PK = :pk",
            ExpressionAttributeValues={":pk": _s(f"CUSTORDER#{customer_key}")}, ScanIndexForward=False, Limit=limit,
        )
        return [Order.model_validate(_doc(i)) for i in r.get("Items", [])]

    def put_shipment(self, shipment: Shipment) -> None:
        item = {
            "PK": _s(k.shipment_pk(shipment.carrier, shipment.tracking_no)), "SK": _s("META"), "doc": _s(_dump(shipment)),
            "GSI2PK": _s(f"TRACK#{shipment.tracking_no}"), "GSI2SK": _s(shipment.carrier or UNKNOWN_CARRIER),
        }
        self._db.put_item(TableName=self._table, Item=item)

    def get_shipment(self, carrier: str, tracking_no: str) -> Shipment | None:
        r = self._db.get_item(TableName=self._table, Key={"PK": _s(k.shipment_pk(carrier, tracking_no)), "SK": _s("META")}, ConsistentRead=True)
        return Shipment.model_validate(_doc(r["Item"])) if "Item" in r else None

    def find_shipment(self, tracking_no: str) -> Shipment | None:
        r = self._db.query(
            TableName=self._table, IndexName="GSI2", KeyConditionExpression="GSI2PK = :pk",
            ExpressionAttributeValues={":pk": _s(f"TRACK#{tracking_no}")}, Limit=1,
        )
        items = r.get("Items", [])
        if not items:
            return None
        carrier = items[0]["GSI2SK"]["S"]
        return self.get_shipment("" if carrier == UNKNOWN_CARRIER else carrier, tracking_no)


def _next_due(case: Case) -> str | None:
    dues = [c.get("due") for c in case.sla.values() if isinstance(c, dict) and c.get("due") and not c.get("met_at")
            and not c.get("stopped")]
    return min(dues) if dues else None
