"""Report latency on 50,000 cases: the 90-day hot-issue and overview reports read daily aggregates only.

Seeds N cases (default 50,000) over 104 days (90 reported + the 14-day spike baseline) against a moto
server over HTTP. Every case goes through the recorder's pure step (`analytics.case_facts`, the same
one `on_case_events` uses); the bulk load folds them per (day, family) and writes them with the real
`DynamoAggregates.add`, because 150,000 single-item moto writes would take minutes and measure moto.
A sample of cases also goes through `on_case_events` one by one, to show the per-case write cost.
With --cases the 50,000 case items are written to the table too (reports never read them).

    .venv/bin/python bench/bench_reports.py [N] [--cases]
"""

from __future__ import annotations

import logging
import random
import statistics
import sys
import time
import uuid
import warnings
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
N = int(ARGS[0]) if ARGS else 50_000
WRITE_CASES = "--cases" in sys.argv
REGION = "us-east-1"
DAYS = 104
END = date(2026, 11, 21)
ISSUES = {"quality": ["漏水", "异响", "不工作"], "damaged": ["破损", "压坏"], "shipping": ["没动", "催发货"],
          "wrong_item": ["发错"], "changed_mind": ["不想要", "尺码"], "inquiry": ["发票", "保修"]}
RUNS = 7


def cases(n: int):
    from chalicelib.domain import Case, CaseEvent, CustomerRef

    rng = random.Random(8)
    start = END - timedelta(days=DAYS - 1)
    for i in range(n):
        day = start + timedelta(days=rng.randrange(DAYS))
        at = datetime(day.year, day.month, day.day, rng.randrange(1, 14), rng.randrange(60), tzinfo=UTC)
        issue = rng.choice(list(ISSUES))
        case = Case(case_id=f"B{i:07d}", shop="shop-a", customer=CustomerRef(channel="wechat", account="oa", user=f"u{i}"),
                    channel=rng.choice(["wechat", "douyin", "sms"]), account="oa", issue=issue,
                    keywords=[rng.choice(ISSUES[issue])], order_no=f"O-{rng.randrange(60)}", responsibility="merchant",
                    scenario="product", created_at=at, updated_at=at)
        events = [CaseEvent(case_id=case.case_id, at=at, type="created", data={"to": "new"}),
                  CaseEvent(case_id=case.case_id, at=at, type="message", data={"text": f"{issue} #{i}"})]
        done = at + timedelta(seconds=rng.randrange(600, 3 * 86400))
        events.append(CaseEvent(case_id=case.case_id, at=done, type="status", data={"from": "open", "to": "resolved"}))
        yield case, events


