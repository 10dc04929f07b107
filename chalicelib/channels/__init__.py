"""Channels: one package per provider (verify, parse, normalise; render, send) and the registry."""

from __future__ import annotations
