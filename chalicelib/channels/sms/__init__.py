"""SMS channel: inbound MO from Aliyun, Tencent and Twilio (one module each); outbound via SmsSender (send.py).

Importing a provider module (the registry does, per route) loads only that provider.
"""

from __future__ import annotations

from .mo import is_opt_out, normalise_phone

__all__ = ["is_opt_out", "normalise_phone"]
