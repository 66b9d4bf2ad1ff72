"""Schemathesis over the whole OpenAPI document: its coverage, fuzzing and stateful phases
against a real `techplan dev` process (API and worker, demo data loaded, rate limits off), with
a fixed seed and bounded examples. It must find no 5xx and no answer that breaks the schema.

The run's figures (test cases generated, per phase) are printed; `-s` shows them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from tests.integration.readside import own_database
from tests.integration.server import free_port, server_env

SEED = 20261206
# Operations whose generated data a rule no schema can state refuses most of the time (422),
# each with its rule: a plan's strategy must be one of its client's; a webhook's URL must
# resolve to a public address (the SSRF guard: this machine resolves no name); /changes takes
# `since` or `since_review`, not both; an import is an export, not any text; an actual names a
# line of its budget; only a misaligned answer is a finding to propose; `target_quarter` goes
# with `defer` alone; the demo has no webhook, so its deliveries are 404 (missing test data,
# counted here too). Any other operation in schemathesis' "mostly rejected" list fails the test.
ROOT = Path(__file__).resolve().parents[2]
RULES_NO_SCHEMA_STATES = {
    "POST /v1/clients/{client_id}/plans",
    "POST /v1/webhooks",
    "PATCH /v1/webhooks/{webhook_id}",
    "GET /v1/clients/{client_id}/changes",
    "POST /admin/v1/tenants/import",
    "POST /v1/budgets/{budget_id}/actuals",
    "POST /v1/assessments/{assessment_id}/findings/{standard_id}/propose",
    "POST /v1/plans/{plan_id}/initiatives/{initiative_id}/{action}",
    "GET /v1/webhooks/{webhook_id}/deliveries",
}

CONFIG = """
seed = {seed}
headers = {{ Authorization = "Bearer {key}" }}
request-timeout = 20

[generation]
max-examples = {examples}

[phases.coverage]
enabled = true
# Methods a path does not have are answered 405 by the router before any handler runs (one
# test in tests/api/test_conventions.py); sending each to every path would double the run.
unexpected-methods = []

[phases.fuzzing]
enabled = true

[phases.stateful]
enabled = true
max-steps = {steps}

[checks]
not_a_server_error.enabled = true
response_schema_conformance.enabled = true
status_code_conformance.enabled = true
content_type_conformance.enabled = true
response_headers_conformance.enabled = true
negative_data_rejection.enabled = true
# A declared 4xx that no schema can foresee: an opaque cursor that decodes to nothing (400),
# a rule on the current state (409), a domain rule across fields (422).
positive_data_acceptance.expected-statuses = [
    "2XX", "400", "401", "403", "404", "409", "412", "422"
]

# Litestar's automatic OPTIONS answer lists only some of a path's methods in `Allow` (the
# 405 answer lists them all); OPTIONS is not part of the contract.
allow_header_conformance.enabled = false

# Purging a tenant is left out: it would purge the demo tenant the run's key belongs to once
# the fuzzer learns its id (tests/integration/test_tenant_data.py covers it).
[[operations]]
include-path = "/admin/v1/tenants/{{tenant_id}}"
include-method = "DELETE"
enabled = false

