"""The embedded local stack: moto server, the infra template deployed into it, queue pumps, schedule firer.

`python -m chalicelib.local` runs it (see `__main__.py`); `create_resources` is what tests use.
"""

from __future__ import annotations

from .resources import create_resources

__all__ = ["create_resources"]
