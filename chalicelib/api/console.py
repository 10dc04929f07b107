"""The agent and manager web console: static files shipped in the Lambda package, plus the case trace.

No build step: `static/` holds plain HTML, CSS and ES modules; the page talks to the agent API with
the Bearer token the agent types in (kept in sessionStorage, never in a cookie).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..accounts import ApiToken
from ..domain import Case, Shipment
from .cases import load_case
from .errors import PathNotFound

STATIC = Path(__file__).parent / "static"
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}
HEADERS = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
           "Content-Security-Policy": "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:"}


def asset(name: str = "index.html") -> tuple[str, dict[str, str]]:
    """A shipped console file and its headers; only names listed in `static/` are served.

    Raises:
        PathNotFound: for any other name (no path traversal: the name must match a listed file).
    """
    files = {p.name: p for p in STATIC.iterdir() if p.is_file() and p.suffix in TYPES}
    path = files.get(name)
    if path is None:
        raise PathNotFound(f"no console file {name[:40]!r}")
    return path.read_text(encoding="utf-8"), {"Content-Type": TYPES[path.suffix], **HEADERS}


def trace(repo: Any, token: ApiToken, case_id: str) -> dict[str, Any]:
    """The case's order and its parcels (and the customer's return parcel) for the case page.

    Raises:
        CaseNotFound: missing or another shop's case.
    """
    case = load_case(repo, token, case_id)
    order = repo.get_order(case.shop, case.order_no) if case.order_no else None
    if order is None and case.entities.get("order_no"):
        order = repo.get_order(case.shop, str(case.entities["order_no"]))
    return {"order": order.model_dump(mode="json") if order else None,
            "shipments": [s.model_dump(mode="json") for s in _shipments(repo, case, order)]}


def _shipments(repo: Any, case: Case, order: Any) -> list[Shipment]:
    refs = [(ref.carrier, ref.tracking_no) for ref in (order.shipments if order is not None else [])]
    back = case.flags.get("return_shipment")
    if isinstance(back, dict) and back.get("tracking_no"):
        refs.append((str(back.get("carrier") or ""), str(back["tracking_no"])))
    if case.entities.get("tracking_no"):
        refs.append(("", str(case.entities["tracking_no"])))
    found: dict[str, Shipment] = {}
    for carrier, tracking_no in dict.fromkeys(refs):
        if tracking_no in found:
            continue
        shipment = repo.get_shipment(carrier, tracking_no) if carrier else repo.find_shipment(tracking_no)
        if shipment is not None:
            found[tracking_no] = shipment
    return list(found.values())
