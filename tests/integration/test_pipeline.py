"""Issue 2 acceptance through the real Chalice app, moto's server over HTTP and a real callback server."""

from __future__ import annotations

import json
import sys
import time
import uuid

from chalicelib.channels.webhook import verify
from tests.conftest import ROOT, TOKEN_A, TOKEN_B, WEBHOOK_SECRET
from tests.signing import message_event, signed_webhook

AUTH_A = {"authorization": f"Bearer {TOKEN_A}"}


def post(client, account, headers, body):
    return client.http.post(f"/webhooks/{account}", headers=headers, body=body)


def only_case(client):
    r = client.http.get("/api/cases", headers=AUTH_A)
    assert r.status_code == 200, r.body
    return r.json_body["cases"]


class TestSignedMessageBecomesCase:
    def test_one_case_one_message_a_timeline_and_a_signed_progress_update(self, client, pumps, recorder):
        headers, body = signed_webhook(WEBHOOK_SECRET, message_event("杯子碎了，补发一个", customer="c-42"))
        r = post(client, "erp", headers, body)
        assert r.status_code == 202 and r.json_body == {"ok": True}

        pumps.drain()

        cases = only_case(client)
        assert len(cases) == 1
        detail = client.http.get(f"/api/cases/{cases[0]['case_id']}", headers=AUTH_A).json_body
        assert [m["text"] for m in detail["messages"] if m["direction"] == "in"] == ["杯子碎了，补发一个"]
        types = [e["type"] for e in detail["timeline"]]
        assert "created" in types and "message" in types
        # the progress update reached the callback server, signed with the account's secret
        assert recorder.requests, "no progress update delivered"
        req = recorder.requests[0]
        verify(req["body"].encode(), req["headers"], [WEBHOOK_SECRET], now_s=time.time())
        update = json.loads(req["body"])
        assert update["type"] == "case.progress"
        assert update["data"]["case_id"] == cases[0]["case_id"] and update["data"]["status_label"] == "已受理"
        # and its delivery is on the case timeline
        timeline = client.http.get(f"/api/cases/{cases[0]['case_id']}", headers=AUTH_A).json_body["timeline"]
        assert any(e["type"] == "outbound.sent" for e in timeline)

    def test_same_webhook_id_three_times_yields_one_message(self, client, pumps, recorder):
        event = message_event("快递三天没动了", customer="c-dup")
        headers, body = signed_webhook(WEBHOOK_SECRET, event, msg_id="msg_fixed_1")
        for _ in range(3):
            assert post(client, "erp", headers, body).status_code == 202
            pumps.drain()
        cases = only_case(client)
        assert len(cases) == 1
        detail = client.http.get(f"/api/cases/{cases[0]['case_id']}", headers=AUTH_A).json_body
        assert len([m for m in detail["messages"] if m["direction"] == "in"]) == 1
        assert len(recorder.requests) == 1

    def test_redelivery_after_sqs_dedup_window_is_still_one_message(self, client, pumps, app_deps):
        # GIVEN a task processed once
        event = message_event("还没发货吗", customer="c-late")
        headers, body = signed_webhook(WEBHOOK_SECRET, event, msg_id="msg_late")
        post(client, "erp", headers, body)
        pumps.drain()
        # WHEN the same task arrives again past SQS's 5-minute dedup window (sent with a fresh dedup id)
        from chalicelib.domain.tasks import TaskEnvelope  # noqa: F401 (shape of the body)
        sqs = app_deps.client("sqs")
        msgs = []
        sqs.send_message(QueueUrl=app_deps.settings.inbound_queue_url, MessageGroupId="webhook#erp#c-late",
                         MessageDeduplicationId="later", MessageBody=_task_body(app_deps, headers, body))
        pumps.drain()
        # THEN the worker's own dedupe keeps one message
        case = only_case(client)[0]
        detail = client.http.get(f"/api/cases/{case['case_id']}", headers=AUTH_A).json_body
        assert len([m for m in detail["messages"] if m["direction"] == "in"]) == 1, msgs


def _task_body(deps, headers, body):
    from chalicelib.channels.base import RawRequest
    from chalicelib.channels.registry import inbound
    from chalicelib.domain.tasks import TaskEnvelope

    acct = deps.accounts.get("webhook", "erp")
    res = inbound("webhook").receive(RawRequest("POST", "erp", headers, {}, body), acct, deps.clock.now(), tolerance_s=300)
    return TaskEnvelope(task=res.tasks[0]).model_dump_json()


class TestBadInputIs4xx:
    def test_bad_signature_is_401(self, client):
        headers, body = signed_webhook(WEBHOOK_SECRET, message_event("hi"))
        headers["webhook-signature"] = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
        r = post(client, "erp", headers, body)
        assert r.status_code == 401 and r.json_body == {"error": "signature invalid"}

    def test_stale_timestamp_is_401(self, client):
        headers, body = signed_webhook(WEBHOOK_SECRET, message_event("hi"), ts=int(time.time()) - 301)
        r = post(client, "erp", headers, body)
        assert r.status_code == 401 and r.json_body["error"] == "timestamp outside tolerance"

    def test_unknown_account_is_404(self, client):
        headers, body = signed_webhook(WEBHOOK_SECRET, message_event("hi"))
        assert post(client, "nope", headers, body).status_code == 404

    def test_malformed_json_is_400(self, client):
        headers, body = signed_webhook(WEBHOOK_SECRET, {}, body=b"{not json")
        r = post(client, "erp", headers, body)
        assert r.status_code == 400 and r.json_body["error"] == "malformed body"

    def test_missing_required_field_is_400_naming_it(self, client):
        headers, body = signed_webhook(WEBHOOK_SECRET, {"type": "message.received", "data": {"customer": "x"}})
        r = post(client, "erp", headers, body)
        assert r.status_code == 400 and "message_id" in r.json_body["detail"]

    def test_body_over_256kb_is_413(self, client):
        big = message_event("长" * 90_000)
        headers, body = signed_webhook(WEBHOOK_SECRET, big)
        assert len(body) > 256 * 1024
        assert post(client, "erp", headers, body).status_code == 413


