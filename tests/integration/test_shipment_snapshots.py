"""Issue 4: Kuaidi100 pushes are full snapshots; replayed out of order they never move a parcel backwards."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import boto3
import pytest

from chalicelib.channels.kuaidi100.verify import sign
from tests.conftest import REGION

SALT = "snapshot-salt"
ACCOUNTS = f"""
[[kuaidi100]]
account = "k"
shop = "shop-a"
key = "key"
salt = "{SALT}"
"""
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
NODES = [
    ("2026-11-20 10:00:00", "[广州] 快件已揽收", "1"),
    ("2026-11-21 08:00:00", "[杭州] 快件已到达杭州转运中心", "0"),
    ("2026-11-22 09:30:00", "[杭州] 已签收，签收人：本人", "3"),
]


def push(upto: int) -> bytes:
    """The snapshot Kuaidi100 sends after node `upto`: newest node first, state of that node."""
    data = [{"time": t, "ftime": t, "context": text, "status": ""} for t, text, _ in reversed(NODES[:upto])]
    param = json.dumps({"status": "polling", "message": "", "lastResult": {
        "message": "ok", "nu": "YT5550000000001", "ischeck": "1" if NODES[upto - 1][2] == "3" else "0",
        "com": "yuantong", "status": "200", "state": NODES[upto - 1][2], "data": data}}, ensure_ascii=False)
    return urlencode({"param": param, "sign": sign(param, SALT)}).encode()


@pytest.fixture
def app_deps(moto_endpoint: str, settings_for: Any) -> Any:
    import app as app_module
    from chalicelib.bootstrap import bootstrap

    deps = bootstrap(settings_for(ACCOUNTS), endpoint_url=moto_endpoint, session=boto3.session.Session(region_name=REGION))
    app_module.use(deps)
    return deps


def test_a_replayed_older_snapshot_never_moves_the_parcel_backwards(client: Any, app_deps: Any, pumps: Any) -> None:
    for upto in (1, 3, 2, 1):  # the delivered snapshot arrives before an older in-transit one
        r = client.http.post("/logistics/kuaidi100/k", body=push(upto), headers=FORM)
        assert r.status_code == 200
        pumps.drain()
    shipment = app_deps.repo.get_shipment("yuantong", "YT5550000000001")
    assert shipment.status.value == "Delivered" and shipment.raw_state == "3"
    assert [n.text for n in shipment.events] == [text for _, text, _ in NODES]  # every node once, in time order
    assert shipment.delivered_at is not None


def test_the_same_snapshot_three_times_changes_nothing_after_the_first(client: Any, app_deps: Any, pumps: Any) -> None:
    for _ in range(3):
        client.http.post("/logistics/kuaidi100/k", body=push(2), headers=FORM)
        pumps.drain()
    first = app_deps.repo.get_shipment("yuantong", "YT5550000000001")
    client.http.post("/logistics/kuaidi100/k", body=push(2), headers=FORM)
    pumps.drain()
    assert app_deps.repo.get_shipment("yuantong", "YT5550000000001") == first
    assert len(first.events) == 2
