"""bench/RESULTS.md: one section per kind of figure, each with the conditions of the run that
measured it. A run rewrites the sections it measured and keeps the others as they were (so
`--only lag` does not erase the scale figures of an earlier `--scale` run)."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.servers import ROOT

if TYPE_CHECKING:
    from bench.http import Outcome

TITLE = "# HTTP bench results"
INTRO = (
    "Written by `uv run python -m bench` (`--scale` for the last section). Ratios are ours /"
    " the baseline in the same run; absolute figures move with whatever else shares the"
    " machine. Each section gives the conditions of the run that measured it."
)
THROUGHPUT = "## Throughput and latency"
LAG = "## Lag"
SCALE = "## Scale"
ORDER = (THROUGHPUT, LAG, SCALE)


def machine() -> dict[str, str]:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    return {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit or "unknown",
        "machine": f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end"
        " (shared with other work: compare ratios, not absolute figures)",
    }


def bullets(conditions: dict[str, str]) -> list[str]:
    return ["", "Conditions:", "", *[f"- {k}: {v}" for k, v in conditions.items()]]


def throughput(outcomes: Sequence[Outcome], conditions: dict[str, str]) -> str:
    lines = [
        THROUGHPUT,
        "",
        "| figure | conns | ours req/s | ours p50 / p99 ms | errors | baseline req/s"
        " | baseline p99 ms | ratio | target | met |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        f = o.figure
        target = f"≥ {f.target:.2f}x" + (
            f", p99 < {f.p99_target_ms:.0f} ms" if f.p99_target_ms else ""
        )
        errors = o.ours.errors + o.ours.non_2xx
        lines.append(
            f"| {f.what} | {f.connections} | {o.ours.rate:,.0f} | {o.ours.p50_ms:.0f} /"
            f" {o.ours.p99_ms:.0f} | {errors} | {o.baseline.rate:,.0f} |"
            f" {o.baseline.p99_ms:.0f} | {o.ratio:.2f} | {target} | {'yes' if o.met else 'no'} |"
        )
    return "\n".join(lines + bullets(conditions))


def scale(
    small: Sequence[Outcome],
    large: Sequence[Outcome],
    load: dict[str, str],
    conditions: dict[str, str],
    limit: float = 1.5,
) -> str:
    """Each read figure at both sizes: how much slower the large store answers (small req/s
    over large req/s, and the p99s' quotient), ours and the baseline's."""
    lines = [
        SCALE,
        "",
        "The same tenant in two databases: the small store, and a copy of it the bulk loader"
        " grew around that tenant. After the growth, each read figure ran on the small store"
        " and then on the large one (fresh servers for each), so both saw the same machine."
        " Slowdown = small-store req/s / large-store req/s (p99: large / small); target: ours"
        " ≤ 1.5x on both. The baseline names the tenant in its queries. Ours / baseline at"
        " each size is the view that drift on a shared machine does not move (each pair ran"
        " in the same minute).",
        "",
        "| figure | small req/s, p99 ms | large req/s, p99 ms | slowdown req/s | slowdown p99"
        " | baseline slowdown req/s | ours / baseline, small → large | target | met |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    by_name = {o.figure.name: o for o in large}

    def times(a: float, b: float) -> str:
        return f"{a / b:.2f}x" if b else "∞ (no answer within wrk's 5 s)"

    for s in small:
        big = by_name.get(s.figure.name)
        if big is None:
            continue
        slow = s.ours.rate / big.ours.rate if big.ours.rate else float("inf")
        slow_p99 = big.ours.p99_ms / s.ours.p99_ms if big.ours.rate else float("inf")
        errors = big.ours.errors + big.ours.non_2xx
        met = slow <= limit and slow_p99 <= limit and errors == 0
        p99 = times(big.ours.p99_ms, s.ours.p99_ms) if big.ours.rate else "∞"
        lines.append(
            f"| {s.figure.what} | {s.ours.rate:,.0f}, {s.ours.p99_ms:.0f} |"
            f" {big.ours.rate:,.0f}, {big.ours.p99_ms:.0f} | {times(s.ours.rate, big.ours.rate)}"
            f" | {p99} | {times(s.baseline.rate, big.baseline.rate)} |"
            f" {s.ratio:.2f} → {big.ratio:.2f} | ≤ {limit:.1f}x |"
            f" {'yes' if met else 'no'} |"
        )
    lines += ["", "The large store:", "", *[f"- {k}: {v}" for k, v in load.items()]]
    return "\n".join(lines + bullets(conditions))


def lag(result: Any, conditions: dict[str, str], target_ms: float = 250.0) -> str:
    """`result` is bench.lag's LagResult."""
    r = result
    kept_up = r.committed >= 0.95 * r.rate  # the worker saw the offered rate
    met = r.p99_ms < target_ms and kept_up and r.failed == 0 and r.missing == 0
    lines = [
        LAG,
        "",
        "Time from a command's answer (the commit is before it) until every projection's"
        " tracking position reaches the command's position, as LISTEN on the projections'"
        " position notifications sees it; a paced client sends the POSTs on schedule whatever"
        " the answers' latency (open loop). No baseline: the target is absolute.",
        "",
        "| figure | commands | sent / s | committed / s | POST p50 / p99 ms | lag p50 ms"
        " | lag p99 ms | lag max ms | own read model p99 ms | target | met |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        f"| {r.what} | {r.commands:,} ({r.failed} failed) | {r.rate:.1f} | {r.committed:.1f} |"
        f" {r.answer_p50_ms:.0f} / {r.answer_p99_ms:.0f} | {r.p50_ms:.0f} | {r.p99_ms:.0f} |"
        f" {r.max_ms:.0f} | {r.own_p99_ms:.0f} | p99 < {target_ms:.0f} ms |"
        f" {'yes' if met else 'no'} |",
        "",
        "Committed / s is what the API answered 201 a second while the client offered the"
        " sent rate: below it, the API (not the worker) was the bottleneck and the worker"
        " folded only what was committed. The lag counted from the send instead (an upper"
        f" bound that includes the POST's own latency): p99 {r.send_p99_ms:.0f} ms.",
    ]
    return "\n".join(lines + bullets(conditions))


def write(out: Path, sections: dict[str, str]) -> str:
    """Replace the given sections of `out` (keyed by their heading), keep the others."""
    kept: dict[str, str] = {}
    if out.exists():
        parts = re.split(r"(?m)^(?=## )", out.read_text())
        for part in parts[1:]:
            heading = part.splitlines()[0].strip()
            if heading in ORDER:
                kept[heading] = part.strip()
    kept.update({k: v.strip() for k, v in sections.items()})
    body = [kept[h] for h in ORDER if h in kept]
    text = "\n\n".join([TITLE, INTRO, *body]) + "\n"
    out.write_text(text)
    return text
