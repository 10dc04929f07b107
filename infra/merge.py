"""Build the one template `chalice package --merge-template` takes: resources.yaml deep-merged with chalice-merge.yaml.

Usage: python infra/merge.py OUT.yaml
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
PARTS = ("resources.yaml", "chalice-merge.yaml")


def deep_merge(base: Any, patch: Any) -> Any:
    """`patch` over `base`: mappings merge key by key, anything else in `patch` replaces (as Chalice merges)."""
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for key, value in patch.items():
            merged[key] = deep_merge(base.get(key), value)
        return merged
    return patch


def build() -> dict[str, Any]:
    """The merged template (long-form intrinsics only, so plain safe_load reads every part)."""
    template: dict[str, Any] = {}
    for name in PARTS:
        template = deep_merge(template, yaml.safe_load((HERE / name).read_text(encoding="utf-8")))
    return template


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out = Path(argv[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    # SafeDumper with aliases off: the YAML anchors in chalice-merge.yaml expand into plain copies.
    dumper = type("NoAliases", (yaml.SafeDumper,), {"ignore_aliases": lambda self, data: True})
    out.write_text(yaml.dump(build(), Dumper=dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
