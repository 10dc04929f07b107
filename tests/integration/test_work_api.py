"""Issue 8: the agent work API through the real Chalice app, moto over HTTP and a real callback server.

Every write endpoint: happy path, a state the state machine refuses (409), a bad field (422),
another shop's case (404), and an Idempotency-Key replay that changes nothing.
"""

from __future__ import annotations

import json
import uuid

import pytest

from tests.conftest import TOKEN_A, TOKEN_B, WEBHOOK_SECRET
from tests.signing import message_event, signed_webhook

AUTH_A = {"authorization": f"Bearer {TOKEN_A}"}
AUTH_B = {"authorization": f"Bearer {TOKEN_B}"}


def open_case(client, pumps, text="杯子碎了，补发一个"):
    customer = f"c-{uuid.uuid4().hex[:8]}"
    headers, body = signed_webhook(WEBHOOK_SECRET, message_event(text, customer=customer))
    assert client.http.post("/webhooks/erp", headers=headers, body=body).status_code == 202
    pumps.drain()
    cases = client.http.get("/api/cases", headers=AUTH_A).json_body["cases"]
    return next(c["case_id"] for c in cases if c["customer"]["user"] == customer)


def write(client, case_id, action, body, *, auth=AUTH_A, key=None):
    headers = {**auth, "content-type": "application/json"}
    if key:
        headers["idempotency-key"] = key
    return client.http.post(f"/api/cases/{case_id}/{action}", headers=headers, body=json.dumps(body))


def detail(client, case_id):
    r = client.http.get(f"/api/cases/{case_id}", headers=AUTH_A)
    assert r.status_code == 200, r.body
    return r.json_body


def set_status(client, case_id, status):
    r = write(client, case_id, "status", {"status": status})
    assert r.status_code == 200, r.body


# action, a good body, a body with a bad field (and the field's name), how to reach a refused state
ACTIONS = [
    ("reply", {"text": "您好，已为您补发"}, {"text": ""}, "text", "closed"),
    ("assign", {"assignee": "carol"}, {"assignee": 42}, "assignee", "closed"),
    ("status", {"status": "waiting_customer"}, {"status": "limbo"}, "status", "new-from-open"),
    ("note", {"text": "客户是老客户，优先处理"}, {"text": "x", "public": True}, "public", "closed"),
    ("priority", {"priority": "p1", "reason": "大客户"}, {"priority": "p0"}, "priority", "closed"),
    ("returns/decision", {"decision": "reject", "reason": "超过七天"}, {"decision": "reject"}, "reason", "resolved"),
    ("resolve", {"reason": "已补发"}, {"reason": 3}, "reason", "resolved"),
]
IDS = [a[0] for a in ACTIONS]


@pytest.mark.parametrize("action,good,bad,field,refused", ACTIONS, ids=IDS)
class TestEveryWrite:
    def test_happy_path_is_audited_with_the_agent(self, client, pumps, action, good, bad, field, refused):
        case_id = open_case(client, pumps)
        r = write(client, case_id, action, good, key=uuid.uuid4().hex)
        assert r.status_code == 200, r.body
        events = r.json_body["events"]
        assert events and all(e["actor"] == "agent:alice" for e in events if not e["type"].startswith("sla."))
        stored = [e for e in detail(client, case_id)["timeline"] if e["actor"] == "agent:alice"]
        assert {e["type"] for e in events if e["actor"] == "agent:alice"} <= {e["type"] for e in stored}

    def test_a_state_the_machine_refuses_is_409(self, client, pumps, action, good, bad, field, refused):
        case_id = open_case(client, pumps)
        if refused == "closed":
            set_status(client, case_id, "closed")
        elif refused == "resolved":
            set_status(client, case_id, "resolved")
        else:
            set_status(client, case_id, "open")
            good = {"status": "new"}
        before = detail(client, case_id)
        r = write(client, case_id, action, good)
        assert r.status_code == 409, r.body
        after = detail(client, case_id)
        assert after["case"]["version"] == before["case"]["version"] and len(after["timeline"]) == len(before["timeline"])

    def test_a_bad_field_is_422_naming_it(self, client, pumps, action, good, bad, field, refused):
        case_id = open_case(client, pumps)
        r = write(client, case_id, action, bad)
        assert r.status_code == 422, r.body
        assert field in r.json_body["detail"]

    def test_another_shops_case_is_404(self, client, pumps, action, good, bad, field, refused):
        case_id = open_case(client, pumps)
        before = detail(client, case_id)
        r = write(client, case_id, action, good, auth=AUTH_B)
        assert r.status_code == 404 and r.json_body == {"error": "case not found"}
        assert detail(client, case_id)["case"]["version"] == before["case"]["version"]

    def test_replaying_the_idempotency_key_changes_nothing(self, client, pumps, recorder, action, good, bad, field, refused):
        case_id = open_case(client, pumps)
        key = uuid.uuid4().hex
        first = write(client, case_id, action, good, key=key)
        assert first.status_code == 200, first.body
        pumps.drain()
        after_first = detail(client, case_id)
        sent = len(recorder.requests)
        again = write(client, case_id, action, good, key=key)
        pumps.drain()
        assert again.status_code == 200 and again.json_body == first.json_body
        assert {k.lower(): v for k, v in again.headers.items()}.get("idempotent-replayed") == "true"
        after = detail(client, case_id)
        assert after["case"] == after_first["case"]
        assert len(after["timeline"]) == len(after_first["timeline"]) and len(recorder.requests) == sent


