"""Agent API, read side: the shop's case queue and one case with its messages and timeline."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..accounts import ApiToken
from ..domain import Case, CaseNotFound
from .errors import RequestInvalid

FILTERS = ("status", "priority", "issue", "channel", "assignee", "escalated")
ORDERS = ("newest", "urgent")


def case_view(case: Case) -> dict[str, Any]:
    """A case as the API shows it (JSON-ready), with its customer-facing label."""
    from ..domain import label

    return {**case.model_dump(mode="json"), "status_label": label(case.status)}


def load_case(repo: Any, token: ApiToken, case_id: str) -> Case:
    """A case of the token's shop.

    Raises:
        CaseNotFound: missing, or another shop's (indistinguishable on purpose).
    """
    case = repo.get_case(case_id)
    if case is None or case.shop != token.shop:
        raise CaseNotFound(case_id)
    return case


def list_cases(repo: Any, token: ApiToken, query: Mapping[str, str]) -> dict[str, Any]:
    """`GET /api/cases`: filters, order (newest|urgent), limit (1–200), cursor.

    Raises:
        RequestInvalid: on an unknown filter value shape, order or limit.
    """
    unknown = set(query) - set(FILTERS) - {"order", "limit", "cursor", "shop"}
    if unknown:
        raise RequestInvalid(f"unknown query parameter {min(unknown)}")
    if query.get("shop") not in (None, token.shop):
        return {"cases": [], "next_cursor": None}  # a token sees only its own shop
    order = query.get("order", "newest")
    if order not in ORDERS:
        raise RequestInvalid("order must be newest or urgent")
    try:
        limit = int(query.get("limit", "50"))
    except ValueError:
        raise RequestInvalid("limit must be an integer") from None
    if not 1 <= limit <= 200:
        raise RequestInvalid("limit must be 1..200")
    filters = {k: query[k] for k in FILTERS if k in query}
    try:
        cases, cursor = repo.list_cases(token.shop, filters=filters, order=order, limit=limit, cursor=query.get("cursor"))
    except (ValueError, TypeError) as exc:  # a cursor that is not ours
        raise RequestInvalid("invalid cursor") from exc
    return {"cases": [case_view(c) for c in cases], "next_cursor": cursor}


def get_case(repo: Any, token: ApiToken, case_id: str) -> dict[str, Any]:
    """`GET /api/cases/{id}`: the case, its messages and its timeline.

    Raises:
        CaseNotFound: missing or another shop's.
    """
    case = load_case(repo, token, case_id)
    return {
        "case": case_view(case),
        "messages": [m.model_dump(mode="json") for m in repo.list_messages(case_id)],
        "timeline": [e.model_dump(mode="json") for e in repo.list_events(case_id)],
    }


def evidence_response(repo: Any, token: ApiToken, case_id: str, fmt: str) -> Any:
    """`GET /api/cases/{id}/evidence[?format=zip]`: the arbitration evidence pack.

    Raises:
        CaseNotFound: missing or another shop's.
        RequestInvalid: an unknown format.
    """
    from chalice import Response

    from ..workflows import evidence
    from .http import json_response

    if fmt not in ("json", "zip"):
        raise RequestInvalid("format must be json or zip")
    case = load_case(repo, token, case_id)
    order = repo.get_order(case.shop, case.order_no) if case.order_no else None
    shipments = [s for s in (repo.get_shipment(r.carrier, r.tracking_no) for r in (order.shipments if order else [])) if s]
    pack = evidence.build(case, repo.list_messages(case_id), repo.list_events(case_id), order, shipments)
    if fmt == "json":
        return json_response(pack)
    return Response(body=evidence.build_zip(pack), status_code=200, headers={
        "Content-Type": "application/zip", "Content-Disposition": f'attachment; filename="evidence-{case_id}.zip"'})
