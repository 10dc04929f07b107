"""A local sink for everything the app sends out: webhook callbacks and the channel APIs (WeChat, Douyin, SMS …).

It records each request, logs one line per request, and answers with a JSON body that reads as "ok" to
every provider's client, so outbound progress updates are visible without reaching real providers.
"""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

log = logging.getLogger("shouhou-local.callbacks")

OK_BODY = {
    "errcode": 0, "errmsg": "ok", "access_token": "local-demo-token", "expires_in": 7200,  # WeChat / WeCom
    "data": {"error_code": 0, "description": "", "access_token": "local-demo-token", "expires_in": 7200},  # Douyin
    "err_no": 0, "code": 0, "message": "success",  # 抖店
    "Code": "OK", "Message": "OK", "BizId": "local",  # Aliyun SMS
    "Response": {"SendStatusSet": [{"Code": "Ok"}], "RequestId": "local"},  # Tencent SMS
    "sid": "SMlocal", "status": "queued",  # Twilio
}

# Channel API base URLs pointed at this sink by the local stack (settings field -> path prefix).
API_PATHS = {
    "SHOUHOU_WECHAT_API": "/wechat",
    "SHOUHOU_WECOM_API": "/wecom",
    "SHOUHOU_DOUYIN_API": "/douyin",
    "SHOUHOU_DOUDIAN_API": "/doudian",
    "SHOUHOU_SMS_API_ALIYUN": "/sms/aliyun",
    "SHOUHOU_SMS_API_TENCENT": "/sms/tencent",
    "SHOUHOU_SMS_API_TWILIO": "/sms/twilio",
}


class CallbackSink:
    """An HTTP server on 127.0.0.1 that records requests (`received`) and answers OK_BODY."""

    def __init__(self, host: str = "127.0.0.1", port: int = 8001) -> None:
        self.received: list[dict[str, Any]] = []
        sink = self

        class _Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8", "replace")
                sink.received.append({"method": "POST", "path": self.path, "headers": dict(self.headers), "body": body})
                log.info("callback POST %s %s", self.path, body[:2000])
                self._ok()

            def do_GET(self) -> None:
                sink.received.append({"method": "GET", "path": self.path, "headers": dict(self.headers), "body": ""})
                log.info("callback GET %s", self.path)
                self._ok()

            def _ok(self) -> None:
                payload = json.dumps(OK_BODY).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer((host, port), _Handler)
        self._server.daemon_threads = True
        self.url = f"http://{host}:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="callback-sink", daemon=True)

    def start(self) -> CallbackSink:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
