"""Snapshot merge: union of nodes, status only from a snapshot at least as new as what is stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.domain import Shipment, ShipmentNode, ShipmentStatus
from chalicelib.workers.logistics import merge

T0 = datetime(2026, 11, 20, tzinfo=UTC)


def snap(status: ShipmentStatus, *hours: int) -> Shipment:
    return Shipment(carrier="sf", tracking_no="SF1", status=status, raw_state=status.value,
                    events=[ShipmentNode(time=T0 + timedelta(hours=h), text=f"node {h}") for h in hours])


def test_first_snapshot_is_all_new():
    merged, fresh, changed = merge(None, snap(ShipmentStatus.IN_TRANSIT, 1, 2))
    assert len(fresh) == 2 and changed and merged.status is ShipmentStatus.IN_TRANSIT


def test_older_snapshot_keeps_the_newer_status_but_adds_missing_nodes():
    stored = snap(ShipmentStatus.DELIVERED, 1, 5)
    merged, fresh, changed = merge(stored, snap(ShipmentStatus.IN_TRANSIT, 1, 3))
    assert merged.status is ShipmentStatus.DELIVERED and not changed
    assert [n.text for n in fresh] == ["node 3"]
    assert [n.text for n in merged.events] == ["node 1", "node 3", "node 5"]


def test_identical_snapshot_is_no_news():
    stored = snap(ShipmentStatus.IN_TRANSIT, 1, 2)
    _, fresh, changed = merge(stored, snap(ShipmentStatus.IN_TRANSIT, 1, 2))
    assert fresh == [] and not changed


def test_newer_exception_replaces_the_status():
    merged, _, changed = merge(snap(ShipmentStatus.IN_TRANSIT, 1), snap(ShipmentStatus.EXCEPTION, 1, 2))
    assert changed and merged.status is ShipmentStatus.EXCEPTION
