"""The journeys: triage worker (inbound tasks), outbound sender, SLA handler."""

from __future__ import annotations
