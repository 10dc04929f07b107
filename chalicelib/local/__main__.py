"""`python -m chalicelib.local` (what `make run` runs): the whole system on this machine until Ctrl-C.

Environment: PORT (API, default 8000), HOST (default 127.0.0.1), SHOUHOU_LOCAL_CALLBACK_PORT (callback
sink, default 8001), SHOUHOU_ACCOUNTS_FILE (default local/accounts.demo.toml).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import warnings
from typing import Any

from .stack import LocalStack, StackOptions

BANNER = """
shouhou local stack is up (state is in memory; Ctrl-C stops everything)

  API            {url}            (GET {url}/health)
  embedded AWS   {aws}    (moto: DynamoDB {table}, SQS, Scheduler {group})
  callback sink  {sink}            (webhook callbacks and channel APIs land here; see the log)
  workers        inbound + outbound queue pumps, SLA schedule firer
  accounts       {accounts}

Try it:
  {python} -m chalicelib.local.send_webhook --url {url} --account erp --text "杯子碎了，补发一个"
  curl -s -H 'Authorization: Bearer demo-agent-token-0123456789' {url}/api/cases
"""


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stdout)
    for noisy in ("werkzeug", "botocore", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # moto's CloudFormation skips AWS::CloudWatch::Alarm and AWS::Scheduler::ScheduleGroup; resources.py
    # creates the group itself and alarms have no local meaning, so these warnings are noise here.
    logging.getLogger("moto").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="Tried to parse AWS::", category=UserWarning)
    options = StackOptions(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "8000")),
        callback_port=int(os.environ.get("SHOUHOU_LOCAL_CALLBACK_PORT", "8001")),
    )
    stop = threading.Event()

    def _on_signal(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)

    stack = LocalStack(options)
    try:
        stack.start()
    except OSError as exc:
        logging.getLogger("shouhou-local").error("cannot start: %s (is PORT=%s taken? set PORT=...)", exc, options.port)
        stack.stop()
        return 1
    python = os.path.relpath(sys.executable) if not os.path.relpath(sys.executable).startswith("..") else "python"
    print(BANNER.format(python=python, url=stack.url, aws=stack.env["AWS_ENDPOINT_URL"], table=stack.env["SHOUHOU_TABLE_NAME"],
                        group=stack.env["SHOUHOU_SCHEDULER_GROUP"], sink=stack.callback_url or "(not running)",
                        accounts=stack.env["SHOUHOU_ACCOUNTS_FILE"]), flush=True)
    stop.wait()
    print("stopping…", flush=True)
    stack.stop()
    print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
