"""What every fake provider API shares: a threaded HTTP server on 127.0.0.1 around one shared state.

A fake subclasses `FakeServer` (naming its `handler`) and `JsonHandler` (adding `do_GET`/`do_POST`);
each server gets its own handler class whose `state` is that server's state, so two fakes never mix.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Generic, Self, TypeVar

S = TypeVar("S")


class JsonHandler(BaseHTTPRequestHandler):
    """Quiet request handler that reads raw bodies and answers JSON documents."""

    state: Any
    ensure_ascii: ClassVar[bool] = True  # False: answer non-ASCII text as UTF-8, as some providers do

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        return

    def read_body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("content-length") or 0))

    def reply_json(self, doc: dict[str, Any], status: int = 200) -> None:
        data = json.dumps(doc, ensure_ascii=self.ensure_ascii).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class FakeServer(Generic[S]):
    """`with SomeFake(...) as api:` serves on 127.0.0.1 until the block ends; point settings at `api.url`."""

    handler: ClassVar[type[JsonHandler]]

    def __init__(self, state: S) -> None:
        self.state = state
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), type("Handler", (self.handler,), {"state": state}))
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
