"""Agent API, reports, console, progress page and webhook ingress: the HTTP endpoints."""

from __future__ import annotations
