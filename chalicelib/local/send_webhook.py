"""Send a Standard-Webhooks-signed event to the local stack, signed with the account's secret.

    python -m chalicelib.local.send_webhook --account erp --text "杯子碎了，补发一个"
    python -m chalicelib.local.send_webhook --account erp --type order.upserted --data '{"order_no": "1", ...}'
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from ..accounts import parse_accounts
from ..channels.webhook.verify import sign

DEFAULT_ACCOUNTS = Path(__file__).resolve().parents[2] / "local" / "accounts.demo.toml"


def signed_webhook(secret: str, event: dict[str, Any], *, now: float | None = None,
                   msg_id: str | None = None) -> tuple[bytes, dict[str, str]]:
    """The body and headers of one signed delivery of `event` (what an ERP would POST)."""
    body = json.dumps(event, ensure_ascii=False).encode()
    msg_id = msg_id or f"msg_{uuid.uuid4().hex}"
    ts = str(int(time.time() if now is None else now))
    headers = {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": ts,
        "webhook-signature": sign(secret, msg_id, ts, body),
    }
    return body, headers


def message_event(text: str, customer: str = "cust-42", message_id: str | None = None) -> dict[str, Any]:
    """A `message.received` event (DESIGN.md section 7)."""
    return {"type": "message.received",
            "data": {"message_id": message_id or f"m-{uuid.uuid4().hex[:12]}", "customer": customer, "text": text}}


def post(url: str, body: bytes, headers: dict[str, str], timeout: float = 10.0) -> tuple[int, str]:
    """POST and return (status, body text), also for 4xx/5xx answers."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--account", default="erp", help="the [[webhook]] account (route /webhooks/{account})")
    parser.add_argument("--text", help="message text (type message.received)")
    parser.add_argument("--customer", default="cust-42", help="the shop system's customer id")
    parser.add_argument("--type", default="message.received", help="event type")
    parser.add_argument("--data", help="event data as JSON (instead of --text/--customer)")
    parser.add_argument("--url", default=f"http://127.0.0.1:{os.environ.get('PORT', '8000')}", help="API base URL")
    parser.add_argument("--accounts", default=os.environ.get("SHOUHOU_ACCOUNTS_FILE") or str(DEFAULT_ACCOUNTS))
    args = parser.parse_args(argv)

    account = parse_accounts(Path(args.accounts).read_text(encoding="utf-8"), args.accounts).get("webhook", args.account)
    if args.data:
        event = {"type": args.type, "data": json.loads(args.data)}
    elif args.text:
        event = message_event(args.text, args.customer)
    else:
        parser.error("give --text or --data")
    body, headers = signed_webhook(account.secrets[0], event)
    status, answer = post(f"{args.url.rstrip('/')}/webhooks/{args.account}", body, headers)
    print(f"{status} {answer}")
    return 0 if status < 300 else 1


if __name__ == "__main__":
    sys.exit(main())
