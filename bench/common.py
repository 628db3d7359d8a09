"""What the benchmark sections share: figures (min/median/max over runs, beside a target), the machine, timing.

A `Figure` is one line of bench/RESULTS.md: the values of its runs, the unit, the target and whether the
target is met (judged on the median). Ratios measured within one run of the suite are what the targets
judge; absolute times are reported for orientation (the machines are shared and noisy).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "official_news.jsonl"
SEED = SHARED / "seed" / "000_ac27911529864ab2.txt"
PYTHON = sys.executable
DASHIJI = str(Path(PYTHON).with_name("dashiji"))


@dataclass
class Figure:
    """One measured figure: its runs, and the target it is judged against (on the median)."""

    section: str
    name: str
    unit: str
    values: list[float]
    target: str = ""  # e.g. ">= 0.7", "< 2"; empty: reported only
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def met(self) -> bool | None:
        """Whether the median meets the target (None when there is no target)."""
        if not self.target:
            return None
        op, _, bound = self.target.partition(" ")
        value, limit = self.median, float(bound)
        return {">=": value >= limit, ">": value > limit, "<=": value <= limit, "<": value < limit}[op]

    def row(self) -> str:
        low, mid, high = min(self.values), self.median, max(self.values)
        verdict = {None: "", True: "met", False: "**NOT met**"}[self.met()]
        target = f"{self.target} {self.unit}".strip() if self.target else ""
        return (f"| {self.name} | {_fmt(low)} | {_fmt(mid)} | {_fmt(high)} | {self.unit} | {len(self.values)} "
                f"| {target} | {verdict} | {self.note} |")


def _fmt(v: float) -> str:
    if v == 0:
        return "0"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    if abs(v) >= 0.1:
        return f"{v:.2f}"
    return f"{v:.4f}"


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation."""
    data = sorted(values)
    if not data:
        return float("nan")
    at = (len(data) - 1) * q / 100
    lo = int(at)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (at - lo)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def wall(cmd: list[str], **kw: Any) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    """Wall-clock seconds of a subprocess (which must succeed) and its result."""
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, check=False, cwd=ROOT, **kw)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return seconds, done


def run_json(args: list[str], **kw: Any) -> Any:
    """Run `python <args>` and read the JSON it prints last."""
    _s, done = wall([PYTHON, *args], **kw)
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


def peak_rss_mib() -> float:
    """This process's peak resident set (VmHWM; unlike ru_maxrss it does not carry a parent's over exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict[str, str]:
    """CPU model, cores, RAM, OS, Python and the versions that matter."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                          if line.startswith("MemTotal")))
        ram = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        ram = "?"
    from importlib.metadata import PackageNotFoundError, version

    versions = []
    for pkg in ("dashiji", "spacy-pkuseg", "python-crfsuite", "msgpack", "numpy", "neo4j", "orjson",
                "dask", "distributed"):
        try:
            versions.append(f"{pkg} {version(pkg)}")
        except PackageNotFoundError:
            versions.append(f"{pkg} (not installed)")
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": ram,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": ", ".join(versions),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