class TestReply:
    def test_reply_reaches_the_customers_channel_and_meets_the_response_clock(self, client, pumps, recorder):
        case_id = open_case(client, pumps)
        r = write(client, case_id, "reply", {"text": "您好，已为您安排补发"}, key=uuid.uuid4().hex)
        assert r.status_code == 200
        assert r.json_body["case"]["status"] == "open"  # a reply opens a new case
        pumps.drain()
        replies = [b for b in recorder.json_bodies() if b["type"] == "case.reply"]
        assert [b["data"]["text"] for b in replies] == ["您好，已为您安排补发"]
        d = detail(client, case_id)
        out = [m for m in d["messages"] if m["direction"] == "out" and m["text"] == "您好，已为您安排补发"]
        assert out and out[0]["author"] == "agent:alice" and out[0]["delivery"] == "sent"
        assert any(e["type"] == "outbound.sent" and e["data"].get("kind") == "agent_reply" for e in d["timeline"])
        met = [e for e in d["timeline"] if e["type"] == "sla.met" and e["data"].get("by") == "human"]
        clocks = d["case"]["sla"]
        if any(c.get("met_by") == "answer" for c in clocks.values()):  # the policy runs a response clock
            assert met and all(clocks[e["data"]["clock"]]["met_at"] for e in met)

    def test_the_same_key_with_another_body_is_409(self, client, pumps):
        case_id = open_case(client, pumps)
        key = uuid.uuid4().hex
        assert write(client, case_id, "reply", {"text": "一"}, key=key).status_code == 200
        r = write(client, case_id, "reply", {"text": "二"}, key=key)
        assert r.status_code == 409 and r.json_body["error"] == "idempotency key reused"

    def test_malformed_json_is_400_and_unknown_action_404(self, client, pumps):
        case_id = open_case(client, pumps)
        r = client.http.post(f"/api/cases/{case_id}/reply", headers={**AUTH_A, "content-type": "application/json"}, body=b"{nope")
        assert r.status_code == 400
        assert write(client, case_id, "explode", {}).status_code == 404
        assert client.http.post(f"/api/cases/{case_id}/reply", body=b"{}").status_code == 401


class TestStatusAndResolve:
    def test_status_change_sends_a_progress_update(self, client, pumps, recorder):
        case_id = open_case(client, pumps)
        sent = len(recorder.requests)
        assert write(client, case_id, "status", {"status": "waiting_logistics", "reason": "等快递"}).status_code == 200
        pumps.drain()
        progress = [b["data"] for b in recorder.json_bodies()[sent:] if b["type"] == "case.progress"]
        assert [p["status"] for p in progress] == ["waiting_logistics"] and progress[0]["status_label"] == "等待物流"

    def test_resolve_resolves_stops_the_clocks_and_tells_the_customer(self, client, pumps, recorder):
        case_id = open_case(client, pumps)
        r = write(client, case_id, "resolve", {"reason": "已补发"})
        assert r.status_code == 200 and r.json_body["case"]["status"] == "resolved"
        pumps.drain()
        assert recorder.json_bodies()[-1]["data"]["status_label"] == "已解决"
        clocks = detail(client, case_id)["case"]["sla"].values()
        assert all(c.get("met_at") or c.get("stopped") for c in clocks)


class TestNotesAndDecisions:
    def test_a_note_is_internal(self, client, pumps, recorder):
        case_id = open_case(client, pumps)
        sent = len(recorder.requests)
        assert write(client, case_id, "note", {"text": "内部：别承诺赔偿"}).status_code == 200
        pumps.drain()
        note = [e for e in detail(client, case_id)["timeline"] if e["type"] == "note"]
        assert note and note[0]["customer_visible"] is False and note[0]["data"]["text"] == "内部：别承诺赔偿"
        assert len(recorder.requests) == sent  # nothing went to the customer
        assert "内部" not in json.dumps(recorder.json_bodies(), ensure_ascii=False)

    def test_a_return_decision_is_a_human_decision_event(self, client, pumps):
        case_id = open_case(client, pumps, "我要退货，鞋子不合适")
        r = write(client, case_id, "returns/decision", {"decision": "approve", "reason": "老客户"})
        assert r.status_code == 200
        d = detail(client, case_id)
        ev = [e for e in d["timeline"] if e["type"] == "decision.return" and e["actor"] == "agent:alice"]
        assert ev and ev[0]["data"]["outcome"] == "approved"
        assert d["case"]["flags"]["return"]["state"] == "approved"

    def test_requesting_info_waits_for_the_customer(self, client, pumps):
        case_id = open_case(client, pumps, "我要退货")
        r = write(client, case_id, "returns/decision", {"decision": "request_info", "message": "请上传破损照片"})
        assert r.status_code == 200 and r.json_body["case"]["status"] == "waiting_customer"

    def test_assign_to_me_names_the_tokens_agent_and_priority_replans(self, client, pumps):
        case_id = open_case(client, pumps)
        assert write(client, case_id, "assign", {"assignee": "@me"}).json_body["case"]["assignee"] == "alice"
        r = write(client, case_id, "priority", {"priority": "p1"})
        assert r.json_body["case"]["priority"] == "p1"
        assert client.http.get("/api/cases?assignee=alice", headers=AUTH_A).json_body["cases"][0]["case_id"] == case_id