class TestWorkerFailures:
    def test_poison_message_goes_to_dlq_while_others_are_processed(self, client, pumps, app_deps, stack):
        sqs = app_deps.client("sqs")
        s = app_deps.settings
        sqs.send_message(QueueUrl=s.inbound_queue_url, MessageGroupId="poison", MessageDeduplicationId="p1",
                         MessageBody='{"task": {"type": "message.received"}}')
        headers, body = signed_webhook(WEBHOOK_SECRET, message_event("我要退货", customer="c-good"))
        post(client, "erp", headers, body)
        for _ in range(8):  # maxReceiveCount 5: the poison message is retried, then redriven
            pumps.inbound.tick()
        dlq = sqs.receive_message(QueueUrl=stack["SHOUHOU_INBOUND_DLQ_URL"], MaxNumberOfMessages=10).get("Messages", [])
        assert [m["Body"] for m in dlq] == ['{"task": {"type": "message.received"}}']
        assert len(only_case(client)) == 1

    def test_a_failed_customer_keeps_order_in_the_batch(self, app_deps):
        from chalicelib.workers.batch import run_batch

        seen = []

        def handle(r):
            seen.append(r["messageId"])
            if r["messageId"] == "a1":
                raise RuntimeError("boom")

        recs = [{"messageId": i, "attributes": {"MessageGroupId": g}} for i, g in
                [("a1", "A"), ("b1", "B"), ("a2", "A"), ("b2", "B")]]
        out = run_batch(recs, handle, ordered=True)
        assert out == {"batchItemFailures": [{"itemIdentifier": "a1"}, {"itemIdentifier": "a2"}]}
        assert seen == ["a1", "b1", "b2"]


class TestConcurrencyAndScope:
    def test_two_concurrent_updates_of_one_case_both_land(self, client, pumps, app_deps):
        import threading

        headers, body = signed_webhook(WEBHOOK_SECRET, message_event("在吗", customer="c-race"))
        post(client, "erp", headers, body)
        pumps.drain()
        case_id = only_case(client)[0]["case_id"]
        barrier = threading.Barrier(2)

        attempts = {"x": 0, "y": 0}

        def tag(name):
            def mutate(case):
                attempts[name] += 1
                if attempts[name] == 1:
                    barrier.wait(timeout=5)  # both read the same version before either writes
                case.flags = {**case.flags, name: True}
                return []
            app_deps.repo.update_case(case_id, mutate)

        threads = [threading.Thread(target=tag, args=(n,)) for n in ("x", "y")]
        [t.start() for t in threads]
        [t.join(10) for t in threads]
        case = app_deps.repo.get_case(case_id)
        assert case.flags.get("x") and case.flags.get("y")
        assert sorted(attempts.values()) == [1, 2]  # one lost the race and retried

    def test_a_shop_token_cannot_read_another_shops_case(self, client, pumps):
        headers, body = signed_webhook(WEBHOOK_SECRET, message_event("你好", customer="c-scope"))
        post(client, "erp", headers, body)
        pumps.drain()
        case_id = only_case(client)[0]["case_id"]
        other = {"authorization": f"Bearer {TOKEN_B}"}
        assert client.http.get(f"/api/cases/{case_id}", headers=other).status_code == 404
        assert client.http.get("/api/cases", headers=other).json_body["cases"] == []
        assert client.http.get("/api/cases", headers={"authorization": "Bearer wrong-token-xxxxxxxx"}).status_code == 401
        assert client.http.get(f"/api/cases/{uuid.uuid4().hex}", headers=AUTH_A).status_code == 404


def test_ingress_imports_no_segmenter(app_deps):
    """In a clean interpreter: import app, serve a signed webhook to moto; neither jieba nor rjieba is loaded."""
    import json as _json
    import subprocess

    s = app_deps.settings
    code = f"""
import sys, json, boto3, app
from chalice.test import Client
from chalicelib.bootstrap import bootstrap
from chalicelib.settings import Settings
from tests.signing import message_event, signed_webhook
settings = Settings(**json.loads({_json.dumps(s.model_dump_json())}))
app.use(bootstrap(settings, endpoint_url={app_deps.overrides["endpoint_url"]!r}, session=boto3.session.Session(region_name="us-east-1")))
headers, body = signed_webhook({WEBHOOK_SECRET!r}, message_event("快递到哪了"))
r = Client(app.app).http.post("/webhooks/erp", headers=headers, body=body)
print(r.status_code, "jieba" in sys.modules, "rjieba" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.stdout.split()[-3:] == ["202", "False", "False"], out.stdout + out.stderr
