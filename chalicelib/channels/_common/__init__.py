"""Mechanics every channel shares: constant-time checks, timestamp windows, safe XML, HTTP."""

from __future__ import annotations
