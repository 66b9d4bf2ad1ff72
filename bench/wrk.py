"""Driving `wrk` (Debian's package: `apt-get install wrk`) and reading what it reports.

Each run gets a Lua script that rotates requests over many paths (one a request, in turn, per
thread from its own offset) and, when the run ends, writes one line `WRK-JSON {...}` with the
request count, the duration, the error counts and latency percentiles. `parse` reads that line;
the human part of wrk's output is kept for the log only.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

MARK = "WRK-JSON "

_SCRIPT = """
local paths = {%(paths)s}
local bodies = {%(bodies)s}
local method = "%(method)s"
local headers = {%(headers)s}
local counter = 0
local thread_no = 0
local threads = {}

function setup(thread)
  thread:set("offset", thread_no * 7919)
  thread_no = thread_no + 1
  table.insert(threads, thread)
end

function init(args)
  counter = tonumber(offset) or 0
end

function request()
  counter = counter + 1
  local i = (counter %% #paths) + 1
  local body = nil
  if #bodies > 0 then
    body = string.gsub(bodies[(counter %% #bodies) + 1], "{n}", tostring(counter))
  end
  return wrk.format(method, paths[i], headers, body)
end

function done(summary, latency, requests)
  local p = {}
  for _, q in ipairs({50, 90, 99, 99.9}) do
    p[tostring(q)] = latency:percentile(q) / 1000.0
  end
  local e = summary.errors
  io.write(string.format(
    '%(mark)s{"requests": %%d, "duration_s": %%.6f, "connect": %%d, "read": %%d,'
    .. ' "write": %%d, "timeout": %%d, "status": %%d, "latency_ms": {"p50": %%.3f,'
    .. ' "p90": %%.3f, "p99": %%.3f, "p999": %%.3f, "max": %%.3f, "mean": %%.3f}}\\n',
    summary.requests, summary.duration / 1e6, e.connect, e.read, e.write, e.timeout,
    e.status, p["50"], p["90"], p["99"], p["99.9"], latency.max / 1000.0,
    latency.mean / 1000.0))
end
"""


@dataclass(frozen=True)
class WrkResult:
    requests: int
    duration_s: float
    errors: int  # socket errors (connect, read, write) and timeouts
    non_2xx: int  # responses that were not 2xx or 3xx
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float

    @property
    def rate(self) -> float:
        """Successful requests per second."""
        ok = max(self.requests - self.non_2xx, 0)
        return ok / self.duration_s if self.duration_s > 0 else 0.0


class WrkError(RuntimeError):
    pass


def parse(output: str) -> WrkResult:
    """The figures of one wrk run, from the line our `done` hook writes."""
    for line in output.splitlines():
        if line.startswith(MARK):
            try:
                data = json.loads(line[len(MARK) :])
                latency = data["latency_ms"]
                return WrkResult(
                    requests=int(data["requests"]),
                    duration_s=float(data["duration_s"]),
                    errors=int(data["connect"])
                    + int(data["read"])
                    + int(data["write"])
                    + int(data["timeout"]),
                    non_2xx=int(data["status"]),
                    p50_ms=float(latency["p50"]),
                    p90_ms=float(latency["p90"]),
                    p99_ms=float(latency["p99"]),
                    max_ms=float(latency["max"]),
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise WrkError(f"wrk's summary line is malformed: {line!r}") from exc
    raise WrkError("wrk printed no summary line:\n" + output[-2000:])


def _lua_strings(values: Sequence[str]) -> str:
    return ", ".join(json.dumps(v) for v in values)  # JSON string escapes are valid Lua


def script(
    paths: Sequence[str],
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    bodies: Sequence[str] = (),
) -> str:
    """A wrk Lua script rotating over `paths` (and `bodies`, where `{n}` becomes a counter)."""
    if not paths:
        raise ValueError("at least one path")
    return _SCRIPT % {
        "paths": _lua_strings(paths),
        "bodies": _lua_strings(bodies),
        "method": method,
        "headers": ", ".join(
            f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in (headers or {}).items()
        ),
        "mark": MARK,
    }


def run(
    base_url: str,
    lua: str,
    *,
    connections: int,
    seconds: float,
    threads: int = 2,
    workdir: Path,
    timeout_s: int = 5,
) -> tuple[WrkResult, str]:
    """Run wrk once; returns the parsed figures and wrk's whole output."""
    exe = shutil.which("wrk")
    if exe is None:
        raise WrkError("wrk is not installed (Debian: apt-get install wrk)")
    path = workdir / "bench.lua"
    path.write_text(lua)
    threads = max(1, min(threads, connections))
    completed = subprocess.run(
        [
            exe,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            f"--timeout={timeout_s}s",
            "-s",
            str(path),
            base_url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=False,
    )
    output = completed.stdout + completed.stderr
    if completed.returncode != 0:
        raise WrkError(f"wrk exited {completed.returncode}:\n{output[-2000:]}")
    return parse(output), output