[[operations]]
include-path-regex = "^/admin/|^/metrics$"
headers = {{ Authorization = "Bearer {operator}" }}
"""


@contextmanager
def dev_server(settings: Any, data_dir: Path) -> Iterator[tuple[str, str]]:
    """`techplan dev` on a database of its own: yields its base URL and the demo admin key."""
    port = free_port()
    env = server_env(settings, TECHPLAN_DATA_DIR=str(data_dir))
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "services.cli", "dev", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 180
            while True:
                try:
                    if httpx.get(f"{base}/health/ready", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"techplan dev did not start:\n{log.read().decode()}")
                time.sleep(0.2)
            yield base, (data_dir / "demo-key").read_text().strip()
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.seek(0)
            print(f"--- techplan dev on port {port} ---\n{log.read().decode()[-5000:]}")


def demo_ids(base: str, key: str) -> dict[str, str]:
    """Ids of the demo's resources, by the path parameter that names each: a generated id is
    a random UUID that is 404 everywhere, so without these the run never gets past lookups."""
    http = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=30)

    def first(path: str) -> dict[str, Any]:
        items = http.get(path, params={"limit": 1}).raise_for_status().json()["items"]
        return dict(items[0]) if items else {}

    with http:
        client = first("/v1/clients")
        cid = client["id"]
        found = {"client_id": cid}
        for kind, name in [
            ("strategies", "strategy_id"),
            ("plans", "plan_id"),
            ("budgets", "budget_id"),
            ("reviews", "review_id"),
            ("assessments", "assessment_id"),
        ]:
            item = first(f"/v1/clients/{cid}/{kind}")
            if item:
                found[name] = item["id"]
        if standard := first("/v1/standards"):
            found["standard_id"] = standard["id"]
        if "strategy_id" in found:
            goals = http.get(f"/v1/strategies/{found['strategy_id']}").json()["goals"]
            found.update({"goal_id": goals[0]["id"]} if goals else {})
        if "plan_id" in found:
            initiatives = http.get(f"/v1/plans/{found['plan_id']}").json()["initiatives"]
            found.update({"initiative_id": initiatives[0]["id"]} if initiatives else {})
        if "budget_id" in found:
            lines = http.get(f"/v1/budgets/{found['budget_id']}").json()["lines"]
            found.update({"line_id": lines[0]["id"]} if lines else {})
    return found


def parameters(ids: dict[str, str]) -> str:
    """The ids as schemathesis' path parameters; the history routes' `{id}` per kind."""
    lines = ["[parameters]"] + [f'"path.{name}" = "{value}"' for name, value in ids.items()]
    for kind, name in [
        ("clients", "client_id"),
        ("strategies", "strategy_id"),
        ("plans", "plan_id"),
        ("budgets", "budget_id"),
        ("reviews", "review_id"),
        ("standards", "standard_id"),
        ("assessments", "assessment_id"),
    ]:
        if name in ids:
            lines += [
                "[[operations]]",
                f"include-path-regex = '^/v1/{kind}/\\{{id\\}}/'",
                f'parameters = {{ "path.id" = "{ids[name]}" }}',
            ]
    return "\n".join(lines) + "\n"


def run_schemathesis(base: str, key: str, operator: str, out: Path, **bounds: int) -> Any:
    config = out / "schemathesis.toml"
    text = CONFIG.format(seed=SEED, key=key, operator=operator, **bounds)
    config.write_text(text + parameters(demo_ids(base, key)))
    command = [sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "--no-color"]
    command += ["run", f"{base}/schema/openapi.json", "--workers", "2"]
    command += ["--report", "ndjson", "--report-dir", str(out / "report")]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.contract.st_hooks", "PYTHONPATH": str(ROOT)}
    return subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=out, env=env)


def mostly_rejected(stdout: str) -> set[str]:
    """The operations schemathesis lists as rejecting most of their generated data."""
    section = stdout.partition("mostly rejected generated data")[2].partition("💡")[0]
    return {line.strip()[2:] for line in section.splitlines() if line.strip().startswith("- ")}


def figures(report_dir: Path) -> dict[str, Any]:
    """Test cases run per phase and the failures found, from the ndjson report."""
    cases: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    for path in report_dir.glob("*.ndjson"):
        for line in path.read_text().splitlines():
            event = json.loads(line)
            name, body = next(iter(event.items()))
            if name not in ("ScenarioFinished", "FuzzScenarioFinished"):
                continue
            recorder = body.get("recorder") or {}
            phase = body.get("phase") or "fuzz"
            cases[phase] += len(recorder.get("cases") or {})
            for checks in (recorder.get("checks") or {}).values():
                for check in checks:
                    if check.get("status") == "failure":
                        failures[check.get("name", "?")] += 1
    return {"cases": dict(cases), "total": sum(cases.values()), "failures": dict(failures)}


def test_schemathesis_finds_no_server_error_and_no_answer_off_the_schema(
    settings: Any, tmp_path: Path
) -> None:
    with (
        own_database() as url,
        dev_server(settings.with_(database_url=url), tmp_path) as (
            base,
            key,
        ),
    ):
        result = run_schemathesis(base, key, settings.admin_token, tmp_path, examples=5, steps=10)
    found = figures(tmp_path / "report")
    print(f"schemathesis: {json.dumps(found)}")
    summary = result.stdout[result.stdout.find("FAILURES") :] or result.stdout[-6000:]
    assert result.returncode == 0, summary[-30000:] + result.stderr[-3000:]
    assert found["total"] > 500, found  # the run did reach the operations
    assert mostly_rejected(result.stdout) <= RULES_NO_SCHEMA_STATES, result.stdout[-8000:]
