"""`GET /board/{case_id}?t=…`: the customer's progress page behind a signed, expiring link."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..domain import Case, Shipment
from ..workflows import board


def board_page(case_id: str, token: str | None, *, repo: Any, secret: str | bytes, now: datetime) -> tuple[int, str]:
    """The status code and HTML of the progress page.

    The token is checked before the case is read, so a wrong or expired link gets the same 403
    whether or not the case exists; a valid link to a case that is gone gets 404.
    """
    if not board.verify(case_id, token, secret, now):
        return 403, board.render_error(403)
    case = repo.get_case(case_id)
    if case is None:
        return 404, board.render_error(404)
    order = repo.get_order(case.shop, case.order_no) if case.order_no else None
    html = board.render_page(
        case, repo.list_events(case_id), repo.list_messages(case_id), order, _shipments(repo, case, order), now
    )
    return 200, html


def _shipments(repo: Any, case: Case, order: Any) -> list[Shipment]:
    """The order's parcels, then the customer's return parcel (``case.flags["return_shipment"]``)."""
    refs = [(ref.carrier, ref.tracking_no) for ref in (order.shipments if order is not None else [])]
    back = case.flags.get("return_shipment")
    if isinstance(back, dict) and back.get("tracking_no"):
        refs.append((str(back.get("carrier") or ""), str(back["tracking_no"])))
    found: list[Shipment] = []
    for carrier, tracking_no in dict.fromkeys(refs):
        shipment = repo.get_shipment(carrier, tracking_no) if carrier else repo.find_shipment(tracking_no)
        if shipment is not None:
            found.append(shipment)
    return found
