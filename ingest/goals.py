"""Targets (the sector, programme or policy an article's events address) and measurable goals.

Goals: `到2023年，实现行业规上企业数字化改造覆盖率超90%` → Goal(deadline "2023", metric "数字化改造覆盖率",
value ">90%"). Targets: noun phrases ending in a sector/programme head (行业, 产业, 专项债券…) that the
article repeats, or that follow 聚焦/围绕.

Example:
    >>> [g.deadline for g in find_goals("计划到2022年，实现全覆盖；到2023年，实现覆盖率超90%。")]
    ['2022', '2023']
"""

from __future__ import annotations

import re
from collections import Counter

from ingest.records import Goal

# --- constants -------------------------------------------------------------------------------------
_GOAL_RE = re.compile(r"到\s*(\d{4})\s*年(?:底|末)?[，,]?\s*([^；。！？]{4,80})")
# a goal states something measurable or an outcome (not `到2024年底前后` in passing)
_GOAL_BODY_RE = re.compile(r"实现|达到|完成|建成|形成|确保|全覆盖|超过|不低于|提高到|提升至|(?:率|比重|占比)\S{0,4}\d")
_METRIC_RE = re.compile(
    r"([\u3400-\u9fff]{2,12}?(?:率|比例|比重|占比|数量|规模|总量|产值|收入|覆盖率))\s*"
    r"(超过|超|达到|达|不低于|提高到|提升至|保持在|以上)?\s*(\d+(?:\.\d+)?\s*(?:%|％|个百分点|万|亿元|亿|万元)?)"
)
_TARGET_HEADS = r"(?:行业|产业|产业集群|专项债券|债券|工程|试点|项目|计划|行动|政策)"
_TARGET_RE = re.compile(rf"[\u3400-\u9fff（）]{{2,14}}?{_TARGET_HEADS}")
_FOCUS_RE = re.compile(rf"(?:聚焦|围绕|用好|争取)([\u3400-\u9fff（）]{{2,16}}?{_TARGET_HEADS})")
_TARGET_STOP = re.compile(
    r"^(?:我市|推动|推进|加快|开展|全市|全省|各|这一|该|本|加大力度争取|进一步|用好|争取|实现|建立)+"
)
_VALUE_OPS = {
    "超过": ">",
    "超": ">",
    "以上": ">",
    "不低于": ">=",
    "达到": "",
    "达": "",
    "提高到": "",
    "提升至": "",
}


# --- helpers ---------------------------------------------------------------------------------------
def _clean_target(t: str) -> str:
    t = _TARGET_STOP.sub("", t)
    return t.lstrip("的")


# --- entry points ----------------------------------------------------------------------------------
def find_goals(text: str, target: str | None = None) -> list[Goal]:
    """Measurable goals with a deadline year, in text order."""
    goals: list[Goal] = []
    for m in _GOAL_RE.finditer(text):
        body = m.group(2).strip()
        if not _GOAL_BODY_RE.search(body):
            continue
        first = body.split("，")[0]
        body = first if len(first) >= 6 else body
        metric = value = None
        mm = _METRIC_RE.search(body)
        if mm:
            metric = re.split(r"企业|行业|的|实现|达到", mm.group(1))[-1] or mm.group(1)
            op = _VALUE_OPS.get(mm.group(2) or "", "")
            value = f"{op}{mm.group(3).replace(' ', '').replace('％', '%')}"
        elif "全覆盖" in body:
            value = "100%"
        goals.append(
            Goal(
                text=body,
                deadline=m.group(1),
                target=target,
                metric=metric,
                value=value,
                span=(m.start(2), m.start(2) + len(body)),
            )
        )
    return goals


def find_targets(text: str) -> list[str]:
    """Targets an article addresses: repeated sector/programme phrases and those after 聚焦/围绕."""
    counts: Counter[str] = Counter(_clean_target(m.group(0)) for m in _TARGET_RE.finditer(text))
    focus = [_clean_target(m.group(1)) for m in _FOCUS_RE.finditer(text)]
    out: list[str] = []
    for t in focus + [t for t, n in counts.most_common() if n >= 2]:
        if len(t) >= 4 and t not in out and not any(t in o for o in out):
            out = [o for o in out if o not in t] + [t]
    return out[:5]
