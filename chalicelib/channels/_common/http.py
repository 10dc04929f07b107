"""A small JSON-over-HTTP client on urllib3 (already in the Lambda runtime with botocore)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import urllib3

from ..errors import SendRetryable


@dataclass(frozen=True)
class HttpResponse:
    """Status, headers and body of one HTTP exchange."""

    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        """The body parsed as JSON (empty body -> {})."""
        return json.loads(self.body) if self.body.strip() else {}


class HttpClient:
    """One pooled client per warm container; network errors become `SendRetryable`."""

    def __init__(self, timeout_s: float = 5.0, pool: urllib3.PoolManager | None = None) -> None:
        self._pool = pool or urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(total=timeout_s))

    def request(
        self, method: str, url: str, *, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> HttpResponse:
        """Send one request.

        Raises:
            SendRetryable: on connection errors and timeouts.
        """
        try:
            r = self._pool.request(method, url, body=body, headers=headers or {}, redirect=False)
        except urllib3.exceptions.HTTPError as exc:
            raise SendRetryable(f"{method} {url.split('?')[0]}: {type(exc).__name__}") from exc
        return HttpResponse(r.status, r.data, {k.lower(): v for k, v in r.headers.items()})

    def post_json(self, url: str, payload: Any, headers: dict[str, str] | None = None) -> HttpResponse:
        """POST a JSON document (UTF-8, not ASCII-escaped)."""
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        return self.request("POST", url, body=data, headers={"Content-Type": "application/json", **(headers or {})})

    def get_json(self, url: str) -> HttpResponse:
        """GET a URL."""
        return self.request("GET", url)
