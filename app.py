"""shouhou: routes and event handlers only; each calls one api/ or workers/ function."""

from __future__ import annotations

from typing import Any

from chalice import Chalice, Response

from chalicelib.api import cases as cases_api
from chalicelib.api import ingress
from chalicelib.api.auth import authenticate
from chalicelib.api.http import ack_response, handled, json_response
from chalicelib.bootstrap import Deps, bootstrap
from chalicelib.channels.base import RawRequest
from chalicelib.logs import configure

app = Chalice(app_name="shouhou")
_CONTAINER: dict[str, Deps] = {}
BODY_TYPES = ["application/json", "application/x-www-form-urlencoded", "text/xml", "application/xml",
              "text/plain", "application/octet-stream"]


def deps() -> Deps:
    """The warm container's dependencies, built on first use."""
    if "deps" not in _CONTAINER:
        built = bootstrap()
        configure(built.settings.log_level)
        _CONTAINER["deps"] = built
    return _CONTAINER["deps"]


def use(custom: Deps) -> None:
    """Run the app with prepared dependencies (the local stack and tests)."""
    configure(custom.settings.log_level)
    _CONTAINER["deps"] = custom


def _raw(account: str) -> RawRequest:
    r = app.current_request
    ip = ((r.context or {}).get("identity") or {}).get("sourceIp")
    return RawRequest(method=r.method, account=account, headers={k.lower(): v for k, v in r.headers.items()},
                      query=dict(r.query_params or {}), body=r.raw_body or b"", source_ip=ip, path=r.path)


def _ingress(key: str, account: str) -> Response:
    return ack_response(ingress.receive(deps(), key, _raw(account)))


@app.route("/health", methods=["GET"])
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.route("/webhooks/{account}", methods=["POST"], content_types=BODY_TYPES)
@handled("webhook")
def webhook(account: str) -> Response:
    return _ingress("webhook", account)


@app.route("/wechat/{account}", methods=["GET", "POST"], content_types=BODY_TYPES)
@handled("wechat")
def wechat(account: str) -> Response:
    return _ingress("wechat", account)


@app.route("/douyin/{account}", methods=["POST"], content_types=BODY_TYPES)
@handled("douyin")
def douyin(account: str) -> Response:
    return _ingress("douyin", account)


@app.route("/doudian/{account}", methods=["POST"], content_types=BODY_TYPES)
@handled("doudian")
def doudian(account: str) -> Response:
    return _ingress("doudian", account)


@app.route("/sms/{provider}/{account}", methods=["POST"], content_types=BODY_TYPES)
@handled("sms")
def sms(provider: str, account: str) -> Response:
    return _ingress(f"sms:{provider}", account)


@app.route("/logistics/kuaidi100/{account}", methods=["POST"], content_types=BODY_TYPES)
@handled("kuaidi100")
def kuaidi100(account: str) -> Response:
    return _ingress("kuaidi100", account)


@app.route("/api/cases", methods=["GET"])
@handled("api.cases")
def list_cases() -> Response:
    token = authenticate(deps().accounts, app.current_request.headers)
    return json_response(cases_api.list_cases(deps().repo, token, app.current_request.query_params or {}))


@app.route("/api/cases/{case_id}", methods=["GET"])
@handled("api.case")
def get_case(case_id: str) -> Response:
    token = authenticate(deps().accounts, app.current_request.headers)
    return json_response(cases_api.get_case(deps().repo, token, case_id))


@app.on_sqs_message(queue="shouhou-inbound.fifo", batch_size=10, name="on_inbound")
def on_inbound(event: Any) -> dict[str, Any]:
    from chalicelib.workers.inbound import handle_batch

    return handle_batch(deps(), event.to_dict()["Records"])


@app.on_sqs_message(queue="shouhou-outbound", batch_size=10, name="on_outbound")
def on_outbound(event: Any) -> dict[str, Any]:
    from chalicelib.workers.outbound import handle_batch

    return handle_batch(deps(), event.to_dict()["Records"])


@app.lambda_function(name="sla_check")
def sla_check(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from chalicelib.workers.sla import handle_fire

    d = deps()
    return handle_fire(event, repo=d.repo, timer=d.timer, engine=d.sla, notifier=d.notifier, clock=d.clock)
