"""`POST /logistics/kuaidi100/{account}` through the real Chalice app and moto: the vector, a stored shipment."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

V = json.loads(Path("/work/shared/fixtures/vectors.json").read_text(encoding="utf-8"))["kuaidi100"][0]
ACCOUNTS = f"""
[[kuaidi100]]
account = "demo-k100"
shop = "shop-a"
key = "k"
salt = "{V['salt']}"
"""
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def app_deps(deps_for: Any) -> Any:
    """Overrides conftest's app_deps: the real app with a Kuaidi100 account."""
    return deps_for(ACCOUNTS)


def test_vector_push_stores_the_shipment(client: Any, app_deps: Any, pumps: Any) -> None:
    body = urlencode({"param": V["param"], "sign": V["sign"]}).encode()
    for _ in range(3):
        r = client.http.post("/logistics/kuaidi100/demo-k100", body=body, headers=FORM)
        assert r.status_code == 200 and r.body.decode() == V["expected_response"]
    pumps.drain()
    shipment = app_deps.repo.get_shipment("yuantong", "YT0000000000000")
    assert shipment is not None and shipment.status.value == "InTransit" and shipment.raw_state == "0"
    assert len(shipment.events) == 1


def test_wrong_sign_and_broken_form_are_4xx(client: Any, app_deps: Any) -> None:
    bad = urlencode({"param": V["param"], "sign": "0" * 32}).encode()
    assert client.http.post("/logistics/kuaidi100/demo-k100", body=bad, headers=FORM).status_code == 401
    assert client.http.post("/logistics/kuaidi100/demo-k100", body=b"sign=1", headers=FORM).status_code == 400