def timed(fn, runs: int = RUNS) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> int:  # noqa: C901 - one linear script
    import boto3
    from moto.server import ThreadedMotoServer

    warnings.filterwarnings("ignore", message="Tried to parse AWS")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    from chalicelib import analytics
    from chalicelib.accounts import ApiToken
    from chalicelib.analytics.facts import merge
    from chalicelib.api import reports
    from chalicelib.bootstrap import bootstrap
    from chalicelib.domain import Order, OrderItem, ShipmentRef
    from chalicelib.local.resources import create_resources
    from chalicelib.settings import Settings

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    for k, v in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}.items():
        import os
        os.environ.setdefault(k, v)
    stack = create_resources(endpoint, REGION, prefix=f"b{uuid.uuid4().hex[:6]}-")
    values = {k.removeprefix("SHOUHOU_").lower(): v for k, v in stack.items() if k.removeprefix("SHOUHOU_").lower() in Settings.model_fields}
    deps = bootstrap(Settings(**values), endpoint_url=endpoint, session=boto3.session.Session(region_name=REGION))
    orders = {f"O-{i}": Order(shop="shop-a", order_no=f"O-{i}", items=[OrderItem(sku=f"SKU-{i % 40}", name=f"商品{i % 40}")],
                              shipments=[ShipmentRef(carrier=["sf", "zto", "yuantong", "jd"][i % 4], tracking_no=f"T{i}")])
              for i in range(60)}
    for o in orders.values():
        deps.repo.put_order(o)

    t = time.perf_counter()
    bumps = [b for case, events in cases(N) for b in analytics.case_facts(case, events, orders[case.order_no])]
    folded = merge(bumps)
    facts_s = time.perf_counter() - t
    t = time.perf_counter()
    store = analytics.aggregates(deps)
    for b in folded:
        store.add("shop-a", b)
    load_s = time.perf_counter() - t
    if WRITE_CASES:
        db = deps.client("dynamodb")
        batch = []
        for case, _ in cases(N):
            batch.append({"PutRequest": {"Item": {"PK": {"S": f"CASE#{case.case_id}"}, "SK": {"S": "META"},
                                                  "doc": {"S": case.model_dump_json()}}}})
            if len(batch) == 25:
                db.batch_write_item(RequestItems={deps.settings.table_name: batch})
                batch = []
        if batch:
            db.batch_write_item(RequestItems={deps.settings.table_name: batch})

    sample = list(cases(300))
    per_case = timed(lambda: None, 0)
    for case, events in sample:
        case = case.model_copy(update={"case_id": "X" + case.case_id, "shop": "shop-sample"})
        t0 = time.perf_counter()
        analytics.on_case_events(deps, case, events, case.created_at)
        per_case.append((time.perf_counter() - t0) * 1000)

    token = ApiToken(token="x" * 20, shop="shop-a", agent="mgr", role="manager")
    period = {"from": (END - timedelta(days=89)).isoformat(), "to": END.isoformat()}
    # the nightly job seals one finished day per shop and night; here all of them at once, as after DAYS nights
    from chalicelib.workers.nightly import seal

    nightly = timed(lambda: seal(deps, deps.clock.now(), days=DAYS, only=["shop-a"]), 1)
    hot_cold = timed(lambda: reports.hot_issues(deps, token, period), 1)  # the morning's first read
    if "--profile" in sys.argv:
        import cProfile
        cProfile.runctx("reports.hot_issues(deps, token, period)", globals(), locals(), sort="cumtime")
    overview_cold = timed(lambda: reports.overview(deps, token, period), 1)
    hot = timed(lambda: reports.hot_issues(deps, token, period))
    overview = timed(lambda: reports.overview(deps, token, period))
    weekly = timed(lambda: reports.hot_issues(deps, token, {**period, "granularity": "week"}))
    digest = timed(lambda: reports.weekly_digest(deps, token, {"to": END.isoformat()}))
    svc = reports.overview(deps, token, period)["service"]

    print(f"\nshouhou report latency — {N:,} cases over {DAYS} days, 90-day reports, moto over HTTP, {RUNS} runs each")
    print(f"(seed: facts {facts_s:.1f}s, {len(folded)} aggregate items written in {load_s:.1f}s"
          f"{', case items written' if WRITE_CASES else ''}; cases counted by the report: {svc['opened']:,})\n")
    print(f"{'measure':<46}{'p50 ms':>10}{'max ms':>10}")
    rows = [(f"nightly seal, {DAYS} days at once (per night: 1)", nightly),
            ("hot-issues 90 days, first read after nightly", hot_cold),
            ("overview 90 days, first read after nightly", overview_cold),
            ("GET hot-issues, 90 days by day (+spikes)", hot), ("GET hot-issues, 90 days by week", weekly),
            ("GET overview, 90 days (splits/carriers/svc)", overview), ("GET digest (7 days + 14-day baseline)", digest),
            ("recorder on_case_events, per case", per_case)]
    for name, ms in rows:
        print(f"{name:<46}{statistics.median(ms):>10.1f}{max(ms):>10.1f}")
    server.stop()
    return 0 if max(hot + overview) < 1000 else 1


if __name__ == "__main__":
    sys.exit(main())
