"""shouhou: routes and event handlers only; each calls one api/ or workers/ function."""

from __future__ import annotations

from typing import Any

from chalice import Chalice, Cron, Response

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


@app.middleware("http")
def public_url(event: Any, get_response: Any) -> Any:
    """Deployed without SHOUHOU_PUBLIC_URL, progress-page links use the API Gateway host requests arrive at."""
    if (event.context or {}).get("domainName"):
        deps().learn_public_url(event.context["domainName"], event.context.get("stage"))
    return get_response(event)


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


@app.route("/api/cases/{case_id}/evidence", methods=["GET"])
@handled("api.evidence")
def evidence(case_id: str) -> Response:
    token = authenticate(deps().accounts, app.current_request.headers)
    fmt = (app.current_request.query_params or {}).get("format", "json")
    return cases_api.evidence_response(deps().repo, token, case_id, fmt)


@app.route("/board/{case_id}", methods=["GET"])
def board_page(case_id: str) -> Response:
    from chalicelib.api.board import board_page as page

    token = (app.current_request.query_params or {}).get("t")
    status, html = page(case_id, token, repo=deps().repo, secret=deps().board_secret, now=deps().clock.now())
    return Response(body=html, status_code=status, headers={"Content-Type": "text/html; charset=utf-8"})


@app.on_sqs_message(queue="shouhou-inbound.fifo", batch_size=10, name="on_inbound")
def on_inbound(event: Any) -> dict[str, Any]:
    from chalicelib.workers.inbound import handle_batch

    return handle_batch(deps(), event.to_dict()["Records"])


@app.on_sqs_message(queue="shouhou-outbound", batch_size=10, name="on_outbound")
def on_outbound(event: Any) -> dict[str, Any]:
    from chalicelib.workers.outbound import handle_batch

    return handle_batch(deps(), event.to_dict()["Records"])


@app.schedule(Cron(30, 16, "*", "*", "?", "*"), name="nightly")  # 00:30 Asia/Shanghai
def nightly(event: Any) -> dict[str, Any]:
    from chalicelib.workers.nightly import seal

    return {"sealed": seal(deps(), deps().clock.now())}


@app.schedule(Cron(0, 1, "?", "*", "MON", "*"), name="weekly_digest")  # Monday 09:00 Asia/Shanghai
def weekly_digest(event: Any) -> dict[str, Any]:
    from chalicelib.workers.digest import send_weekly

    return send_weekly(deps(), deps().clock.now())


@app.lambda_function(name="sla_check")
def sla_check(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from chalicelib.workers import followup, notices
    from chalicelib.workers.sla import handle_fire

    d = deps()
    if event.get("kind") == followup.KIND:
        return followup.handle(d, event)
    if event.get("kind") == notices.KIND:  # a retry of an escalation notice that failed
        return notices.handle(d, event)
    from chalicelib.analytics import on_case_events

    return handle_fire(event, repo=d.repo, timer=d.timer, engine=d.sla, notifier=d.notifier, clock=d.clock,
                       record=lambda case, events: on_case_events(d, case, events, d.clock.now()))


# --- agent work API, console and reports (issue 8) ---
from chalicelib.api import console as console_api
from chalicelib.api import reports as reports_api
from chalicelib.api import work as work_api


def _write(case_id: str, action: str) -> Response:
    r = app.current_request
    token = authenticate(deps().accounts, r.headers)
    body, replayed = work_api.perform(deps(), token, case_id, action, r.raw_body, r.headers.get("idempotency-key"))
    return json_response(body, headers={"Idempotent-Replayed": "true"} if replayed else None)


@app.route("/api/cases/{case_id}/{action}", methods=["POST"])
@handled("api.work")
def case_write(case_id: str, action: str) -> Response:
    return _write(case_id, action)


@app.route("/api/cases/{case_id}/returns/decision", methods=["POST"])
@handled("api.work")
def return_decision(case_id: str) -> Response:
    return _write(case_id, "returns/decision")


@app.route("/api/cases/{case_id}/trace", methods=["GET"])
@handled("api.trace")
def case_trace(case_id: str) -> Response:
    token = authenticate(deps().accounts, app.current_request.headers)
    return json_response(console_api.trace(deps().repo, token, case_id))


@app.route("/console", methods=["GET"])
@handled("console")
def console_page() -> Response:
    body, headers = console_api.asset("index.html")
    return Response(body=body, status_code=200, headers=headers)


@app.route("/console/{name}", methods=["GET"])
@handled("console")
def console_asset(name: str) -> Response:
    body, headers = console_api.asset(name)
    return Response(body=body, status_code=200, headers=headers)


@app.route("/api/reports/{name}", methods=["GET"])
@handled("api.reports")
def report(name: str) -> Response:
    token = authenticate(deps().accounts, app.current_request.headers)
    query = app.current_request.query_params or {}
    if name == "cases.csv":
        text, cursor = reports_api.export_csv(deps(), token, query)
        return Response(body=text, status_code=200, headers={"Content-Type": "text/csv; charset=utf-8",
                                                             **({"X-Next-Cursor": cursor} if cursor else {})})
    return json_response(reports_api.build(deps(), token, name, query))


@app.route("/api/reports/digest/send", methods=["POST"])
@handled("api.reports")
def send_digest() -> Response:
    token = authenticate(deps().accounts, app.current_request.headers)
    return json_response(reports_api.send_digest(deps(), token, app.current_request.query_params or {}))
