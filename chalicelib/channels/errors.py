"""Channel errors: raised by verify/parse/render/send, mapped to HTTP codes only in api/errors.py."""

from __future__ import annotations


class ChannelError(Exception):
    """Base class of every channel error."""


class SignatureInvalid(ChannelError):
    """Raised when a request's signature (or path token, or source IP) does not verify."""


class ReplayRejected(ChannelError):
    """Raised when a signed request's timestamp is outside the tolerance."""


class PayloadInvalid(ChannelError):
    """Raised when a body cannot be parsed or misses required fields."""


class PayloadTooLarge(ChannelError):
    """Raised when a body is over the size limit."""


class UnknownChannel(ChannelError):
    """Raised when a route names a channel or provider we do not speak."""


class RenderRejected(ChannelError):
    """Raised when an outbound message breaks a provider limit (length, template, items)."""


class SendError(ChannelError):
    """Base class of outbound delivery failures; `provider_code` is the provider's own code."""

    def __init__(self, message: str, *, provider_code: str | int | None = None) -> None:
        super().__init__(message)
        self.provider_code = provider_code


class SendRetryable(SendError):
    """A transient failure: try again after `retry_after` seconds."""

    def __init__(self, message: str, *, retry_after: int = 30, provider_code: str | int | None = None) -> None:
        super().__init__(message, provider_code=provider_code)
        self.retry_after = retry_after


class SendRateLimited(SendRetryable):
    """The provider throttled us; try again later."""


class SendPermanent(SendError):
    """A failure that retrying will not fix (bad recipient, unapproved template)."""


class SendWindowClosed(SendError):
    """The channel may not message this customer now (window or quota); use the fallback path."""
