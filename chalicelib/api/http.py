"""Turning journey results and errors into Chalice responses: short JSON errors, never a traceback."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from chalice import Response

from ..channels.base import Ack
from .errors import detail, status_for

log = logging.getLogger("shouhou.http")


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(body=json.dumps(body, ensure_ascii=False), status_code=status,
                    headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})})


def ack_response(ack: Ack) -> Response:
    ctype = ack.content_type if "charset" in ack.content_type else f"{ack.content_type}; charset=utf-8"
    return Response(body=ack.body, status_code=ack.status, headers={"Content-Type": ctype})


def handled(route: str) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """Map known errors to their 4xx (api/errors.py) with a log line; let the rest be a logged 500."""

    def wrap(fn: Callable[..., Response]) -> Callable[..., Response]:
        @wraps(fn)
        def inner(*args: Any, **kwargs: Any) -> Response:
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # mapped below; unmapped errors re-raise to Chalice's 500
                mapped = status_for(exc)
                if mapped is None:
                    raise
                status, error = mapped
                log.warning("%s -> %d %s (%s: %s)", route, status, error, type(exc).__name__, str(exc)[:200])
                body = {"error": error}
                if (d := detail(exc)) is not None:
                    body["detail"] = d
                return json_response(body, status)

        return inner

    return wrap
