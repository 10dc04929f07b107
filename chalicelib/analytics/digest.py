"""The weekly digest: a short Chinese text for the shop's notify target, led by the week's top spikes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

TOP_SPIKES = 5


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.0f}%"


def _dur(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds / 3600:.1f}小时" if seconds >= 3600 else f"{seconds / 60:.0f}分钟"


def weekly_text(shop: str, start: date, end: date, spikes: Sequence[Mapping[str, Any]], svc: Mapping[str, Any]) -> str:
    """The digest: period, volume, service numbers, then the top spikes with one example each."""
    lines = [f"【售后周报】{shop} {start.isoformat()} ~ {end.isoformat()}",
             f"新增工单 {svc['opened']}，已解决 {svc['resolved']}，重开率 {_pct(svc['reopen_rate'])}",
             (f"首响 P50 {_dur(svc['first_response_s']['p50'])} / P90 {_dur(svc['first_response_s']['p90'])}，"
             f"自动化率 {_pct(svc['automation_rate'])}，满意度 {svc['csat']['average'] or '—'}")]
    top = sorted(spikes, key=lambda s: (-float(s["ratio"]), -int(s["count"])))[:TOP_SPIKES]
    if not top:
        lines.append("本周无异常激增。")
    else:
        lines.append("本周激增：")
        for n, s in enumerate(top, 1):
            lines.append(f"{n}. {s['day']} {s['label']}（{s['count']} 单，基线 {s['baseline']}/天）")
            if s.get("examples"):
                lines.append(f"   例：{str(s['examples'][0].get('text', ''))[:60]}")
    return "\n".join(lines)
