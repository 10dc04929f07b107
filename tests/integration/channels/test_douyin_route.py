"""`POST /douyin/{account}` through the real Chalice app and moto: the handshake vector, a DM queued once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chalicelib.channels.douyin import sign

V = json.loads(Path("/work/shared/fixtures/vectors.json").read_text(encoding="utf-8"))["douyin"][0]
ACCOUNTS = f"""
[[douyin]]
account = "demo-dy"
shop = "shop-a"
client_key = "abc"
client_secret = "{V['client_secret']}"
"""


@pytest.fixture
def app_deps(deps_for: Any) -> Any:
    """Overrides conftest's app_deps: the real app with a Douyin account."""
    return deps_for(ACCOUNTS)


def queued(deps: Any) -> list[dict[str, Any]]:
    sqs = deps.client("sqs")
    got = sqs.receive_message(QueueUrl=deps.settings.inbound_queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
    return [json.loads(m["Body"])["task"] for m in got.get("Messages", [])]


def post(client: Any, body: bytes, **headers: str) -> Any:
    return client.http.post("/douyin/demo-dy", body=body, headers={"Content-Type": "application/json", **headers})


def test_handshake_vector_answers_the_exact_body(client: Any, app_deps: Any) -> None:
    r = post(client, V["body"].encode(), **{"X-Douyin-Signature": V["signature"]})
    assert r.status_code == 200 and r.body.decode() == V["expected_response"]
    assert queued(app_deps) == []


def test_dm_delivered_three_times_is_queued_once(client: Any, app_deps: Any) -> None:
    body = json.dumps({"event": "im_receive_msg", "from_user_id": "open-user-1", "to_user_id": "open-biz", "client_key": "abc",
                       "content": {"server_message_id": "srv-1", "conversation_short_id": "conv-1", "message_type": "text",
                                   "text": "杯子碎了"}}, ensure_ascii=False).encode()
    for _ in range(3):
        r = post(client, body, **{"X-Douyin-Signature": sign(V["client_secret"], body), "Msg-Id": "dy-msg-1"})
        assert r.status_code == 200
    (task,) = queued(app_deps)
    assert task["dedupe_id"] == "dy-msg-1" and task["message"]["text"] == "杯子碎了"


def test_bad_signature_and_unknown_account_are_4xx(client: Any, app_deps: Any) -> None:
    assert post(client, V["body"].encode(), **{"X-Douyin-Signature": "0" * 40}).status_code == 401
    r = client.http.post("/douyin/nope", body=V["body"].encode(),
                         headers={"Content-Type": "application/json", "X-Douyin-Signature": V["signature"]})
    assert r.status_code == 404
    assert queued(app_deps) == []
