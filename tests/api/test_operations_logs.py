"""Logs are JSON lines that say which request (and which tenant, key and correlation id)
caused them, in the API and in the worker, and never hold a secret."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

from litestar.testing import TestClient

from infra.logs import log_context, redact
from tests.api.conftest import StartWorker
from tests.api.operations_session import log_lines, run_session

__all__ = ["log_lines"]


def test_a_session_logs_json_lines_with_its_ids_and_no_secret(
    http: TestClient[Any], start_worker: StartWorker, log_lines: io.StringIO
) -> None:
    session = run_session(http, start_worker)
    text = log_lines.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]  # every line is JSON
    assert len(lines) > 20
    for secret in session.secrets:
        assert secret not in text
    assert all({"event", "level", "timestamp", "logger"} <= line.keys() for line in lines)

    tenant_id = session.api.tenant_id
    for what, request_id in session.request_ids.items():
        caused = [line for line in lines if line.get("request_id") == request_id]
        access = [line for line in caused if line["event"] == "request"]
        assert len(access) == 1, what
        for line in caused:  # every line the request caused carries its ids
            assert line["tenant_id"] == tenant_id, (what, line)
            assert line["key_id"] and line["correlation_id"], (what, line)
        if what != "goal":
            assert all(line["correlation_id"] == request_id for line in caused)
    goal_lines = [line for line in lines if line.get("request_id") == session.request_ids["goal"]]
    assert {line["event"] for line in goal_lines} == {"command", "request"}
    command = next(line for line in goal_lines if line["event"] == "command")
    assert command["command"] == "strategies.add_goal" and command["outcome"] == "ok"
    assert command["correlation_id"] == session.correlation_id  # logged in a handler's thread
    goal_access = next(line for line in goal_lines if line["event"] == "request")
    assert goal_access["status"] == 201
    assert goal_access["route"] == "/v1/strategies/{strategy_id}/goals"

    invalid = [line for line in lines if line.get("request_id") == session.request_ids["invalid"]]
    assert [(line["event"], line["status"]) for line in invalid] == [("request", 422)]

    # The worker's delivery of the goal's event carries the goal request's correlation id.
    attempts = [line for line in lines if line["event"] == "webhook attempt"]
    assert attempts and all(line["tenant_id"] == tenant_id for line in attempts)
    goal_attempts = [a for a in attempts if a["correlation_id"] == session.correlation_id]
    assert len(goal_attempts) == 1
    assert goal_attempts[0]["outcome"] == "succeeded" and goal_attempts[0]["job"]

    # The jobs are enqueued with the correlation id of what woke them: a delivery job woken by
    # a request's event carries that request's correlation id on its own `job` line.
    known = {session.correlation_id, *session.request_ids.values()}
    jobs = [line for line in lines if line["event"] == "job"]
    assert any(j["job"] == "webhook_deliver" and j.get("correlation_id") in known for j in jobs)

    unauthenticated = [line for line in lines if line.get("status") == 401]
    assert unauthenticated and "tenant_id" not in unauthenticated[0]


def test_a_request_without_an_id_gets_one_and_an_unsafe_one_is_replaced(
    http: TestClient[Any], log_lines: io.StringIO
) -> None:
    r = http.get("/v1/clients")
    given = r.headers["x-request-id"]
    assert len(given) == 32
    r = http.get("/v1/clients", headers={"X-Request-ID": "bad id\twith spaces"})
    assert r.headers["x-request-id"] != "bad id\twith spaces"
    ids = [json.loads(line).get("request_id") for line in log_lines.getvalue().splitlines()]
    assert given in ids and r.headers["x-request-id"] in ids


def test_secrets_are_masked_in_any_line_from_any_logger(log_lines: io.StringIO) -> None:
    key = "tpk_" + "A" * 40
    secret = "whsec_" + "B" * 43 + "="
    with log_context(request_id="r1"):
        logging.getLogger("somelibrary").warning("sent %s with Bearer %s", secret, key)
        try:
            raise ValueError(f"bad key {key}")
        except ValueError:
            logging.getLogger("techplan.test").exception("failed")
    text = log_lines.getvalue()
    assert key not in text and secret not in text and "B" * 43 not in text
    warning, error = (json.loads(line) for line in text.splitlines())
    assert warning["request_id"] == "r1" and "[redacted]" in warning["event"]
    assert "ValueError" in error["exception"] and "[redacted]" in error["exception"]
    assert redact("Authorization: bearer abc.def") == "Authorization: [redacted]"
