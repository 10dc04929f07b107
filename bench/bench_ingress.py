"""Ingress cost: AWS calls per webhook ACK and handler time per webhook.

300 signed `message.received` webhooks through `chalice.test.Client` (the real app, the real bootstrap)
against a moto server over HTTP. AWS calls are counted with a botocore `before-call` hook on the session
the app uses; time is the wall time of each `client.http.post`, which includes the one SQS call to moto.

    .venv/bin/python bench/bench_ingress.py [N]
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import time
import uuid
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
N = int(sys.argv[1]) if len(sys.argv) > 1 else 300
REGION = "us-east-1"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    import boto3
    from moto.server import ThreadedMotoServer

    warnings.filterwarnings("ignore", message="Tried to parse AWS")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's access log
    logging.getLogger("moto").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        from chalicelib.local.resources import create_resources

        os.environ.update({"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                           "AWS_DEFAULT_REGION": REGION, "SHOUHOU_LOG_LEVEL": "WARNING",
                           "SHOUHOU_ACCOUNTS_FILE": str(ROOT / "local" / "accounts.demo.toml")})
        os.environ.update(create_resources(endpoint, REGION, prefix=f"bench{uuid.uuid4().hex[:4]}-"))
        return run(boto3.session.Session(region_name=REGION), N)
    finally:
        server.stop()


def run(session: Any, n: int) -> int:
    from chalice.test import Client

    import app as app_module
    from chalicelib.bootstrap import bootstrap
    from chalicelib.local.send_webhook import message_event, signed_webhook

    calls: Counter[str] = Counter()
    aws_ms: list[float] = [0.0]  # time inside AWS calls during the current request
    started_call: list[float] = []

    def before_call(model: Any, **_: Any) -> None:
        calls.update([f"{model.service_model.service_name}.{model.name}"])
        started_call.append(time.perf_counter())

    def after_call(**_: Any) -> None:
        aws_ms[0] += (time.perf_counter() - started_call.pop()) * 1000

    session.events.register("before-call", before_call)
    session.events.register("after-call", after_call)
    deps = bootstrap(session=session)
    app_module.use(deps)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's access log
    secret = deps.accounts.get("webhook", "erp").secrets[0]

    times_ms: list[float] = []
    own_ms: list[float] = []
    statuses: Counter[int] = Counter()
    with Client(app_module.app, stage_name="local", project_dir=str(ROOT)) as client:
        for i in range(n + 1):
            body, headers = signed_webhook(secret, message_event(f"快递三天没动了 #{i}", customer=f"bench-{i % 50}"))
            if i == 1:
                calls.clear()  # request 0 is the cold one (clients, accounts); measure the warm path
            aws_ms[0] = 0.0
            started = time.perf_counter()
            response = client.http.post("/webhooks/erp", headers=headers, body=body)
            elapsed = (time.perf_counter() - started) * 1000
            if i == 0:
                cold_ms = elapsed
                continue
            statuses[response.status_code] += 1
            times_ms.append(elapsed)
            own_ms.append(elapsed - aws_ms[0])

    total = sum(calls.values())
    rows = [
        ("webhooks (warm)", f"{n}"),
        ("HTTP statuses", ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))),
        ("AWS calls per ACK", f"{total / n:.2f}"),
        *((f"  {op}", f"{count / n:.2f}/ack ({count})") for op, count in calls.most_common()),
        ("first (cold) request ms", f"{cold_ms:.1f}"),
        ("handler ms p50", f"{statistics.median(times_ms):.2f}"),
        ("handler ms p99", f"{percentile(times_ms, 0.99):.2f}"),
        ("handler ms max", f"{max(times_ms):.2f}"),
        ("handler ms mean", f"{statistics.fmean(times_ms):.2f}"),
        ("  without AWS calls p50", f"{statistics.median(own_ms):.2f}"),
        ("  without AWS calls p99", f"{percentile(own_ms, 0.99):.2f}"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"\nbench_ingress: signed webhook -> ACK, chalice.test.Client + moto server ({sys.version.split()[0]})")
    print(f"{'metric'.ljust(width)} | value")
    print(f"{'-' * width}-|------")
    for name, value in rows:
        print(f"{name.ljust(width)} | {value}")
    ok = statuses and all(200 <= s < 300 for s in statuses)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
