"""OutboundMessage → what an SMS provider accepts.

Mainland providers (Aliyun, Tencent) send approved templates only: the account maps an update kind
(`progress`, `receipt`, `auto_answer`, `agent_reply`, `csat`, `notice`, optionally `<kind>.<status>`)
to a template whose variables name outbound fields (`text`, `status_label`, `status`, `case_id`,
`board_url`, `order_no`, `shop`, or `data.<key>`). No template → RenderRejected. Twilio takes free text.
"""

from __future__ import annotations

from ...accounts import SmsAccount, SmsTemplate
from ...domain import OutboundMessage
from ..errors import RenderRejected

MAX_FREE_TEXT = 1600  # Twilio's body limit


def template_for(account: SmsAccount, message: OutboundMessage) -> SmsTemplate:
    """The template for this update: `<kind>.<status>` first, then `<kind>`.

    Raises:
        RenderRejected: when the account has no template for it.
    """
    kind = message.kind.value
    keys = ([f"{kind}.{message.status.value}"] if message.status else []) + [kind]
    for key in keys:
        if key in account.templates:
            return account.templates[key]
    raise RenderRejected(f"no approved SMS template for {kind!r} on account {account.account}")


def _field(message: OutboundMessage, name: str) -> str | None:
    if name.startswith("data."):
        value = message.data.get(name[5:])
    elif name in ("text", "status_label", "case_id", "board_url", "order_no", "shop", "status"):
        value = getattr(message, name, None) if name != "order_no" else message.data.get("order_no")
    else:
        raise RenderRejected(f"unknown template field {name!r}")
    return None if value in (None, "") else str(value)


def template_params(template: SmsTemplate, message: OutboundMessage) -> dict[str, str]:
    """Template variable → value, in the template's order.

    Raises:
        RenderRejected: when a variable's field is empty for this message.
    """
    params: dict[str, str] = {}
    for var, field in template.params.items():
        value = _field(message, field)
        if value is None:
            raise RenderRejected(f"template {template.code} needs {field!r}, which this update lacks")
        params[var] = value
    return params


def free_text(message: OutboundMessage) -> str:
    """The body of a free-text SMS (Twilio): the text, then the progress-page link.

    Raises:
        RenderRejected: when empty or over MAX_FREE_TEXT characters.
    """
    text = f"{message.text}\n{message.board_url}" if message.board_url else message.text
    if not text.strip() or len(text) > MAX_FREE_TEXT:
        raise RenderRejected(f"sms text must be 1..{MAX_FREE_TEXT} characters")
    return text
