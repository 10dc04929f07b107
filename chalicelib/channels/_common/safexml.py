"""Untrusted XML in, a flat dict out: defusedxml, entity expansion and DTDs refused."""

from __future__ import annotations

from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..errors import PayloadInvalid


def parse_flat(body: bytes | str, *, max_bytes: int = 64 * 1024) -> dict[str, str]:
    """Parse `<xml><Key>value</Key>…</xml>` into {Key: text}; nested elements keep their text only.

    Raises:
        PayloadInvalid: on oversize, malformed XML, DTDs or entity declarations (XXE, billion laughs).
    """
    raw = body.encode() if isinstance(body, str) else body
    if len(raw) > max_bytes:
        raise PayloadInvalid("xml body too large")
    try:
        root = fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, ParseError, ValueError) as exc:
        raise PayloadInvalid("malformed or unsafe xml") from exc
    return {child.tag: (child.text or "").strip() for child in root}
